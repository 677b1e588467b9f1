import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryPrepared } from '../common/prepared.js';
import { prefixedColumns } from '../database/hydrate.js';
import { LocationEntity } from '../locations/location.entity.js';
import { mergeChain, mergedMembers } from '../victim-scope/merged-groups.js';
import type { NameQuery } from './name-search.js';
import type { VictimCursor, VictimSort } from './victim-cursor.js';
import type { BuiltFilter } from '../victim-scope/victim-filter.js';
import { commonPhrase } from './word-statistics.js';

export interface VictimPageRow {
  id: string;
  /** The sort key as PostgreSQL prints it, so that a cursor round-trips it exactly. */
  sort_key: string | null;
  /** Name similarity to q, 0–1 (with q). */
  relevance: number | null;
  /** How the name matched q (with q): see tieredRank. */
  nameMatch: NameMatch | null;
  /**
   * With `recordColumns`: the record's columns and its place's, prefixed `l_`, read in the same
   * statement as the page.
   */
  record?: Record<string, unknown>;
}

/**
 * The page query `sql` extended to return each row's record and place in the same round trip,
 * in the page's order: the page is numbered as it comes (row_number() OVER () follows the
 * order of its input) and the records joined to it.
 */
function withRecords(sql: string, recordColumns: string): string {
  return `WITH page_rows AS MATERIALIZED (SELECT p.*, row_number() OVER () AS page_rn FROM (${sql}) p)
          SELECT page_rows.*, ${recordColumns}
            FROM page_rows JOIN victims v ON v.id = page_rows.id
            LEFT JOIN locations l ON l.id = v.location_id
           ORDER BY page_rows.page_rn`;
}

/** What findVictimPage returns for a row: the page's columns, and the record when asked. */
function pageRow(r: Record<string, unknown>, records: boolean): VictimPageRow {
  const rank = r.relevance === undefined || r.relevance === null ? null : Number(r.relevance);
  return {
    id: r.id as string,
    sort_key: (r.sort_key ?? null) as string | null,
    relevance: rank === null ? null : Math.min(rank, 1),
    nameMatch: rank === null ? null : (PHRASE_MATCHES[rank] ?? 'similar'),
    ...(records ? { record: r } : {}),
  };
}

export type NameMatch = 'exact' | 'spelling' | 'similar';

/** The ranks of a name holding the query's phrases (NameQuery.phrases, in order), above any similarity. */
const PHRASE_RANKS = [3, 2];
const PHRASE_MATCHES: Record<number, NameMatch> = { 3: 'exact', 2: 'spelling' };

export interface DuplicateRow {
  id: string;
  name_similarity: number;
  dates_overlap: boolean | null;
  same_place: boolean | null;
  score: number;
}

/**
 * The first page of a name search (or the next, while the cursor is still among them) when the
 * records holding the query's phrases fill it, or null. A common name's page is all records
 * holding the name asked for, where ties go by id: they are read in id order, only as many as
 * the page needs, and none is ranked. The phrases are found by their words exactly (through
 * ix_victims_name_words, or by walking the primary key when the words are common: the
 * statistics of migration 1764000008000 tell which), not through the fuzzy word conditions a
 * common word expands to hundreds of dictionary words. Otherwise the general query ranks every
 * candidate, once: a page that is not full here falls through to it rather than to a second pass
 * over the same candidates (docs/performance.md has the measurements).
 */
