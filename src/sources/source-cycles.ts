import type { EntityManager } from 'typeorm';

/**
 * Relay and citation loops. A source's origins are found by following what it relays
 * (attestations/confidence.repository.ts, the reconciliation); a loop (A relays B, B relays or
 * cites A) has no origin and makes one document its own corroboration. Both relations count:
 * a document cannot repeat or cite what repeats or cites it.
 */

/** Serialises the loop check of concurrent link writes (two updates closing one loop). */
const LINKS_LOCK = 1764000150;

/**
 * Which of `targets`, just linked from `id`, lead back to `id` through relays or cites: a
 * non-empty answer means the new links close a loop. Run inside the transaction that wrote them.
 */
export async function targetsLeadingBack(
  m: EntityManager,
  id: string,
  targets: string[],
): Promise<string[]> {
  if (!targets.length) return [];
  await m.query(`SELECT pg_advisory_xact_lock($1)`, [LINKS_LOCK]);
  const rows = await m.query<{ start: string }[]>(
    `WITH RECURSIVE reach(start, id) AS (
       SELECT t, t FROM unnest($2::uuid[]) AS t
       UNION
       SELECT r.start, l.target_id FROM source_links l JOIN reach r ON l.source_id = r.id
     )
     SELECT DISTINCT start FROM reach WHERE id = $1::uuid ORDER BY start`,
    [id, targets],
  );
  return rows.map((r) => r.start);
}

/**
 * The nodes of a link graph that lie on a loop (strongly connected components of more than one
 * node, or a node linked to itself), by Tarjan's algorithm, iteratively: a file of many sources
 * must not overflow the stack.
 */
export function nodesOnCycles(edges: ReadonlyMap<string, readonly string[]>): Set<string> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out = new Set<string>();
  let counter = 0;
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1];
      const succ = edges.get(frame.node) ?? [];
      if (frame.next < succ.length) {
        const w = succ[frame.next++];
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, next: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.node);
        if (component.length > 1 || succ.includes(frame.node))
          for (const c of component) out.add(c);
      }
    }
  }
  return out;
}
