import type { EntityManager } from 'typeorm';
import { areaSourceCounts, areaTopSources } from '../counts/area-sources.js';
import type { BuiltFilter } from '../victim-scope/victim-filter.js';
import type { DocumentedRow } from './reconciliation.repository.js';

/** Sources listed with a documented count; the rest are paged (GET /api/counts/sources). */
export const DOCUMENTED_SOURCES = 20;

/** The first `limit` sources by victims (then id), in the order shown: victims, title, id. */
export function topSources<T extends { id: string; title: string; victims: number }>(
  list: T[],
  limit = DOCUMENTED_SOURCES,
): T[] {
  return [...list]
    .sort((a, b) => b.victims - a.victims || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, limit)
    .sort(
      (a, b) => b.victims - a.victims || a.title.localeCompare(b.title) || a.id.localeCompare(b.id),
    );
}

/**
 * The documented count's top sources and their number, from the compact rollups
 * (src/counts/area-sources.ts); `certain` selects the counted keys.
 */
export async function areaDocumentedSources(
  m: EntityManager,
  certain: BuiltFilter,
  opts: { seesRestricted: boolean; counted: string[]; harm: string | null; province?: string },
): Promise<{ victims: Map<string, number>; count: number }> {
  const count = await areaSourceCounts(m, certain, false, opts);
  const top = await areaTopSources(m, certain, [{ key: null }], {
    ...opts,
    limit: DOCUMENTED_SOURCES,
  });
  return {
    victims: new Map((top.get(null) ?? []).map((t) => [t.sourceId, t.n])),
    count: count.get(null) ?? 0,
  };
}

/**
 * A count read from the rollups, less the folded records: what each contributes to the
 * rollups is in victim_rollup_members (its confidence and its sources, those of the records
 * merged into it included), so the same numbers are subtracted.
 */
export async function withoutFolded(
  m: EntityManager,
  row: Omit<DocumentedRow, 'sourceCount'>,
  opts: { seesRestricted: boolean; folded: string[]; confidenceColumn: string },
): Promise<Omit<DocumentedRow, 'sourceCount'>> {
  const members = await m.query<{ confidence: string; n: number }[]>(
    `SELECT ${opts.confidenceColumn} AS confidence, count(*)::int AS n FROM victim_rollup_members
      WHERE victim_id = ANY($1::uuid[]) ${opts.seesRestricted ? '' : 'AND public'}
      GROUP BY 1`,
    [opts.folded],
  );
  const bySource = await m.query<{ id: string; n: number }[]>(
    `SELECT x.source_id AS id, count(*)::int AS n
       FROM victim_rollup_members rm CROSS JOIN LATERAL unnest(rm.sources) AS x(source_id)
       ${opts.seesRestricted ? '' : 'JOIN sources s ON s.id = x.source_id AND NOT s.restricted'}
      WHERE rm.victim_id = ANY($1::uuid[])
      GROUP BY x.source_id`,
    [opts.folded],
  );
  const byConfidence = { ...row.byConfidence };
  let total = row.total;
  for (const r of members) {
    byConfidence[r.confidence] = (byConfidence[r.confidence] ?? 0) - r.n;
    total -= r.n;
  }
  const less = new Map(bySource.map((r) => [r.id, r.n]));
  const sources = row.sources
    .map((s) => ({ ...s, victims: s.victims - (less.get(s.id) ?? 0) }))
    .filter((s) => s.victims > 0)
    .sort(
      (a, b) => b.victims - a.victims || a.title.localeCompare(b.title) || a.id.localeCompare(b.id),
    );
  return { ...row, total, byConfidence, sources };
}