async function phrasePage(
  m: EntityManager,
  filter: BuiltFilter,
  search: NameQuery,
  cursor: VictimCursor | null,
  limit: number,
  finish: (sql: string) => string,
): Promise<Record<string, unknown>[] | null> {
  const ranks = PHRASE_RANKS.slice(0, search.phrases.length);
  const start = cursor ? ranks.indexOf(Number(cursor.key)) : 0;
  if (start < 0) return null;
  const rows: Record<string, unknown>[] = [];
  for (let i = start; i < ranks.length && rows.length < limit; i++) {
    const params = [...filter.params];
    const p = binder(params);
    const words = search.phrases[i];
    const where = [
      filter.where,
      `string_to_array(v.name_search, ' ') @> ${p(words)}::text[]`,
      phraseExpr(words, p, 'v.name_search'),
      // Records that hold an earlier rank's phrase are that rank's.
      ...search.phrases.slice(0, i).map((w) => `NOT ${phraseExpr(w, p, 'v.name_search')}`),
    ];
    if (i === start && cursor) where.push(`v.id > ${p(cursor.id)}::uuid`);
    const wanted = limit - rows.length;
    const columns = `'${ranks[i]}' AS sort_key, ${ranks[i]} AS relevance`;
    // A common phrase: walk the primary key until the page is full. A rarer one: every record
    // holding its words (a bitmap of the word index), then the first by id. Chosen here because
    // the planner takes the walk for both (it counts the heap read in id order as sequential,
    // and the check of each row as free; docs/performance.md, W4).
    const sql = (await commonPhrase(m, words, wanted))
      ? `SELECT v.id, ${columns} FROM victims v
          WHERE ${where.join(' AND ')} ORDER BY v.id LIMIT ${p(wanted)}`
      : `WITH holding AS MATERIALIZED (SELECT v.id FROM victims v WHERE ${where.join(' AND ')})
         SELECT holding.id, ${columns} FROM holding ORDER BY holding.id LIMIT ${p(wanted)}`;
    rows.push(...(await queryPrepared<Record<string, unknown>>(m, finish(sql), params)));
  }
  return rows.length === limit ? rows : null;
}

/** Bound parameters numbered after those already in `params`. */
function binder(params: unknown[]): (value: unknown) => string {
  return (value) => {
    params.push(value);
    return `$${params.length}`;
  };
}

/**
 * Best similarity of any key to whole words of name_search (pg_trgm's strict word similarity;
 * 0–1). Not word_similarity: it compares the key's trigrams with those of any stretch of the
 * name, so محمد محمدی scores 1 against محمد احمدی (محمد gives the first trigrams of محمدی,
 * احمدی the last ones); the strict one counts the whole words the stretch is made of (0.7).
 */
function rankExpr(keys: string[], p: (v: unknown) => string, column: string): string {
  const sims = keys.map((k) => `strict_word_similarity(${p(k)}::text, ${column})`);
  if (sims.length === 1) return sims[0];
  // The second key (the words' skeletons, or the joined skeleton when those repeat a word, see
  // nameQuery) scores 1 for most matches (the same words, in any spelling the skeletons fold
  // together), and 1 is the most any key scores: the others are computed only when it does not.
  return `CASE WHEN ${sims[1]} = 1 THEN 1::real ELSE greatest(${sims.join(', ')}) END`;
}

/**
 * How a name search ranks a record: 3 when its keys hold the name asked for (the query's
 * normalised words, consecutive), 2 when they hold it in another spelling (the words'
 * skeletons), else the similarity of the whole query (rankExpr, 0–1), which can reach 1 for a
 * name that only shares the query's words' pieces. A phrase rank is shown as relevance 1
 * (pageRow).
 */
function tieredRank(search: NameQuery, p: (v: unknown) => string, column: string): string {
  const tiers = search.phrases.map(
    (words, i) => `WHEN ${phraseExpr(words, p, column)} THEN ${PHRASE_RANKS[i]}::real`,
  );
  return `CASE ${tiers.join(' ')} ELSE ${rankExpr(search.whole, p, column)} END`;
}

/**
 * `column` holds `words` as consecutive words. Keys are joined by spaces too, so a phrase may
 * straddle two keys of a record (the end of one name, the start of the next key): it only
 * ranks a record that matched anyway, and is rare.
 */
function phraseExpr(words: string[], p: (v: unknown) => string, column: string): string {
  return `strpos(' ' || ${column} || ' ', ${p(` ${words.join(' ')} `)}::text) > 0`;
}

/** Any of the keys, as `<%`: what the GIN trigram index answers (word_similarity_threshold, 0.6). */
function anyKeyExpr(keys: string[], p: (v: unknown) => string, column: string): string {
  return `(${keys.map((k) => `${p(k)}::text <% ${column}`).join(' OR ')})`;
}

/**
 * A word of name_search is one the query word's keys match fuzzily (`<%`, as anyKeyExpr): the
 * dictionary victim_name_words (every word of every name_search) gives the words that match,
 * and ix_victims_name_words the records holding one. The words come from a subquery, a value
 * the planner cannot see: given the array (hundreds of words for Mohammad) it overestimates
 * the matches and reads the whole table. No word matches: NULL, no record.
 */
