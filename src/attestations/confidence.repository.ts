import type { EntityManager } from 'typeorm';
import type { Reliability } from '../reconciliation/reconcile.js';
import { deriveConfidence, type AttestationGrade, type Confidence } from './confidence.js';

// Victims per round trip: small enough that every statement stays an index lookup (a larger
// batch tips the planner into scanning whole tables), large enough for bulk imports.
const CHUNK = 1000;

interface GradeRow {
  victim_id: string;
  source_id: string;
  restricted?: boolean;
  reliability: Reliability;
  credibility: number;
  primary_evidence: boolean;
}

/**
 * Recomputes victims.confidence (attestations/confidence.ts) and victims.public_confidence (the
 * same rule over the sources that are not restricted: see publicConfidence) for these victims
 * and for every record they are merged into, since a merge target counts the attestations of
 * the records merged into it. Set-based and chunked: per chunk, one statement reads the grades,
 * one the relay graph of sources not seen yet, one UPDATE … FROM unnest writes the levels that
 * changed. Every write that can change a level calls it: attestations added, changed or
 * removed, a source's reliability, relays or restricted flag, merges, imports.
 */
export async function refreshConfidence(m: EntityManager, victimIds: string[]): Promise<void> {
  const ids = [...new Set(victimIds)];
  const origins = new Map<string, string[]>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = await withMergeTargets(m, ids.slice(i, i + CHUNK));
    const rootsOf = await mergeGroups(m, chunk);
    const rows = await m.query<GradeRow[]>(
      `SELECT a.victim_id, a.source_id, s.reliability, a.credibility::int AS credibility, a.primary_evidence,
              s.restricted
         FROM attestations a
         JOIN sources s ON s.id = a.source_id
        WHERE a.victim_id = ANY($1::uuid[])`,
      [[...rootsOf.keys()]],
    );
    await loadOrigins(
      m,
      [...new Set(rows.map((r) => r.source_id))].filter((s) => !origins.has(s)),
      origins,
    );

    const byVictim = new Map<string, GradeRow[]>(chunk.map((id) => [id, []]));
    for (const r of rows) for (const root of rootsOf.get(r.victim_id)!) byVictim.get(root)!.push(r);
    const levels = [...byVictim].map(([id, grades]) => [
      id,
      confidenceOf(grades, origins),
      confidenceOf(
        grades.filter((g) => !g.restricted),
        origins,
      ),
    ]);
    await m.query(
      `UPDATE victims v SET confidence = u.confidence, public_confidence = u.public_confidence
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS u(id, confidence, public_confidence)
        WHERE v.id = u.id
          AND (v.confidence, v.public_confidence) IS DISTINCT FROM (u.confidence, u.public_confidence)`,
      [levels.map((l) => l[0]), levels.map((l) => l[1]), levels.map((l) => l[2])],
    );
  }
}

/**
 * The confidence shown to a reader who may not see restricted sources: derived by the same rule
 * from the attestations of sources that are not restricted only (those of the records merged into
 * each included), never from what a confidential source adds. Relays are still followed to their
 * origins, restricted or not: two public outlets repeating one informant stay one origin, so the
 * level is never higher than the visible evidence supports. refreshConfidence stores it as
 * victims.public_confidence, which counts, filters, pages and exports read; this computes it from
 * the attestations (the migration that added the column, and the tests comparing the two).
 */
export async function publicConfidence(
  m: EntityManager,
  victimIds: string[],
): Promise<Map<string, Confidence>> {
  const ids = [...new Set(victimIds)];
  const out = new Map<string, Confidence>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rootsOf = await mergeGroups(m, chunk);
    const rows = await m.query<GradeRow[]>(
      `SELECT a.victim_id, a.source_id, s.reliability, a.credibility::int AS credibility, a.primary_evidence
         FROM attestations a
         JOIN sources s ON s.id = a.source_id AND NOT s.restricted
        WHERE a.victim_id = ANY($1::uuid[])`,
      [[...rootsOf.keys()]],
    );
    const origins = new Map<string, string[]>();
    await loadOrigins(m, [...new Set(rows.map((r) => r.source_id))], origins);
    const byVictim = new Map<string, GradeRow[]>(chunk.map((id) => [id, []]));
    for (const r of rows)
      for (const root of rootsOf.get(r.victim_id) ?? []) byVictim.get(root)?.push(r);
    for (const [id, grades] of byVictim) out.set(id, confidenceOf(grades, origins));
  }
  return out;
}

/**
 * The confidence of a record with these attestations (its own and those of the records merged
 * into it), given the origins of every relaying source among them (loadOrigins; a source not in
 * `origins` is its own origin). A bulk import derives its new records' level with it before
 * inserting them, from the same rule as refreshConfidence.
 */
