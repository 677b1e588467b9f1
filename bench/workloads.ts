import type pg from 'pg';
import { addDays } from '../src/common/dates.js';
import { normalizeText } from '../src/common/persian.js';
import { nameQuery, type NameQuery } from '../src/victims/name-search.js';
import {
  isCommonPhrase,
  WORD_STATISTICS_SQL,
  wordStatisticsOf,
  type WordStatistics,
  type WordStatisticsRow,
} from '../src/victims/word-statistics.js';
import { arabicLetters, latinSpelling, persianSpelling } from './names.js';
import type { Place, PlaceModel } from './places.js';
import type { Dataset } from './generate.js';
import { Rng, Weighted } from './prng.js';

/** A query as both sides run it: the service's URL, and the floor's SQL. */
export interface Call {
  path: string;
  /**
   * The floor's statement. With a prelude, $1 is the array of ids the prelude returns (a
   * place's subtree or the place alone, as the service resolves it first) and `values` hold $2
   * onwards: literal ids let the planner see how many rows each place holds, as it does for the
   * service.
   */
  sql: string;
  values: unknown[];
  /**
   * A name for the floor's statement: prepared once per connection and executed by name after
   * (no parsing or planning per request), as the fastest client would.
   */
  name?: string;
  prelude?: { sql: string; values: unknown[] };
  /** What the call asks, for the report and for checking the two sides agree. */
  label: string;
}

export interface Workload {
  id: string;
  title: string;
  /** Read once before the calls are drawn (what the floor needs to know of the database). */
  setup?(db: pg.Pool): Promise<void>;
  /** The parameters of request i: drawn from the seeded generator, different on every request. */
  call(i: number): Call;
  /**
   * Whether the service's answer and the floor's rows agree (null when they do), checked on
   * a few calls outside the timed runs: a floor that answers another question proves nothing.
   */
  compare(serviceBody: unknown, floorRows: Record<string, unknown>[]): string | null;
}

function query(params: Record<string, string | number | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.set(k, String(v));
  return u.toString();
}

/** A place as a researcher would name it: a unique name (in either script), else its id. */
interface PlaceArg {
  /** The `location=` parameter. */
  param: string;
  /** The place and everything under it, resolved as the service does (by id or name). */
  subtree: { sql: string; values: unknown[] };
  /** The place alone, resolved the same way. */
  self: { sql: string; values: unknown[] };
}

function placeArg(places: PlaceModel, p: Place, rng: Rng): PlaceArg {
  const name = places.uniqueName(p);
  const within = (resolve: string, value: string): PlaceArg['subtree'] => ({
    sql: `SELECT s.id FROM locations s WHERE s.path @> ARRAY[(${resolve})]`,
    values: [value],
  });
  const self = (resolve: string, value: string): PlaceArg['self'] => ({
    sql: `SELECT (${resolve}) AS id`,
    values: [value],
  });
  if (!name) {
    const byId = 'SELECT id FROM locations WHERE id = $1::uuid';
    return { param: p.id, subtree: within(byId, p.id), self: self(byId, p.id) };
  }
  const shown = rng.chance(0.2) ? arabicLetters(name) : name;
  const byName = 'SELECT id FROM locations WHERE names_norm @> ARRAY[$1::text]';
  return {
    param: shown,
    subtree: within(byName, normalizeText(shown)),
    self: self(byName, normalizeText(shown)),
  };
}

/** A date window around the peak: most queries ask about the five days, some about the tail. */
function drawWindow(rng: Rng): { from: string; to: string } {
  const start = rng.chance(0.7)
    ? addDays('2019-11-13', rng.int(0, 7))
    : addDays('2019-11-20', rng.int(0, 90));
  return { from: start, to: addDays(start, rng.int(0, 9)) };
}

/** Default statuses (every one but retracted), as an admin sees them. */
const LIVE = `v.merged_into IS NULL AND v.status <> 'retracted'`;

function ids(rows: Record<string, unknown>[]): string[] {
  return rows.map((r) => String(r.id));
}

