import type { EntityManager } from 'typeorm';
import type { BuiltFilter } from '../victim-scope/victim-filter.js';
import type { AggregateRow } from './counts.repository.js';
import { areaRows } from '../victim-scope/rollup-sql.js';

/** Sources per row of victim_area_source_bits (migration 1764000200000). */
const CHUNK = 1024;
const ZERO = `repeat('0', ${CHUNK})::bit(${CHUNK})`;

/**
 * The sources of counts the compact rollups answer (migration 1764000200000): for each bucket
 * (a province's, and the total) how many sources attest its victims, and the `limit` attesting
 * most, exactly, without ranking every (bucket, source) pair of the window.
 *
 * A source's count in a window is at most its count over all time (victim_area_source_total
 * per area, victim_source_total for all of them). So the candidates are read largest total
 * first, and each one's count in the window is summed from its own keys: once the next
 * candidate's total is below the `limit`-th count found, no source not yet read can enter the
 * list (it would need more victims than it has). The first `6 × limit` candidates settle nearly
 * every bucket; the others read four times as many, until settled.
 */

/** A bucket of the province grouping, or the total (key null). */
export interface SourceBucket {
  /** The bucket's province key (counts.repository.ts KEY_SQL), or null for the total. */
  key: string | null;
  /** The area whose keys the bucket holds (null: no place); undefined for the total. */
  area?: string | null;
}

export interface BucketSources {
  key: string | null;
  /** How many sources attest victims in the bucket. */
  sources: number;
  /** The `limit` attesting most, largest first (then by id). */
  top: { sourceId: string; n: number }[];
}

interface Opts {
  seesRestricted: boolean;
  /** Statuses the count counts. */
  counted: string[];
  /** The category asked (v.harm), if any: bounds are then per harm. */
  harm: string | null;
  /** The province the query is limited to, if any (its totals bound the total's sources). */
  province?: string;
  limit: number;
}

const visible = (seesRestricted: boolean, col: string): string =>
  seesRestricted ? '' : `JOIN sources vs ON vs.id = ${col} AND NOT vs.restricted`;

/** The area of a province bucket's key ("~none": no place; "~in:<id>": that place). */
export function areaOfKey(key: string): string | null {
  if (key === '~none') return null;
  return key.startsWith('~in:') ? key.slice(4) : key;
}

/** How many sources attest each bucket (grouped by province) and the whole, in the window. */
export async function areaSourceCounts(
  m: EntityManager,
  filter: BuiltFilter,
  byProvince: boolean,
  opts: Omit<Opts, 'limit'>,
): Promise<Map<string | null, number>> {
  // Without a window, over everything or one province: the sources with a total.
  if (!byProvince && !filter.window.from && !filter.window.to) {
    const total = unwindowedCount(filter, opts);
    if (total) {
      const [row] = await m.query<{ sources: number }[]>(total.sql, total.params);
      return new Map([[null, row.sources]]);
    }
  }
  const params = [...filter.params, opts.counted];
  const key = `CASE WHEN v.location_id IS NULL THEN '~none'
                    WHEN l.province_id IS NULL THEN '~in:' || v.location_id ELSE l.province_id::text END`;
  // The OR of the keys' source bits, chunk by chunk, less the restricted sources' bits for a
  // reader who may not see them; its bits counted.
  const mask = opts.seesRestricted
    ? ''
    : `JOIN (SELECT sn.no / ${CHUNK} AS chunk, bit_or(set_bit(${ZERO}, sn.no % ${CHUNK}, 1)) AS mask
               FROM source_numbers sn JOIN sources s ON s.id = sn.source_id AND NOT s.restricted
              GROUP BY 1) pm ON pm.chunk = x.chunk`;
  const rows = await m.query<{ k: string | null; g: number; sources: number }[]>(
    `SELECT ${byProvince ? 'CASE WHEN x.g = 1 THEN NULL ELSE k.k END' : 'NULL::text'} AS k, x.g,
            sum(bit_count(x.bits${opts.seesRestricted ? '' : ' & pm.mask'}))::int AS sources
       FROM (SELECT ${byProvince ? 'v.area_id, GROUPING(v.area_id) AS g' : '1 AS g'}, v.chunk, bit_or(v.bits) AS bits
               FROM (SELECT r.*, r.area_id AS location_id, NULL::uuid AS merged_into FROM victim_area_source_bits r) v
              WHERE ${filter.where} AND v.status = ANY($${params.length}::text[])
              GROUP BY ${byProvince ? 'GROUPING SETS ((v.area_id, v.chunk), (v.chunk))' : 'v.chunk'}) x
      ${byProvince ? `LEFT JOIN LATERAL (SELECT ${key} AS k FROM (SELECT x.area_id AS location_id) v LEFT JOIN locations l ON l.id = v.location_id) k ON TRUE` : ''}
      ${mask}
      GROUP BY 1, x.g`,
    params,
  );
  return new Map(rows.map((r) => [r.g ? null : r.k, r.sources]));
}

