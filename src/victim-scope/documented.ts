import type { EntityManager } from 'typeorm';
import type { BuiltFilter } from './victim-filter.js';
import { publicRecordSql } from './visibility.js';

/**
 * The documented minimum's rule (docs/counts.md, docs/reconciliation.md): which records a
 * documented count counts, and what it reports beside the count.
 *
 * - `verified` (the default): distinct people whose records are verified (workflow status):
 *   a floor a researcher can stake their name on. Records not yet verified (draft, submitted)
 *   and disputed ones are reported beside it, never inside it.
 * - `all`: every record of the statuses the query includes (by default all but retracted).
 *
 * Either way a merged duplicate counts once, as the record it was merged into, and every
 * unresolved cluster of likely duplicates (src/duplicates: state open or unsure) counts once:
 * of its counted members in scope only the first (by id) is counted, the others are folded.
 */
export const DOCUMENTED_RULES = ['verified', 'all'] as const;
export type DocumentedRule = (typeof DOCUMENTED_RULES)[number];
export const DEFAULT_DOCUMENTED_RULE: DocumentedRule = 'verified';

/** Statuses reported beside the count as awaiting review. */
export const AWAITING_STATUSES = ['draft', 'submitted'] as const;

/** Cluster states whose members the documented count counts once. */
export const UNRESOLVED_CLUSTER_STATES = ['open', 'unsure'] as const;

/** The statuses a documented count counts, out of those the query includes. */
export function countedStatuses(rule: DocumentedRule, statuses: readonly string[]): string[] {
  return rule === 'all' ? [...statuses] : statuses.filter((s) => s === 'verified');
}

/** The rule in plain words, for `rules` and for each count's answer. */
export function documentedRuleText(rule: DocumentedRule): string {
  const base =
    rule === 'verified'
      ? 'Documented (documented=verified, the default): distinct people whose records are verified in the workflow. Records not yet verified (draft, submitted) and disputed ones are reported beside the count (awaitingReview, disputed), never inside it; documented=all counts every included status.'
      : 'Documented (documented=all): every record of the included workflow statuses, verified or not; documented=verified (the default) counts verified records only.';
  return `${base} A merged duplicate counts once, as the record it was merged into; every unresolved cluster of likely duplicates (the record-linkage queue, GET /api/duplicates) counts once: its other counted records are reported as foldedDuplicates, and records awaiting review that may duplicate another record in scope as possibleDuplicates.`;
}

export interface Folding {
  /** Counted records folded into another record of their unresolved cluster. */
  folded: string[];
  /** Records awaiting review (draft, submitted) in scope that may duplicate another record in scope. */
  possibleDuplicates: number;
}

/**
 * The members of unresolved clusters in scope: which counted records are folded into another
 * of their cluster, and how many awaiting records may be duplicates. A cluster's counted
 * members (status counted, and `certain` true) keep the first by id; its awaiting members are
 * possible duplicates when the cluster has a counted member in scope, else all but the first.
 * The clusters are few (a record each at most per scan), so this reads them by index.
 */
export async function folding(
  m: EntityManager,
  filter: BuiltFilter,
  opts: {
    counted: string[];
    certainSql?: string;
    extraParams?: unknown[];
    seesRestricted: boolean;
  },
): Promise<Folding> {
  // Most of the time there is no unresolved cluster at all (no scan yet, or every cluster
  // decided): one probe of the clusters' state index, and nothing more to read.
  const [any] = await m.query<{ open: boolean }[]>(
    `SELECT EXISTS (SELECT 1 FROM duplicate_clusters WHERE state = ANY($1::text[])) AS open`,
    [[...UNRESOLVED_CLUSTER_STATES]],
  );
  if (!any.open) return { folded: [], possibleDuplicates: 0 };
  const params = [...filter.params, ...(opts.extraParams ?? [])];
  params.push(opts.counted);
  const counted = `$${params.length}`;
  params.push([...UNRESOLVED_CLUSTER_STATES]);
  const states = `$${params.length}`;
  params.push([...AWAITING_STATUSES]);
  const awaiting = `$${params.length}`;
  // A reader who may not see restricted data counts only records a public source attests.
  const visible = publicRecordSql(opts.seesRestricted);
  const [row] = await m.query<Folding[]>(
    `WITH members AS MATERIALIZED (
       SELECT cm.cluster_id, v.id, v.status = ANY(${awaiting}::text[]) AS awaiting,
              (v.status = ANY(${counted}::text[]) AND ${opts.certainSql ?? 'TRUE'}) AS counted
         FROM duplicate_clusters c
         JOIN duplicate_cluster_members cm ON cm.cluster_id = c.id
         JOIN victims v ON v.id = cm.victim_id
        WHERE c.state = ANY(${states}::text[]) AND ${filter.where} ${visible}
     ),
     ranked AS (
       SELECT *, row_number() OVER (PARTITION BY cluster_id ORDER BY counted DESC, id) AS rn,
              bool_or(counted) OVER (PARTITION BY cluster_id) AS has_counted
         FROM members
     )
     SELECT coalesce(array_agg(DISTINCT id) FILTER (WHERE counted AND rn > 1), '{}') AS folded,
            count(DISTINCT id) FILTER (WHERE awaiting AND NOT counted AND (has_counted OR rn > 1))::int
              AS "possibleDuplicates"
       FROM ranked`,
    params,
  );
  // A record in two unresolved clusters may be the first of one and folded in the other.
  return { folded: row.folded, possibleDuplicates: row.possibleDuplicates };
}