function fuzzyWordExpr(keys: string[], p: (v: unknown) => string): string {
  const match = keys.map((k) => `${p(k)}::text <% d.word`).join(' OR ');
  return `string_to_array(v.name_search, ' ') && (SELECT array_agg(d.word) FROM victim_name_words d WHERE ${match})`;
}

interface SortSql {
  expr: string;
  cast: string;
  nullable: boolean;
  desc: boolean;
  /** Relevance ranks descending but breaks ties by ascending id. */
  idDesc: boolean;
  collate: string;
}

function sortSql(sort: VictimSort, relevance: string | null): SortSql {
  const base = { nullable: false, desc: sort.startsWith('-'), collate: '' };
  switch (sort.replace(/^-/, '')) {
    case 'date':
      return { ...base, expr: 'v.date_from', cast: 'date', nullable: true, idDesc: base.desc };
    case 'name':
      // COLLATE "C": the same order on every server, whatever its default collation.
      return {
        ...base,
        expr: `lower(coalesce(nullif(v.name_en, ''), v.name_fa, ''))`,
        cast: 'text',
        idDesc: base.desc,
        collate: ' COLLATE "C"',
      };
    case 'created':
      return { ...base, expr: 'v.created_at', cast: 'timestamptz', idDesc: base.desc };
    default:
      return { ...base, expr: relevance!, cast: 'real', desc: true, idDesc: false };
  }
}

/**
 * One page of victim ids in a stable order (keyset pagination: the sort key, then the id).
 * `filter` comes from buildVictimFilter with its parameters starting at $1. Every page is an
 * index range, however deep: an undated record sorts after every dated one, so a date sort
 * reads the dated records (a row comparison the btree bounds) and then, if the page is not
 * full, the undated ones by id.
 *
 * A name search (`q`) wants every word of the query to match a word of the name's keys fuzzily
 * (trigram word similarity, `<%`: a spelling variant, a typo, the start of a word), through the
 * word dictionary (migrations/1764000005100-AddVictimNameWords.ts); results rank by the word
 * similarity of the whole query.
 *
 * A date-sorted page of a city reads the city's records span by span (see
 * migrations/1764000005200-AddVictimCity.ts): each span's first page is an index range in date
 * order, and the page is the first rows of their union.
 */
