import type { DataSource, EntityManager } from 'typeorm';
import { seesRestricted, type Actor } from '../common/actor.js';
import { dualDate } from '../common/date-columns.js';
import { AppError } from '../common/errors.js';
import { PlaceMatcher, type GazetteerPlace } from '../imports/place-matcher.js';
import type { VictimFilterDto } from '../victim-scope/victim-filter.js';
import {
  csvWriter,
  jsonWriter,
  type ExportFormat,
  type Flat,
  type Point,
  type RecordWriter,
  type Sink,
} from './writers.js';

// What every kind's exporter shares: options, the summary, keyset pages, places, dates.

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

export type Row = Record<string, unknown>;

/** One short read transaction per batch: the embedded engine is one session (see STACK.md). */
export function read<T>(ds: DataSource, fn: (m: EntityManager) => Promise<T>): Promise<T> {
  return ds.transaction(fn);
}

export const iso = (v: unknown): string | null =>
  v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : null;

export function dateFields(
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

export function pathNames(places: PlaceMatcher, id: string | null): string | null {
  if (!id) return null;
  const p = places.get(id);
  if (!p) return null;
  return p.path.map((x) => places.get(x)?.nameEn ?? '?').join(' > ');
}

export function pointOf(
  places: PlaceMatcher,
  id: string | null,
): { point: Point; from: GazetteerPlace } | null {
  if (!id) return null;
  const c = places.coordinatesOf(id);
  return c ? { point: { lon: c.lon, lat: c.lat }, from: c.place } : null;
}

export function coordinatesNote(locationId: string, c: { from: GazetteerPlace } | null): Flat {
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

export interface Ctx {
  ds: DataSource;
  sink: Sink;
  opt: ExportOptions;
  restricted: boolean;
  places: PlaceMatcher;
}

export async function begin(
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
export async function* pages(
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

export function writerFor(ctx: Ctx, columns: string[]): RecordWriter {
  return ctx.opt.format === 'csv'
    ? csvWriter(ctx.sink, columns, ctx.opt.bom ?? true)
    : jsonWriter(ctx.sink);
}

export function withoutRestricted(columns: readonly string[], restricted: boolean): string[] {
  return restricted
    ? [...columns]
    : columns.filter((c) => !(RESTRICTED_FIELDS as readonly string[]).includes(c));
}
