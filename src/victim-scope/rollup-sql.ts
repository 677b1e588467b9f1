import type { VictimFilterDto } from './victim-filter.js';

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

/**
 * Whether the compact rollups (migration 1764000200000, keyed by area: the province, or the
 * place above any province) answer a count the place-level rollups answer: grouped by province
 * or not at all, over the whole gazetteer or a province or country, without a confidence filter
 * (their per-source rows have no confidence).
 */
export function areaAnswers(
  f: VictimFilterDto,
  dims: readonly string[],
  population: string,
  location: { kind: string } | null,
): boolean {
  return (
    rollupAnswers(f, dims, population) &&
    f.minConfidence === undefined &&
    dims.every((d) => d === 'province') &&
    (location === null || location.kind === 'province' || location.kind === 'country')
  );
}

/**
 * The live keys of a compact rollup, shaped like victims (alias `v`): the area stands in the
 * place's column. Every place of a province's or a country's subtree that is an area is in the
 * subtree, so the filter's place condition selects the same records as on the victims.
 */
export function areaRows(table: 'victim_area_rollup' | 'victim_area_source_rollup'): string {
  return `(SELECT r.*, r.area_id AS location_id, NULL::uuid AS merged_into FROM ${table} r WHERE r.n > 0)`;
}

/** Which rollups answer a count: the compact ones, the place-level ones, or none (the victims). */
export type RollupLevel = 'area' | 'place' | null;

/** The rollups that answer this count, the compact ones first; null: count the victims. */
export function rollupLevel(
  f: VictimFilterDto,
  dims: readonly string[],
  population: string,
  location: { kind: string } | null,
): RollupLevel {
  if (areaAnswers(f, dims, population, location)) return 'area';
  return rollupAnswers(f, dims, population) ? 'place' : null;
}
