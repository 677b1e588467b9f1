import { type PERPETRATORS, POPULATIONS as DOMAIN_POPULATIONS } from '../common/domain.js';
import { boundedMemo } from '../common/memo.js';
import { ClaimShapeError } from './intervals.js';

export const POPULATIONS = DOMAIN_POPULATIONS;
export type Population = (typeof POPULATIONS)[number];

// Modelling assumption (published in the rules): everyone who is not a member of the security
// forces, including every child and every woman, falls under non_security.
const POPULATION_CONTAINS: Record<Population, readonly Population[]> = {
  all: POPULATIONS,
  non_security: ['non_security', 'protesters', 'bystanders', 'children', 'women'],
  protesters: ['protesters'],
  bystanders: ['bystanders'],
  security_forces: ['security_forces'],
  children: ['children'],
  women: ['women'],
};

export function populationContains(outer: Population, inner: Population): boolean {
  return POPULATION_CONTAINS[outer].includes(inner);
}

export type Perpetrator = (typeof PERPETRATORS)[number];

// "Security forces" covers the forces that report to the state's security apparatus; the police
// covers its special units. A claim "killed by security forces" is then a figure for a wider
// scope than a query about the Basij.
const PERPETRATOR_CONTAINS: Partial<Record<Perpetrator, readonly Perpetrator[]>> = {
  security_forces: ['irgc', 'basij', 'police', 'nopo', 'military', 'plainclothes'],
  police: ['nopo'],
};

/** Whether a count of harm done by `outer` includes harm done by `inner`; null is anyone. */
export function perpetratorContains(outer: string | null, inner: string | null): boolean {
  if (outer === null) return true;
  if (inner === null) return false;
  return (
    outer === inner ||
    (PERPETRATOR_CONTAINS[outer as Perpetrator] ?? []).includes(inner as Perpetrator)
  );
}

export interface ClaimScope {
  /** Location ids from the root down to the claim's location; [] = unspecified (anywhere). */
  locationPath: string[];
  /** ISO dates (YYYY, YYYY-MM or YYYY-MM-DD), inclusive; null = open. */
  dateFrom: string | null;
  dateTo: string | null;
  incidentId: string | null;
  population: Population;
  /** Who did the harm counted; null or absent = anyone. */
  perpetrator?: string | null;
}

/** The scope part of a reconciliation query. */
export interface QueryScopeAxes {
  locationPath: string[];
  from: string | null;
  to: string | null;
  incidentId: string | null;
  population: Population;
  /** Harm done by this perpetrator only; null or absent = by anyone. */
  perpetrator?: string | null;
  /**
   * Axes the query leaves unconstrained on purpose (no dates given, no incident named): every
   * claim is equal to the query on them, taken for the period or incident it states. Without
   * this an open window means all time, and every dated claim would lie inside it.
   */
  unconstrained?: readonly ('time' | 'incident')[];
}

export type ScopeRelation = 'equal' | 'inside' | 'contains' | 'differs';

export interface ScopeAxes {
  place: ScopeRelation;
  time: ScopeRelation;
  incident: ScopeRelation;
  population: ScopeRelation;
  perpetrator: ScopeRelation;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})/;
const MONTH = /^(\d{4})-(\d{2})$/;
const YEAR = /^(\d{4})$/;

/**
 * A partial date as its first and last day: "2019-11" is 2019-11-01 … 2019-11-30. Comparing a
 * thousand claims' scopes asks for the same few dates again and again: each valid one is worked
 * out once (frozen, shared), an invalid one throws every time.
 */
export function dateSpan(d: string, field = 'date'): Readonly<{ start: string; end: string }> {
  return spanMemo(d, () => Object.freeze(spanOf(d, field)));
}

const spanMemo = boundedMemo<Readonly<{ start: string; end: string }>>(10_000);

function spanOf(d: string, field: string): { start: string; end: string } {
  let m = DAY.exec(d);
  if (m !== null) {
    const day = `${m[1]}-${m[2]}-${m[3]}`;
    const t = new Date(`${day}T00:00:00Z`);
    if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== day) {
      throw new ClaimShapeError(field, `"${d}" is not a calendar date`);
    }
    return { start: day, end: day };
  }
  m = MONTH.exec(d);
  if (m !== null) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) throw new ClaimShapeError(field, `"${d}" is not a calendar month`);
    const last = new Date(Date.UTC(Number(m[1]), month, 0)).getUTCDate();
    return { start: `${m[1]}-${m[2]}-01`, end: `${m[1]}-${m[2]}-${String(last).padStart(2, '0')}` };
  }
  m = YEAR.exec(d);
  if (m !== null) return { start: `${m[1]}-01-01`, end: `${m[1]}-12-31` };
  throw new ClaimShapeError(field, `"${d}" is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)`);
}

export interface DateWindow {
  from: string | null;
  to: string | null;
}

function dateWindow(
  from: string | null,
  to: string | null,
  fromField: string,
  toField: string,
): DateWindow {
  const w = {
    from: from === null ? null : dateSpan(from, fromField).start,
    to: to === null ? null : dateSpan(to, toField).end,
  };
  if (w.from !== null && w.to !== null && w.from > w.to) {
    throw new ClaimShapeError(toField, `must not be before ${fromField} (${from} > ${to})`);
  }
  return w;
}

export function claimWindow(s: ClaimScope): DateWindow {
  return dateWindow(s.dateFrom, s.dateTo, 'scope.dateFrom', 'scope.dateTo');
}

