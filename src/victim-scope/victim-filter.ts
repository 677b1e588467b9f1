import type { EntityManager } from 'typeorm';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { dateColumns } from '../common/date-columns.js';
import {
  AGE_BANDS,
  CALENDARS,
  CAUSES,
  CONFIDENCES,
  GENDERS,
  HARMS,
  PERPETRATORS,
  WORKFLOW_STATUSES,
} from '../common/domain.js';
import { AppError } from '../common/errors.js';
import { EnumField, QueryIntField, UuidField } from '../common/validators.js';
import { resolveLocationFilter, type ResolvedLocation } from '../locations/location-resolver.js';

/**
 * The filters shared by GET /api/victims, /api/counts and /api/reconciliation, so that a
 * count and the list behind it always agree.
 */
export class VictimFilterDto {
  @ApiPropertyOptional({
    description:
      'A place id or any English or Persian name or variant; includes everything below it',
    example: 'Mahshahr',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string;

  @ApiPropertyOptional({
    description:
      'Start of the date window: ISO, partial, or Solar Hijri with its calendar (1398-08-24 SH, ۲۴ آبان ۱۳۹۸)',
    example: '2019-11-15',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  from?: string;

  @ApiPropertyOptional({
    description: 'End of the date window (inclusive; a month or year means its last day)',
    example: '2019-11-19',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  to?: string;

  @EnumField(CALENDARS, {
    optional: true,
    description: 'Calendar of from/to when written as bare digits (default gregorian)',
  })
  calendar?: string;

  @EnumField(['any', 'certain'], {
    optional: true,
    description:
      'certain: only records whose whole known date lies in the window; any (default): also records that may fall in it',
  })
  dateMatch?: string;

  @EnumField(HARMS, {
    optional: true,
    description: 'Harm: killed, injured, detained, disappeared, executed',
  })
  category?: string;

  @EnumField(GENDERS, { optional: true })
  gender?: string;

  @QueryIntField(0, 130, {
    description: 'Youngest age (a victim known only by an age range overlaps it)',
  })
  ageMin?: number;

  @QueryIntField(0, 130, { description: 'Oldest age' })
  ageMax?: number;

  @EnumField(AGE_BANDS, { optional: true })
  ageBand?: string;

  @EnumField(PERPETRATORS, { optional: true })
  perpetrator?: string;

  @EnumField(CAUSES, { optional: true })
  cause?: string;

  @UuidField({ optional: true, description: 'Incident id' })
  incident?: string;

  @UuidField({ optional: true, description: 'Only victims attested by this source' })
  source?: string;

  @EnumField(CONFIDENCES, {
    optional: true,
    description:
      'Least derived confidence: confirmed > probable > possible > unattested. For a reader who may not see restricted sources, the confidence derived from the sources they may see.',
  })
  minConfidence?: string;

  @ApiPropertyOptional({
    description: `Workflow statuses to include, comma-separated (${WORKFLOW_STATUSES.join(', ')}). Default: every status but retracted.`,
    example: 'verified',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  status?: string;
}

export interface BuiltFilter {
  /** SQL conditions on alias `v`, joined with AND; never empty (at least the defaults). */
  where: string;
  params: unknown[];
  location: ResolvedLocation | null;
  /**
   * The place when it is a city whose whole subtree lies in it (`where` holds the subtree's
   * places): a date-sorted page compares v.city_id and reads it span by span (findVictimPage).
   */
  cityId: string | null;
  window: { from: string | null; to: string | null };
  statuses: string[];
  /**
   * The column of `v` holding the confidence this reader is given, filtered and counted by:
   * `public_confidence` (derived from the sources that are not restricted) for a reader who may
   * not see restricted sources, else `confidence`. The rollups have both columns too.
   */
  confidenceColumn: 'confidence' | 'public_confidence';
}

const CONFIDENCE_ORDER = ['unattested', 'possible', 'probable', 'confirmed'];

/** Statuses a query includes: the `status` parameter, or all but retracted. */
export function parseStatuses(raw: string | undefined): string[] {
  if (!raw) return WORKFLOW_STATUSES.filter((s) => s !== 'retracted');
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.filter((s) => !(WORKFLOW_STATUSES as readonly string[]).includes(s));
  if (bad.length || !list.length) {
    throw AppError.invalid(
      'status',
      `unknown status ${bad.join(', ') || '(empty)'}; allowed: ${WORKFLOW_STATUSES.join(', ')}`,
    );
  }
  return [...new Set(list)];
}

/**
 * Builds the WHERE clause (alias `v`) for the filters, with bound parameters starting at
 * `$firstParam`. Merged duplicates are never counted: only records with merged_into IS NULL.
 * `publicConfidence`: the reader may not see restricted sources, so minConfidence compares the
 * confidence derived from the others (victims.public_confidence). `statuses`: those to include,
 * instead of parsing `f.status` (a reader's visible statuses: visibility.ts, which is how the
 * service's callers build it).
 */
export async function buildVictimFilter(
  m: EntityManager,
  f: VictimFilterDto,
  firstParam = 1,
  opts: { publicConfidence?: boolean; statuses?: string[] } = {},
): Promise<BuiltFilter> {
  const confidenceColumn = opts.publicConfidence ? 'public_confidence' : 'confidence';
  const conds: string[] = ['v.merged_into IS NULL'];
  const params: unknown[] = [];
  const p = (value: unknown): string => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };

  const statuses = opts.statuses ?? parseStatuses(f.status);
  conds.push(`v.status = ANY(${p(statuses)}::text[])`);

  let location: ResolvedLocation | null = null;
  let cityId: string | null = null;
  if (f.location !== undefined) {
    const {
      ids,
      cityOfAll: city,
      ...place
    } = await resolveLocationFilter(m, f.location, 'location');
    location = place;
    // A city with its districts: victims also carry their city (trigger victims_set_city), which
    // findVictimPage compares for a date-sorted page. The condition here stays on the places, as
    // counts apply it to their rollups too.
    if (city && ids.length > 1) cityId = location.id;
    // One place is an equality, so that ix_victims_location_date can return it in date order.
    conds.push(
      ids.length === 1
        ? `v.location_id = ${p(ids[0])}::uuid`
        : `v.location_id = ANY(${p(ids)}::uuid[])`,
    );
  }

  const from = f.from !== undefined ? dateColumns('from', f.from, f.calendar).from : null;
  const to = f.to !== undefined ? dateColumns('to', f.to, f.calendar).to : null;
  if (from && to && from > to)
    throw AppError.invalid('to', `the window ends (${to}) before it starts (${from})`);
  // A record with no date at all cannot be placed in a window: a windowed query leaves it out.
  if (f.dateMatch === 'certain') {
    if (from) conds.push(`v.date_from >= ${p(from)}::date`);
    if (to) conds.push(`v.date_to <= ${p(to)}::date`);
  } else {
    if (to) conds.push(`v.date_from <= ${p(to)}::date`);
    if (from) conds.push(`v.date_to >= ${p(from)}::date`);
  }
  // The same window as a range, in the form the GiST index ix_victims_location_period answers
  // (place and window at once). The conditions above stay: they leave undated records out.
  if (from || to) {
    const op = f.dateMatch === 'certain' ? '<@' : '&&';
    conds.push(
      `daterange(v.date_from, v.date_to, '[]') ${op} daterange(${p(from)}::date, ${p(to)}::date, '[]')`,
    );
  }

  if (f.category) conds.push(`v.harm = ${p(f.category)}`);
  if (f.gender) conds.push(`v.gender = ${p(f.gender)}`);
  if (f.ageMin !== undefined && f.ageMax !== undefined && f.ageMin > f.ageMax) {
    throw AppError.invalid('ageMax', `must not be below ageMin (${f.ageMin})`);
  }
  if (f.ageMin !== undefined) conds.push(`coalesce(v.age, v.age_max) >= ${p(f.ageMin)}`);
  if (f.ageMax !== undefined) conds.push(`coalesce(v.age, v.age_min) <= ${p(f.ageMax)}`);
  if (f.ageBand) conds.push(`v.age_band = ${p(f.ageBand)}`);
  if (f.perpetrator) conds.push(`v.perpetrator = ${p(f.perpetrator)}`);
  if (f.cause) conds.push(`v.cause = ${p(f.cause)}`);
  if (f.incident) conds.push(`v.incident_id = ${p(f.incident)}::uuid`);
  if (f.source) {
    conds.push(
      `EXISTS (SELECT 1 FROM attestations a WHERE a.victim_id = v.id AND a.source_id = ${p(f.source)}::uuid)`,
    );
  }
  if (f.minConfidence) {
    const allowed = CONFIDENCE_ORDER.slice(CONFIDENCE_ORDER.indexOf(f.minConfidence));
    conds.push(`v.${confidenceColumn} = ANY(${p(allowed)}::text[])`);
  }
  return {
    where: conds.join(' AND '),
    params,
    location,
    cityId,
    window: { from, to },
    statuses,
    confidenceColumn,
  };
}