function sameList(a: string[], b: string[], what: string): string | null {
  if (a.length !== b.length)
    return `${what}: the service returned ${a.length}, the floor ${b.length}`;
  const i = a.findIndex((x, k) => x !== b[k]);
  return i < 0 ? null : `${what}: first difference at position ${i} (${a[i]} vs ${b[i]})`;
}

interface PageBody {
  items?: { id: string }[];
}

// ---------------------------------------------------------------------------------------------

/**
 * The columns a page of victims carries for an admin (VictimListItemDto: the record, its place's
 * summary; the calendars are the service's own work), read by the W1 and W4 floors: a floor that
 * read only the ids would be cheaper than the answer.
 */
const PAGE_COLUMNS = `v.id, v.name_fa, v.name_en, v.name_variants, v.gender, v.age, v.age_min, v.age_max, v.age_band,
       v.occupation, v.father_name, v.harm, v.date_from, v.date_to, v.date_precision, v.date_calendar,
       v.date_original, l.id AS l_id, l.kind AS l_kind, l.name_en AS l_name_en, l.name_fa AS l_name_fa,
       v.place_precision, v.place_original, v.cause, v.perpetrator, v.armed, v.incident_id, v.status,
       v.confidence, v.merged_into, v.witness_names, v.family_contact, v.internal_notes, v.version,
       v.created_at, v.updated_at`;

/**
 * W1's floor, one named prepared statement (planned once per connection): the city resolved by
 * its normalised name (or id) in the same statement; its records of each span (date_to -
 * date_from) that overlap [from, to] are those with date_from in [from - span, to], one range
 * of ix_victims_city_span_date each, read in date order; the page is the first 50 of the spans'
 * first pages (migrations/1764000005200-AddVictimCity.ts), joined to the columns of the answer.
 */
function w1FloorSql(byName: boolean): string {
  const city = byName
    ? `SELECT id FROM locations WHERE names_norm @> ARRAY[$1::text]`
    : `SELECT id FROM locations WHERE id = $1::uuid`;
  return `WITH RECURSIVE city AS MATERIALIZED (${city}),
    spans(s) AS (
      SELECT min(v.date_to - v.date_from) FROM victims v
       WHERE v.city_id = (SELECT id FROM city) AND v.merged_into IS NULL
      UNION ALL
      SELECT (SELECT min(v.date_to - v.date_from) FROM victims v
               WHERE v.city_id = (SELECT id FROM city) AND v.merged_into IS NULL
                 AND v.date_to - v.date_from > spans.s)
        FROM spans WHERE spans.s IS NOT NULL
    ),
    page AS (
      SELECT x.id, x.date_from
        FROM spans CROSS JOIN LATERAL (
          SELECT v.id, v.date_from FROM victims v
           WHERE v.city_id = (SELECT id FROM city) AND v.merged_into IS NULL
             AND v.date_to - v.date_from = spans.s
             AND v.date_from >= $2::date - spans.s AND v.date_from <= $3::date
             AND v.status <> 'retracted'
           ORDER BY v.date_from, v.id LIMIT 50) x
       ORDER BY x.date_from, x.id
       LIMIT 50
    )
    SELECT ${PAGE_COLUMNS}
      FROM page JOIN victims v ON v.id = page.id JOIN locations l ON l.id = v.location_id
     ORDER BY page.date_from, page.id`;
}

/** W1: victims in one city with its districts, in a date window, first page of 50 by date. */
export function w1(data: Dataset, seed: number): Workload {
  const { places } = data;
  const cities = places.cities.filter((c) => places.districts.some((d) => d.parentId === c.id));
  return {
    id: 'W1',
    title: 'victims in a city (with its districts) in a date window, first 50 by date',
    call(i) {
      const rng = Rng.derive(seed, `w1:${i}`);
      // Half the queries follow where the cases are, half pick any city.
      const city = rng.chance(0.5) ? places.citiesWithWeight.sample(rng) : rng.pick(cities);
      const place = placeArg(places, city, rng);
      const w = drawWindow(rng);
      const byName = place.param !== city.id;
      return {
        label: `${city.nameEn} ${w.from}..${w.to}`,
        path: `/api/victims?${query({ location: place.param, from: w.from, to: w.to, sort: 'date', limit: 50 })}`,
        name: byName ? 'w1_floor_by_name' : 'w1_floor_by_id',
        sql: w1FloorSql(byName),
        values: [byName ? normalizeText(place.param) : city.id, w.from, w.to],
      };
    },
    compare(body, rows) {
      const items = (body as PageBody).items;
      if (!Array.isArray(items)) return 'the service answer has no items';
      return sameList(
        items.map((x) => x.id),
        ids(rows),
        'first page',
      );
    },
  };
}

