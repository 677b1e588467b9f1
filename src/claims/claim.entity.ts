import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { RecordEntity } from '../common/base.entity.js';
import {
  CLAIM_BASES,
  HARMS,
  PERPETRATORS,
  POPULATIONS,
  QUALIFIERS,
  WORKFLOW_STATUSES,
  sqlList,
} from '../common/domain.js';
import { IncidentEntity } from '../incidents/incident.entity.js';
import { LocationEntity } from '../locations/location.entity.js';
import { SourceEntity } from '../sources/source.entity.js';

/** One part of a claim's figure, for a sub-population of the claim's own. */
export interface ClaimComponent {
  population: string;
  qualifier: string;
  low: number | null;
  best: number | null;
  high: number | null;
}

/** An aggregate figure a source asserts: "at least 304 killed", "between 350 and 1,500". */
@Entity('count_claims')
@Check('ck_count_claims_category', `category IN (${sqlList(HARMS)})`)
@Check('ck_count_claims_qualifier', `qualifier IN (${sqlList(QUALIFIERS)})`)
@Check('ck_count_claims_basis', `basis IN (${sqlList(CLAIM_BASES)})`)
@Check('ck_count_claims_population', `population IN (${sqlList(POPULATIONS)})`)
@Check('ck_count_claims_status', `status IN (${sqlList(WORKFLOW_STATUSES)})`)
@Check('ck_count_claims_perpetrator', `perpetrator IN (${sqlList(PERPETRATORS)})`)
@Check('ck_count_claims_breakdown', `jsonb_typeof(breakdown) = 'array'`)
@Check('ck_count_claims_credibility', `credibility BETWEEN 1 AND 6`)
@Check('ck_count_claims_non_negative', `low >= 0 AND best >= 0 AND high >= 0`)
@Check('ck_count_claims_low_high', `low <= high`)
@Check('ck_count_claims_best_in_range', `best BETWEEN coalesce(low, best) AND coalesce(high, best)`)
@Check('ck_count_claims_date_range', `date_from <= date_to`)
@Check('ck_count_claims_not_self_relay', `relays_claim_id <> id`)
@Check(
  'ck_count_claims_shape',
  `CASE qualifier
     WHEN 'exact' THEN best IS NOT NULL
     WHEN 'at_least' THEN low IS NOT NULL
     WHEN 'more_than' THEN low IS NOT NULL
     WHEN 'about' THEN best IS NOT NULL
     WHEN 'at_most' THEN high IS NOT NULL
     WHEN 'up_to' THEN high IS NOT NULL
     ELSE low IS NOT NULL AND high IS NOT NULL
   END`,
)
@Index('ix_count_claims_source', ['sourceId'])
@Index('ix_count_claims_category', ['category', 'locationId'])
@Index('ix_count_claims_relays', ['relaysClaimId'])
export class ClaimEntity extends RecordEntity {
  @Column({ type: 'uuid' })
  sourceId: string;

  @ManyToOne(() => SourceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'source_id' })
  source?: SourceEntity;

  @Column({ type: 'text' })
  category: string;

  @Column({ type: 'text' })
  qualifier: string;

  @Column({ type: 'integer', nullable: true })
  low: number | null;

  @Column({ type: 'integer', nullable: true })
  best: number | null;

  @Column({ type: 'integer', nullable: true })
  high: number | null;

  @Column({ type: 'uuid', nullable: true })
  locationId: string | null;

  @ManyToOne(() => LocationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'location_id' })
  location?: LocationEntity;

  @Column({ type: 'date', nullable: true })
  dateFrom: string | null;

  @Column({ type: 'date', nullable: true })
  dateTo: string | null;

  @Column({ type: 'uuid', nullable: true })
  incidentId: string | null;

  @ManyToOne(() => IncidentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'incident_id' })
  incident?: IncidentEntity;

  @Column({ type: 'text', default: 'all' })
  population: string;

  /** The population in the source's own words ("protesters and bystanders"). */
  @Column({ type: 'text', nullable: true })
  populationNote: string | null;

  /** Scope: who did the harm counted ("killed by security forces"); null = anyone. */
  @Column({ type: 'text', nullable: true })
  perpetrator: string | null;

  /** Parts of the figure: "230, of whom 6 security forces" → [{ population, qualifier, … }]. */
  @Column({ type: 'jsonb', nullable: true })
  breakdown: ClaimComponent[] | null;

  @Column({ type: 'text' })
  basis: string;

  /** The date the count stands at, when the source says so apart from the period it covers. */
  @Column({ type: 'date', nullable: true })
  asOf: string | null;

  @Column({ type: 'date', nullable: true })
  publishedDate: string | null;

  @Column({ type: 'text', nullable: true })
  excerpt: string | null;

  @Column({ type: 'text', nullable: true })
  locator: string | null;

  @Column({ type: 'smallint' })
  credibility: number;

  /** The claim this one repeats: followed to the origin so ten relays count once. */
  @Column({ type: 'uuid', nullable: true })
  relaysClaimId: string | null;

  @ManyToOne(() => ClaimEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'relays_claim_id' })
  relaysClaim?: ClaimEntity;

  /** The source the figure is attributed to when that source's own claim isn't entered. */
  @Column({ type: 'uuid', nullable: true })
  attributedSourceId: string | null;

  @ManyToOne(() => SourceEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'attributed_source_id' })
  attributedSource?: SourceEntity;

  @Column({ type: 'text', default: 'draft' })
  status: string;

  /** Who changed what it says since a reviewer last verified it: none of them may verify it. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  editorsSinceReview: string[];

  @Column({ type: 'text', nullable: true })
  internalNotes: string | null;
}
