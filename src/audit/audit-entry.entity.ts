import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The record of changes. A trigger refuses UPDATE and DELETE on this table. */
@Entity('audit_log')
@Index('ix_audit_log_entity', ['entity', 'entityId', 'id'])
@Index('ix_audit_log_actor', ['actorId', 'id'])
@Index('ix_audit_log_entity_ids', { synchronize: false })
export class AuditEntryEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'text' })
  action: string;

  @Column({ type: 'text' })
  entity: string;

  @Column({ type: 'uuid' })
  entityId: string;

  /**
   * An entry about many records (an import's batch) names them all here; `after.records` holds
   * each one's copy, `after.lines` its line in the file (src/audit/audit-writer.ts).
   */
  @Column({ type: 'uuid', array: true, nullable: true })
  entityIds: string[] | null;

  @Column({ type: 'jsonb', nullable: true })
  before: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  after: Record<string, unknown> | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;
}
