import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { RecordEntity } from '../common/base.entity.js';
import {
  DATE_PRECISIONS,
  INCIDENT_CATEGORIES,
  WORKFLOW_STATUSES,
  sqlList,
} from '../common/domain.js';
import { LocationEntity } from '../locations/location.entity.js';

@Entity('incidents')
@Check('ck_incidents_category', `category IN (${sqlList(INCIDENT_CATEGORIES)})`)
@Check('ck_incidents_status', `status IN (${sqlList(WORKFLOW_STATUSES)})`)
@Check('ck_incidents_date_precision', `date_precision IN (${sqlList(DATE_PRECISIONS)})`)
@Check('ck_incidents_date_range', `date_from <= date_to`)
@Check('ck_incidents_date_pair', `(date_from IS NULL) = (date_to IS NULL)`)
@Check('ck_incidents_title', `length(btrim(title)) > 0`)
@Index('ix_incidents_location', ['locationId'])
@Index('ix_incidents_date', ['dateFrom'])
export class IncidentEntity extends RecordEntity {
  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  titleFa: string | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'date', nullable: true })
  dateFrom: string | null;

  @Column({ type: 'date', nullable: true })
  dateTo: string | null;

  @Column({ type: 'text', nullable: true })
  datePrecision: string | null;

  @Column({ type: 'text', nullable: true })
  dateOriginal: string | null;

  @Column({ type: 'uuid', nullable: true })
  locationId: string | null;

  @ManyToOne(() => LocationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'location_id' })
  location?: LocationEntity;

  @Column({ type: 'text', default: 'other' })
  category: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  perpetrators: string[];

  @Column({ type: 'text', default: 'draft' })
  status: string;

  /** Who changed what it says since a reviewer last verified it: none of them may verify it. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  editorsSinceReview: string[];

  @Column({ type: 'text', nullable: true })
  internalNotes: string | null;
}
