/**
 * A merged group: a counted record (merged_into IS NULL) with every record merged into it,
 * directly or through a chain (A into B, then B into C: A and B both stand for C). A merge keeps
 * every attestation: the group's record is attested by its own and by those of its members, and
 * only it is counted. The recursive CTEs below are the one definition of that group, read from
 * either end; a statement using one starts `WITH RECURSIVE`.
 */

/**
 * CTE `merged_roots(id, root)`: every merged record with the record it finally stands for. The
 * counts and the reconciliation credit a member's attestations to its root this way.
 */
export const MERGED_ROOTS = `merged_roots(id, root) AS (
  SELECT id, merged_into FROM victims WHERE merged_into IS NOT NULL
  UNION
  SELECT mr.id, mv.merged_into FROM merged_roots mr JOIN victims mv ON mv.id = mr.root
   WHERE mv.merged_into IS NOT NULL
)`;

/**
 * CTE `grp(root, member)`: each record of the uuid[] parameter `ids` (a placeholder such as
 * `$1`) as its own member, with every record merged into it, directly or through a chain.
 */
export function mergedMembers(ids: string): string {
  return `grp(root, member) AS (
       SELECT id, id FROM unnest(${ids}::uuid[]) AS id
       UNION
       SELECT g.root, c.id FROM grp g JOIN victims c ON c.merged_into = g.member
     )`;
}

/**
 * CTE `up(id)`: the record of the uuid parameter `id` and every record it is merged into, up to
 * the root of its group.
 */
export function mergeChain(id: string): string {
  return `up(id) AS (
         SELECT ${id}::uuid
         UNION
         SELECT v.merged_into FROM up JOIN victims v ON v.id = up.id WHERE v.merged_into IS NOT NULL
       )`;
}
