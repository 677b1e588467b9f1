import { AppError } from '../common/errors.js';
import type { Qualifier } from '../common/domain.js';
import { ClaimShapeError, claimInterval, type Interval } from '../reconciliation/intervals.js';

/** What each qualifier is entered with, in the words of a 400. */
const NEEDS: Record<Qualifier, { fields: ('low' | 'best' | 'high')[]; said: string }> = {
  exact: { fields: [], said: 'best (or equal low and high)' },
  at_least: { fields: ['low'], said: 'low' },
  more_than: { fields: ['low'], said: 'low' },
  about: { fields: ['best'], said: 'best' },
  at_most: { fields: ['high'], said: 'high' },
  up_to: { fields: ['high'], said: 'high' },
  between: { fields: ['low', 'high'], said: 'low and high' },
  between_or_more: { fields: ['low', 'high'], said: 'low and high' },
  estimates_range: { fields: ['low', 'high'], said: 'low and high' },
};

export interface Figures {
  qualifier: string;
  low: number | null;
  best: number | null;
  high: number | null;
}

/**
 * Checks a claim's figures against its qualifier before the database would (its CHECK is the
 * backstop), with the same rule reconciliation reads them by (claimInterval): a 400 naming the
 * field, e.g. "qualifier between needs low and high".
 */
export function checkFigures(f: Figures): Interval {
  const q = f.qualifier as Qualifier;
  const needs = NEEDS[q];
  const missing = needs.fields.find((field) => f[field] === null);
  if (missing || (q === 'exact' && f.best === null && (f.low === null || f.high === null))) {
    throw AppError.invalid(missing ?? 'best', `qualifier ${q} needs ${needs.said}`);
  }
  try {
    return claimInterval({ qualifier: q, low: f.low, best: f.best, high: f.high });
  } catch (e) {
    if (e instanceof ClaimShapeError)
      throw AppError.invalid(e.field, `${e.reason} (qualifier ${q} takes ${needs.said})`);
    throw e;
  }
}

/** "Exactly 230" entered as low = high = 230 is stored with its best figure too (the table requires it). */
export function withExactBest<T extends Figures>(f: T): T {
  if (f.qualifier === 'exact' && f.best === null && f.low !== null && f.low === f.high)
    return { ...f, best: f.low };
  return f;
}

const n = (v: number | null): string => (v === null ? '?' : v.toLocaleString('en-US'));

/** The figure in plain words: "at least 304", "estimates from 350 to 1,500". */
export function describeFigures(f: Figures): string {
  switch (f.qualifier as Qualifier) {
    case 'exact':
      return `exactly ${n(f.best ?? f.low)}`;
    case 'at_least':
      return `at least ${n(f.low)}`;
    case 'more_than':
      return `more than ${n(f.low)}`;
    case 'about':
      return `about ${n(f.best)}`;
    case 'at_most':
      return `at most ${n(f.high)}`;
    case 'up_to':
      return `up to ${n(f.high)}`;
    case 'between':
      return `between ${n(f.low)} and ${n(f.high)}`;
    case 'between_or_more':
      return `between ${n(f.low)} and ${n(f.high)}, and possibly more`;
    case 'estimates_range':
      return `estimates from ${n(f.low)} to ${n(f.high)}`;
    default:
      return f.qualifier;
  }
}
