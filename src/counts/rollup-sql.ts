import type { VictimFilterDto } from '../victims/victim-filter.js';

/**
 * The rollups (migration 1764000006000): victims pre-counted by harm, workflow status,
 * confidence, place and known date range (victim_rollup, with whether a source that is not
 * restricted attests them), and the same per attesting source (victim_source_rollup). Kept in
 * step with every write by triggers; merged duplicates are folded into the record they were
 * merged into, as the counts do.
 *
 * They answer a count whose filters and groupings use only those columns: place, window,
 * harm, status and confidence; by province, city, day, week or month. Anything else (gender,
 * age, perpetrator, cause, incident, source, a population narrower than all) is counted from
 * the victims themselves.
 */
export const ROLLUP_GROUPINGS = ['province', 'city', 'day', 'week', 'month'] as const;
export type RollupGroupBy = (typeof ROLLUP_GROUPINGS)[number];

/** Filters the rollup keys cannot hold. */
const VICTIM_ONLY_FILTERS = [
  'gender',
  'ageMin',
  'ageMax',
  'ageBand',
  'perpetrator',
  'cause',
  'incident',
  'source',
] as const satisfies readonly (keyof VictimFilterDto)[];

/** Whether the rollups hold everything this count asks (else it counts the victims). */
export function rollupAnswers(
  f: VictimFilterDto,
  dims: readonly string[],
  population: string,
): boolean {
  return (
    population === 'all' &&
    VICTIM_ONLY_FILTERS.every((k) => f[k] === undefined) &&
    dims.every((d) => (ROLLUP_GROUPINGS as readonly string[]).includes(d))
  );
}

/**
 * The live keys of a rollup table, shaped like victims to the filter's conditions (alias `v`):
 * they have the same column names, and no key is a merged record.
 */
export function rollupRows(table: 'victim_rollup' | 'victim_source_rollup'): string {
  return `(SELECT r.*, NULL::uuid AS merged_into FROM ${table} r WHERE r.n > 0)`;
}