export async function findVictimPage(
  m: EntityManager,
  filter: BuiltFilter,
  opts: {
    search: NameQuery | null;
    sort: VictimSort;
    cursor: VictimCursor | null;
    limit: number;
    /**
     * The columns of the record `v` and its place `l` (prefixed `l_`) to return with each row of
     * the page, in the same statement.
     */
    recordColumns?: string;
  },
): Promise<VictimPageRow[]> {
  const records = opts.recordColumns !== undefined;
  const finish = (sql: string): string => (records ? withRecords(sql, opts.recordColumns!) : sql);
  const params = [...filter.params];
  const p = binder(params);
  const conds = [filter.where];
  let relevance: string | null = null;
  if (opts.search) {
    // Each word narrows (the index intersects one bitmap per word); the whole query ranks.
    for (const word of opts.search.words) conds.push(fuzzyWordExpr(word, p));
    relevance = tieredRank(opts.search, p, 'v.name_search');
  }
  const s = sortSql(opts.sort, relevance);
  const key = `(${s.expr})${s.collate}`;
  const dir = s.desc ? 'DESC' : 'ASC';
  const idDir = s.idDesc ? 'DESC' : 'ASC';
  const idCmp = s.idDesc ? '<' : '>';
  const c = opts.cursor;
  const select = `SELECT v.id, (${s.expr})::text AS sort_key${relevance ? `, ${relevance} AS relevance` : ''} FROM victims v`;
  const run = async (
    where: string[],
    order: string,
    limit: number,
    extra: unknown[] = [],
  ): Promise<VictimPageRow[]> => {
    const all = [...params, ...extra, limit];
    const rows = await queryPrepared<Record<string, unknown>>(
      m,
      finish(`${select} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT $${all.length}`),
      all,
    );
    return rows.map((r) => pageRow(r, records));
  };

  if (!s.nullable) {
    if (relevance !== null && s.expr === relevance) {
      const top = await phrasePage(m, filter, opts.search!, c, opts.limit, finish);
      if (top) return top.map((r) => pageRow(r, records));
    }
    const where = [...conds];
    if (c) {
      const id = `${p(c.id)}::uuid`;
      const k = `${p(c.key)}::${s.cast}${s.collate}`;
      const cmp = s.desc ? '<' : '>';
      where.push(
        s.desc === s.idDesc
          ? `((${key}, v.id) ${cmp} (${k}, ${id}))`
          : `(${key} ${cmp} ${k} OR (${key} = ${k} AND v.id ${idCmp} ${id}))`,
      );
    }
    return run(where, `${key} ${dir}, v.id ${idDir}`, opts.limit);
  }

  /** The dated records of a city in date order, read span by span (each one an index range). */
  const bySpan = async (where: string[], extra: unknown[]): Promise<VictimPageRow[]> => {
    const all = [...params, ...extra];
    const q = (value: unknown): string => {
      all.push(value);
      return `$${all.length}`;
    };
    const city = `${q(filter.cityId)}::uuid`;
    const inSpan = [...where, `v.city_id = ${city}`, `v.date_to - v.date_from = spans.s`];
    // A record of span s ends on or after `from` exactly when it starts on or after from - s.
    if (filter.window.from) inSpan.push(`v.date_from >= ${q(filter.window.from)}::date - spans.s`);
    const limit = q(opts.limit);
    const rows = await queryPrepared<Record<string, unknown>>(
      m,
      finish(`WITH RECURSIVE spans(s) AS (
         SELECT min(v.date_to - v.date_from) FROM victims v WHERE v.city_id = ${city} AND v.merged_into IS NULL
         UNION ALL
         SELECT (SELECT min(v.date_to - v.date_from) FROM victims v
                  WHERE v.city_id = ${city} AND v.merged_into IS NULL AND v.date_to - v.date_from > spans.s)
           FROM spans WHERE spans.s IS NOT NULL
       )
       SELECT page.id, page.sort_key${relevance ? ', page.relevance' : ''}
         FROM spans CROSS JOIN LATERAL (
           ${select} WHERE ${inSpan.join(' AND ')} ORDER BY ${key} ${dir}, v.id ${idDir} LIMIT ${limit}
         ) page
        ORDER BY page.sort_key::date ${dir}, page.id ${idDir}
        LIMIT ${limit}`),
      all,
    );
    return rows.map((r) => pageRow(r, records));
  };

  const rows: VictimPageRow[] = [];
  if (!c || c.key !== null) {
    const where = [...conds, `${s.expr} IS NOT NULL`];
    const extra: unknown[] = [];
    if (c) {
      extra.push(c.key, c.id);
      const n = params.length;
      where.push(`((${key}, v.id) ${s.desc ? '<' : '>'} ($${n + 1}::${s.cast}, $${n + 2}::uuid))`);
    }
    if (filter.cityId && s.expr === 'v.date_from') {
      rows.push(...(await bySpan(where, extra)));
    } else {
      rows.push(...(await run(where, `${key} ${dir}, v.id ${idDir}`, opts.limit, extra)));
    }
  }
  // A dated window already leaves undated records out.
  const undatedPossible = filter.window.from === null && filter.window.to === null;
  if (rows.length < opts.limit && undatedPossible) {
    const where = [...conds, `${s.expr} IS NULL`];
    const extra: unknown[] = [];
    if (c && c.key === null) {
      extra.push(c.id);
      where.push(`v.id ${idCmp} $${params.length + 1}::uuid`);
    }
    rows.push(...(await run(where, `v.id ${idDir}`, opts.limit - rows.length, extra)));
  }
  return rows;
}

/**
 * Possible duplicates of one record: unmerged, unretracted records that either carry every
 * word of one of its names (fuzzily, in any spelling: the index intersects one bitmap per
 * word), or lie in or above its place and share a word of a name (عدنان حلالی / عدنان هلالی,
 * where one word differs beyond the skeletons). Scored by similarity to the whole name, date
 * overlap and place containment.
 */