/** The `limit` sources attesting most of each bucket's victims in the window, exactly. */
export async function areaTopSources(
  m: EntityManager,
  filter: BuiltFilter,
  buckets: SourceBucket[],
  opts: Opts,
): Promise<Map<string | null, { sourceId: string; n: number }[]>> {
  const out = new Map<string | null, { sourceId: string; n: number }[]>();
  const candidates = 6 * opts.limit;
  const batched = await provinceCandidates(m, filter, buckets, opts, candidates);
  for (const b of buckets) {
    for (;;) {
      const rows =
        (typeof b.area === 'string' ? batched?.get(b.area) : undefined) ??
        (await candidatesOf(m, filter, b, opts, candidates));
      const found = rows
        .filter((r) => r.n > 0)
        .sort((x, y) => y.n - x.n || (x.sourceId < y.sourceId ? -1 : 1));
      const threshold = found.length >= opts.limit ? found[opts.limit - 1].n : 1;
      const last = rows[rows.length - 1];
      if (rows.length < candidates || last.bound < threshold) {
        out.set(
          b.key,
          found.slice(0, opts.limit).map((r) => ({ sourceId: r.sourceId, n: r.n })),
        );
        break;
      }
      // Not settled: a window holding few victims of many sources (the bound is loose there),
      // whose keys are few: ranked directly.
      out.set(b.key, await ranked(m, filter, b, opts));
      break;
    }
  }
  return out;
}

/**
 * The candidates of every province's bucket in one statement (one harm and one status: the
 * totals' rank index serves each province), or null when the bound needs grouping.
 */
async function provinceCandidates(
  m: EntityManager,
  filter: BuiltFilter,
  buckets: SourceBucket[],
  opts: Opts,
  limit: number,
): Promise<Map<string, { sourceId: string; bound: number; n: number }[]> | null> {
  const areas = buckets.map((b) => b.area).filter((a): a is string => typeof a === 'string');
  if (opts.harm === null || opts.counted.length !== 1 || !areas.length) return null;
  const params = [...filter.params, opts.counted, opts.counted[0], opts.harm, areas, limit];
  const at = (i: number) => `$${filter.params.length + i}`;
  const rows = await m.query<{ area: string; sourceId: string; bound: number; n: number }[]>(
    `SELECT b.area, c.source_id AS "sourceId", c.bound,
            (SELECT coalesce(sum(v.n), 0)::int FROM ${areaRows('victim_area_source_rollup')} v
              WHERE ${filter.where} AND v.status = ANY(${at(1)}::text[]) AND v.status = ${at(2)}
                AND v.source_id = c.source_id
                AND v.area_id = b.area) AS n
       FROM unnest(${at(4)}::uuid[]) AS b(area)
      CROSS JOIN LATERAL (
        SELECT t.source_id, t.n AS bound FROM victim_area_source_total t ${visible(opts.seesRestricted, 't.source_id')}
         WHERE t.status = ${at(2)} AND t.harm = ${at(3)} AND t.area_id = b.area AND t.n > 0
         ORDER BY t.n DESC, t.source_id LIMIT ${at(5)}) c
      ORDER BY b.area, c.bound DESC, c.source_id`,
    params,
  );
  const out = new Map<string, { sourceId: string; bound: number; n: number }[]>();
  for (const a of areas) out.set(a, []);
  for (const { area, ...r } of rows) out.get(area)!.push(r);
  return out;
}

