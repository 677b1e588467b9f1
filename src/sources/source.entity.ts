import { Check, Column, Entity, Index } from 'typeorm';
import { RecordEntity } from '../common/base.entity.js';
import {
  DATE_PRECISIONS,
  RELIABILITIES,
  SOURCE_INTERESTS,
  SOURCE_KINDS,
  sqlList,
} from '../common/domain.js';

@Entity('sources')
@Check('ck_sources_kind', `kind IN (${sqlList(SOURCE_KINDS)})`)
@Check('ck_sources_reliability', `reliability IN (${sqlList(RELIABILITIES)})`)
@Check('ck_sources_published_precision', `published_precision IN (${sqlList(DATE_PRECISIONS)})`)
@Check('ck_sources_published_range', `published_from <= published_to`)
@Check('ck_sources_sha256', `sha256 ~ '^[0-9a-f]{64}$'`)
@Check('ck_sources_interest', `interest IN (${sqlList(SOURCE_INTERESTS)})`)
@Check('ck_sources_title', `length(btrim(title)) > 0`)
@Index('ux_sources_url', ['url'], { unique: true, where: 'url IS NOT NULL' })
export class SourceEntity extends RecordEntity {
  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  publisher: string | null;

  @Column({ type: 'text', nullable: true })
  author: string | null;

  @Column({ type: 'date', nullable: true })
  publishedFrom: string | null;

  @Column({ type: 'date', nullable: true })
  publishedTo: string | null;

  @Column({ type: 'text', nullable: true })
  publishedPrecision: string | null;

  @Column({ type: 'text', nullable: true })
  publishedOriginal: string | null;

  @Column({ type: 'text', nullable: true })
  language: string | null;

  @Column({ type: 'text', nullable: true })
  url: string | null;

  @Column({ type: 'text', nullable: true })
  archivedUrl: string | null;

  @Column({ type: 'text', nullable: true })
  sha256: string | null;

  @Column({ type: 'text', default: 'F' })
  reliability: string;

  /** A party with an interest in figures (government, opposition …); null = none known. */
  @Column({ type: 'text', nullable: true })
  interest: string | null;

  /** e.g. "party to the conflict": why the source may have a stake in a figure. */
  @Column({ type: 'text', nullable: true })
  interestNote: string | null;

  /** A restricted source (a confidential informant, a witness) never appears in public output. */
  @Column({ type: 'boolean', default: false })
  restricted: boolean;

  /** Internal notes: restricted to researchers and above. */
  @Column({ type: 'text', nullable: true })
  internalNotes: string | null;
}
