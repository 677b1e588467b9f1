import type { ResolvedLocation } from '../locations/location-resolver.js';
import type { DataSource, EntityManager } from 'typeorm';
import { incidentsVisibleTo, publicIncidentSql } from '../incidents/incident-visibility.js';
import { seesRestricted, statusesVisibleTo, PUBLIC_ACTOR, type Actor } from '../common/actor.js';
import { dualDate } from '../common/date-columns.js';
import { WORKFLOW_STATUSES } from '../common/domain.js';
import { AppError } from '../common/errors.js';
import { describeFigures } from '../claims/claim-figures.js';
import { PlaceMatcher, type GazetteerPlace } from '../imports/place-matcher.js';
import { buildVictimFilter, type VictimFilterDto } from '../victims/victim-filter.js';
import {
  csvWriter,
  GeoJsonDoc,
  jsonWriter,
  type ExportFormat,
  type Flat,
  type Point,
  type RecordWriter,
  type Sink,
} from './writers.js';

export const EXPORT_KINDS = ['victims', 'sources', 'claims', 'incidents'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** Fields only researchers and above see: never in a public export. */
export const RESTRICTED_FIELDS = ['witness_names', 'family_contact', 'internal_notes'] as const;

export interface ExportOptions {
  format: ExportFormat;
  /** Who exports. Restricted fields and sources only reach those who may see them. */
  actor: Actor;
  /** Export as the public sees it, whoever asks (`--public`, `public=true`). */
  publicView?: boolean;
  /** Victims only: the filters of GET /api/victims. */
  filter?: VictimFilterDto;
  batchSize?: number;
  /** CSV: start with a UTF-8 byte-order mark (default true: spreadsheets need it for Persian). */
  bom?: boolean;
}

export interface ExportSummary {
  kind: ExportKind;
  format: ExportFormat;
  records: number;
  /** GeoJSON: records placed on the map, and those listed under `unlocated`. */
  located?: number;
  unlocated?: number;
  restricted: boolean;
  /** How a `location` filter's name was read, when it was not one place's own name. */
  locationNote?: string;
}

type Row = Record<string, unknown>;

/** One short read transaction per batch: the embedded engine is one session (see STACK.md). */
function read<T>(ds: DataSource, fn: (m: EntityManager) => Promise<T>): Promise<T> {
  return ds.transaction(fn);
}

const iso = (v: unknown): string | null =>
  v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : null;

function dateFields(
  prefix: string,
  from: unknown,
  to: unknown,
  precision: unknown,
  original?: unknown,
): Flat {
  const d = dualDate(
    (from as string | null) ?? null,
    (to as string | null) ?? null,
    (precision as string | null) ?? null,
    (original as string | null) ?? null,
  );
  return {
    [`${prefix}_label`]: d?.gregorian.label ?? null,
    [`${prefix}_jalali`]: d?.jalali.label ?? null,
    [`${prefix}_jalali_fa`]: d?.jalali.labelFa ?? null,
  };
}

function pathNames(places: PlaceMatcher, id: string | null): string | null {
  if (!id) return null;
  const p = places.get(id);
  if (!p) return null;
  return p.path.map((x) => places.get(x)?.nameEn ?? '?').join(' > ');
}

function pointOf(
  places: PlaceMatcher,
  id: string | null,
): { point: Point; from: GazetteerPlace } | null {
  if (!id) return null;
  const c = places.coordinatesOf(id);
  return c ? { point: { lon: c.lon, lat: c.lat }, from: c.place } : null;
}

function coordinatesNote(locationId: string, c: { from: GazetteerPlace } | null): Flat {
  if (!c) return { coordinates_from: null };
  return {
    coordinates_from: {
      location_id: c.from.id,
      name: c.from.nameEn,
      // A place without coordinates of its own is drawn at its nearest ancestor that has some.
      level: c.from.id === locationId ? 'self' : 'ancestor',
      // What the point is: a province's or county's centroid, a city's, a site's exact point.
      kind: c.from.kind,
      precision: c.from.precision ?? null,
    },
  };
}

interface Ctx {
  ds: DataSource;
  sink: Sink;
  opt: ExportOptions;
  restricted: boolean;
  places: PlaceMatcher;
}

async function begin(
  ds: DataSource,
  sink: Sink,
  opt: ExportOptions,
  kind: ExportKind,
): Promise<Ctx> {
  if (opt.format === 'geojson' && kind === 'sources') {
    throw AppError.invalid('format', 'sources have no place: export them as csv or json');
  }
  const restricted = !opt.publicView && seesRestricted(opt.actor);
  const places = await read(ds, (m) => PlaceMatcher.load(m));
  return { ds, sink, opt, restricted, places };
}

/** Keyset pages over a query: `where` and its params, then id > $last, ordered by id. */
async function* pages(
  ctx: Ctx,
  select: string,
  where: string,
  params: unknown[],
  attach?: (m: EntityManager, rows: Row[]) => Promise<void>,
  alias = 'x',
): AsyncGenerator<Row[]> {
  let last = '00000000-0000-0000-0000-000000000000';
  const size = ctx.opt.batchSize ?? 1000;
  const n = params.length;
  for (;;) {
    const rows = await read(ctx.ds, async (m) => {
      const found = await m.query<Row[]>(
        `${select} WHERE ${where} AND ${alias}.id > $${n + 1}::uuid ORDER BY ${alias}.id LIMIT $${n + 2}`,
        [...params, last, size],
      );
      if (found.length && attach) await attach(m, found);
      return found;
    });
    if (!rows.length) return;
    yield rows;
    last = rows[rows.length - 1].id as string;
    if (rows.length < size) return;
  }
}

function writerFor(ctx: Ctx, columns: string[]): RecordWriter {
  return ctx.opt.format === 'csv'
    ? csvWriter(ctx.sink, columns, ctx.opt.bom ?? true)
    : jsonWriter(ctx.sink);
}

function withoutRestricted(columns: readonly string[], restricted: boolean): string[] {
  return restricted
    ? [...columns]
    : columns.filter((c) => !(RESTRICTED_FIELDS as readonly string[]).includes(c));
}

// ---------------------------------------------------------------------------------------------
// Victims

export const VICTIM_EXPORT_COLUMNS = [
  'id',
  'import_key',
  'name_fa',
  'name_en',
  'name_variants',
  'gender',
  'age',
  'age_min',
  'age_max',
  'age_band',
  'occupation',
  'father_name',
  'harm',
  'cause',
  'perpetrator',
  'armed',
  'date_from',
  'date_to',
  'date_precision',
  'date_calendar',
  'date_original',
  'date_label',
  'date_jalali',
  'date_jalali_fa',
  'location_id',
  'location_name',
  'location_name_fa',
  'location_path',
  'place_precision',
  'place_original',
  'lat',
  'lon',
  'incident_id',
  'status',
  'confidence',
  'source_url',
  'source_ids',
  'attestations',
  'witness_names',
  'family_contact',
  'internal_notes',
  'created_at',
  'updated_at',
] as const;

interface AttestationOut {
  source_id: string;
  source: Flat;
  credibility: number;
  locator: string | null;
  excerpt: string | null;
  asserted_fields: string[];
  primary_evidence: boolean;
}

/**
 * The attestations of each victim and of the records merged into it (a merge keeps them all),
 * each with the source it rests on; restricted sources only for those who may see them.
 */
async function victimAttestations(
  m: EntityManager,
  ids: string[],
  restricted: boolean,
): Promise<Map<string, AttestationOut[]>> {
  const rows = await m.query<Row[]>(
    `WITH RECURSIVE grp(root, member) AS (
       SELECT id, id FROM unnest($1::uuid[]) AS id
       UNION
       SELECT g.root, c.id FROM grp g JOIN victims c ON c.merged_into = g.member
     )
     SELECT g.root, a.source_id, a.credibility::int AS credibility, a.locator, a.excerpt, a.asserted_fields,
            a.primary_evidence, s.kind, s.title, s.publisher, s.author, s.url, s.archived_url, s.language,
            s.reliability, s.interest_note, s.restricted, s.published_from, s.published_to,
            s.published_precision, s.published_original
       FROM grp g
       JOIN attestations a ON a.victim_id = g.member
       JOIN sources s ON s.id = a.source_id
      WHERE $2::boolean OR NOT s.restricted
      ORDER BY g.root, a.created_at, a.id`,
    [ids, restricted],
  );
  const out = new Map<string, AttestationOut[]>();
  for (const r of rows) {
    const list = out.get(r.root as string) ?? [];
    if (list.some((a) => a.source_id === r.source_id)) continue;
    list.push({
      source_id: r.source_id as string,
      source: {
        id: r.source_id,
        kind: r.kind,
        title: r.title,
        publisher: r.publisher,
        author: r.author,
        url: r.url,
        archived_url: r.archived_url,
        language: r.language,
        reliability: r.reliability,
        interest_note: r.interest_note,
        restricted: r.restricted,
        published_from: r.published_from,
        published_to: r.published_to,
        published_precision: r.published_precision,
        published_original: r.published_original,
      },
      credibility: r.credibility as number,
      locator: r.locator as string | null,
      excerpt: r.excerpt as string | null,
      asserted_fields: r.asserted_fields as string[],
      primary_evidence: r.primary_evidence as boolean,
    });
    out.set(r.root as string, list);
  }
  return out;
}

function victimRecord(ctx: Ctx, v: Row, atts: AttestationOut[]): Flat {
  const loc = (v.location_id as string | null) ?? null;
  const place = loc ? ctx.places.get(loc) : undefined;
  const c = pointOf(ctx.places, loc);
  const rec: Flat = {
    id: v.id,
    import_key: v.import_key,
    name_fa: v.name_fa,
    name_en: v.name_en,
    name_variants: v.name_variants,
    gender: v.gender,
    age: v.age,
    age_min: v.age_min,
    age_max: v.age_max,
    age_band: v.age_band,
    occupation: v.occupation,
    father_name: v.father_name,
    harm: v.harm,
    cause: v.cause,
    perpetrator: v.perpetrator,
    armed: v.armed,
    date_from: v.date_from,
    date_to: v.date_to,
    date_precision: v.date_precision,
    date_calendar: v.date_calendar,
    date_original: v.date_original,
    ...dateFields('date', v.date_from, v.date_to, v.date_precision, v.date_original),
    location_id: loc,
    location_name: place?.nameEn ?? null,
    location_name_fa: place?.nameFa ?? null,
    location_path: pathNames(ctx.places, loc),
    place_precision: v.place_precision,
    place_original: v.place_original,
    lat: c?.point.lat ?? null,
    lon: c?.point.lon ?? null,
    incident_id: v.incident_id,
    status: v.status,
    confidence: v.confidence,
    source_url: atts.map((a) => a.source.url).filter((u): u is string => typeof u === 'string'),
    source_ids: atts.map((a) => a.source_id),
    attestations: atts,
  };
  if (ctx.restricted) {
    rec.witness_names = v.witness_names;
    rec.family_contact = v.family_contact;
    rec.internal_notes = v.internal_notes;
  }
  rec.created_at = iso(v.created_at);
  rec.updated_at = iso(v.updated_at);
  return rec;
}

/**
 * Victims matching the filters of GET /api/victims, streamed in pages, each with its
 * attestations and their sources (enough for a fresh database to get the same records back).
 * Merged duplicates are not exported; their attestations come with the record they were
 * merged into. Public view: verified records attested by at least one unrestricted source,
 * without restricted fields or sources.
 */
export async function exportVictims(
  ds: DataSource,
  sink: Sink,
  opt: ExportOptions,
): Promise<ExportSummary> {
  const ctx = await begin(ds, sink, opt, 'victims');
  const viewer = ctx.restricted ? opt.actor : PUBLIC_ACTOR;
  const built = await read(ds, (m) =>
    buildVictimFilter(m, opt.filter ?? {}, 1, { publicConfidence: !ctx.restricted }),
  );
  const conds = [built.where];
  const params = [...built.params];
  const statuses = statusesVisibleTo(viewer, built.statuses);
  params.push(statuses);
  conds.push(`v.status = ANY($${params.length}::text[])`);
  const where = conds.join(' AND ');
  const select = `SELECT v.* FROM victims v`;
  const attach = async (m: EntityManager, rows: Row[]): Promise<void> => {
    const atts = await victimAttestations(
      m,
      rows.map((r) => r.id as string),
      ctx.restricted,
    );
    for (const r of rows) r.__attestations = atts.get(r.id as string) ?? [];
    if (!ctx.restricted) {
      const incidents = await incidentsVisibleTo(
        m,
        PUBLIC_ACTOR,
        rows.map((r) => (r.incident_id as string | null) ?? null),
      );
      for (const r of rows)
        if (r.incident_id && !incidents.has(r.incident_id as string)) r.incident_id = null;
    }
    // The public view's confidence rests on the sources it shows (victims.public_confidence,
    // derived from the sources that are not restricted: confidence.repository.ts).
    if (!ctx.restricted) for (const r of rows) r.confidence = r.public_confidence;
  };
  // A victim known only from restricted sources would reach the public as a record without a
  // source they can see: the public view leaves it out (as the counts do).
  const shown = (r: Row): boolean =>
    ctx.restricted || (r.__attestations as AttestationOut[]).length > 0;

  let records = 0;
  if (opt.format !== 'geojson') {
    const w = writerFor(ctx, withoutRestricted(VICTIM_EXPORT_COLUMNS, ctx.restricted));
    for await (const rows of pages(ctx, select, where, params, attach, 'v')) {
      for (const r of rows) {
        if (!shown(r)) continue;
        await w.row(victimRecord(ctx, r, r.__attestations as AttestationOut[]));
        records++;
      }
    }
    await w.end();
    return {
      kind: 'victims',
      format: opt.format,
      records,
      restricted: ctx.restricted,
      ...locationNoteOf(built.location),
    };
  }

  const doc = new GeoJsonDoc(
    sink,
    'Victims with no place, or whose place and its ancestors have no coordinates: listed here, not drawn.',
  );
  await doc.begin();
  const noCoordinates: string[] = [];
  for await (const rows of pages(ctx, select, where, params, attach, 'v')) {
    for (const r of rows) {
      if (!shown(r)) continue;
      records++;
      const c = pointOf(ctx.places, (r.location_id as string | null) ?? null);
      if (!c) continue;
      const rec = victimRecord(ctx, r, r.__attestations as AttestationOut[]);
      delete rec.attestations;
      await doc.feature({ ...rec, ...coordinatesNote(r.location_id as string, c) }, c.point);
    }
  }
  // Second pass, streamed too: the records that could not be drawn.
  for (const id of ctx.places.ids()) if (!ctx.places.coordinatesOf(id)) noCoordinates.push(id);
  params.push(noCoordinates);
  const unlocatedWhere = `${where} AND (v.location_id IS NULL OR v.location_id = ANY($${params.length}::uuid[]))`;
  for await (const rows of pages(ctx, select, unlocatedWhere, params, attach, 'v')) {
    for (const r of rows) {
      if (!shown(r)) continue;
      const loc = (r.location_id as string | null) ?? null;
      await doc.unlocated({
        id: r.id,
        name_fa: r.name_fa,
        name_en: r.name_en,
        place_original: r.place_original,
        location_id: loc,
        location_name: loc ? (ctx.places.get(loc)?.nameEn ?? null) : null,
        reason: loc ? 'the place and its ancestors have no coordinates' : 'no place resolved',
      });
    }
  }
  const done = await doc.end();
  return {
    kind: 'victims',
    format: 'geojson',
    records,
    located: done.features,
    unlocated: done.unlocated,
    restricted: ctx.restricted,
    ...locationNoteOf(built.location),
  };
}

function locationNoteOf(l: ResolvedLocation | null): { locationNote?: string } {
  return l?.resolution ? { locationNote: l.resolution.note } : {};
}

// ---------------------------------------------------------------------------------------------
// Sources

export const SOURCE_EXPORT_COLUMNS = [
  'id',
  'kind',
  'title',
  'publisher',
  'author',
  'published_from',
  'published_to',
  'published_precision',
  'published_original',
  'published_label',
  'published_jalali',
  'language',
  'url',
  'archived_url',
  'sha256',
  'reliability',
  'interest_note',
  'restricted',
  'internal_notes',
  'relays',
  'cites',
  'created_at',
  'updated_at',
] as const;

/** Every source (public view: the unrestricted ones), with the sources it relays and cites. */
export async function exportSources(
  ds: DataSource,
  sink: Sink,
  opt: ExportOptions,
): Promise<ExportSummary> {
  const ctx = await begin(ds, sink, opt, 'sources');
  const where = ctx.restricted ? 'TRUE' : 'NOT x.restricted';
  const attach = async (m: EntityManager, rows: Row[]): Promise<void> => {
    const links = await m.query<{ source_id: string; target_id: string; relation: string }[]>(
      `SELECT l.source_id, l.target_id, l.relation FROM source_links l JOIN sources t ON t.id = l.target_id
        WHERE l.source_id = ANY($1::uuid[]) AND ($2::boolean OR NOT t.restricted) ORDER BY l.created_at, l.target_id`,
      [rows.map((r) => r.id), ctx.restricted],
    );
    for (const r of rows) {
      r.relays = links
        .filter((l) => l.source_id === r.id && l.relation === 'relays')
        .map((l) => l.target_id);
      r.cites = links
        .filter((l) => l.source_id === r.id && l.relation === 'cites')
        .map((l) => l.target_id);
    }
  };
  const columns = withoutRestricted(SOURCE_EXPORT_COLUMNS, ctx.restricted);
  const w = writerFor(ctx, columns);
  let records = 0;
  for await (const rows of pages(ctx, 'SELECT x.* FROM sources x', where, [], attach)) {
    for (const s of rows) {
      const d = dualDate(
        (s.published_from as string) ?? null,
        (s.published_to as string) ?? null,
        (s.published_precision as string) ?? null,
      );
      const rec: Flat = {
        ...s,
        published_label: d?.gregorian.label ?? null,
        published_jalali: d?.jalali.label ?? null,
      };
      rec.created_at = iso(s.created_at);
      rec.updated_at = iso(s.updated_at);
      await w.row(Object.fromEntries(columns.map((c) => [c, rec[c] ?? null])));
      records++;
    }
  }
  await w.end();
  return { kind: 'sources', format: opt.format, records, restricted: ctx.restricted };
}

// ---------------------------------------------------------------------------------------------
// Claims

export const CLAIM_EXPORT_COLUMNS = [
  'id',
  'source_id',
  'source_title',
  'source_publisher',
  'source_url',
  'attributed_source_id',
  'attributed_source_title',
  'relays_claim_id',
  'category',
  'qualifier',
  'low',
  'best',
  'high',
  'figure',
  'location_id',
  'location_name',
  'date_from',
  'date_to',
  'date_label',
  'date_jalali',
  'incident_id',
  'population',
  'population_note',
  'basis',
  'published_date',
  'published_date_jalali',
  'excerpt',
  'locator',
  'credibility',
  'status',
  'internal_notes',
  'created_at',
  'updated_at',
] as const;

/**
 * Count claims, each with its source. Public view: verified claims only, and none carried by
 * or attributed to a restricted source.
 */
export async function exportClaims(
  ds: DataSource,
  sink: Sink,
  opt: ExportOptions,
): Promise<ExportSummary> {
  const ctx = await begin(ds, sink, opt, 'claims');
  const viewer = ctx.restricted ? opt.actor : PUBLIC_ACTOR;
  const statuses = statusesVisibleTo(
    viewer,
    WORKFLOW_STATUSES.filter((s) => s !== 'retracted'),
  );
  const where = ctx.restricted
    ? `x.status = ANY($1::text[])`
    : `x.status = ANY($1::text[]) AND NOT s.restricted AND (a.id IS NULL OR NOT a.restricted)`;
  const select = `SELECT x.*, s.title AS source_title, s.publisher AS source_publisher, s.url AS source_url,
                         a.title AS attributed_source_title, r.status AS relayed_status,
                         rs.restricted AS relayed_restricted, ra.restricted AS relayed_attributed_restricted,
                         (x.incident_id IS NULL OR EXISTS (SELECT 1 FROM incidents i WHERE i.id = x.incident_id
                                                            AND ${publicIncidentSql('i')})) AS incident_public
                    FROM count_claims x
                    JOIN sources s ON s.id = x.source_id
                    LEFT JOIN sources a ON a.id = x.attributed_source_id
                    LEFT JOIN count_claims r ON r.id = x.relays_claim_id
                    LEFT JOIN sources rs ON rs.id = r.source_id
                    LEFT JOIN sources ra ON ra.id = r.attributed_source_id`;
  const columns = withoutRestricted(CLAIM_EXPORT_COLUMNS, ctx.restricted);
  const w = ctx.opt.format === 'geojson' ? null : writerFor(ctx, columns);
  const doc = w
    ? null
    : new GeoJsonDoc(
        sink,
        'Claims with no place, or whose place has no coordinates: listed here, not drawn.',
      );
  await doc?.begin();
  let records = 0;
  for await (const rows of pages(ctx, select, where, [statuses])) {
    for (const c of rows) {
      records++;
      if (!ctx.restricted && c.incident_public === false) c.incident_id = null;
      // A public reader does not learn of a claim hidden from them through a relay.
      const relayHidden =
        !ctx.restricted &&
        c.relays_claim_id !== null &&
        (!statuses.includes(c.relayed_status as string) ||
          c.relayed_restricted === true ||
          c.relayed_attributed_restricted === true);
      const loc = (c.location_id as string | null) ?? null;
      const d = dualDate((c.date_from as string) ?? null, (c.date_to as string) ?? null, null);
      const p = dualDate(
        (c.published_date as string) ?? null,
        (c.published_date as string) ?? null,
        'day',
      );
      const rec: Flat = {
        ...c,
        relays_claim_id: relayHidden ? null : c.relays_claim_id,
        figure: describeFigures({
          qualifier: c.qualifier as string,
          low: c.low as number | null,
          best: c.best as number | null,
          high: c.high as number | null,
        }),
        location_name: loc ? (ctx.places.get(loc)?.nameEn ?? null) : null,
        date_label: d?.gregorian.label ?? null,
        date_jalali: d?.jalali.label ?? null,
        published_date_jalali: p?.jalali.label ?? null,
        created_at: iso(c.created_at),
        updated_at: iso(c.updated_at),
      };
      const out = Object.fromEntries(columns.map((k) => [k, rec[k] ?? null]));
      if (w) await w.row(out);
      else {
        const pt = pointOf(ctx.places, loc);
        if (pt) await doc!.feature({ ...out, ...coordinatesNote(loc!, pt) }, pt.point);
        else
          await doc!.unlocated({
            id: c.id,
            figure: rec.figure,
            location_id: loc,
            reason: loc ? 'the place has no coordinates' : 'no place',
          });
      }
    }
  }
  if (w) {
    await w.end();
    return { kind: 'claims', format: opt.format, records, restricted: ctx.restricted };
  }
  const done = await doc!.end();
  return {
    kind: 'claims',
    format: 'geojson',
    records,
    located: done.features,
    unlocated: done.unlocated,
    restricted: ctx.restricted,
  };
}

// ---------------------------------------------------------------------------------------------
// Incidents

export const INCIDENT_EXPORT_COLUMNS = [
  'id',
  'title',
  'title_fa',
  'description',
  'category',
  'perpetrators',
  'date_from',
  'date_to',
  'date_precision',
  'date_original',
  'date_label',
  'date_jalali',
  'location_id',
  'location_name',
  'location_path',
  'lat',
  'lon',
  'status',
  'source_ids',
  'attestations',
  'internal_notes',
  'created_at',
  'updated_at',
] as const;

/** Incidents with their attestations; public view: verified ones, unrestricted sources only. */
export async function exportIncidents(
  ds: DataSource,
  sink: Sink,
  opt: ExportOptions,
): Promise<ExportSummary> {
  const ctx = await begin(ds, sink, opt, 'incidents');
  const viewer = ctx.restricted ? opt.actor : PUBLIC_ACTOR;
  const statuses = statusesVisibleTo(
    viewer,
    WORKFLOW_STATUSES.filter((s) => s !== 'retracted'),
  );
  const attach = async (m: EntityManager, rows: Row[]): Promise<void> => {
    const atts = await m.query<Row[]>(
      `SELECT a.incident_id, a.source_id, a.credibility::int AS credibility, a.locator, a.excerpt, a.asserted_fields,
              s.title, s.publisher, s.url, s.reliability
         FROM attestations a JOIN sources s ON s.id = a.source_id
        WHERE a.incident_id = ANY($1::uuid[]) AND ($2::boolean OR NOT s.restricted)
        ORDER BY a.created_at, a.id`,
      [rows.map((r) => r.id), ctx.restricted],
    );
    for (const r of rows)
      r.__attestations = atts
        .filter((a) => a.incident_id === r.id)
        .map(({ incident_id: _i, ...a }) => a);
  };
  const columns = withoutRestricted(INCIDENT_EXPORT_COLUMNS, ctx.restricted);
  const w = ctx.opt.format === 'geojson' ? null : writerFor(ctx, columns);
  const doc = w
    ? null
    : new GeoJsonDoc(
        sink,
        'Incidents with no place, or whose place has no coordinates: listed here, not drawn.',
      );
  await doc?.begin();
  let records = 0;
  for await (const rows of pages(
    ctx,
    'SELECT x.* FROM incidents x',
    'x.status = ANY($1::text[])',
    [statuses],
    attach,
  )) {
    for (const i of rows) {
      const atts = i.__attestations as Row[];
      // An incident known only from restricted sources is not public (as victims are not).
      if (!ctx.restricted && !atts.length) continue;
      records++;
      const loc = (i.location_id as string | null) ?? null;
      const pt = pointOf(ctx.places, loc);
      const rec: Flat = {
        ...i,
        ...dateFields('date', i.date_from, i.date_to, i.date_precision, i.date_original),
        location_name: loc ? (ctx.places.get(loc)?.nameEn ?? null) : null,
        location_path: pathNames(ctx.places, loc),
        lat: pt?.point.lat ?? null,
        lon: pt?.point.lon ?? null,
        source_ids: atts.map((a) => a.source_id),
        attestations: atts,
        created_at: iso(i.created_at),
        updated_at: iso(i.updated_at),
      };
      const out = Object.fromEntries(columns.map((k) => [k, rec[k] ?? null]));
      if (w) await w.row(out);
      else if (pt) await doc!.feature({ ...out, ...coordinatesNote(loc!, pt) }, pt.point);
      else
        await doc!.unlocated({
          id: i.id,
          title: i.title,
          location_id: loc,
          reason: loc ? 'the place has no coordinates' : 'no place',
        });
    }
  }
  if (w) {
    await w.end();
    return { kind: 'incidents', format: opt.format, records, restricted: ctx.restricted };
  }
  const done = await doc!.end();
  return {
    kind: 'incidents',
    format: 'geojson',
    records,
    located: done.features,
    unlocated: done.unlocated,
    restricted: ctx.restricted,
  };
}

export function exportKind(
  kind: ExportKind,
  ds: DataSource,
  sink: Sink,
  opt: ExportOptions,
): Promise<ExportSummary> {
  switch (kind) {
    case 'victims':
      return exportVictims(ds, sink, opt);
    case 'sources':
      return exportSources(ds, sink, opt);
    case 'claims':
      return exportClaims(ds, sink, opt);
    case 'incidents':
      return exportIncidents(ds, sink, opt);
    default: {
      const never: never = kind;
      return never;
    }
  }
}
