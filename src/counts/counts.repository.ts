import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { BuiltFilter } from '../victims/victim-filter.js';
import { CONFIDENCES } from '../common/domain.js';
import type { GroupBy } from './dto/counts-query.dto.js';
import { rollupRows, type RollupGroupBy } from './rollup-sql.js';
import { attestationPairs, MERGED_ROOTS, mergedAttestations } from './victim-sql.js';

/** Bucket keys that are not values start with "~": no id, date or enum value does. */
export const UNKNOWN = {
  none: '~none',
  undated: '~undated',
  imprecise: '~imprecise',
  unknown: '~unknown',
  /** `~in:<location id>`: a victim placed above the grouped level (a province, no city). */
  inPrefix: '~in:',
} as const;

// A period key is the first day of the one day, week (ISO, from Monday) or month that holds the
// victim's whole known date; a victim known less precisely than that has no period.
const period = (unit: 'week' | 'month'): string =>
  `CASE WHEN v.date_from IS NULL THEN '${UNKNOWN.undated}'
        WHEN date_trunc('${unit}', v.date_from::timestamp) = date_trunc('${unit}', v.date_to::timestamp)
        THEN date_trunc('${unit}', v.date_from::timestamp)::date::text
        ELSE '${UNKNOWN.imprecise}' END`;

/** Each grouping as a text key over the victim `v` and its place `l`. */
const KEY_SQL: Record<Exclude<GroupBy, 'source'>, string> = {
  province: `CASE WHEN v.location_id IS NULL THEN '${UNKNOWN.none}'
                  WHEN l.province_id IS NULL THEN '${UNKNOWN.inPrefix}' || v.location_id
                  ELSE l.province_id::text END`,
  city: `CASE WHEN v.location_id IS NULL THEN '${UNKNOWN.none}'
              WHEN l.city_id IS NOT NULL THEN l.city_id::text
              ELSE '${UNKNOWN.inPrefix}' || coalesce(l.province_id, v.location_id) END`,
  day: `CASE WHEN v.date_from IS NULL THEN '${UNKNOWN.undated}'
             WHEN v.date_from = v.date_to THEN v.date_from::text
             ELSE '${UNKNOWN.imprecise}' END`,
  week: period('week'),
  month: period('month'),
  gender: `coalesce(v.gender, '${UNKNOWN.unknown}')`,
  ageBand: `coalesce(v.age_band, CASE WHEN v.age < 12 THEN '0-11' WHEN v.age < 18 THEN '12-17'
              WHEN v.age < 25 THEN '18-24' WHEN v.age < 35 THEN '25-34' WHEN v.age < 45 THEN '35-44'
              WHEN v.age < 60 THEN '45-59' WHEN v.age >= 60 THEN '60+' END, '${UNKNOWN.unknown}')`,
  perpetrator: `coalesce(v.perpetrator, '${UNKNOWN.unknown}')`,
  cause: `coalesce(v.cause, '${UNKNOWN.unknown}')`,
  incident: `coalesce(v.incident_id::text, '${UNKNOWN.none}')`,
};

/**
 * The key of a grouping. For a reader who may not see restricted data, a victim's incident counts
 * as "no incident" unless that reader may see the incident (verified, and attested by a source
 * that is not restricted): a bucket would otherwise name an incident that is not public.
 */
function keySql(d: Exclude<GroupBy, 'source'>, seesRestricted: boolean): string {
  if (d !== 'incident' || seesRestricted) return KEY_SQL[d];
  return `CASE WHEN EXISTS (SELECT 1 FROM incidents pi WHERE pi.id = v.incident_id AND pi.status = 'verified'
                  AND EXISTS (SELECT 1 FROM attestations pa JOIN sources ps ON ps.id = pa.source_id
                               WHERE pa.incident_id = pi.id AND NOT ps.restricted))
               THEN v.incident_id::text ELSE '${UNKNOWN.none}' END`;
}

export interface AggregateRow {
  /** 'bucket': victims; 'source': victims one source attests. */
  kind: 'bucket' | 'source';
  /** How many of the groupings this row is broken down by: all (a bucket), fewer (a subtotal), 0 (the total). */
  level: number;
  k1: string | null;
  k2: string | null;
  sourceId: string | null;
  n: number;
  confirmed: number;
  probable: number;
  possible: number;
  unattested: number;
  /** On 'source' rows: how many sources attest the bucket (only the largest are returned). */
  sources: number;
}

export interface LabelRows {
  places: { id: string; kind: string; nameEn: string; nameFa: string | null }[];
  incidents: { id: string; title: string; titleFa: string | null }[];
  sources: {
    id: string;
    title: string;
    publisher: string | null;
    reliability: string;
    url: string | null;
    publishedFrom: string | null;
    publishedTo: string | null;
    publishedPrecision: string | null;
    publishedOriginal: string | null;
  }[];
}