/**
 * W4's floor for one query, one statement: the records holding the name asked for (its words,
 * consecutive: rank 3), then in another spelling (its skeletons: rank 2), in id order, as many as
 * the page needs, read by walking the primary key when the words are common and from the word
 * index otherwise (the same statistics as the service: src/victims/word-statistics.ts); only
 * when they do not fill the page, every fuzzy candidate ranked (each query word's matches in the
 * dictionary victim_name_words, the records holding one of each, ranked by strict word
 * similarity). The general branch is gated by a one-time filter: it runs only when needed.
 */
function w4FloorSql(
  search: NameQuery,
  stats: WordStatistics | null,
): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const p = (v: unknown): string => {
    values.push(v);
    return `$${values.length}`;
  };
  const phrase = (w: string[]): string =>
    `strpos(' ' || v.name_search || ' ', ${p(` ${w.join(' ')} `)}::text) > 0`;
  const branches = search.phrases.map((w, i) => {
    const where = [
      LIVE,
      `string_to_array(v.name_search, ' ') @> ${p(w)}::text[]`,
      phrase(w),
      ...search.phrases.slice(0, i).map((e) => `NOT ${phrase(e)}`),
    ].join(' AND ');
    return stats && isCommonPhrase(stats, w, 50)
      ? `(SELECT v.id, ${3 - i}::real AS rank FROM victims v WHERE ${where} ORDER BY v.id LIMIT 50)`
      : `(WITH h AS MATERIALIZED (SELECT v.id FROM victims v WHERE ${where})
          SELECT h.id, ${3 - i}::real AS rank FROM h ORDER BY h.id LIMIT 50)`;
  });
  const words = search.words.map(
    (keys) =>
      `string_to_array(v.name_search, ' ') && (SELECT array_agg(d.word) FROM victim_name_words d
                                                 WHERE ${keys.map((k) => `${p(k)}::text <% d.word`).join(' OR ')})`,
  );
  const sims = search.whole.map((k) => `strict_word_similarity(${p(k)}::text, v.name_search)`);
  const similarity =
    sims.length === 1
      ? sims[0]
      : `CASE WHEN ${sims[1]} = 1 THEN 1::real ELSE greatest(${sims.join(', ')}) END`;
  const tiers = search.phrases.map((w, i) => `WHEN ${phrase(w)} THEN ${3 - i}::real`);
  return {
    sql: `WITH top AS MATERIALIZED (${branches.join(' UNION ALL ')}),
          ranked AS (
            SELECT id, rank FROM top WHERE (SELECT count(*) FROM top) >= 50
            UNION ALL
            SELECT v.id, CASE ${tiers.join(' ')} ELSE ${similarity} END FROM victims v
             WHERE (SELECT count(*) FROM top) < 50 AND ${words.join(' AND ')} AND ${LIVE}
          ),
          page AS (SELECT id, rank FROM ranked ORDER BY rank DESC, id LIMIT 50)
          SELECT ${PAGE_COLUMNS}, page.rank
            FROM page JOIN victims v ON v.id = page.id LEFT JOIN locations l ON l.id = v.location_id
           ORDER BY page.rank DESC, page.id`,
    values,
  };
}

