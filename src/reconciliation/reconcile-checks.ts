import { SOURCE_INTERESTS } from '../common/domain.js';
import {
  CATEGORIES,
  ClaimShapeError,
  claimInterval,
  hardFloor,
  upperEnd,
  type Interval,
} from './intervals.js';
import {
  RELIABILITIES,
  type ClaimInput,
  type DocumentedInput,
  type QueryScope,
} from './reconcile-types.js';
import {
  POPULATIONS,
  claimWindow,
  dateSpan,
  populationContains,
  type DateWindow,
} from './scope.js';

// The input checked before any claim is used, and claims' breakdowns as claims of their own.

export function checkClaim(c: ClaimInput): Interval {
  const fail = (field: string, reason: string): never => {
    throw new ClaimShapeError(field, reason, c.id);
  };
  if (!(CATEGORIES as readonly string[]).includes(c.category)) {
    fail('category', `unknown category "${String(c.category)}"`);
  }
  if (!(POPULATIONS as readonly string[]).includes(c.scope.population)) {
    fail('scope.population', `unknown population "${String(c.scope.population)}"`);
  }
  if (!Number.isInteger(c.credibility) || c.credibility < 1 || c.credibility > 6) {
    fail('credibility', `must be a whole number from 1 to 6 (got ${c.credibility})`);
  }
  for (const [field, s] of [
    ['source', c.source],
    ['attributedTo', c.attributedTo],
  ] as const) {
    if (s !== null && !(RELIABILITIES as readonly string[]).includes(s.reliability)) {
      fail(`${field}.reliability`, `must be one of A–F (got "${String(s.reliability)}")`);
    }
    if (
      s !== null &&
      s.interest !== undefined &&
      s.interest !== null &&
      !(SOURCE_INTERESTS as readonly string[]).includes(s.interest)
    ) {
      fail(`${field}.interest`, `must be one of ${SOURCE_INTERESTS.join(', ')}`);
    }
  }
  try {
    claimWindow(c.scope);
    for (const [field, d] of [
      ['publishedDate', c.publishedDate],
      ['asOf', c.asOf ?? null],
      ['source.publishedDate', c.source.publishedDate],
      ['attributedTo.publishedDate', c.attributedTo?.publishedDate ?? null],
    ] as const) {
      if (d !== null) dateSpan(d, field);
    }
    return claimInterval(c);
  } catch (e) {
    if (e instanceof ClaimShapeError && e.claimId === null) fail(e.field, e.reason);
    throw e;
  }
}

export function checkQuery(q: QueryScope, d: DocumentedInput): void {
  if (!(CATEGORIES as readonly string[]).includes(q.category)) {
    throw new ClaimShapeError('category', `unknown category "${String(q.category)}"`);
  }
  if (!(RELIABILITIES as readonly string[]).includes(q.minReliability)) {
    throw new ClaimShapeError('minReliability', 'must be one of A–F');
  }
  if (!Number.isInteger(q.minCredibility) || q.minCredibility < 1 || q.minCredibility > 6) {
    throw new ClaimShapeError('minCredibility', 'must be a whole number from 1 to 6');
  }
  const from = q.from === null ? null : dateSpan(q.from, 'from').start;
  const to = q.to === null ? null : dateSpan(q.to, 'to').end;
  if (from !== null && to !== null && from > to) {
    throw new ClaimShapeError('to', `must not be before from (${q.from} > ${q.to})`);
  }
  if (!Number.isSafeInteger(d.total) || d.total < 0) {
    throw new ClaimShapeError('documented.total', 'must be a whole number, 0 or more');
  }
}

/**
 * A claim's breakdown as claims of their own, one per part, each for its sub-population; and,
 * when a total counts everyone and names its security forces exactly ("230, of whom 6 security
 * forces"), the rest as a figure for people other than security forces (224). A part must lie
 * inside the total's population and may not exceed its top.
 */
export function expandBreakdown(c: ClaimInput, interval: Interval): ClaimInput[] {
  const parts = c.breakdown ?? [];
  if (parts.length === 0) return [];
  const out: ClaimInput[] = [];
  const top = interval.hard ? upperEnd(c.qualifier, interval) : null;
  parts.forEach((p, i) => {
    const field = `breakdown[${i}]`;
    if (!(POPULATIONS as readonly string[]).includes(p.population)) {
      throw new ClaimShapeError(
        `${field}.population`,
        `unknown population "${String(p.population)}"`,
        c.id,
      );
    }
    if (
      p.population === c.scope.population ||
      !populationContains(c.scope.population, p.population)
    ) {
      throw new ClaimShapeError(
        `${field}.population`,
        `a part must be a sub-population of the claim's own (${c.scope.population})`,
        c.id,
      );
    }
    let pi: Interval;
    try {
      pi = claimInterval(p);
    } catch (e) {
      if (e instanceof ClaimShapeError)
        throw new ClaimShapeError(`${field}.${e.field}`, e.reason, c.id);
      throw e;
    }
    const floor = hardFloor(p.qualifier, pi);
    if (top !== null && floor !== null && floor > top) {
      throw new ClaimShapeError(
        `${field}.low`,
        `a part (at least ${floor}) cannot exceed the total (at most ${top})`,
        c.id,
      );
    }
    out.push({
      ...c,
      id: `${c.id}#${p.population}`,
      qualifier: p.qualifier,
      low: p.low,
      best: p.best,
      high: p.high,
      scope: { ...c.scope, population: p.population },
      relaysClaimId: null,
      breakdown: null,
    });
  });
  const security = parts.find((p) => p.population === 'security_forces' && p.qualifier === 'exact');
  const k = security ? (security.best ?? security.low) : null;
  if (
    c.scope.population === 'all' &&
    k !== null &&
    !parts.some((p) => p.population === 'non_security') &&
    ['exact', 'at_least', 'at_most', 'up_to', 'between'].includes(c.qualifier)
  ) {
    const minus = (v: number | null) => (v === null ? null : Math.max(0, v - k));
    out.push({
      ...c,
      id: `${c.id}#non_security`,
      low: minus(c.low),
      best: minus(c.best),
      high: minus(c.high),
      scope: { ...c.scope, population: 'non_security' },
      relaysClaimId: null,
      breakdown: null,
    });
  }
  return out;
}

/**
 * The separate periods the query's category of claims covers: their windows merged where they
 * overlap. A claim with no dates covers every period and splits nothing.
 */
export function separatePeriods(claims: ClaimInput[], query: QueryScope): DateWindow[] {
  const windows = claims
    .filter((c) => c.category === query.category)
    .map((c) => claimWindow(c.scope))
    .filter((w) => w.from !== null && w.to !== null)
    .sort((a, b) => (a.from as string).localeCompare(b.from as string));
  const out: DateWindow[] = [];
  for (const w of windows) {
    const last = out[out.length - 1];
    if (last !== undefined && (w.from as string) <= (last.to as string)) {
      if ((w.to as string) > (last.to as string)) last.to = w.to;
    } else {
      out.push({ ...w });
    }
  }
  return out;
}