/** (k1, k2, …extra), (k1, …extra), (…extra): a bucket, the subtotal of its first key, the total. */
function groupingSets(keys: string[], extra: string[]): string {
  const sets: string[] = [];
  for (let n = keys.length; n >= 0; n--)
    sets.push(`(${[...keys.slice(0, n), ...extra].join(', ')})`);
  return sets.join(', ');
}

/** GROUPING(): one bit per key, set when the row is aggregated over that key. */
function grouping(keys: string[]): string {
  return keys.length ? `GROUPING(${keys.join(', ')})` : '0';
}

function keys(cols: string[]): string {
  return `${cols[0] ?? 'NULL::text'} AS k1, ${cols[1] ?? 'NULL::text'} AS k2`;
}

function bitCount(n: number): number {
  let c = 0;
  for (let x = n; x > 0; x >>= 1) c += x & 1;
  return c;
}

/**
 * CTEs `src` and `ranked` over CTE `pairs` (a row per victim, or per pre-counted key, and
 * source, weighing `weight`): each source's victims per bucket of the `free` keys (those before
 * a grouping by source), numbered from the largest, with how many sources the bucket has.
 */
function rankedSources(cols: string[], free: string[], weight: string): string {
  return `src AS (
        SELECT ${grouping(free)} AS g, ${free.length} AS nk, ${keys(cols.map((c) => (free.includes(c) ? c : 'NULL::text')))},
               source_id, ${weight}::int AS n
          FROM pairs GROUP BY GROUPING SETS (${groupingSets(free, ['source_id'])})
      ),
      ranked AS (
        SELECT src.*, row_number() OVER (PARTITION BY g, k1, k2 ORDER BY n DESC, source_id) AS rank,
               count(*) OVER (PARTITION BY g, k1, k2) AS sources
          FROM src
      )`;
}

/** The 'source' rows of the aggregate: the best `limit` (a parameter) of each bucket. */
function bestSources(limit: string): string {
  return `UNION ALL
      SELECT 'source', g, nk, k1, k2, source_id, n, 0, 0, 0, 0, sources::int
        FROM ranked WHERE rank <= ${limit}`;
}

/** The SQL behind GET /api/counts: grouping sets over the filtered victims, never their rows. */
@Injectable()
export class CountsRepository {
  /**
   * Distinct victims per bucket (per subtotal of the first grouping, and in total), by
   * confidence, and the sources behind each (the `sourcesPerBucket` attesting most of its
   * victims, with the number of all of them), in one statement. Grouped by source, a bucket's
   * source is the one it is about: the SQL gives sources only for keys without a source.
   */
  buildAggregate(
    filter: BuiltFilter,
    dims: GroupBy[],
    opts: { seesRestricted: boolean; sourcesPerBucket: number },
  ): { sql: string; params: unknown[] } {
    const { seesRestricted, sourcesPerBucket } = opts;
    const cols = dims.map((_, i) => `k${i + 1}`);
    const at = dims.indexOf('source');
    const bySource = at >= 0;
    const carry = [
      { name: 'confidence', sql: 'v.confidence' },
      ...dims.flatMap((d, i) =>
        d === 'source' ? [] : [{ name: `k${i + 1}`, sql: keySql(d, seesRestricted) }],
      ),
    ];
    const keysSql = dims
      .map((d, i) => (d === 'source' ? '' : `, ${keySql(d, seesRestricted)} AS k${i + 1}`))
      .join('');
    const needsPlace = dims.includes('province') || dims.includes('city');
    const where = filter.where;
    const counted = (cond = '') =>
      bySource ? `count(DISTINCT id)${cond}::int` : `count(*)${cond}::int`;
    const conf = (c: string) => `${counted(` FILTER (WHERE confidence = '${c}')`)} AS ${c}`;
    // Grouped by source, a victim is a row per source that attests it, or one row "no source"
    // (never for a reader who may not see restricted data: see attestationPairs).
    const rows = bySource
      ? `(SELECT id, confidence, ${cols.map((c, i) => (i === at ? `source_id::text AS ${c}` : c)).join(', ')} FROM pairs
          ${
            seesRestricted
              ? `UNION ALL
                 SELECT id, confidence, ${cols.map((c, i) => (i === at ? `'${UNKNOWN.none}' AS ${c}` : c)).join(', ')}
                   FROM grouped WHERE id NOT IN (SELECT id FROM pairs)`
              : ''
          }) r`
      : seesRestricted
        ? 'grouped'
        : '(SELECT * FROM grouped WHERE id IN (SELECT id FROM pairs)) r';
    // Sources for the keys before the source grouping (all of them without one).
    const free = cols.slice(0, bySource ? at : cols.length);
    const sql = `WITH RECURSIVE ${MERGED_ROOTS},
      ${mergedAttestations(seesRestricted)},
      grouped AS MATERIALIZED (
        SELECT v.id, v.confidence${keysSql}
          FROM victims v ${needsPlace ? 'LEFT JOIN locations l ON l.id = v.location_id' : ''}
         WHERE ${where}
      ),
      pairs AS MATERIALIZED (${attestationPairs('grouped', carry, { where, seesRestricted, needsPlace })}),
      ${rankedSources(cols, free, 'count(*)')}
      SELECT 'bucket' AS kind, ${grouping(cols)} AS g, ${cols.length} AS nk, ${keys(cols)}, NULL::uuid AS "sourceId",
             ${counted()} AS n, ${CONFIDENCES.map(conf).join(', ')}, 0 AS sources
        FROM ${rows} GROUP BY GROUPING SETS (${groupingSets(cols, [])})
      ${bestSources(`$${filter.params.length + 1}`)}`;
    return { sql, params: [...filter.params, sourcesPerBucket] };
  }