/** A bucket's top sources, every source of the window ranked. */
async function ranked(
  m: EntityManager,
  filter: BuiltFilter,
  b: SourceBucket,
  opts: Opts,
): Promise<{ sourceId: string; n: number }[]> {
  const params = [...filter.params, opts.counted, opts.limit];
  const area = b.area !== undefined ? b.area : opts.province;
  const inBucket =
    area === undefined
      ? ''
      : area === null
        ? 'AND v.area_id IS NULL'
        : `AND v.area_id = $${params.push(area)}::uuid`;
  return m.query<{ sourceId: string; n: number }[]>(
    `SELECT v.source_id AS "sourceId", sum(v.n)::int AS n
       FROM ${areaRows('victim_area_source_rollup')} v ${visible(opts.seesRestricted, 'v.source_id')}
      WHERE ${filter.where} AND v.status = ANY($${filter.params.length + 1}::text[]) ${inBucket}
      GROUP BY v.source_id HAVING sum(v.n) > 0
      ORDER BY n DESC, v.source_id LIMIT $${filter.params.length + 2}`,
    params,
  );
}

/** The first `limit` sources of a bucket by their total (largest first), with their count in the window. */
async function candidatesOf(
  m: EntityManager,
  filter: BuiltFilter,
  b: SourceBucket,
  opts: Opts,
  limit: number,
): Promise<{ sourceId: string; bound: number; n: number }[]> {
  const params = [...filter.params];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const counted = p(opts.counted);
  // One status: an equality, so that the totals' rank index hands them over largest first, and
  // the per-source keys are read by (harm, status, area, source) (with the status only in an
  // ANY, the window index was chosen and scanned for each candidate: 3 ms each at a million).
  const one = opts.counted.length === 1 ? p(opts.counted[0]) : null;
  const status = one ? `t.status = ${one}` : null;
  // Bounds: the area's totals for one area's bucket (or a query limited to one province), else
  // the totals of every area.
  const area: string | null | undefined = b.area !== undefined ? b.area : opts.province;
  const boundConds = [status ?? `t.status = ANY(${counted}::text[])`];
  if (opts.harm !== null) boundConds.push(`t.harm = ${p(opts.harm)}`);
  let table = 'victim_source_total';
  if (area !== undefined && area !== null) {
    table = 'victim_area_source_total';
    boundConds.push(`t.area_id = ${p(area)}::uuid`);
  } else if (area === null) {
    table = 'victim_area_source_total';
    boundConds.push('t.area_id IS NULL');
  }
  // One harm and one status: the index hands the totals over largest first, no grouping.
  const single = opts.harm !== null && opts.counted.length === 1;
  const bounds = single
    ? `SELECT t.source_id, t.n AS bound FROM ${table} t ${visible(opts.seesRestricted, 't.source_id')}
        WHERE ${boundConds.join(' AND ')} AND t.n > 0
        ORDER BY t.n DESC, t.source_id LIMIT ${p(limit)}`
    : `SELECT t.source_id, sum(t.n)::int AS bound FROM ${table} t ${visible(opts.seesRestricted, 't.source_id')}
        WHERE ${boundConds.join(' AND ')}
        GROUP BY t.source_id HAVING sum(t.n) > 0
        ORDER BY bound DESC, t.source_id LIMIT ${p(limit)}`;
  const count = (inBucket: string) =>
    `(SELECT coalesce(sum(v.n), 0)::int FROM ${areaRows('victim_area_source_rollup')} v
       WHERE ${filter.where} AND v.status = ANY(${counted}::text[]) ${one ? `AND v.status = ${one}` : ''}
         AND v.source_id = c.source_id ${inBucket})`;
  // The total's count of a source: by each area in turn (the index leads with the area), then
  // the records without a place; read otherwise, it would scan the window once per candidate.
  // A query limited to a province: its records all have the province as their area, so one
  // area's keys (the window index, scanned once per candidate, took 25 ms each at a million).
  const n =
    b.area === undefined && area === undefined
      ? `${count('AND v.area_id = ANY(ARRAY(SELECT DISTINCT coalesce(province_id, id) FROM locations))')}
         + ${count('AND v.area_id IS NULL')}`
      : count(area === null ? 'AND v.area_id IS NULL' : `AND v.area_id = ${p(area)}::uuid`);
  return m.query<{ sourceId: string; bound: number; n: number }[]>(
    `SELECT c.source_id AS "sourceId", c.bound, ${n} AS n
       FROM (${bounds}) c
      ORDER BY c.bound DESC, c.source_id`,
    params,
  );
}