function relate(inside: boolean, contains: boolean): ScopeRelation {
  if (inside && contains) return 'equal';
  if (inside) return 'inside';
  if (contains) return 'contains';
  return 'differs';
}

function isPrefix(short: string[], long: string[]): boolean {
  return short.length <= long.length && short.every((id, i) => long[i] === id);
}

// Null is −∞ at the start of a window and +∞ at its end.
function startsNoEarlier(a: string | null, b: string | null): boolean {
  return b === null || (a !== null && a >= b);
}
function endsNoLater(a: string | null, b: string | null): boolean {
  return b === null || (a !== null && a <= b);
}

function timeRelation(claim: DateWindow, query: DateWindow): ScopeRelation {
  return relate(
    startsNoEarlier(claim.from, query.from) && endsNoLater(claim.to, query.to),
    startsNoEarlier(query.from, claim.from) && endsNoLater(query.to, claim.to),
  );
}

function incidentRelation(claim: string | null, query: string | null): ScopeRelation {
  if (claim === query) return 'equal';
  if (query === null) return 'inside';
  if (claim === null) return 'contains';
  return 'differs';
}

/** How a claim's scope relates to the query on each axis (place, time, incident, population). */
export function scopeAxes(claim: ClaimScope, query: QueryScopeAxes): ScopeAxes {
  return {
    place: relate(
      isPrefix(query.locationPath, claim.locationPath),
      isPrefix(claim.locationPath, query.locationPath),
    ),
    time: timeRelation(claimWindow(claim), dateWindow(query.from, query.to, 'from', 'to')),
    incident: incidentRelation(claim.incidentId, query.incidentId),
    ...(query.unconstrained?.includes('time') ? { time: 'equal' as const } : {}),
    ...(query.unconstrained?.includes('incident') ? { incident: 'equal' as const } : {}),
    population: relate(
      populationContains(query.population, claim.population),
      populationContains(claim.population, query.population),
    ),
    perpetrator: relate(
      perpetratorContains(query.perpetrator ?? null, claim.perpetrator ?? null),
      perpetratorContains(claim.perpetrator ?? null, query.perpetrator ?? null),
    ),
  };
}

/** inside on every axis that isn't equal → inside; contains likewise; all equal → equal. */
export function combineAxes(a: ScopeAxes): ScopeRelation {
  const rels = [a.place, a.time, a.incident, a.population, a.perpetrator].filter(
    (r) => r !== 'equal',
  );
  if (rels.length === 0) return 'equal';
  if (rels.every((r) => r === 'inside')) return 'inside';
  if (rels.every((r) => r === 'contains')) return 'contains';
  return 'differs';
}

export function scopeRelation(claim: ClaimScope, query: QueryScopeAxes): ScopeRelation {
  return combineAxes(scopeAxes(claim, query));
}

/** The relation of scope `a` to scope `b`, as if `b` were the query. */
export function compareClaimScopes(a: ClaimScope, b: ClaimScope): ScopeRelation {
  return scopeRelation(a, {
    locationPath: b.locationPath,
    from: b.dateFrom,
    to: b.dateTo,
    incidentId: b.incidentId,
    population: b.population,
    perpetrator: b.perpetrator ?? null,
  });
}

/**
 * Whether two scopes can describe some of the same people: on every axis one contains the other,
 * or (time) the windows share a day. "Killed in Iran, 15 November to 3 December" and "killed in
 * Iran, no dates" overlap; Mahshahr and Shiraz do not.
 */
export function scopesOverlap(a: ClaimScope, b: ClaimScope): boolean {
  const wa = claimWindow(a);
  const wb = claimWindow(b);
  const timeOverlaps =
    (wa.from === null || wb.to === null || wa.from <= wb.to) &&
    (wb.from === null || wa.to === null || wb.from <= wa.to);
  const pa = a.perpetrator ?? null;
  const pb = b.perpetrator ?? null;
  return (
    timeOverlaps &&
    (isPrefix(a.locationPath, b.locationPath) || isPrefix(b.locationPath, a.locationPath)) &&
    (a.incidentId === null || b.incidentId === null || a.incidentId === b.incidentId) &&
    (populationContains(a.population, b.population) ||
      populationContains(b.population, a.population)) &&
    (perpetratorContains(pa, pb) || perpetratorContains(pb, pa))
  );
}

/**
 * Whether a later figure `b` continues the count `a` was part of (a running total): the same
 * place, population and perpetrator, the same incident (or one of them names none), over windows
 * that overlap or either of which is open. Window ends may differ: each release covers "since the
 * start" up to a later date.
 */
export function sameSeries(a: ClaimScope, b: ClaimScope): boolean {
  const wa = claimWindow(a);
  const wb = claimWindow(b);
  return (
    a.locationPath.join('/') === b.locationPath.join('/') &&
    (a.incidentId === b.incidentId || a.incidentId === null || b.incidentId === null) &&
    a.population === b.population &&
    (a.perpetrator ?? null) === (b.perpetrator ?? null) &&
    (wa.from === null || wb.to === null || wa.from <= wb.to) &&
    (wb.from === null || wa.to === null || wb.from <= wa.to)
  );
}

/** A stable key: two scopes share it exactly when they are equal. */
export function scopeKey(s: ClaimScope): string {
  const w = claimWindow(s);
  return [
    s.locationPath.join('/'),
    w.from ?? '',
    w.to ?? '',
    s.incidentId ?? '',
    s.population,
    s.perpetrator ?? '',
  ].join('|');
}
