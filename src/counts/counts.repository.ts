import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { BuiltFilter } from '../victim-scope/victim-filter.js';
import { CONFIDENCES } from '../common/domain.js';
import { MAX_SOURCES_PER_BUCKET, type GroupBy } from './dto/counts-query.dto.js';
import {
  areaRows,
  rollupRows,
  type RollupGroupBy,
  type RollupLevel,
} from '../victim-scope/rollup-sql.js';
import { AWAITING_STATUSES } from '../victim-scope/documented.js';
import { areaSourceRows } from './area-sources.js';
import { ageBandSql } from '../victim-scope/age-bands.js';
import { MERGED_ROOTS } from '../victim-scope/merged-groups.js';
import { attestationPairs, mergedAttestations } from '../victim-scope/victim-sql.js';

/** Bound parameters numbered after those already in `params`. */
function binder(params: unknown[]): (value: unknown) => string {
  return (value) => {
    params.push(value);
    return `$${params.length}`;
  };
}

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
  ageBand: `coalesce(v.age_band, ${ageBandSql()}, '${UNKNOWN.unknown}')`,
  perpetrator: `coalesce(v.perpetrator, '${UNKNOWN.unknown}')`,
  cause: `coalesce(v.cause, '${UNKNOWN.unknown}')`,
  incident: `coalesce(v.incident_id::text, '${UNKNOWN.none}')`,
};

/**
 * The key of a grouping. For a reader who may not see restricted data, a victim's incident counts
 * as "no incident" unless that reader may see the incident (verified, and attested by a source
 * that is not restricted): a bucket would otherwise name an incident that is not public.
 */
