import { AGE_BANDS } from '../common/domain.js';
import { AppError } from '../common/errors.js';
import type { VictimEntity } from '../victims/victim.entity.js';

/**
 * The age bands (common/domain.ts AGE_BANDS): the youngest and oldest age of each, the band of
 * an age in TypeScript and in SQL, and which bands are children's. A record states an age, an age
 * range or a band; the band is derived from the others when not given (ageColumns).
 */
export function bandRange(band: string): [number, number] {
  const m = /^(\d+)(?:-(\d+)|\+)$/.exec(band)!;
  return [Number(m[1]), m[2] === undefined ? 130 : Number(m[2])];
}

export function ageBandOf(age: number): string {
  return AGE_BANDS.find((b) => age <= bandRange(b)[1])!;
}

/** The age from which a victim is not a child (the population `children`). */
export const ADULT_AGE = 18;

/** The bands that lie below ADULT_AGE: '0-11', '12-17'. */
export const CHILD_AGE_BANDS: readonly string[] = AGE_BANDS.filter(
  (b) => bandRange(b)[1] < ADULT_AGE,
);

/** SQL: the band of the exact age `v.age` (NULL without one), as ageBandOf gives it. */
export function ageBandSql(): string {
  const last = AGE_BANDS[AGE_BANDS.length - 1];
  const below = AGE_BANDS.slice(0, -1).map(
    (b) => `WHEN v.age < ${bandRange(b)[1] + 1} THEN '${b}'`,
  );
  return `CASE ${below.join(' ')} WHEN v.age >= ${bandRange(last)[0]} THEN '${last}' END`;
}

function derivedBand(age: number | null, min: number | null, max: number | null): string | null {
  if (age !== null) return ageBandOf(age);
  if (min !== null && max !== null)
    return ageBandOf(min) === ageBandOf(max) ? ageBandOf(min) : null;
  if (min !== null && ageBandOf(min) === '60+') return '60+';
  return null;
}

export type AgeFields = Pick<VictimEntity, 'age' | 'ageMin' | 'ageMax' | 'ageBand'>;

/**
 * The age columns after a create (current null) or an update: an exact age or a range, never
 * both; the band is derived from them unless given, and must agree with them. Empty when the
 * request touches no age field.
 */
export function ageColumns(dto: Partial<AgeFields>, current: AgeFields | null): Partial<AgeFields> {
  const given = (k: keyof AgeFields): boolean => dto[k] !== undefined;
  if (!given('age') && !given('ageMin') && !given('ageMax') && !given('ageBand')) return {};
  if (dto.age != null && (dto.ageMin != null || dto.ageMax != null)) {
    throw AppError.invalid('age', 'give either age or ageMin/ageMax, not both');
  }
  let age = current?.age ?? null;
  let min = current?.ageMin ?? null;
  let max = current?.ageMax ?? null;
  if (given('age')) {
    age = dto.age ?? null;
    if (age !== null) [min, max] = [null, null];
  }
  if (given('ageMin') || given('ageMax')) {
    if (given('ageMin')) min = dto.ageMin ?? null;
    if (given('ageMax')) max = dto.ageMax ?? null;
    if (min !== null || max !== null) age = null;
  }
  if (min !== null && max !== null && min > max)
    throw AppError.invalid('ageMax', `must not be below ageMin (${min})`);
  const band = given('ageBand') ? (dto.ageBand ?? null) : derivedBand(age, min, max);
  if (band !== null) {
    const [lo, hi] = bandRange(band);
    if (age !== null && (age < lo || age > hi))
      throw AppError.invalid('ageBand', `${band} does not contain age ${age}`);
    if ((min !== null && min > hi) || (max !== null && max < lo)) {
      throw AppError.invalid(
        'ageBand',
        `${band} lies outside the age range ${min ?? '?'}–${max ?? '?'}`,
      );
    }
  }
  return { age, ageMin: min, ageMax: max, ageBand: band };
}