export function confidenceOf(
  grades: Omit<GradeRow, 'victim_id'>[],
  origins: Map<string, string[]>,
): Confidence {
  return deriveConfidence(independent(grades, origins));
}

/** The ids and every record they are merged into, up the chain. */
async function withMergeTargets(m: EntityManager, ids: string[]): Promise<string[]> {
  const seen = new Set(ids);
  let frontier = ids;
  while (frontier.length) {
    const rows = await m.query<{ id: string }[]>(
      `SELECT DISTINCT merged_into AS id FROM victims WHERE id = ANY($1::uuid[]) AND merged_into IS NOT NULL`,
      [frontier],
    );
    frontier = rows.map((r) => r.id).filter((id) => !seen.has(id));
    frontier.forEach((id) => seen.add(id));
  }
  return [...seen];
}

/**
 * The records counted under each root: the root itself and every record merged into it, down
 * the chain. Keyed by member; a record belongs to every root above it in the call (a record
 * and its merge target may both be refreshed). Walked as (member, root) pairs, each once, so
 * it ends even on a cycle the service would never let form.
 */
async function mergeGroups(m: EntityManager, roots: string[]): Promise<Map<string, string[]>> {
  const rootsOf = new Map<string, Set<string>>();
  const add = (member: string, root: string): boolean => {
    const set = rootsOf.get(member) ?? new Set<string>();
    rootsOf.set(member, set);
    return set.size !== set.add(root).size;
  };
  let frontier: [string, string][] = roots.filter((id) => add(id, id)).map((id) => [id, id]);
  while (frontier.length) {
    const rows = await m.query<{ id: string; merged_into: string }[]>(
      `SELECT id, merged_into FROM victims WHERE merged_into = ANY($1::uuid[])`,
      [[...new Set(frontier.map(([member]) => member))]],
    );
    const childrenOf = new Map<string, string[]>();
    for (const r of rows)
      childrenOf.set(r.merged_into, [...(childrenOf.get(r.merged_into) ?? []), r.id]);
    frontier = frontier.flatMap(([member, root]) =>
      (childrenOf.get(member) ?? [])
        .filter((child) => add(child, root))
        .map((child): [string, string] => [child, root]),
    );
  }
  return new Map([...rootsOf].map(([member, set]) => [member, [...set]]));
}

/**
 * The origins of each source: follow `relays` links to the sources that relay nothing. A chain
 * that only loops back (A relays B, B relays A) has no such end: every source on the loop is
 * then its origin. UNION (not UNION ALL) stops the recursion on cycles.
 */
export async function loadOrigins(
  m: EntityManager,
  sourceIds: string[],
  into: Map<string, string[]>,
): Promise<void> {
  if (!sourceIds.length) return;
  const rows = await m.query<{ start: string; origins: string[] }[]>(
    `WITH RECURSIVE reach(start, cur) AS (
       SELECT id, id FROM unnest($1::uuid[]) AS id
       UNION
       SELECT r.start, l.target_id FROM reach r
         JOIN source_links l ON l.source_id = r.cur AND l.relation = 'relays'
     )
     SELECT r.start,
            coalesce(
              array_agg(r.cur ORDER BY r.cur) FILTER (WHERE NOT EXISTS (
                SELECT 1 FROM source_links l WHERE l.source_id = r.cur AND l.relation = 'relays')),
              array_agg(r.cur ORDER BY r.cur)
            )::text[] AS origins
       FROM reach r
      GROUP BY r.start`,
    [sourceIds],
  );
  for (const r of rows) into.set(r.start, r.origins);
}

/**
 * Grades with an origin id each. A source relaying several sources has several origins; two
 * attestations are independent only when their origins are disjoint, so attestations whose
 * origins overlap are grouped (union–find) and each group counts as one origin. This never
 * counts more independent origins than there are.
 */
function independent(
  grades: Omit<GradeRow, 'victim_id'>[],
  origins: Map<string, string[]>,
): AttestationGrade[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  for (const g of grades) {
    const os = origins.get(g.source_id) ?? [g.source_id];
    for (const o of os) if (!parent.has(o)) parent.set(o, o);
    for (const o of os.slice(1)) {
      const a = find(os[0]);
      const b = find(o);
      if (a !== b) parent.set(b, a);
    }
  }
  return grades.map((g) => ({
    originId: find((origins.get(g.source_id) ?? [g.source_id])[0]),
    reliability: g.reliability,
    credibility: g.credibility,
    primaryEvidence: g.primary_evidence,
  }));
}
