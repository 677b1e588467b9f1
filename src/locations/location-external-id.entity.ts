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
import { LocationEntity } from './location.entity.js';

/**
 * A gazetteer's own id of a place, within the list it comes from (`scope`: the locations
 * import's --id-scope, by default the file's name), so that a re-import finds the places it made.
 */
@Entity('location_external_ids')
@Check('ck_location_external_ids_scope', `length(btrim(scope)) > 0`)
@Check('ck_location_external_ids_external_id', `length(btrim(external_id)) > 0`)
@Index('ix_location_external_ids_location', ['locationId'])
export class LocationExternalIdEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_location_external_ids' })
  scope: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_location_external_ids' })
  externalId: string;

  @Column({ type: 'uuid' })
  locationId: string;

  @ManyToOne(() => LocationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'location_id',
    foreignKeyConstraintName: 'fk_location_external_ids_location',
  })
  location?: LocationEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
