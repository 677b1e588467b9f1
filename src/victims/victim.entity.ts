import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { RecordEntity } from '../common/base.entity.js';
import {
  AGE_BANDS,
  CALENDARS,
  CAUSES,
  CONFIDENCES,
  DATE_PRECISIONS,
  GENDERS,
  HARMS,
  PERPETRATORS,
  PLACE_PRECISIONS,
  WORKFLOW_STATUSES,
  sqlList,
} from '../common/domain.js';
import { IncidentEntity } from '../incidents/incident.entity.js';
import { LocationEntity } from '../locations/location.entity.js';

@Entity('victims')
@Check('ck_victims_harm', `harm IN (${sqlList(HARMS)})`)
@Check('ck_victims_gender', `gender IN (${sqlList(GENDERS)})`)
@Check('ck_victims_age', `age BETWEEN 0 AND 130`)
@Check('ck_victims_original_values', `jsonb_typeof(original_values) = 'object'`)
@Check('ck_victims_age_range', `age_min <= age_max`)
@Check('ck_victims_age_band', `age_band IN (${sqlList(AGE_BANDS)})`)
@Check('ck_victims_cause', `cause IN (${sqlList(CAUSES)})`)
@Check('ck_victims_perpetrator', `perpetrator IN (${sqlList(PERPETRATORS)})`)
@Check('ck_victims_status', `status IN (${sqlList(WORKFLOW_STATUSES)})`)
@Check('ck_victims_confidence', `confidence IN (${sqlList(CONFIDENCES)})`)
@Check('ck_victims_public_confidence', `public_confidence IN (${sqlList(CONFIDENCES)})`)
@Check('ck_victims_date_precision', `date_precision IN (${sqlList(DATE_PRECISIONS)})`)
@Check('ck_victims_date_calendar', `date_calendar IN (${sqlList(CALENDARS)})`)
@Check('ck_victims_date_range', `date_from <= date_to`)
@Check('ck_victims_date_pair', `(date_from IS NULL) = (date_to IS NULL)`)
@Check('ck_victims_place_precision', `place_precision IN (${sqlList(PLACE_PRECISIONS)})`)
@Check('ck_victims_not_merged_into_self', `merged_into <> id`)
@Index('ix_victims_location_date', ['locationId', 'dateFrom', 'id'])
@Index('ix_victims_date', ['dateFrom', 'id'])
@Index('ix_victims_incident', ['incidentId'], { where: 'incident_id IS NOT NULL' })
@Index('ix_victims_merged_into', ['mergedInto'], { where: 'merged_into IS NOT NULL' })
@Index('ux_victims_import_key', ['importKey'], { unique: true, where: 'import_key IS NOT NULL' })
@Index('ix_victims_name_trgm', { synchronize: false })
@Index('ix_victims_location_period', { synchronize: false })
@Index('ix_victims_name_words', { synchronize: false })
@Index('ix_victims_city_span_date', { synchronize: false })
export class VictimEntity extends RecordEntity {
  @Column({ type: 'text', nullable: true })
  nameFa: string | null;

  @Column({ type: 'text', nullable: true })
  nameEn: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  nameVariants: string[];

  /** All names normalised and joined (common/persian.ts): what `q=` searches with trigrams. */
  @Column({ type: 'text', default: '' })
  nameSearch: string;

  @Column({ type: 'text', nullable: true })
  gender: string | null;

  @Column({ type: 'integer', nullable: true })
  age: number | null;

  @Column({ type: 'integer', nullable: true })
  ageMin: number | null;

  @Column({ type: 'integer', nullable: true })
  ageMax: number | null;

  @Column({ type: 'text', nullable: true })
  ageBand: string | null;

  @Column({ type: 'text', nullable: true })
  occupation: string | null;

  /** The father's name where a list gives it (نام پدر): tells apart people sharing a name. */
  @Column({ type: 'text', nullable: true })
  fatherName: string | null;

  @Column({ type: 'text' })
  harm: string;

  @Column({ type: 'date', nullable: true })
  dateFrom: string | null;

  @Column({ type: 'date', nullable: true })
  dateTo: string | null;

  @Column({ type: 'text', nullable: true })
  datePrecision: string | null;

  @Column({ type: 'text', nullable: true })
  dateCalendar: string | null;

  /** The date exactly as the researcher typed it. */
  @Column({ type: 'text', nullable: true })
  dateOriginal: string | null;

  @Column({ type: 'uuid', nullable: true })
  locationId: string | null;

  @ManyToOne(() => LocationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'location_id' })
  location?: LocationEntity;

  /**
   * The city the place lies in (its locations.city_id), kept by trigger victims_set_city: what
   * a query for a city and its districts compares (migrations/1764000005200).
   */
  @Column({ type: 'uuid', nullable: true })
  cityId: string | null;

  @Column({ type: 'text', nullable: true })
  placePrecision: string | null;

  /** The place exactly as reported ("Fardis (Karaj)", "شهرک اندیشه کرج"). */
  @Column({ type: 'text', nullable: true })
  placeOriginal: string | null;

  @Column({ type: 'text', nullable: true })
  cause: string | null;

  @Column({ type: 'text', nullable: true })
  perpetrator: string | null;

  @Column({ type: 'boolean', nullable: true })
  armed: boolean | null;

  @Column({ type: 'uuid', nullable: true })
  incidentId: string | null;

  @ManyToOne(() => IncidentEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'incident_id' })
  incident?: IncidentEntity;

  @Column({ type: 'text', default: 'draft' })
  status: string;

  /** Who changed what it says since a reviewer last verified it: none of them may verify it. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  editorsSinceReview: string[];

  /** Derived from the attestations (attestations/confidence.ts), never typed in. */
  @Column({ type: 'text', default: 'unattested' })
  confidence: string;

  /**
   * The same rule over the attestations of sources that are not restricted only: what a reader
   * who may not see restricted sources is shown and counted by (migration 1764000150000).
   */
  @Column({ type: 'text', default: 'unattested' })
  publicConfidence: string;

  /** Set when a reviewer merges this record into another: counted once, as the target. */
  @Column({ type: 'uuid', nullable: true })
  mergedInto: string | null;

  @ManyToOne(() => VictimEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'merged_into' })
  mergedIntoVictim?: VictimEntity;

  // Restricted fields: researchers and above only, never in public output or exports.
  @Column({ type: 'text', nullable: true })
  witnessNames: string | null;

  @Column({ type: 'text', nullable: true })
  familyContact: string | null;

  @Column({ type: 'text', nullable: true })
  internalNotes: string | null;

  /** A stable key of an imported row, so re-importing a file duplicates nothing. */
  @Column({ type: 'text', nullable: true })
  importKey: string | null;

  /**
   * The published text of fields an import could not read or mapped to a vocabulary, by field
   * ({"date": "۱۲ آبان", "cause": "…"}): the record keeps the field empty, never the person.
   */
  @Column({ type: 'jsonb', nullable: true })
  originalValues: Record<string, string> | null;
}