/** W4: name search, a Persian or Latin name as another list spelled it, best 50 by similarity. */
export function w4(data: Dataset, seed: number): Workload {
  let stats: WordStatistics | null = null;
  return {
    id: 'W4',
    title: 'name search (q=), a spelling variant in either script, best 50',
    async setup(db) {
      // As the service reads them (at most every five minutes), once before the timed runs.
      stats = wordStatisticsOf((await db.query<WordStatisticsRow>(WORD_STATISTICS_SQL)).rows[0]);
    },
    call(i) {
      const rng = Rng.derive(seed, `w4:${i}`);
      // A person who is in the data: a random generated victim's name, spelt differently.
      const person = (() => {
        for (let k = 0; k < 20; k++) {
          const v = data.victims.at(rng.int(0, data.scale.victims - 1));
          if (v.person) return v.person;
        }
        throw new Error('no named victim found');
      })();
      let q: string;
      if (rng.chance(0.6)) {
        q = `${persianSpelling(person.given, rng, 0.6)} ${persianSpelling(person.surname, rng, 0.6)}`;
        if (rng.chance(0.3)) q = arabicLetters(q);
      } else {
        q = `${latinSpelling(person.given, rng, 0.7)} ${latinSpelling(person.surname, rng, 0.7)}`;
      }
      // The same keys as the service (src/victims/name-search.ts).
      const search = nameQuery(q);
      if (!search) throw new Error(`no name keys for ${q}`);
      return {
        label: q,
        path: `/api/victims?${query({ q, limit: 50 })}`,
        ...w4FloorSql(search, stats),
      };
    },
    compare(body, rows) {
      const items = (body as PageBody).items;
      if (!Array.isArray(items)) return 'the service answer has no items';
      return sameList(
        items.map((x) => x.id),
        ids(rows),
        'best 50',
      );
    },
  };
}

/** Provinces weighted by the square root of their share of cases: big ones often, all sometimes. */
function provinceSampler(places: PlaceModel): Weighted<Place> {
  return new Weighted(
    places.provinces,
    places.provinces.map((p) => Math.sqrt(places.provinceShare.get(p.id) ?? 0)),
  );
}

const CONFIDENCES = ['confirmed', 'probable', 'possible', 'unattested'];
const BY_CONFIDENCE = CONFIDENCES.map(
  (c) => `coalesce(sum(n) FILTER (WHERE confidence = '${c}'), 0)::int AS ${c}`,
).join(', ');

/**
 * A bucket's top 20 sources, exactly, as a LATERAL over CTE `b` (columns `area`, nullable for
 * the total): the 120 sources with the largest totals (`bound`, a source's count over all time,
 * which its count in any window cannot exceed) and each one's count in the window (`inWindow`,
 * conditions on the compact source rollup `r`), the best 20 of them. As the service does, the
 * candidates settle it only when the 20th count found is above the 120th total (or fewer than
 * 120 sources exist); otherwise the window's sources are ranked directly. Without that check the
 * floor answered another question on sparse windows (ties at the 20th place).
 */
function top20(bound: string, inWindow: string): string {
  return `CROSS JOIN LATERAL (
      WITH cand AS MATERIALIZED (
             SELECT t.source_id, t.n AS bound,
                    (SELECT coalesce(sum(r.n), 0)::int FROM victim_area_source_rollup r
                      WHERE r.source_id = t.source_id AND ${inWindow}) AS n
               FROM (${bound} ORDER BY n DESC, source_id LIMIT 120) t),
           top AS (SELECT source_id, n FROM cand WHERE n > 0 ORDER BY n DESC, source_id LIMIT 20),
           ok AS (SELECT (SELECT count(*) FROM cand) < 120
                         OR ((SELECT count(*) FROM top) = 20
                             AND (SELECT min(n) FROM top) > (SELECT min(bound) FROM cand)) AS settled)
      SELECT u.source_id, u.n, row_number() OVER (ORDER BY u.n DESC, u.source_id)::int AS rank
        FROM (SELECT source_id, n FROM top WHERE (SELECT settled FROM ok)
              UNION ALL
              (SELECT r.source_id, sum(r.n)::int AS n FROM victim_area_source_rollup r
                WHERE NOT (SELECT settled FROM ok) AND ${inWindow}
                GROUP BY r.source_id HAVING sum(r.n) > 0
                ORDER BY 2 DESC, 1 LIMIT 20)) u) x`;
}