  /**
   * The same rows as buildAggregate, read from the rollups (migration 1764000006000) instead of
   * the victims: sums of pre-counted keys rather than counts of records. Only for groupings and
   * filters the rollup keys hold (see rollupAnswers); the filter's conditions apply unchanged,
   * the rollups having the victims' column names.
   */
  buildRollupAggregate(
    filter: BuiltFilter,
    dims: GroupBy[],
    opts: { seesRestricted: boolean; sourcesPerBucket: number },
  ): { sql: string; params: unknown[] } {
    const cols = dims.map((_, i) => `k${i + 1}`);
    const keySql = dims.map((d, i) => `, ${KEY_SQL[d as RollupGroupBy]} AS k${i + 1}`).join('');
    const needsPlace = dims.includes('province') || dims.includes('city');
    // Places as a small hashed set: joined by index, row by row, they cost more than the scan.
    const place = needsPlace ? 'LEFT JOIN places l ON l.id = v.location_id' : '';
    const sum = (cond = '') => `coalesce(sum(n)${cond}, 0)::int`;
    const conf = (c: string) => `${sum(` FILTER (WHERE confidence = '${c}')`)} AS ${c}`;
    const sql = `WITH places AS MATERIALIZED (SELECT id, province_id, city_id FROM locations),
      grouped AS MATERIALIZED (
        SELECT v.n, v.confidence${keySql}
          FROM ${rollupRows('victim_rollup')} v ${place}
         WHERE ${filter.where} ${opts.seesRestricted ? '' : 'AND v.public'}
      ),
      pairs AS (
        SELECT v.n, v.source_id${keySql}
          FROM ${rollupRows('victim_source_rollup')} v ${place}
          ${opts.seesRestricted ? '' : 'JOIN sources s ON s.id = v.source_id AND NOT s.restricted'}
         WHERE ${filter.where}
      ),
      ${rankedSources(cols, cols, 'sum(n)')}
      SELECT 'bucket' AS kind, ${grouping(cols)} AS g, ${cols.length} AS nk, ${keys(cols)}, NULL::uuid AS "sourceId",
             ${sum()} AS n, ${CONFIDENCES.map(conf).join(', ')}, 0 AS sources
        FROM grouped GROUP BY GROUPING SETS (${groupingSets(cols, [])})
      ${bestSources(`$${filter.params.length + 1}`)}`;
    return { sql, params: [...filter.params, opts.sourcesPerBucket] };
  }

  async aggregate(
    m: EntityManager,
    filter: BuiltFilter,
    dims: GroupBy[],
    opts: { seesRestricted: boolean; sourcesPerBucket: number; fromRollups: boolean },
  ): Promise<AggregateRow[]> {
    const { sql, params } = opts.fromRollups
      ? this.buildRollupAggregate(filter, dims, opts)
      : this.buildAggregate(filter, dims, opts);
    const rows = await m.query<(Omit<AggregateRow, 'level'> & { g: number; nk: number })[]>(
      sql,
      params,
    );
    return rows.map(({ g, nk, ...r }) => ({ ...r, level: nk - bitCount(g) }));
  }

  async labels(
    m: EntityManager,
    ids: { places: string[]; incidents: string[]; sources: string[] },
  ): Promise<LabelRows> {
    const q = async <T>(sql: string, list: string[]): Promise<T[]> =>
      list.length ? m.query<T[]>(sql, [[...new Set(list)]]) : [];
    return {
      places: await q(
        `SELECT id, kind, name_en AS "nameEn", name_fa AS "nameFa" FROM locations WHERE id = ANY($1::uuid[])`,
        ids.places,
      ),
      incidents: await q(
        `SELECT id, title, title_fa AS "titleFa" FROM incidents WHERE id = ANY($1::uuid[])`,
        ids.incidents,
      ),
      sources: await q(
        `SELECT id, title, publisher, reliability, url, published_from AS "publishedFrom", published_to AS "publishedTo",
                published_precision AS "publishedPrecision", published_original AS "publishedOriginal"
           FROM sources WHERE id = ANY($1::uuid[])`,
        ids.sources,
      ),
    };
  }

  async source(m: EntityManager, id: string): Promise<{ id: string; restricted: boolean } | null> {
    const rows = await m.query<{ id: string; restricted: boolean }[]>(
      `SELECT id, restricted FROM sources WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }
}
