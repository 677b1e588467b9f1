import { HARMS, QUALIFIERS, type Reliability } from '../common/domain.js';

// One list each, in common/domain.ts, mirrored there by the database's CHECK constraints.
export const CATEGORIES = HARMS;
export type Category = (typeof CATEGORIES)[number];
export { QUALIFIERS };
export type Qualifier = (typeof QUALIFIERS)[number];

/**
 * What a figure says, as an interval over counts. `low`/`high` are null when unbounded.
 * `hard` is false when the ends are estimates (about, estimates_range), not bounds.
 */
export interface Interval {
  low: number | null;
  lowInclusive: boolean;
  high: number | null;
  highInclusive: boolean;
  best: number | null;
  hard: boolean;
}

export type ClaimFigures = {
  qualifier: Qualifier;
  low: number | null;
  best: number | null;
  high: number | null;
};

export class ClaimShapeError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
    readonly claimId: string | null = null,
  ) {
    super(`${claimId === null ? '' : `claim ${claimId}: `}${field}: ${reason}`);
    this.name = 'ClaimShapeError';
  }
}

type Field = 'low' | 'best' | 'high';

// The fields each qualifier is entered with; any other field must be empty, so that an
// entry like "at_least 304, high 1,500" is rejected rather than silently read one way.
const FIELDS: Record<Exclude<Qualifier, 'exact'>, readonly Field[]> = {
  at_least: ['low'],
  more_than: ['low'],
  about: ['best'],
  at_most: ['high'],
  up_to: ['high'],
  between: ['low', 'high'],
  between_or_more: ['low', 'high'],
  estimates_range: ['low', 'high'],
};

const HINT: Record<Exclude<Qualifier, 'exact'>, string> = {
  at_least: '"at least" is entered as low only',
  more_than: '"more than" is entered as low only',
  about: '"about" is entered as best only',
  at_most: '"at most" is entered as high only',
  up_to: '"up to" is entered as high only',
  between: '"between" is entered as low and high',
  between_or_more: '"between a and b, and possibly more" is entered as low and high',
  estimates_range: 'a range of estimates is entered as low and high',
};

function checkCount(field: Field, v: number | null): void {
  if (v !== null && !(Number.isSafeInteger(v) && v >= 0)) {
    throw new ClaimShapeError(field, `must be a whole number of people, 0 or more (got ${v})`);
  }
}

/** Validates a claim's figures against its qualifier and returns what they mean. */
export function claimInterval(c: ClaimFigures): Interval {
  if (!(QUALIFIERS as readonly string[]).includes(c.qualifier)) {
    throw new ClaimShapeError('qualifier', `unknown qualifier "${String(c.qualifier)}"`);
  }
  checkCount('low', c.low);
  checkCount('best', c.best);
  checkCount('high', c.high);

  if (c.qualifier === 'exact') {
    const given = [c.low, c.best, c.high].filter((v): v is number => v !== null);
    if (given.length === 0) {
      throw new ClaimShapeError('best', 'an exact figure needs a value');
    }
    if (c.best === null && (c.low === null || c.high === null)) {
      throw new ClaimShapeError(
        'high',
        'an exact figure is entered as best, or as equal low and high',
      );
    }
    if (given.some((v) => v !== given[0])) {
      throw new ClaimShapeError(
        'high',
        'an exact figure has one value: low, best and high must agree',
      );
    }
    const v = given[0];
    return { low: v, lowInclusive: true, high: v, highInclusive: true, best: v, hard: true };
  }

  const uses = FIELDS[c.qualifier];
  for (const f of ['low', 'best', 'high'] as const) {
    if (uses.includes(f) && c[f] === null) {
      throw new ClaimShapeError(f, `is required: ${HINT[c.qualifier]}`);
    }
    if (!uses.includes(f) && c[f] !== null) {
      throw new ClaimShapeError(f, `must be empty: ${HINT[c.qualifier]}`);
    }
  }
  const low = c.low as number;
  const best = c.best as number;
  const high = c.high as number;

  switch (c.qualifier) {
    case 'at_least':
      return { low, lowInclusive: true, high: null, highInclusive: false, best: null, hard: true };
    case 'more_than':
      return { low, lowInclusive: false, high: null, highInclusive: false, best: null, hard: true };
    case 'about':
      return {
        low: null,
        lowInclusive: false,
        high: null,
        highInclusive: false,
        best,
        hard: false,
      };
    case 'at_most':
    case 'up_to':
      // A count can't go below zero, so "as many as 200" is [0, 200].
      return { low: 0, lowInclusive: true, high, highInclusive: true, best: null, hard: true };
    case 'between':
    case 'between_or_more':
    case 'estimates_range':
      if (low > high) {
        throw new ClaimShapeError('high', `must not be below low (${low} > ${high})`);
      }
      return {
        low,
        lowInclusive: true,
        high,
        highInclusive: true,
        best: null,
        hard: c.qualifier === 'between',
      };
  }
}

/** The smallest count a figure guarantees, or null when it guarantees none. */
export function hardFloor(q: Qualifier, i: Interval): number | null {
  if (q === 'exact' || q === 'at_least' || q === 'between' || q === 'between_or_more') return i.low;
  // "more than 1,500" people means at least 1,501.
  if (q === 'more_than') return i.low === null ? null : i.low + 1;
  return null;
}

/**
 * The top of a figure: its hard upper bound, or its estimate (about, the high end of a range
 * of estimates). Null when the figure is unbounded above.
 */
export function upperEnd(q: Qualifier, i: Interval): number | null {
  if (q === 'exact' || q === 'about') return i.best;
  if (q === 'at_least' || q === 'more_than') return null;
  if (i.high === null) return null;
  return i.highInclusive ? i.high : i.high - 1;
}

/** How far a floor may exceed an estimate before the estimate is contradicted (10 %). */
export const ESTIMATE_TOLERANCE = 0.1;

/** Whether a figure's top is an estimate (soft) rather than a bound (hard). */
export function isEstimate(q: Qualifier): boolean {
  return q === 'about' || q === 'estimates_range' || q === 'between_or_more';
}

export function sameInterval(a: Interval, b: Interval): boolean {
  return (
    a.low === b.low &&
    a.lowInclusive === b.lowInclusive &&
    a.high === b.high &&
    a.highInclusive === b.highInclusive &&
    a.best === b.best &&
    a.hard === b.hard
  );
}

/** Admiralty source reliability in words (one list for the reasons and the statement). */
export const RELIABILITY_LABEL: Record<Reliability, string> = {
  A: 'completely reliable',
  B: 'usually reliable',
  C: 'fairly reliable',
  D: 'not usually reliable',
  E: 'unreliable',
  F: 'reliability cannot be judged',
};