/** Every area (a province, or a place above any): the index of the per-source keys leads with it. */
const AREAS = 'ARRAY(SELECT DISTINCT coalesce(l.province_id, l.id) FROM locations l)';

interface CountsBody {
  buckets?: CountsBucket[];
  totals?: CountsBucket;
}
interface CountsBucket {
  key: { id?: string; value: string | null }[];
  count: number;
  sourceCount: number;
  sources: { id: string; victims: number }[];
}

/** Whether a bucket's number of sources and top sources are the floor's. */
function sameSources(
  what: string,
  b: { sourceCount: number; sources: { id: string; victims: number }[] },
  count: unknown,
  rows: Record<string, unknown>[],
): string | null {
  if (Number(count) !== b.sourceCount)
    return `${what} sources: service ${b.sourceCount}, floor ${String(count)}`;
  const key = (l: { id: string; victims: number }[]) => l.map((s) => `${s.id}:${s.victims}`).sort();
  return sameList(
    key(b.sources),
    key(rows.map((r) => ({ id: String(r.source_id), victims: Number(r.n) }))),
    `${what} top sources`,
  );
}

/**
 * W2: counts by province for a date window, each bucket with its number of sources and its top
 * 20. The floor reads the compact rollups (migration 1764000200000) as the service does, in one
 * statement: the counts of the window's keys, the distinct sources of the window's per-source
 * keys, and each bucket's top 20 by the bound of the totals.
 */
export function w2(data: Dataset, seed: number): Workload {
  return {
    id: 'W2',
    title: 'counts by province in a date window, with the number of sources and the top 20',
    call(i) {
      const rng = Rng.derive(seed, `w2:${i}`);
      const w = drawWindow(rng);
      const category = rng.chance(0.75) ? 'killed' : rng.pick(['injured', 'detained']);
      const window = `r.harm = $1 AND r.status = 'verified' AND r.date_from <= $3::date AND r.date_to >= $2::date`;
      return {
        label: `${category} ${w.from}..${w.to}`,
        path: `/api/counts?${query({ category, groupBy: 'province', from: w.from, to: w.to })}`,
        sql: `WITH counted AS MATERIALIZED (
                SELECT r.area_id, r.confidence, r.n FROM victim_area_rollup r WHERE ${window} AND r.n > 0
              ),
              buckets AS MATERIALIZED (
                SELECT area_id, GROUPING(area_id) AS g, sum(n)::int AS n, ${BY_CONFIDENCE}
                  FROM counted GROUP BY GROUPING SETS ((area_id), ())
              ),
              nsources AS (
                SELECT x.area_id, x.g, sum(bit_count(x.bits))::int AS sources
                  FROM (SELECT r.area_id, GROUPING(r.area_id) AS g, r.chunk, bit_or(r.bits) AS bits
                          FROM victim_area_source_bits r WHERE ${window}
                         GROUP BY GROUPING SETS ((r.area_id, r.chunk), (r.chunk))) x
                 GROUP BY x.area_id, x.g
              ),
              b AS (SELECT area_id AS area FROM buckets WHERE g = 0)
              SELECT 'bucket' AS kind, k.area_id AS province, k.g, NULL::uuid AS source_id, NULL AS title,
                     k.n, k.confirmed, k.probable, k.possible, k.unattested, s.sources
                FROM buckets k LEFT JOIN nsources s ON s.g = k.g AND s.area_id IS NOT DISTINCT FROM k.area_id
              UNION ALL
              SELECT 'source', b.area, 0, x.source_id, src.title, x.n, x.rank, 0, 0, 0, 0
                FROM b ${top20(
                  `SELECT t.source_id, t.n FROM victim_area_source_total t
                    WHERE t.harm = $1 AND t.status = 'verified' AND t.area_id = b.area`,
                  `${window} AND r.area_id = b.area`,
                )}
                JOIN sources src ON src.id = x.source_id
              UNION ALL
              SELECT 'source', NULL, 1, x.source_id, src.title, x.n, x.rank, 0, 0, 0, 0
                FROM (SELECT 1) b ${top20(
                  `SELECT t.source_id, t.n FROM victim_source_total t WHERE t.harm = $1 AND t.status = 'verified'`,
                  `${window} AND r.area_id = ANY(${AREAS})`,
                )}
                JOIN sources src ON src.id = x.source_id`,
        values: [category, w.from, w.to],
      };
    },
    compare(body, rows) {
      const b = body as CountsBody;
      if (!b.totals || !Array.isArray(b.buckets))
        return 'the service answer has no totals or buckets';
      const of = (g: number, province: string | null) =>
        rows.filter((r) => Number(r.g) === g && (g === 1 || r.province === province));
      const total = of(1, null).find((r) => r.kind === 'bucket');
      if (Number(total?.n ?? 0) !== b.totals.count)
        return `total: service ${b.totals.count}, floor ${String(total?.n)}`;
      const t = sameSources(
        'total',
        b.totals,
        total?.sources ?? 0,
        of(1, null).filter((r) => r.kind === 'source'),
      );
      if (t) return t;
      // A bucket of records that all await review counts 0 documented (and says how many
      // await review): the floor, counting verified records, has no row for it.
      const counted = b.buckets.filter((bucket) => bucket.count > 0);
      for (const bucket of counted) {
        const id = bucket.key[0]?.id ?? bucket.key[0]?.value ?? '';
        const mine = of(0, id);
        const row = mine.find((r) => r.kind === 'bucket');
        if (Number(row?.n) !== bucket.count)
          return `province ${id}: service ${bucket.count}, floor ${String(row?.n)}`;
        const s = sameSources(
          `province ${id}`,
          bucket,
          row?.sources ?? 0,
          mine.filter((r) => r.kind === 'source'),
        );
        if (s) return s;
      }
      const floorBuckets = rows.filter((r) => r.kind === 'bucket' && Number(r.g) === 0);
      if (floorBuckets.length !== counted.length)
        return `buckets: service ${counted.length}, floor ${floorBuckets.length}`;
      return null;
    },
  };
}