/** The number of sources of an unwindowed total from the totals, when they hold it exactly. */
function unwindowedCount(
  filter: BuiltFilter,
  opts: Omit<Opts, 'limit'>,
): { sql: string; params: unknown[] } | null {
  const params: unknown[] = [opts.counted];
  const conds = ['t.status = ANY($1::text[])', 't.n > 0'];
  if (opts.harm !== null) {
    params.push(opts.harm);
    conds.push(`t.harm = $${params.length}`);
  }
  let table = 'victim_source_total';
  if (opts.province !== undefined) {
    params.push(opts.province);
    conds.push(`t.area_id = $${params.length}::uuid`);
    table = 'victim_area_source_total';
  } else if (filter.location !== null) return null;
  return {
    sql: `SELECT count(DISTINCT t.source_id)::int AS sources FROM ${table} t
            ${visible(opts.seesRestricted, 't.source_id')} WHERE ${conds.join(' AND ')}`,
    params,
  };
}

/**
 * The 'source' rows of a count the compact rollups answer (counts.repository.ts AggregateRow),
 * for the buckets of `rows` (its 'bucket' rows, grouped by province or not at all).
 */
export async function areaSourceRows(
  m: EntityManager,
  filter: BuiltFilter,
  rows: AggregateRow[],
  byProvince: boolean,
  opts: {
    seesRestricted: boolean;
    sourcesPerBucket: number;
    rule: { counted: string[] };
    scope?: { harm: string | null; province?: string };
  },
): Promise<AggregateRow[]> {
  const common = {
    seesRestricted: opts.seesRestricted,
    counted: opts.rule.counted,
    harm: opts.scope?.harm ?? null,
    province: opts.scope?.province,
  };
  const counts = await areaSourceCounts(m, filter, byProvince, common);
  const buckets: SourceBucket[] = [
    { key: null },
    ...rows
      .filter((r) => r.kind === 'bucket' && r.level === 1 && r.k1 !== null)
      .map((r) => ({ key: r.k1, area: areaOfKey(r.k1!) })),
  ];
  const top = await areaTopSources(m, filter, buckets, { ...common, limit: opts.sourcesPerBucket });
  return buckets.flatMap((b) =>
    (top.get(b.key) ?? []).map((s): AggregateRow => ({
      kind: 'source',
      level: b.key === null ? 0 : 1,
      k1: b.key,
      k2: null,
      sourceId: s.sourceId,
      n: s.n,
      confirmed: 0,
      probable: 0,
      possible: 0,
      unattested: 0,
      awaitingReview: 0,
      disputed: 0,
      sources: counts.get(b.key) ?? 0,
    })),
  );
}
