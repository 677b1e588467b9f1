import { checkFigures, withExactBest } from '../claims/claim-figures.js';
import {
  CLAIM_BASES,
  HARMS,
  POPULATIONS,
  QUALIFIERS,
  WORKFLOW_STATUSES,
} from '../common/domain.js';
import { AppError } from '../common/errors.js';
import { stableId } from '../common/stable-id.js';
import type { PlaceMatcher } from './place-matcher.js';
import { contentKey, RowFields, UUID_RE, type FieldIssue } from './row-fields.js';

/** A claims file's columns and the reading of one row into a count claim (claims-import.ts writes them). */

const COUNT_MAX = 2_147_483_647;

const OWN = [
  'id',
  'source_id',
  'source_url',
  'attributed_source_id',
  'attributed_source_url',
  'relays_claim_id',
  'category',
  'qualifier',
  'low',
  'best',
  'high',
  'location',
  'location_id',
  'date',
  'date_calendar',
  'date_from',
  'date_to',
  'incident_id',
  'population',
  'population_note',
  'basis',
  'published_date',
  'excerpt',
  'locator',
  'credibility',
  'status',
  'internal_notes',
] as const;
const DERIVED = [
  'source_title',
  'source_publisher',
  'attributed_source_title',
  'location_name',
  'date_label',
  'date_jalali',
  'published_date_jalali',
  'figure',
  'version',
  'created_at',
  'updated_at',
] as const;

export const CLAIM_COLUMNS: ReadonlySet<string> = new Set<string>([...OWN, ...DERIVED]);
const KEY_IGNORED: ReadonlySet<string> = new Set<string>([...DERIVED, 'id']);

export interface ClaimRow {
  id: string;
  source: { sourceId: string | null; url: string | null };
  attributed: { sourceId: string | null; url: string | null } | null;
  relaysClaimId: string | null;
  category: string;
  qualifier: string;
  low: number | null;
  best: number | null;
  high: number | null;
  locationId: string | null;
  dateFrom: string | null;
  dateTo: string | null;
  incidentId: string | null;
  population: string;
  populationNote: string | null;
  basis: string;
  publishedDate: string | null;
  excerpt: string | null;
  locator: string | null;
  credibility: number;
  status: string;
  internalNotes: string | null;
}

function required(f: RowFields, field: string, allowed: readonly string[]): string {
  const v = f.oneOf(field, allowed);
  if (v === null && !f.has(field))
    f.problem(field, `${field} is missing`, `one of ${allowed.join(', ')}`);
  return v ?? '';
}

/** One row of a claims file (the fields of POST /api/claims in snake_case), checked as the API checks them. */
export function readClaimRow(
  values: Record<string, unknown>,
  places: PlaceMatcher,
  defaults: { credibility: number; status: string },
): { ok: true; row: ClaimRow } | { ok: false; issues: FieldIssue[] } {
  const f = new RowFields(values);
  if (values.__fieldCount !== undefined) {
    f.problem('row', 'the row has the wrong number of fields');
    return { ok: false, issues: f.issues };
  }
  const id = f.uuid('id');
  const sourceId = f.uuid('source_id');
  const sourceUrlText = f.text('source_url', 2000);
  const sourceUrl = sourceUrlText === null ? null : f.url('source_url', sourceUrlText);
  if (!sourceId && !sourceUrlText)
    f.problem('source_id', 'the claim has no source', 'give source_id or source_url');
  const attributedId = f.uuid('attributed_source_id');
  const attributedText = f.text('attributed_source_url', 2000);
  const attributedUrl =
    attributedText === null ? null : f.url('attributed_source_url', attributedText);

  const category = required(f, 'category', HARMS);
  const qualifier = required(f, 'qualifier', QUALIFIERS);
  let figures = {
    qualifier,
    low: f.int('low', 0, COUNT_MAX),
    best: f.int('best', 0, COUNT_MAX),
    high: f.int('high', 0, COUNT_MAX),
  };
  if (qualifier && !f.issues.some((i) => ['low', 'best', 'high'].includes(i.field))) {
    try {
      figures = withExactBest(figures);
      checkFigures(figures);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      for (const p of e.details.errors ?? [])
        f.problem(p.field, `the figures do not fit the qualifier`, p.reason);
    }
  }

  let locationId: string | null = null;
  const loc = f.text('location_id', 100) ?? f.text('location', 200);
  if (loc !== null) {
    const p = places.byIdOrName(loc);
    if (!p) {
      const field = f.has('location_id') ? 'location_id' : 'location';
      f.problem(
        field,
        UUID_RE.test(loc) ? 'an unknown location id' : 'an unknown or ambiguous place',
        `"${loc}" names no single place of the gazetteer`,
      );
    } else locationId = p.id;
  }
  let window = f.storedDate('date');
  if (!window && f.has('date')) {
    const cal = (f.oneOf('date_calendar', ['gregorian', 'jalali']) ?? undefined) as
      'gregorian' | 'jalali' | undefined;
    window = f.date('date', cal);
  }
  const published = f.date(
    'published_date',
    (f.oneOf('date_calendar', ['gregorian', 'jalali']) ?? undefined) as never,
  );
  if (published && published.from !== published.to) {
    f.problem(
      'published_date',
      'published_date is not a single day',
      `got "${published.original}"`,
    );
  }

  const row: ClaimRow = {
    id: id ?? stableId(`claim-import:${contentKey('claim', values, KEY_IGNORED)}`),
    source: { sourceId, url: sourceUrl },
    attributed:
      attributedId || attributedUrl ? { sourceId: attributedId, url: attributedUrl } : null,
    relaysClaimId: f.uuid('relays_claim_id'),
    category,
    qualifier,
    low: figures.low,
    best: figures.best,
    high: figures.high,
    locationId,
    dateFrom: window?.from ?? null,
    dateTo: window?.to ?? null,
    incidentId: f.uuid('incident_id'),
    population: f.oneOf('population', POPULATIONS) ?? 'all',
    populationNote: f.text('population_note', 500),
    basis: required(f, 'basis', CLAIM_BASES),
    publishedDate: published?.from ?? null,
    excerpt: f.text('excerpt'),
    locator: f.text('locator', 500),
    credibility: f.int('credibility', 1, 6) ?? defaults.credibility,
    status: f.oneOf('status', WORKFLOW_STATUSES) ?? defaults.status,
    internalNotes: f.text('internal_notes'),
  };
  if (row.relaysClaimId === row.id) f.problem('relays_claim_id', 'a claim cannot relay itself');
  return f.issues.length ? { ok: false, issues: f.issues } : { ok: true, row };
}
