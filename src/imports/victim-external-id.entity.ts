import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { VictimEntity } from '../victims/victim.entity.js';

/**
 * A dataset's own id of a person ("jvn_0412"), within the list it comes from (`scope`: the
 * import's --id-scope, by default the file's name), so that a corrected version of the list
 * updates the records it already holds instead of adding them again.
 */
@Entity('victim_external_ids')
@Check('ck_victim_external_ids_scope', `length(btrim(scope)) > 0`)
@Check('ck_victim_external_ids_external_id', `length(btrim(external_id)) > 0`)
@Index('ix_victim_external_ids_victim', ['victimId'])
export class VictimExternalIdEntity {
  @PrimaryColumn({ type: 'text' })
  scope: string;

  @PrimaryColumn({ type: 'text' })
  externalId: string;

  @Column({ type: 'uuid' })
  victimId: string;

  /**
   * The victim's version when an import last wrote it: a re-import updates the record only if
   * nobody has changed it since (a researcher's edit is never overwritten by a list).
   */
  @Column({ type: 'integer' })
  victimVersion: number;

  @ManyToOne(() => VictimEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'victim_id' })
  victim?: VictimEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
