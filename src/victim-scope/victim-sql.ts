import type { EntityManager } from 'typeorm';
import { aggregateWorkMem } from '../common/engine-memory.js';
import { ADULT_AGE, CHILD_AGE_BANDS } from './age-bands.js';

/**
 * SQL fragments shared by the counts and the reconciliation. Alias `v` is the victim being
 * counted. A statement using them starts `WITH RECURSIVE ${MERGED_ROOTS},
 * ${mergedAttestations(…)}, …` (MERGED_ROOTS: ./merged-groups.ts).
 *
 * Plan notes (measured on 300,000 victims and 900,000 attestations, see docs/counts.md): the
 * victims in scope are materialized once, and every join from them goes to a base table
 * (attestations, locations) by its index, never from one CTE to another: the planner has no
 * statistics on a CTE's columns, and a CTE-to-CTE join is estimated thousands of times too large.
 */

const visibleSource = (seesRestricted: boolean, a: string): string =>
  seesRestricted
    ? ''
    : `JOIN sources ${a}_src ON ${a}_src.id = ${a}.source_id AND NOT ${a}_src.restricted`;

/** CTE `merged_att(vid, source_id)`: attestations of merged records, credited to their root. */
export function mergedAttestations(seesRestricted: boolean): string {
  return `merged_att AS MATERIALIZED (
    SELECT mr.root AS vid, ma.source_id FROM merged_roots mr
      JOIN attestations ma ON ma.victim_id = mr.id ${visibleSource(seesRestricted, 'ma')}
  )`;
}

/**
 * Distinct (victim, source) rows for the victims of CTE `scope` (column `id`, selected from
 * victims `v` by the conditions `where`): their own attestations, then those of their merged
 * records that add a source. The second part selects its roots by `where` again, from the
 * victims table, and recomputes the `carry` columns there: joined to the scope CTE instead, it
 * would be estimated at millions of rows (the planner has no statistics on a CTE) and the plan
 * would sort on disk. For a reader who may not see restricted data only sources that are not
 * restricted count, and a victim without any such pair is left out by the callers: a victim
 * known only from a confidential source would be a number without a source.
 */
export function attestationPairs(
  scope: string,
  carry: { name: string; sql: string }[],
  opts: { where: string; seesRestricted: boolean; needsPlace?: boolean },
): string {
  const own = ['g.id', ...carry.map((c) => `g.${c.name}`)].join(', ');
  const merged = ['v.id', ...carry.map((c) => `${c.sql} AS ${c.name}`)].join(', ');
  return `SELECT DISTINCT ${own}, a.source_id FROM ${scope} g
            JOIN attestations a ON a.victim_id = g.id ${visibleSource(opts.seesRestricted, 'a')}
          UNION ALL
          SELECT DISTINCT ${merged}, m.source_id FROM merged_att m
            JOIN victims v ON v.id = m.vid ${opts.needsPlace ? 'LEFT JOIN locations l ON l.id = v.location_id' : ''}
           WHERE ${opts.where}
             AND NOT EXISTS (SELECT 1 FROM attestations a2 WHERE a2.victim_id = v.id AND a2.source_id = m.source_id)`;
}

/** Documented victims of a population, as far as a record can tell (see docs/counts.md). */
export function populationCondition(population: string): string | null {
  switch (population) {
    case 'all':
      return null;
    case 'children':
      return `(v.age < ${ADULT_AGE} OR v.age_max < ${ADULT_AGE} OR v.age_band IN (${CHILD_AGE_BANDS.map((b) => `'${b}'`).join(', ')}))`;
    case 'women':
      return `v.gender = 'female'`;
    default:
      // Victim records say nothing of whether someone was a protester, a bystander or a
      // member of the security forces: no record can be counted for those populations.
      return 'FALSE';
  }
}

/**
 * For the aggregate statements, inside their transaction: JIT compiling costs more than it
 * saves on these plans (their row estimates after CTEs are rough and trigger it needlessly), and
 * the default work_mem spills their hash tables to disk. How much more depends on the engine
 * (src/common/engine-memory.ts): the embedded engine keeps whatever it once allocated.
 */
export async function tuneForAggregates(m: EntityManager): Promise<void> {
  await m.query(`SET LOCAL jit = off`);
  await m.query(`SET LOCAL work_mem = '${aggregateWorkMem(m.connection)}'`);
}