export function keySql(d: Exclude<GroupBy, 'source'>, seesRestricted: boolean): string {
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
  /** Records in the bucket awaiting review (draft, submitted) that the count leaves out. */
  awaitingReview: number;
  /** Disputed records in the bucket that the count leaves out. */
  disputed: number;
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
          FROM pairs WHERE counted GROUP BY GROUPING SETS (${groupingSets(free, ['source_id'])})
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
      SELECT 'source', g, nk, k1, k2, source_id, n, 0, 0, 0, 0, 0, 0, sources::int
        FROM ranked WHERE rank <= ${limit}`;
}

/** Which records a count counts and which it reports beside (src/victim-scope/documented.ts). */
export interface CountedRule {
  /** Statuses counted. */
  counted: string[];
  /** Records folded into another of their unresolved duplicate cluster: not counted. */
  folded: string[];
}

/** Status flags of the victim `v`: counted, awaiting review, disputed (each a boolean column). */
function statusFlags(rule: CountedRule, p: (v: unknown) => string, withFolded: boolean) {
  const counted = `v.status = ANY(${p(rule.counted)}::text[])`;
  return [
    {
      name: 'counted',
      sql: withFolded ? `(${counted} AND NOT (v.id = ANY(${p(rule.folded)}::uuid[])))` : counted,
    },
    { name: 'in_rule', sql: counted },
    { name: 'awaiting', sql: `v.status = ANY(${p(AWAITING_STATUSES)}::text[])` },
    { name: 'disputed', sql: `v.status = 'disputed'` },
  ];
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
    opts: { seesRestricted: boolean; sourcesPerBucket: number; rule: CountedRule },
  ): { sql: string; params: unknown[] } {
    const { seesRestricted, sourcesPerBucket } = opts;
    const params = [...filter.params, sourcesPerBucket];
    const flags = statusFlags(opts.rule, binder(params), true);
    const flagCols = flags.map((f) => f.name).join(', ');
    const cols = dims.map((_, i) => `k${i + 1}`);
    const at = dims.indexOf('source');
    const bySource = at >= 0;
    const carry = [
      ...flags,
      { name: 'confidence', sql: `v.${filter.confidenceColumn}` },
      ...dims.flatMap((d, i) =>
        d === 'source' ? [] : [{ name: `k${i + 1}`, sql: keySql(d, seesRestricted) }],
      ),
    ];
    const keysSql = dims
      .map((d, i) => (d === 'source' ? '' : `, ${keySql(d, seesRestricted)} AS k${i + 1}`))
      .join('');
    const needsPlace = dims.includes('province') || dims.includes('city');
    const where = filter.where;
    const counted = (cond = 'counted') =>
      bySource
        ? `count(DISTINCT id) FILTER (WHERE ${cond})::int`
        : `count(*) FILTER (WHERE ${cond})::int`;
    const conf = (c: string) => `${counted(`counted AND confidence = '${c}'`)} AS ${c}`;
    const beside = `${counted('NOT in_rule AND awaiting')} AS "awaitingReview", ${counted('NOT in_rule AND disputed')} AS disputed`;
    // Grouped by source, a victim is a row per source that attests it, or one row "no source"
    // (never for a reader who may not see restricted data: see attestationPairs).
    const rows = bySource
      ? `(SELECT id, ${flagCols}, confidence, ${cols.map((c, i) => (i === at ? `source_id::text AS ${c}` : c)).join(', ')} FROM pairs
          ${
            seesRestricted
              ? `UNION ALL
                 SELECT id, ${flagCols}, confidence, ${cols.map((c, i) => (i === at ? `'${UNKNOWN.none}' AS ${c}` : c)).join(', ')}
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
        SELECT v.id, ${flags.map((f) => `${f.sql} AS ${f.name}`).join(', ')}, v.${filter.confidenceColumn} AS confidence${keysSql}
          FROM victims v ${needsPlace ? 'LEFT JOIN locations l ON l.id = v.location_id' : ''}
         WHERE ${where}
      ),
      pairs AS MATERIALIZED (${attestationPairs('grouped', carry, { where, seesRestricted, needsPlace })}),
      ${rankedSources(cols, free, 'count(*)')}
      SELECT 'bucket' AS kind, ${grouping(cols)} AS g, ${cols.length} AS nk, ${keys(cols)}, NULL::uuid AS "sourceId",
             ${counted()} AS n, ${CONFIDENCES.map(conf).join(', ')}, ${beside}, 0 AS sources
        FROM ${rows} GROUP BY GROUPING SETS (${groupingSets(cols, [])})
      ${bestSources(`$${filter.params.length + 1}`)}`;
    return { sql, params };
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
    opts: {
      seesRestricted: boolean;
      sourcesPerBucket: number;
      rule: CountedRule;
      /** The compact rollups (keyed by area) instead of the place-level ones. */
      area?: boolean;
      /** Without the sources (the caller finds them: src/counts/area-sources.ts). */
      countsOnly?: boolean;
    },
  ): { sql: string; params: unknown[] } {
    const counts = opts.area ? areaRows('victim_area_rollup') : rollupRows('victim_rollup');
    const perSource = opts.area
      ? areaRows('victim_area_source_rollup')
      : rollupRows('victim_source_rollup');
    const params = opts.countsOnly ? [...filter.params] : [...filter.params, opts.sourcesPerBucket];
    const flags = statusFlags(opts.rule, binder(params), false);
    const cols = dims.map((_, i) => `k${i + 1}`);
    const keySql = dims.map((d, i) => `, ${KEY_SQL[d as RollupGroupBy]} AS k${i + 1}`).join('');
    const needsPlace = dims.includes('province') || dims.includes('city');
    // Places as a small hashed set: joined by index, row by row, they cost more than the scan.
    const place = needsPlace ? 'LEFT JOIN places l ON l.id = v.location_id' : '';
    const sum = (cond = 'counted') => `coalesce(sum(n) FILTER (WHERE ${cond}), 0)::int`;
    const conf = (c: string) => `${sum(`counted AND confidence = '${c}'`)} AS ${c}`;
    const sql = `WITH places AS MATERIALIZED (SELECT id, province_id, city_id FROM locations),
      grouped AS MATERIALIZED (
        SELECT v.n, ${flags.map((f) => `${f.sql} AS ${f.name}`).join(', ')}, v.${filter.confidenceColumn} AS confidence${keySql}
          FROM ${counts} v ${place}
         WHERE ${filter.where} ${opts.seesRestricted ? '' : 'AND v.public'}
      )${
        opts.countsOnly
          ? ''
          : `,
      pairs AS (
        SELECT v.n, v.source_id, ${flags[0].sql} AS counted${keySql}
          FROM ${perSource} v ${place}
          ${opts.seesRestricted ? '' : 'JOIN sources s ON s.id = v.source_id AND NOT s.restricted'}
         WHERE ${filter.where}
      ),
      ${rankedSources(cols, cols, 'sum(n)')}`
      }
      SELECT 'bucket' AS kind, ${grouping(cols)} AS g, ${cols.length} AS nk, ${keys(cols)}, NULL::uuid AS "sourceId",
             ${sum()} AS n, ${CONFIDENCES.map(conf).join(', ')},
             ${sum('NOT in_rule AND awaiting')} AS "awaitingReview", ${sum('NOT in_rule AND disputed')} AS disputed, 0 AS sources
        FROM grouped GROUP BY GROUPING SETS (${groupingSets(cols, [])})
      ${opts.countsOnly ? '' : bestSources(`$${filter.params.length + 1}`)}`;
    return { sql, params };
  }

  async aggregate(
    m: EntityManager,
    filter: BuiltFilter,
    dims: GroupBy[],
    opts: {
      seesRestricted: boolean;
      sourcesPerBucket: number;
      fromRollups: RollupLevel;
      rule: CountedRule;
      /** For the compact rollups: the category asked and the province the query is limited to. */
      scope?: { harm: string | null; province?: string };
    },
  ): Promise<AggregateRow[]> {
    const run = async (q: { sql: string; params: unknown[] }) =>
      (
        await m.query<(Omit<AggregateRow, 'level'> & { g: number; nk: number })[]>(q.sql, q.params)
      ).map(({ g, nk, ...r }): AggregateRow => ({ ...r, level: nk - bitCount(g) }));
    if (!opts.fromRollups) return run(this.buildAggregate(filter, dims, opts));
    const area = opts.fromRollups === 'area';
    if (area && !opts.rule.folded.length) {
      const rows = await run(
        this.buildRollupAggregate(filter, dims, { ...opts, area: true, countsOnly: true }),
      );
      return [...rows, ...(await areaSourceRows(m, filter, rows, dims.length === 1, opts))];
    }
    const rows = await run(this.buildRollupAggregate(filter, dims, { ...opts, area }));
    if (!opts.rule.folded.length) return rows;
    // The rollups count records, not clusters: the folded records' own rows, counted from the
    // victims (a few, by id) with every source they have, are subtracted bucket by bucket.
    const params = [...filter.params];
    const only: BuiltFilter = {
      ...filter,
      where: `${filter.where} AND v.id = ANY(${binder(params)(opts.rule.folded)}::uuid[])`,
      params,
    };
    const less = await run(
      this.buildAggregate(only, dims, {
        seesRestricted: opts.seesRestricted,
        sourcesPerBucket: MAX_SOURCES_PER_BUCKET * 1000,
        rule: { counted: opts.rule.counted, folded: [] },
      }),
    );
    const keyOf = (r: AggregateRow) => [r.kind, r.level, r.k1, r.k2, r.sourceId].join('\u0000');
    const byKey = new Map(less.map((r) => [keyOf(r), r]));
    return rows
      .map((r) => {
        const l = byKey.get(keyOf(r));
        if (!l) return r;
        const out = { ...r, n: r.n - l.n };
        for (const c of CONFIDENCES) out[c] = r[c] - l[c];
        return out;
      })
      .filter((r) => r.kind === 'bucket' || r.n > 0);
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
