import {
  claimWindow,
  perpetratorContains,
  populationContains,
  type ClaimScope,
  type Population,
} from './scope.js';

/**
 * What the pairwise comparisons of claim scopes read, worked out once per claim: a country's
 * 2,000 claims are compared pair by pair (contradictions, running counts), and reading each
 * scope's window again for every pair cost more than the comparisons. The answers are those of
 * scope.ts (test/unit/scope-facts.spec.ts compares them).
 */
export interface ScopeFacts {
  path: readonly string[];
  /** The location path joined: equal exactly when the paths are equal. */
  place: string;
  from: string | null;
  to: string | null;
  incidentId: string | null;
  population: Population;
  perpetrator: string | null;
}

export function scopeFacts(s: ClaimScope): ScopeFacts {
  const w = claimWindow(s);
  return {
    path: s.locationPath,
    place: s.locationPath.join('/'),
    from: w.from,
    to: w.to,
    incidentId: s.incidentId,
    population: s.population,
    perpetrator: s.perpetrator ?? null,
  };
}

function isPrefix(short: readonly string[], long: readonly string[]): boolean {
  if (short.length > long.length) return false;
  for (let i = 0; i < short.length; i++) if (short[i] !== long[i]) return false;
  return true;
}

/**
 * Whether scope `a` equals or lies inside scope `b` (compareClaimScopes(a, b) is equal or
 * inside): on every axis `a` is equal to or narrower than `b`.
 */
export function liesWithin(a: ScopeFacts, b: ScopeFacts): boolean {
  return (
    isPrefix(b.path, a.path) &&
    (a.from === null ? b.from === null : b.from === null || a.from >= b.from) &&
    (a.to === null ? b.to === null : b.to === null || a.to <= b.to) &&
    (a.incidentId === b.incidentId || b.incidentId === null) &&
    populationContains(b.population, a.population) &&
    perpetratorContains(b.perpetrator, a.perpetrator)
  );
}

/** sameSeries (scope.ts) on facts: the same running count. */
export function inSameSeries(a: ScopeFacts, b: ScopeFacts): boolean {
  return (
    a.place === b.place &&
    (a.incidentId === b.incidentId || a.incidentId === null || b.incidentId === null) &&
    a.population === b.population &&
    a.perpetrator === b.perpetrator &&
    (a.from === null || b.to === null || a.from <= b.to) &&
    (b.from === null || a.to === null || b.from <= a.to)
  );
}
