import type { EntityManager } from 'typeorm';

/** What the planner knows of the name words (the statistics of migration 1764000008000). */
export interface WordStatistics {
  at: number;
  /** Records (the planner's estimate). */
  records: number;
  /** Share of records holding each of the most common name words. */
  share: Map<string, number>;
  /** The share of any other word is below this. */
  rest: number;
}

/** The statistics' row: read by the service and by the benchmark's W4 floor alike. */
export const WORD_STATISTICS_SQL = `SELECT s.most_common_elems::text::text[] AS words, s.most_common_elem_freqs AS shares,
        greatest(c.reltuples, 0)::float8 AS records
   FROM pg_class c
   LEFT JOIN pg_stats_ext_exprs s ON s.statistics_name = 'st_victims_name_words'
  WHERE c.oid = 'victims'::regclass`;

export interface WordStatisticsRow {
  words: string[] | null;
  shares: number[] | null;
  records: number;
}

export function wordStatisticsOf(row: WordStatisticsRow | undefined): WordStatistics {
  const list = row?.words ?? [];
  const shares = (row?.shares ?? []).map(Number);
  return {
    at: Date.now(),
    records: Number(row?.records ?? 0),
    share: new Map(list.map((w, k) => [w, shares[k]])),
    // After the words' shares: the least and the most of them, then the share of nulls.
    rest: list.length ? shares[list.length] : 0,
  };
}

/**
 * Whether the records holding these words are many enough that walking the records in id
 * order finds `wanted` of them sooner than reading all of them: a walk reads about
 * wanted × records / matches rows, the bitmap every match, so the two meet at
 * √(wanted × records) matches (7,100 for a page of 51 at a million). The matches are estimated
 * as PostgreSQL would (the share of records holding each common word, the words taken as
 * independent). Without statistics (a table never analysed, so a small one) no phrase is common.
 */
export function isCommonPhrase(stats: WordStatistics, words: string[], wanted: number): boolean {
  let matches = stats.records;
  for (const w of new Set(words)) matches *= stats.share.get(w) ?? stats.rest;
  // A table never analysed has no records counted (0 ≥ √0 would call every phrase common).
  return matches > 0 && matches >= Math.sqrt(wanted * stats.records);
}

const wordStatistics = new WeakMap<object, WordStatistics>();
const WORD_STATISTICS_TTL_MS = 5 * 60_000;

/** Reads the statistics again at the next search (after an ANALYZE, in tests). */
export function forgetWordStatistics(m: EntityManager): void {
  wordStatistics.delete(m.connection);
}

/** isCommonPhrase on the statistics, read at most every five minutes. */
export async function commonPhrase(
  m: EntityManager,
  words: string[],
  wanted: number,
): Promise<boolean> {
  let stats = wordStatistics.get(m.connection);
  if (!stats || Date.now() - stats.at > WORD_STATISTICS_TTL_MS) {
    const [row] = await m.query<WordStatisticsRow[]>(WORD_STATISTICS_SQL);
    stats = wordStatisticsOf(row);
    wordStatistics.set(m.connection, stats);
  }
  return isCommonPhrase(stats, words, wanted);
}
