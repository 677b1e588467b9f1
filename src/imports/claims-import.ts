import type { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
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
import type { ImportReport } from './import-report.js';
import { PlaceMatcher } from './place-matcher.js';
import { readRecords, type InputRecord } from './record-reader.js';
import { contentKey, RowFields, UUID_RE, type FieldIssue } from './row-fields.js';
import { SourceResolver } from './source-resolver.js';
import { checkOptions, runImport, type ImportContext, type ImportOptions } from './import-run.js';

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

async function claimsBody(
  ctx: ImportContext,
  records: AsyncIterable<InputRecord> | Iterable<InputRecord>,
): Promise<boolean> {
  const { m, report, opt } = ctx;
  const places = await PlaceMatcher.load(m);
  const sources = new SourceResolver(m, report);
  const defaults = { credibility: opt.credibility ?? 6, status: opt.status ?? 'draft' };
  // Relays may point forward in the file: a claims file is read whole (such files are small).
  const rows: { rec: InputRecord; row: ClaimRow }[] = [];
  for await (const rec of records) {
    report.read++;
    const r = readClaimRow(rec.values, places, defaults);
    if (!r.ok) ctx.reject(rec, r.issues);
    else rows.push({ rec, row: r.row });
  }

  const ids = rows.map((r) => r.row.id);
  const present = new Set(
    (
      await m.query<
        {
          id: string;
        }[]
      >(`SELECT id FROM count_claims WHERE id = ANY($1::uuid[])`, [ids])
    ).map((r) => r.id),
  );
  const inFile = new Set<string>();
  const fresh: typeof rows = [];
  for (const r of rows) {
    if (present.has(r.row.id) || inFile.has(r.row.id)) report.alreadyPresent++;
    else fresh.push(r);
    inFile.add(r.row.id);
  }

  await sources.prefetch(
    fresh.flatMap((r) =>
      [r.row.source, ...(r.row.attributed ? [r.row.attributed] : [])].map((s) => ({
        ...s,
        source: null,
      })),
    ),
  );
  const refIds = (pick: (r: ClaimRow) => string | null): string[] => [
    ...new Set(fresh.map((r) => pick(r.row)).filter((x): x is string => !!x)),
  ];
  const incidents = new Set(
    (
      await m.query<{ id: string }[]>(`SELECT id FROM incidents WHERE id = ANY($1::uuid[])`, [
        refIds((r) => r.incidentId),
      ])
    ).map((r) => r.id),
  );
  const relayTargets = new Set([
    ...inFile,
    ...(
      await m.query<{ id: string }[]>(`SELECT id FROM count_claims WHERE id = ANY($1::uuid[])`, [
        refIds((r) => r.relaysClaimId),
      ])
    ).map((r) => r.id),
  ]);

  const planned: (ClaimRow & { sourceId: string; attributedSourceId: string | null })[] = [];
  for (const r of fresh) {
    const issues: FieldIssue[] = [];
    const src = sources.resolve({ ...r.row.source, source: null });
    if ('problem' in src)
      issues.push({ field: 'source_id', rule: 'an unknown source id', reason: src.problem });
    let attributedSourceId: string | null = null;
    if (r.row.attributed) {
      const a = sources.resolve({ ...r.row.attributed, source: null });
      if ('problem' in a)
        issues.push({
          field: 'attributed_source_id',
          rule: 'an unknown source id',
          reason: a.problem,
        });
      else attributedSourceId = a.id;
    }
    if (r.row.incidentId && !incidents.has(r.row.incidentId)) {
      issues.push({
        field: 'incident_id',
        rule: 'incident_id is not a known incident',
        reason: `no incident with id ${r.row.incidentId}`,
      });
    }
    if (r.row.relaysClaimId && !relayTargets.has(r.row.relaysClaimId)) {
      issues.push({
        field: 'relays_claim_id',
        rule: 'relays_claim_id is not a known claim',
        reason: `no claim with id ${r.row.relaysClaimId}`,
      });
    }
    if (issues.length) ctx.reject(r.rec, issues);
    else planned.push({ ...r.row, sourceId: (src as { id: string }).id, attributedSourceId });
  }
  // Claims go in relay order, so each relayed claim exists before the claims relaying it.
  const ordered: typeof planned = [];
  const placed = new Set<string>();
  let left = planned;
  while (left.length) {
    const ready = left.filter(
      (c) =>
        !c.relaysClaimId ||
        placed.has(c.relaysClaimId) ||
        !inFile.has(c.relaysClaimId) ||
        present.has(c.relaysClaimId),
    );
    if (!ready.length) break;
    for (const c of ready) placed.add(c.id);
    ordered.push(...ready);
    left = left.filter((c) => !placed.has(c.id));
  }
  for (const c of left) {
    const rec = fresh.find((r) => r.row.id === c.id)!.rec;
    ctx.reject(rec, [
      {
        field: 'relays_claim_id',
        rule: 'relays form a cycle',
        reason: `relays form a cycle, or relay a rejected claim (${c.relaysClaimId})`,
      },
    ]);
  }
  report.imported += ordered.length;
  if (!ctx.writing() || !ordered.length) return false;

  await sources.flush(ctx.actor, report.importId);
  const reason = `import ${report.importId}`;
  for (let i = 0; i < ordered.length; i += 2000) {
    const p = ordered.slice(i, i + 2000);
    const col = <K extends keyof (typeof p)[number]>(k: K): (typeof p)[number][K][] =>
      p.map((x) => x[k]);
    await m.query(
      `WITH ins AS (
         INSERT INTO count_claims (id, source_id, attributed_source_id, category, qualifier, low, best, high,
                                   location_id, date_from, date_to, incident_id, population, population_note, basis,
                                   published_date, excerpt, locator, credibility, status, internal_notes,
                                   relays_claim_id, created_by)
         SELECT t.*, $22::uuid
           FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::int[], $7::int[], $8::int[],
                       $9::uuid[], $10::date[], $11::date[], $12::uuid[], $13::text[], $14::text[], $15::text[],
                       $16::date[], $17::text[], $18::text[], $19::smallint[], $20::text[], $21::text[],
                       $24::uuid[]) AS t
         RETURNING *
       )
       INSERT INTO audit_log (actor_id, action, entity, entity_id, after, reason)
       SELECT $22::uuid, 'create', 'count_claims', ins.id, jsonb_strip_nulls(to_jsonb(ins)), $23 FROM ins`,
      [
        col('id'),
        col('sourceId'),
        col('attributedSourceId'),
        col('category'),
        col('qualifier'),
        col('low'),
        col('best'),
        col('high'),
        col('locationId'),
        col('dateFrom'),
        col('dateTo'),
        col('incidentId'),
        col('population'),
        col('populationNote'),
        col('basis'),
        col('publishedDate'),
        col('excerpt'),
        col('locator'),
        col('credibility'),
        col('status'),
        col('internalNotes'),
        ctx.actor.userId,
        reason,
        col('relaysClaimId'),
      ],
    );
  }
  return false;
}

export async function importClaimRecords(
  ds: DataSource,
  records: AsyncIterable<InputRecord> | Iterable<InputRecord>,
  opt: ImportOptions = {},
): Promise<ImportReport> {
  checkOptions(opt);
  return runImport(ds, 'claims', records, opt, claimsBody);
}

/** Imports a claims file (CSV or JSON, the columns of our claims export); each claim names its source by id or URL. */
export async function importClaims(
  ds: DataSource,
  input: Readable,
  opt: ImportOptions = {},
): Promise<ImportReport> {
  checkOptions(opt);
  return runImport(
    ds,
    'claims',
    readRecords(input, opt.format ?? 'csv', CLAIM_COLUMNS),
    opt,
    claimsBody,
  );
}