interface ReconciliationBody {
  documented?: {
    total: number;
    possible: number;
    sourceCount: number;
    sources: { id: string; victims: number }[];
  };
}

/** W3: reconciliation for the whole country or one province, with or without a window. */
export function w3(data: Dataset, seed: number): Workload {
  const { places } = data;
  const provinces = provinceSampler(places);
  return {
    id: 'W3',
    title: 'reconciliation: the whole country (even requests) and one province (odd)',
    call(i) {
      const rng = Rng.derive(seed, `w3:${i}`);
      const country = i % 2 === 0;
      const place = country ? places.country : provinces.sample(rng);
      const arg = placeArg(places, place, rng);
      const w = rng.chance(0.5) ? drawWindow(rng) : null;
      const category = rng.chance(0.8) ? 'killed' : 'detained';
      // The whole country without a location: every record, placed or not. Counted: victims
      // whose whole known date lies in the window; possible: those only overlapping it.
      const where = `r.harm = $2 AND r.status = 'verified' ${country ? 'AND $1::uuid[] IS NOT NULL' : 'AND r.area_id = ANY($1::uuid[])'}`;
      const certain = w ? 'r.date_from >= $3::date AND r.date_to <= $4::date' : 'TRUE';
      const overlap = w ? 'AND r.date_from <= $4::date AND r.date_to >= $3::date' : '';
      const areaTotals = `victim_area_source_total t WHERE t.harm = $2 AND t.status = 'verified'
                            AND t.area_id = ANY($1::uuid[])`;
      const allTotals = `victim_source_total t WHERE t.harm = $2 AND t.status = 'verified'`;
      const totals = country ? allTotals : areaTotals;
      // Without a window a source's count is its total: the top 20 and the number of sources
      // are read from the totals alone.
      // A province's records all have the province as their area: the per-source keys are read
      // by (harm, status, area, source), not by a window scan per candidate. The overlap bounds
      // the certain window implies (date_from <= date_to) narrow the window index's range.
      const areas = country ? `ANY(${AREAS})` : '$5::uuid';
      const sources = w
        ? `SELECT coalesce(sum(bit_count(x.bits)), 0)::int
             FROM (SELECT bit_or(r.bits) AS bits FROM victim_area_source_bits r
                    WHERE ${where} AND ${certain} ${overlap} GROUP BY r.chunk) x`
        : `SELECT count(*)::int FROM ${totals} AND t.n > 0`;
      const top = w
        ? `SELECT x.source_id, x.n FROM (SELECT NULL::uuid AS area) b ${top20(
            `SELECT t.source_id, t.n FROM ${totals}`,
            `${where} AND ${certain} ${overlap} AND r.area_id = ${areas}`,
          )}`
        : `SELECT t.source_id, t.n FROM ${totals} AND t.n > 0 ORDER BY t.n DESC, t.source_id LIMIT 20`;
      return {
        label: `${category} in ${place.nameEn}${w ? ` ${w.from}..${w.to}` : ''}`,
        path: `/api/reconciliation?${query({
          category,
          location: country ? undefined : arg.param,
          from: w?.from,
          to: w?.to,
        })}`,
        sql: `WITH scoped AS MATERIALIZED (
                SELECT r.confidence, r.n, ${certain} AS certain FROM victim_area_rollup r
                 WHERE ${where} AND r.n > 0 ${overlap}
              ),
              top AS MATERIALIZED (${top})
              SELECT (SELECT coalesce(sum(n) FILTER (WHERE certain), 0)::int FROM scoped) AS total,
                     (SELECT coalesce(sum(n) FILTER (WHERE NOT certain), 0)::int FROM scoped) AS possible,
                     (SELECT json_build_object(${CONFIDENCES.map((c) => `'${c}', coalesce(sum(n) FILTER (WHERE certain AND confidence = '${c}'), 0)`).join(', ')}) FROM scoped) AS by_confidence,
                     (${sources}) AS source_count,
                     (SELECT json_agg(json_build_object('source_id', s.id, 'title', s.title, 'publisher', s.publisher,
                                                        'reliability', s.reliability, 'n', top.n)
                                      ORDER BY top.n DESC, s.id)
                        FROM top JOIN sources s ON s.id = top.source_id) AS sources,
                     (SELECT json_agg(json_build_object('id', c.id, 'qualifier', c.qualifier, 'low', c.low, 'best', c.best,
                                                        'high', c.high, 'location', c.location_id, 'from', c.date_from,
                                                        'to', c.date_to, 'population', c.population,
                                                        'relays', c.relays_claim_id, 'source', s.title,
                                                        'publisher', s.publisher, 'reliability', s.reliability,
                                                        'published', c.published_date, 'credibility', c.credibility)
                                      ORDER BY c.published_date, c.id)
                        FROM count_claims c JOIN sources s ON s.id = c.source_id
                       WHERE c.category = $2 AND c.status <> 'retracted') AS claims`,
        prelude: arg.subtree,
        values: w ? [category, w.from, w.to, ...(country ? [] : [place.id])] : [category],
      };
    },
    compare(body, rows) {
      const d = (body as ReconciliationBody).documented;
      if (!d) return 'the service answer has no documented count';
      const r = rows[0] ?? {};
      if (Number(r.total) !== d.total)
        return `documented: service ${d.total}, floor ${String(r.total)}`;
      if (Number(r.possible) !== d.possible)
        return `possible: service ${d.possible}, floor ${String(r.possible)}`;
      return sameSources(
        'documented',
        d,
        r.source_count,
        (r.sources as Record<string, unknown>[] | null) ?? [],
      );
    },
  };
}

export function allWorkloads(data: Dataset, seed: number): Workload[] {
  return [w1(data, seed), w2(data, seed), w3(data, seed), w4(data, seed)];
}
