import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { RecordEntity } from '../common/base.entity.js';
import { IncidentEntity } from '../incidents/incident.entity.js';
import { SourceEntity } from '../sources/source.entity.js';
import { VictimEntity } from '../victims/victim.entity.js';

/** The tie between a record (a victim or an incident) and the source that attests it. */
@Entity('attestations')
@Check('ck_attestations_one_subject', `num_nonnulls(victim_id, incident_id) = 1`)
@Check('ck_attestations_credibility', `credibility BETWEEN 1 AND 6`)
@Index('ix_attestations_victim', ['victimId', 'sourceId'])
@Index('ix_attestations_source', ['sourceId', 'victimId'])
@Index('ix_attestations_incident', ['incidentId'], { where: 'incident_id IS NOT NULL' })
export class AttestationEntity extends RecordEntity {
  @Column({ type: 'uuid' })
  sourceId: string;

  @ManyToOne(() => SourceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity;

  @Column({ type: 'uuid', nullable: true })
  victimId: string | null;

  @ManyToOne(() => VictimEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'victim_id' })
  victim?: VictimEntity;

  @Column({ type: 'uuid', nullable: true })
  incidentId: string | null;

  @ManyToOne(() => IncidentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'incident_id' })
  incident?: IncidentEntity;

  /** Where in the source: page, paragraph, timestamp, URL anchor. */
  @Column({ type: 'text', nullable: true })
  locator: string | null;

  @Column({ type: 'text', nullable: true })
  excerpt: string | null;

  /** The record fields this source asserts (e.g. name_fa, date, place, cause). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  assertedFields: string[];

  @Column({ type: 'smallint' })
  credibility: number;

  /** Verified against primary evidence (a death certificate, a video geolocated). */
  @Column({ type: 'boolean', default: false })
  primaryEvidence: boolean;
}
