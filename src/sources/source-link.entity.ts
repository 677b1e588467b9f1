import {
  Check,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { SOURCE_RELATIONS, sqlList } from '../common/domain.js';
import { SourceEntity } from './source.entity.js';

/** "This source relays / cites that one": the graph followed to find a figure's origin. */
@Entity('source_links')
@Check('ck_source_links_relation', `relation IN (${sqlList(SOURCE_RELATIONS)})`)
@Check('ck_source_links_not_self', `source_id <> target_id`)
@Index('ix_source_links_target', ['targetId'])
export class SourceLinkEntity {
  @PrimaryColumn({ type: 'uuid' })
  sourceId: string;

  @PrimaryColumn({ type: 'uuid' })
  targetId: string;

  @PrimaryColumn({ type: 'text' })
  relation: string;

  @ManyToOne(() => SourceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity;

  @ManyToOne(() => SourceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'target_id' })
  target?: SourceEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