export async function findDuplicateRows(
  m: EntityManager,
  self: {
    names: NameQuery[];
    dateFrom: string | null;
    dateTo: string | null;
    locationId: string | null;
    locationPath: string[] | null;
    /** The place, the places below it and those above it. */
    nearLocations: string[];
    exclude: string[];
  },
  limit: number,
): Promise<DuplicateRow[]> {
  const params: unknown[] = [];
  const p = binder(params);
  const wholeKeys = [...new Set(self.names.flatMap((n) => n.whole))];
  const branches = self.names.map(
    (n) =>
      `SELECT c.id FROM victims c WHERE ${n.words.map((w) => anyKeyExpr(w, p, 'c.name_search')).join(' AND ')}`,
  );
  if (self.nearLocations.length) {
    const wordKeys = [...new Set(self.names.flatMap((n) => n.words.flat()))];
    branches.push(
      `SELECT c.id FROM victims c
        WHERE c.location_id = ANY(${p(self.nearLocations)}::uuid[]) AND ${anyKeyExpr(wordKeys, p, 'c.name_search')}`,
    );
  }
  const rank = rankExpr(wholeKeys, p, 'c.name_search');
  const from = `${p(self.dateFrom)}::date`;
  const to = `${p(self.dateTo)}::date`;
  const loc = `${p(self.locationId)}::uuid`;
  const path = `${p(self.locationPath)}::uuid[]`;
  return await m.query<DuplicateRow[]>(
    `WITH found AS (${branches.join(' UNION ')}),
     cand AS (
       SELECT c.id,
              ${rank} AS name_similarity,
              CASE WHEN c.date_from IS NULL OR ${from} IS NULL THEN NULL
                   ELSE c.date_from <= ${to} AND c.date_to >= ${from} END AS dates_overlap,
              CASE WHEN c.location_id IS NULL OR ${loc} IS NULL THEN NULL
                   ELSE cl.path @> ARRAY[${loc}] OR ${path} @> ARRAY[c.location_id] END AS same_place
         FROM found
         JOIN victims c ON c.id = found.id
         LEFT JOIN locations cl ON cl.id = c.location_id
        WHERE c.merged_into IS NULL AND c.status <> 'retracted'
          AND NOT c.id = ANY(${p(self.exclude)}::uuid[])
     )
     SELECT id, round(name_similarity::numeric, 3)::float8 AS name_similarity, dates_overlap, same_place,
            round((0.6 * name_similarity
                   + CASE dates_overlap WHEN true THEN 0.2 WHEN false THEN 0 ELSE 0.1 END
                   + CASE same_place WHEN true THEN 0.2 WHEN false THEN 0 ELSE 0.1 END)::numeric, 3)::float8 AS score
       FROM cand
      ORDER BY score DESC, id
      LIMIT ${p(limit)}`,
    params,
  );
}

/** The columns of a place that a record's summary reads (all a list of records needs to fetch). */
const PLACE_SUMMARY_COLUMNS = ['id', 'kind', 'name_en', 'name_fa'] as const;

/** The SQL of GET /api/victims and of a record's view, for VictimsService. */
@Injectable()
export class VictimsRepository {
  /** A page of the filtered victims (findVictimPage). */
  page(
    m: EntityManager,
    filter: BuiltFilter,
    opts: Parameters<typeof findVictimPage>[2],
  ): Promise<VictimPageRow[]> {
    return findVictimPage(m, filter, opts);
  }

  /** Records that may be the same person as `self` (findDuplicateRows). */
  duplicateRows(
    m: EntityManager,
    self: Parameters<typeof findDuplicateRows>[1],
    limit: number,
  ): Promise<DuplicateRow[]> {
    return findDuplicateRows(m, self, limit);
  }

  /** The record and every record merged into it, directly or through a chain. */
  async mergedGroup(m: EntityManager, id: string): Promise<string[]> {
    const rows = await m.query<{ id: string }[]>(
      `WITH RECURSIVE ${mergedMembers('$1')}
       SELECT member AS id FROM grp`,
      [[id]],
    );
    return rows.map((r) => r.id);
  }

  /** The record and every record it is merged into, up to the root of its group. */
  async mergeChain(m: EntityManager, id: string): Promise<string[]> {
    const rows = await m.query<{ id: string }[]>(
      `WITH RECURSIVE ${mergeChain('$1')}
       SELECT id FROM up`,
      [id],
    );
    return rows.map((r) => r.id);
  }

  /** The records (`v.*`) with their place's summary columns, prefixed `l_`. */
  summaryRows(m: EntityManager, ids: string[]): Promise<Record<string, unknown>[]> {
    return m.query<Record<string, unknown>[]>(
      `SELECT v.*, ${prefixedColumns(m, LocationEntity, 'l', 'l_', PLACE_SUMMARY_COLUMNS)}
         FROM victims v LEFT JOIN locations l ON l.id = v.location_id
        WHERE v.id = ANY($1::uuid[])`,
      [ids],
    );
  }
}
