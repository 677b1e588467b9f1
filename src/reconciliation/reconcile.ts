import {
  CLAIM_BASES as DOMAIN_CLAIM_BASES,
  RELIABILITIES as DOMAIN_RELIABILITIES,
  SOURCE_INTERESTS,
  type SourceInterest,
} from '../common/domain.js';
import {
  CATEGORIES,
  ClaimShapeError,
  ESTIMATE_TOLERANCE,
  RELIABILITY_LABEL,
  claimInterval,
  hardFloor,
  isEstimate,
  sameInterval,
  upperEnd,
  type Category,
  type Interval,
  type Qualifier,
} from './intervals.js';
import {
  POPULATIONS,
  claimWindow,
  combineAxes,
  compareClaimScopes,
  dateSpan,
  populationContains,
  scopeAxes,
  scopeKey,
  scopesOverlap,
  type ClaimScope,
  type DateWindow,
  type Population,
  type QueryScopeAxes,
  type ScopeAxes,
  type ScopeRelation,
} from './scope.js';
import { inSameSeries, liesWithin, scopeFacts, type ScopeFacts } from './scope-facts.js';
import {
  buildStatement,
  citeClaim,
  formatPercent,
  citeSource,
  describeFigure,
  formatCount,
  formatWindow,
  scopeDifferences,
} from './statement.js';

export * from './intervals.js';
export * from './scope.js';

export const RELIABILITIES = DOMAIN_RELIABILITIES;
export type Reliability = (typeof RELIABILITIES)[number];

export const CREDIBILITY_LABEL: Record<number, string> = {
  1: 'confirmed by other sources',
  2: 'probably true',
  3: 'possibly true',
  4: 'doubtful',
  5: 'improbable',
  6: 'truth cannot be judged',
};

/** A = 1 … F = 6: "cannot be judged" ranks after "unreliable" for every threshold. */
export function reliabilityRank(r: Reliability): number {
  return RELIABILITIES.indexOf(r) + 1;
}

export function meetsGrade(
  reliability: Reliability,
  credibility: number,
  minReliability: Reliability,
  minCredibility: number,
): boolean {
  return (
    reliabilityRank(reliability) <= reliabilityRank(minReliability) && credibility <= minCredibility
  );
}

export const CLAIM_BASES = DOMAIN_CLAIM_BASES;
export type ClaimBase = (typeof CLAIM_BASES)[number];

export { SOURCE_INTERESTS, type SourceInterest };

export interface SourceRef {
  id: string;
  title: string;
  publisher: string | null;
  publishedDate: string | null;
  reliability: Reliability;
  url?: string | null;
  /** A party with an interest in the figure (government, opposition …); null = none known. */
  interest?: SourceInterest | null;
  /** Ids of the sources this one declares it relays ("this outlet relays that agency"),
   *  directly or through other sources. */
  relays?: readonly string[];
}

/** Defaults a researcher can defend: a bound rests on a source at least fairly reliable (C) and on
 *  information at least possibly true (3). Explicit thresholds override them. */
export const DEFAULT_MIN_RELIABILITY: Reliability = 'C';
export const DEFAULT_MIN_CREDIBILITY = 3;

/** A part of a claim's figure: "of whom 6 security forces", "including about 300 women". */
export interface ClaimComponent {
  population: Population;
  qualifier: Qualifier;
  low: number | null;
  best: number | null;
  high: number | null;
}

export interface ClaimInput {
  id: string;
  category: Category;
  qualifier: Qualifier;
  /** As entered: exact → best (or low = high); at_least/more_than → low; about → best;
   *  at_most/up_to → high; between/estimates_range → low and high. */
  low: number | null;
  best: number | null;
  high: number | null;
  scope: ClaimScope;
  basis: ClaimBase;
  /** 1 (confirmed) … 6 (cannot be judged). */
  credibility: number;
  publishedDate: string | null;
  excerpt: string | null;
  /** The document that carries the claim. */
  source: SourceRef;
  /** This claim repeats that claim (which may be absent from the input, or form a loop). */
  relaysClaimId: string | null;
  /** The origin this claim attributes its figure to, when the origin's claim isn't entered. */
  attributedTo: SourceRef | null;
  /** The date the count stands at ("as of 12 November"), when the source says so. */
  asOf?: string | null;
  /** Parts of the figure, each for a sub-population of the claim's own. */
  breakdown?: readonly ClaimComponent[] | null;
  /** The claim's workflow status: a reviewer's "disputed" sets it aside by default. */
  recordStatus?: string;
}

export interface QueryScope extends QueryScopeAxes {
  category: Category;
  minReliability: Reliability;
  minCredibility: number;
  /** Which thresholds are the defaults (not asked for): the statement says what they set aside. */
  defaulted?: { reliability: boolean; credibility: boolean };
  /** Claims a reviewer marked disputed take part (the query asked for status disputed). */
  includeDisputed?: boolean;
  /** Optional words for the statement, e.g. "in Iran between 15 and 19 November 2019";
   *  when absent the statement names the dates only. */
  label?: string | null;
}

export interface DocumentedInput {
  total: number;
  byConfidence: Record<string, number>;
  /** The sources attesting most of the documented victims (all of them, or the top few). */
  sources: { id: string; title: string; publisher: string | null; victims: number }[];
  /** How many sources attest them in all (sources.length when absent). */
  sourceCount?: number;
  /** What the count counted and what it left beside it (src/counts/documented.ts). */
  beside?: DocumentedBeside;
}

export interface DocumentedBeside {
  rule: 'verified' | 'all';
  awaitingReview: number;
  possibleDuplicates: number;
  disputed: number;
  foldedDuplicates: number;
}

export type ClaimStatus =
  | 'included'
  | 'superseded'
  | 'relay'
  | 'below_grade'
  | 'disputed'
  | 'interested'
  | 'scope_differs'
  | 'contradicted';
export type ClaimRole = 'floor' | 'ceiling' | 'estimate' | 'none';

export interface ClaimOutcome {
  id: string;
  category: Category;
  qualifier: Qualifier;
  basis: ClaimBase;
  credibility: number;
  /** As entered (for a part of a breakdown, the part's own figures). */
  figures: { low: number | null; best: number | null; high: number | null };
  interval: Interval;
  scope: ClaimScope;
  status: ClaimStatus;
  /** Plain words: why this status. */
  reason: string;
  scopeRelation: ScopeRelation;
  scopeAxes: ScopeAxes;
  /** What the figure can do for this query (whatever its status). */
  role: ClaimRole;
  /** What it would contribute to the minimum and to the top of the range, given its scope. */
  contributes: { low: number | null; high: number | null };
  source: SourceRef;
  origin: SourceRef;
  /** Claim ids followed from this claim towards its origin (may end at an id not in the input). */
  relayChain: string[];
  altersOrigin: boolean;
  /** For a relay: the claim counted in its place. */
  relayOf?: string;
  supersededBy?: string;
  /** The interest of the figure's origin, when it has one. */
  interest: SourceInterest | null;
  /** For a contradicted claim: what contradicts it ("documented", or a claim id). */
  contradictedBy?: string;
  /** For a claim set aside for its grade: whether the default thresholds set it aside. */
  setAsideByDefault?: boolean;
  /** An interested party's figure that agrees with a bound set by others. */
  corroborates?: ('low' | 'high')[];
  /** For a part of another claim's figure (its breakdown): that claim's id. */
  componentOf?: string;
  /** For a relay found through its source's declared relays rather than a claim link. */
  relayDeclaredOnSource?: boolean;
}

export type BoundSetter =
  | { kind: 'documented'; count: number }
  | {
      kind: 'claim';
      claimId: string;
      source: SourceRef;
      origin: SourceRef;
      qualifier: Qualifier;
      basis: ClaimBase;
      scopeRelation: ScopeRelation;
    };

export interface Bound {
  value: number;
  setBy: BoundSetter;
  note?: string;
}

export interface Citation {
  sourceId: string;
  title: string;
  publisher: string | null;
  publishedDate: string | null;
  url: string | null;
  /** As the statement writes it. */
  text: string;
  /** Claims this source is cited for (as the carrier or as the origin). */
  claimIds: string[];
  /** Victims it attests among the documented, when cited for them. */
  documentedVictims: number | null;
}

export interface ReconciliationResult {
  /** The axes left open after all (time is compared after all when the figures cover separate periods). */
  unconstrained: ('time' | 'incident')[];
  documented: DocumentedInput;
  claims: ClaimOutcome[];
  low: Bound;
  high: Bound | null;
  notes: string[];
  statement: string;
  citations: Citation[];
  rules: string[];
}

export const RECONCILIATION_RULES: string[] = [
  'Figures. "exact n" is [n, n]; "at least n" (and "at least n, possibly many more") is [n, ∞); "more than n" is [n + 1, ∞), since counts are whole people; "about n" is an estimate of n with no bounds; "at most n" and "up to n" are [0, n]; "between a and b" is one source\'s interval [a, b]; "between a and b, and possibly more" (between_or_more) is a minimum of a with an estimate of b and no hard top; a range of estimates "a to b" is a spread of different estimates: its ends are estimates, not bounds, and its low end is never a minimum. A figure\'s breakdown ("230, of whom 6 security forces"; "including about 300 women") gives each part as a figure for its sub-population, checked against the total (a part may not exceed it); when a total for everyone names its security forces exactly, the rest (224) is a figure for people other than security forces.',
  "Grades. A claim is graded by the document that carries it (source reliability A, best, to E) and by the credibility of its figure (1, best, to 5). A relay is graded as its carrier, not as the origin it names: the origin's own claim, when entered, carries the origin's grade. Reliability F and credibility 6 (cannot be judged) rank after E and 5. By default a bound rests only on sources graded A to C and figures graded 1 to 3: a claim carried by a source graded D (not usually reliable), E (unreliable) or F (cannot be judged), or graded 4 (doubtful), 5 or 6, is below_grade, listed with its reason, and the statement says how many were set aside and how to include them (minReliability=F, minCredibility=6). Explicit thresholds override the defaults. A below_grade claim sets no bound but can still be found contradicted.",
  'Disputed. A claim a reviewer marked disputed sets no bound by default: it is listed as disputed (a query whose status names disputed includes it).',
  "Interested parties. A source can be marked as having an interest in the figures (government or state media, security forces, armed group, opposition party or its outlets, victims' organisation, other). A claim's interest is its origin's. A figure from an interested party never sets a bound alone: it is listed as interested, with corroborates naming the bound it agrees with (within 10 %) when it does; it can be contradicted like any other, and the statement names the interest (\"the government's figure of 230\").",
  'Scope. A claim is compared with the query on five axes: place (a location includes everything under it; a claim with no location covers everywhere), time (inclusive dates; an open end is unbounded; "2019-11" is 1 to 30 November), incident (a claim with no incident covers every incident), population ("all" contains every population; "non_security" contains protesters, bystanders, children and women, on the assumption that children and women counted are not members of the security forces) and perpetrator (a claim with none counts harm by anyone; security_forces contains irgc, basij, police, nopo, military and plainclothes; police contains nopo). The claim is equal when equal on every axis, inside when inside or equal on every axis, contains when containing or equal on every axis. Otherwise (an axis that neither contains nor lies within, or narrower on one axis and wider on another) it is scope_differs, as is a claim about another category.',
  'Relays. A claim\'s origin is found by following its relay links to the end of the chain; on a loop, the earliest-published claim in the loop is the end. A relay declared on a source ("this outlet relays that agency", directly or through other sources) is followed the same way: a claim the outlet gives as its own whose figure equals, qualifier and numbers, a claim of a source it relays for the same population and an overlapping scope is a relay of that claim. The origin document is the end claim\'s attributed source, or else its own source. Claims of the same category count once when their origin is the same document and their origin scopes are equal, and a relay also joins the origin\'s own figure for an overlapping scope ("several sources, according to Reuters, put it between 350 and 1,500" with Reuters\' own "about 1,500"): the origin\'s own claims when entered and not set aside; otherwise one relay, the best graded (reliability, then credibility), then the earliest. The rest are relay. A relay is flagged as altering its origin when its figure differs from the origin\'s own claim, or, when that is not entered, from the relay counted in its place.',
  "Supersession. A publisher's running count is one series: among the remaining claims, when two have the same origin publisher, the same category, place, population and perpetrator, the same incident (or one names none) and windows that overlap (or either is open), the earlier is superseded by the latest, even when the windows' ends differ (each release covering \"since the start\" up to a later date). A figure is dated by its \"as of\" date when it has one, else by its origin's publication date (the origin's own claim's date, or the date of the document a relay attributes it to). A claim whose origin publisher or date is unknown is never superseded.",
  'Contradictions between claims. A standing figure (not set aside, not from an interested party) whose scope equals or lies inside another claim\'s scope and whose minimum exceeds that claim\'s top contradicts it, whatever the query: the official "230, all deaths, 15–19 November" is contradicted by "at least 323, non-security, 15–19 November" in every query that includes it, nationwide, wider or for a city. A contradicted figure sets no bound: a ceiling for a part never becomes a floor for a wider window.',
  'Minimum (low). The minimum is the largest of: the number of distinct victims documented in this ledger for the query, and the hard lower bound (exact n: n; at least n: n; more than n: n + 1; between a and b: a; between a and b and possibly more: a) of every remaining claim, not set aside and not from an interested party, whose scope equals or lies inside the query (a count for part of the scope is a minimum for the whole). A claim about a wider scope sets no minimum. On a tie the documented count sets it, since each of those victims can be checked record by record; between claims, the better graded, then the earlier, then by content.',
  'Estimates are soft, bounds are hard. A claim in scope (set aside or not) whose scope equals or contains the query is contradicted when its top is below the minimum: a hard top (exact, at most, up to, between) when it is below at all; an estimate (about, the high end of a range of estimates, the b of "between a and b, and possibly more") only when the minimum exceeds it by more than 10 %: "about 1,500" and "more than 1,500" agree. A minimum that exceeds every estimate and upper bound in scope is reported as such in notes and in the statement.',
  'Top of the range (high). The top is the highest top, at or above the minimum, among included claims (not set aside, not from an interested party) whose scope equals or contains the query: a figure for a wider scope bounds this one from above. It is the highest rather than the tightest, so that no credible figure lies outside the range. On a tie a hard bound is preferred to an estimate, then the better graded, then the earlier. With no such claim there is no top (null), and notes and the statement say why.',
  'Included. Every claim left is included. Its role says what it does for this query: floor (sets a minimum), ceiling (a hard upper bound), estimate (an estimate that can set the top, never the minimum), or none (for example a minimum for a wider scope, which says nothing about this part). A figure that gives both a minimum and a top for the queried scope itself (exact, between, between and possibly more) is shown as floor.',
  "Statement. One paragraph, every sentence derived from the structured answer: the minimum and what sets it, the top of the range and what sets it (for a range of estimates, that its low end is not a floor), each with its citation (publisher, title and date of the origin, and of the document that relayed it when that differs) and the grade of the carrying source when it is below B; why there is no top when there is none; every contradicted figure, naming the interest of its origin; every interested figure that would have widened the range; and, in one sentence each, the figures the grade thresholds or a reviewer's dispute set aside, and how to include them.",
];

interface Origin {
  /** The claim at the end of the relay chain, when it is in the input. */
  claim: ClaimInput | null;
  source: SourceRef;
  date: string | null;
  chain: string[];
  key: string;
}

interface Work {
  claim: ClaimInput;
  interval: Interval;
  facts: ScopeFacts;
  axes: ScopeAxes;
  relation: ScopeRelation;
  floor: number | null;
  top: number | null;
  role: ClaimRole;
  origin: Origin;
  original: boolean;
  interest: SourceInterest | null;
  status?: ClaimStatus;
  reason?: string;
  /** Set aside before relays and bounds (grade, dispute); may still be found contradicted. */
  setAside?: 'below_grade' | 'disputed';
  setAsideReason?: string;
  setAsideByDefault?: boolean;
  relayOf?: Work;
  supersededBy?: Work;
  contradictedBy?: Work | 'documented' | 'minimum';
  corroborates?: ('low' | 'high')[];
  altersOrigin: boolean;
  /** The figure an altering relay was compared with. */
  comparedWith?: Work;
  componentOf?: string;
  relayDeclaredOnSource?: boolean;
}

function isOwnFigure(c: ClaimInput): boolean {
  return c.attributedTo === null || c.attributedTo.id === c.source.id;
}

function claimDate(c: ClaimInput): string | null {
  return c.publishedDate ?? c.source.publishedDate;
}

/** Earliest first; unknown dates last. */
function byDate(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/**
 * Content keys of the reconciliation under way: sorting a country's 2,000 claims compares each
 * many times, and a key is worked out once per claim (a fresh table per call, since a caller may
 * change a claim between calls).
 */
let contentKeys: WeakMap<ClaimInput, string> | null = null;

/** Orders claims by what they say, not by when they were entered (ids are time-ordered). */
function contentKey(c: ClaimInput): string {
  const known = contentKeys?.get(c);
  if (known !== undefined) return known;
  const key = contentKeyOf(c);
  contentKeys?.set(c, key);
  return key;
}

function contentKeyOf(c: ClaimInput): string {
  return [
    c.source.publisher ?? '',
    c.source.title,
    c.qualifier,
    c.low ?? '',
    c.best ?? '',
    c.high ?? '',
    scopeKey(c.scope),
    c.excerpt ?? '',
    c.id,
  ].join('\u0001');
}

function byContent(a: ClaimInput, b: ClaimInput): number {
  const x = contentKey(a);
  const y = contentKey(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function resolveOrigin(
  c: ClaimInput,
  byId: Map<string, ClaimInput>,
  relays: Map<string, string>,
): Origin {
  const chain: string[] = [];
  const path: ClaimInput[] = [c];
  let end: ClaimInput = c;
  let missing: string | null = null;
  const next = (x: ClaimInput): string | null => x.relaysClaimId ?? relays.get(x.id) ?? null;
  while (next(end) !== null) {
    const nextId = next(end) as string;
    const loopAt = path.findIndex((p) => p.id === nextId);
    if (loopAt >= 0) {
      // No member of a loop is the true origin; take the earliest so every member agrees.
      end = [...path.slice(loopAt)].sort(
        (a, b) => byDate(claimDate(a), claimDate(b)) || byContent(a, b),
      )[0];
      break;
    }
    chain.push(nextId);
    const found = byId.get(nextId);
    if (found === undefined) {
      missing = nextId;
      break;
    }
    path.push(found);
    end = found;
  }
  const source = end.attributedTo ?? end.source;
  if (missing !== null) {
    // The origin claim isn't in the input: the attribution on the last link we can see, if
    // any, names the origin; otherwise the missing claim itself identifies it.
    const key =
      end.attributedTo === null
        ? `${c.category}|claim:${missing}`
        : `${c.category}|source:${source.id}|${scopeKey(end.scope)}`;
    return { claim: null, source, date: end.attributedTo?.publishedDate ?? null, chain, key };
  }
  return {
    claim: end,
    source,
    date: isOwnFigure(end) ? claimDate(end) : source.publishedDate,
    chain,
    key: `${end.category}|source:${source.id}|${scopeKey(end.scope)}`,
  };
}

function gradeOrder(a: Work, b: Work): number {
  return (
    reliabilityRank(a.claim.source.reliability) - reliabilityRank(b.claim.source.reliability) ||
    a.claim.credibility - b.claim.credibility ||
    byDate(a.origin.date, b.origin.date) ||
    byDate(claimDate(a.claim), claimDate(b.claim)) ||
    byContent(a.claim, b.claim)
  );
}

function publisherKey(s: SourceRef): string | null {
  const p = s.publisher?.trim().replace(/\s+/g, ' ').toLowerCase() ?? '';
  return p === '' ? null : p;
}

function checkClaim(c: ClaimInput): Interval {
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

function checkQuery(q: QueryScope, d: DocumentedInput): void {
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
function separatePeriods(claims: ClaimInput[], query: QueryScope): DateWindow[] {
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

function roleOf(w: Pick<Work, 'floor' | 'top' | 'claim'>): ClaimRole {
  if (w.floor !== null) return 'floor';
  if (w.top === null) return 'none';
  return isEstimate(w.claim.qualifier) ? 'estimate' : 'ceiling';
}

function prepare(
  c: ClaimInput,
  interval: Interval,
  query: QueryScope,
  byId: Map<string, ClaimInput>,
  relays: Map<string, string>,
): Work {
  const axes = scopeAxes(c.scope, query);
  const sameCategory = c.category === query.category;
  const relation = sameCategory ? combineAxes(axes) : 'differs';
  const floor =
    sameCategory && (relation === 'equal' || relation === 'inside')
      ? hardFloor(c.qualifier, interval)
      : null;
  const top =
    sameCategory && (relation === 'equal' || relation === 'contains')
      ? upperEnd(c.qualifier, interval)
      : null;
  const origin = resolveOrigin(c, byId, relays);
  const w: Work = {
    claim: c,
    interval,
    facts: scopeFacts(c.scope),
    axes,
    relation,
    floor,
    top,
    role: 'none',
    origin,
    original: origin.claim === c && isOwnFigure(c),
    interest: origin.source.interest ?? null,
    altersOrigin: false,
    relayDeclaredOnSource: relays.has(c.id) || undefined,
  };
  w.role = roleOf(w);
  return w;
}

function gradeReason(c: ClaimInput, q: QueryScope): string | null {
  const r = c.source.reliability;
  const parts: string[] = [];
  const asked = (which: 'reliability' | 'credibility') =>
    q.defaulted?.[which] ? 'default' : 'requested';
  if (reliabilityRank(r) > reliabilityRank(q.minReliability)) {
    parts.push(
      `its source is graded ${r} (${RELIABILITY_LABEL[r]}), below the ${asked('reliability')} ${q.minReliability}`,
    );
  }
  if (c.credibility > q.minCredibility) {
    parts.push(
      `its figure is graded ${c.credibility} (${CREDIBILITY_LABEL[c.credibility]}), below the ${asked('credibility')} ${q.minCredibility}`,
    );
  }
  return parts.length === 0 ? null : `Below grade: ${parts.join('; ')}.`;
}

/** The member of `candidates` that `w` is most plausibly a copy of. */
function counterpart(w: Work, candidates: Work[]): Work {
  return (
    candidates.find((o) => w.origin.claim !== null && o.claim === w.origin.claim) ??
    candidates.find((o) => sameInterval(o.interval, w.interval)) ??
    [...candidates].sort(
      (a, b) => -byDate(a.origin.date, b.origin.date) || byContent(a.claim, b.claim),
    )[0]
  );
}

/**
 * Relays declared on a source ("this outlet relays that agency"): a claim the outlet carries as
 * its own that repeats, figure for figure, a claim of a source it relays (directly or through
 * others) is read as a relay of that claim, exactly as if the claim said so.
 */
function sourceRelays(claims: ClaimInput[], intervals: Map<string, Interval>): Map<string, string> {
  const out = new Map<string, string>();
  const relaysOf = new Map<string, readonly string[]>();
  for (const c of claims) {
    for (const s of [c.source, c.attributedTo]) {
      if (s !== null && s.relays !== undefined && s.relays.length > 0) relaysOf.set(s.id, s.relays);
    }
  }
  if (relaysOf.size === 0) return out;
  const reach = (from: string): Set<string> => {
    const seen = new Set<string>();
    const todo = [...(relaysOf.get(from) ?? [])];
    while (todo.length > 0) {
      const id = todo.pop() as string;
      if (seen.has(id) || id === from) continue;
      seen.add(id);
      todo.push(...(relaysOf.get(id) ?? []));
    }
    return seen;
  };
  const bySource = new Map<string, ClaimInput[]>();
  for (const c of claims) {
    const owner = (c.attributedTo ?? c.source).id;
    const list = bySource.get(owner);
    if (list === undefined) bySource.set(owner, [c]);
    else list.push(c);
  }
  for (const c of claims) {
    if (c.relaysClaimId !== null || !isOwnFigure(c) || !relaysOf.has(c.source.id)) continue;
    const mine = intervals.get(c.id) as Interval;
    const candidates = [...reach(c.source.id)]
      .flatMap((s) => bySource.get(s) ?? [])
      .filter(
        (d) =>
          d.id !== c.id &&
          d.category === c.category &&
          d.scope.population === c.scope.population &&
          scopesOverlap(d.scope, c.scope) &&
          sameInterval(intervals.get(d.id) as Interval, mine),
      )
      .sort((a, b) => byDate(claimDate(a), claimDate(b)) || byContent(a, b));
    if (candidates.length > 0) out.set(c.id, candidates[0].id);
  }
  return out;
}

/**
 * Relays count once. Claims are grouped by origin: the origin document and its scope; a relay
 * also joins the group of a figure the origin published itself for an overlapping scope
 * ("several sources, according to Reuters, put it between 350 and 1,500" with Reuters' own
 * "about 1,500"), and is flagged when its figure differs.
 */
function markRelays(work: Work[]): void {
  const originalsByDoc = new Map<string, Work[]>();
  for (const w of work) {
    if (!w.original) continue;
    const k = `${w.claim.category}|${w.origin.source.id}`;
    const list = originalsByDoc.get(k);
    if (list === undefined) originalsByDoc.set(k, [w]);
    else list.push(w);
  }
  const groups = new Map<string, Work[]>();
  for (const w of work) {
    let key = w.origin.key;
    if (!w.original) {
      const own = (originalsByDoc.get(`${w.claim.category}|${w.origin.source.id}`) ?? []).filter(
        (o) => o.origin.key === key || scopesOverlap(o.claim.scope, w.claim.scope),
      );
      if (own.length > 0) key = counterpart(w, own).origin.key;
    }
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [w]);
    else g.push(w);
  }
  for (const members of groups.values()) {
    const originals = members.filter((m) => m.original);
    const live = members.filter((m) => m.status === undefined && m.setAside === undefined);
    const liveOriginals = live.filter((m) => m.original);
    const counted =
      liveOriginals.length > 0
        ? liveOriginals
        : live.length > 0
          ? [[...live].sort(gradeOrder)[0]]
          : [];
    for (const m of live) {
      if (counted.includes(m)) continue;
      m.status = 'relay';
      m.relayOf = counterpart(m, counted);
    }
    for (const m of members) {
      if (m.original) continue;
      const target =
        originals.length > 0 ? counterpart(m, originals) : (m.relayOf ?? counted[0] ?? null);
      if (target !== null && target !== m && !sameInterval(target.interval, m.interval)) {
        m.altersOrigin = true;
        m.comparedWith = target;
      }
    }
  }
}

/** When a figure stands: the date it is "as of", else its origin's publication date. */
function seriesDate(w: Work): string | null {
  return w.claim.asOf ?? w.origin.date;
}

/**
 * A publisher's running count is one series: its latest release supersedes every earlier one
 * of the same category, place, incident, population and perpetrator over an overlapping window,
 * even where the windows' ends differ.
 */
function markSuperseded(work: Work[]): void {
  // Compare within each publisher, each figure's date span worked out once.
  const byPublisher = new Map<string, { w: Work; start: string; end: string }[]>();
  for (const w of work) {
    if (w.status !== undefined || w.setAside !== undefined) continue;
    const date = seriesDate(w);
    if (date === null) continue;
    const pub = publisherKey(w.origin.source);
    if (pub === null) continue;
    const span = dateSpan(date);
    const group = byPublisher.get(`${w.claim.category}|${pub}`) ?? [];
    group.push({ w, start: span.start, end: span.end });
    byPublisher.set(`${w.claim.category}|${pub}`, group);
  }
  for (const group of byPublisher.values()) {
    for (const self of group) {
      const newer = group.filter(
        (o) => o !== self && o.start > self.end && inSameSeries(o.w.facts, self.w.facts),
      );
      if (newer.length === 0) continue;
      newer.sort((a, b) => -byDate(a.start, b.start) || byContent(a.w.claim, b.w.claim));
      self.w.status = 'superseded';
      self.w.supersededBy = newer[0].w;
    }
  }
}

/** Whether a floor of `floor` contradicts a top of `top` (an estimate keeps a tolerance). */
function exceeds(floor: number, top: number, topIsEstimate: boolean): boolean {
  return topIsEstimate ? floor > top * (1 + ESTIMATE_TOLERANCE) : floor > top;
}

/**
 * Contradictions between claims, whatever the query: a standing figure for a part of a claim's
 * scope whose minimum exceeds the claim's top contradicts it (the official "230, all deaths,
 * 15–19 November" against "at least 323, non-security, 15–19 November"), in every query.
 */
function markContradictedByClaims(work: Work[]): void {
  const floors = work
    .filter(
      (b) =>
        b.status === undefined &&
        b.setAside === undefined &&
        b.interest === null &&
        hardFloor(b.claim.qualifier, b.interval) !== null,
    )
    .map((b) => ({
      b,
      floor: hardFloor(b.claim.qualifier, b.interval) as number,
      whole: b.claim.id.split('#')[0],
    }))
    .sort((x, y) => y.floor - x.floor || gradeOrder(x.b, y.b));
  if (floors.length === 0) return;
  for (const a of work) {
    if (a.status !== undefined) continue;
    const top = upperEnd(a.claim.qualifier, a.interval);
    if (top === null) continue;
    const estimate = isEstimate(a.claim.qualifier);
    const whole = a.claim.id.split('#')[0];
    // Floors come largest first: once one no longer exceeds the top, none after it does.
    let by: (typeof floors)[number] | undefined;
    for (const f of floors) {
      if (!exceeds(f.floor, top, estimate)) break;
      if (
        f.b !== a &&
        f.b.claim.category === a.claim.category &&
        f.whole !== whole &&
        liesWithin(f.b.facts, a.facts)
      ) {
        by = f;
        break;
      }
    }
    if (by !== undefined) {
      a.status = 'contradicted';
      a.contradictedBy = by.b;
    }
  }
}

function claimSetter(w: Work): BoundSetter {
  return {
    kind: 'claim',
    claimId: w.claim.id,
    source: w.claim.source,
    origin: w.origin.source,
    qualifier: w.claim.qualifier,
    basis: w.claim.basis,
    scopeRelation: w.relation,
  };
}

function setterWords(b: Bound): string {
  return b.setBy.kind === 'documented'
    ? `the ${formatCount(b.value)} victims documented in this ledger`
    : `claim ${b.setBy.claimId} (${citeSource(b.setBy.origin)})`;
}

export const INTEREST_LABEL: Record<SourceInterest, string> = {
  government: 'the government or state media',
  security_forces: 'the security forces',
  armed_group: 'an armed group',
  opposition: 'an opposition party or its outlets',
  victims_organisation: "a victims' organisation",
  other: 'a party with an interest in the figure',
};

function includedReason(w: Work, low: Bound, high: Bound | null): string {
  const part = w.relation === 'inside' ? scopeDifferences(w.axes, 'inside', w.claim.scope) : '';
  const wider =
    w.relation === 'contains' ? scopeDifferences(w.axes, 'contains', w.claim.scope) : '';
  const estimate = isEstimate(w.claim.qualifier);
  let text: string;
  if (w.floor !== null && w.top !== null) {
    text = estimate
      ? 'A minimum for the queried scope, with an estimate above it and no bound.'
      : 'A minimum and a top for the queried scope.';
  } else if (w.floor !== null) {
    text =
      w.relation === 'inside'
        ? `A minimum for part of the queried scope (${part}), so also a minimum for the whole.`
        : 'A minimum for the queried scope.';
  } else if (w.top !== null) {
    text =
      (estimate ? 'An estimate' : 'An upper bound') +
      (w.relation === 'contains'
        ? ` for a wider scope (${wider}), which bounds the queried scope from above`
        : ' for the queried scope') +
      (estimate ? '; it can set the top of the range, never the minimum.' : '.');
    if (estimate && w.top < low.value) {
      text += ` It is below the minimum of ${formatCount(low.value)} by no more than the ${formatPercent(ESTIMATE_TOLERANCE)} tolerance for estimates, so it agrees with it and is not contradicted.`;
    }
  } else if (w.relation === 'contains') {
    text = `A minimum for a wider scope (${wider}): it says nothing about the queried part.`;
  } else {
    text = `A figure for part of the queried scope (${part}) that guarantees no minimum; a part does not bound the whole from above.`;
  }
  if (!w.original) {
    text += ` It stands for its origin, ${citeClaim(w.claim.source, w.origin.source)}.`;
  }
  if (low.setBy.kind === 'claim' && low.setBy.claimId === w.claim.id)
    text += ' It sets the minimum.';
  if (high !== null && high.setBy.kind === 'claim' && high.setBy.claimId === w.claim.id) {
    text += ' It sets the top of the range.';
  }
  return text;
}

function contradictedReason(w: Work, low: Bound): string {
  const figure = describeFigure(w.claim.qualifier, w.interval);
  const by = w.contradictedBy;
  const setsLow = (x: Work) => low.setBy.kind === 'claim' && low.setBy.claimId === x.claim.id;
  if (by === undefined || by === 'documented' || by === 'minimum' || setsLow(by)) {
    return `Contradicted: its top (${figure}) is below the minimum of ${formatCount(low.value)} set by ${setterWords(low)}${isEstimate(w.claim.qualifier) ? `, by more than the ${formatPercent(ESTIMATE_TOLERANCE)} tolerance for estimates` : ''}.`;
  }
  const relation = compareClaimScopes(by.claim.scope, w.claim.scope);
  return `Contradicted: its top (${figure}) is below the minimum of ${formatCount(hardFloor(by.claim.qualifier, by.interval) as number)} that claim ${by.claim.id} (${citeClaim(by.claim.source, by.origin.source)}) gives for ${relation === 'equal' ? 'the same scope' : `part of its scope (${scopeDifferences(scopeAxes(by.claim.scope, { locationPath: w.claim.scope.locationPath, from: w.claim.scope.dateFrom, to: w.claim.scope.dateTo, incidentId: w.claim.scope.incidentId, population: w.claim.scope.population, perpetrator: w.claim.scope.perpetrator ?? null }), 'inside', by.claim.scope)})`}; it is contradicted in every query that includes it.`;
}

export function reconcile(
  query: QueryScope,
  documented: DocumentedInput,
  input: ClaimInput[],
): ReconciliationResult {
  const outer = contentKeys;
  contentKeys = new WeakMap();
  try {
    return reconcileClaims(query, documented, input);
  } finally {
    contentKeys = outer;
  }
}

function reconcileClaims(
  query: QueryScope,
  documented: DocumentedInput,
  input: ClaimInput[],
): ReconciliationResult {
  checkQuery(query, documented);
  const seen = new Set<string>();
  for (const c of input) {
    if (seen.has(c.id)) throw new ClaimShapeError('id', 'appears twice in the input', c.id);
    seen.add(c.id);
  }
  // Every claim is checked before any is used, since relay chains reach across the input.
  const checked = input.map(checkClaim);
  const claims: ClaimInput[] = [];
  const intervalOf = new Map<string, Interval>();
  const componentOf = new Map<string, string>();
  input.forEach((c, i) => {
    claims.push(c);
    intervalOf.set(c.id, checked[i]);
    for (const part of expandBreakdown(c, checked[i])) {
      claims.push(part);
      intervalOf.set(part.id, claimInterval(part));
      componentOf.set(part.id, c.id);
    }
  });
  const notes: string[] = [];
  const periods = query.unconstrained?.includes('time') ? separatePeriods(claims, query) : [];
  if (periods.length > 1) {
    // Time left open means "each figure for the period it states" only while the figures are
    // about one period; for several, the open window is all time, and no one period's top
    // bounds it.
    query = { ...query, unconstrained: query.unconstrained?.filter((a) => a !== 'time') };
    notes.push(
      `No window was given and the figures cover ${periods.length} separate periods (${periods
        .map((p) => formatWindow(p.from, p.to))
        .join(
          '; ',
        )}): the answer is for all of them together, so no figure for one period bounds it from above. Give from and to to reconcile one period.`,
    );
  }
  const byId = new Map(claims.map((c) => [c.id, c]));
  const relays = sourceRelays(claims, intervalOf);
  const work = claims.map((c) => {
    const w = prepare(c, intervalOf.get(c.id) as Interval, query, byId, relays);
    const parent = componentOf.get(c.id);
    if (parent !== undefined) w.componentOf = parent;
    return w;
  });

  // Set aside for grade or a reviewer's dispute: they set no bound, but can still be shown
  // to be contradicted.
  for (const w of work) {
    if (w.claim.category !== query.category) continue;
    const reason = gradeReason(w.claim, query);
    if (reason !== null) {
      w.setAside = 'below_grade';
      w.setAsideReason = reason;
      const r = reliabilityRank(w.claim.source.reliability) > reliabilityRank(query.minReliability);
      const c = w.claim.credibility > query.minCredibility;
      w.setAsideByDefault =
        (!r || query.defaulted?.reliability === true) &&
        (!c || query.defaulted?.credibility === true);
    } else if (w.claim.recordStatus === 'disputed' && query.includeDisputed !== true) {
      w.setAside = 'disputed';
      w.setAsideReason =
        'Disputed: a reviewer marked this claim disputed, so it sets no bound (ask for status=disputed to include it).';
    }
  }
  const sameCategory = work.filter((w) => w.claim.category === query.category);
  markRelays(sameCategory);
  markSuperseded(sameCategory);
  markContradictedByClaims(sameCategory);

  for (const w of work) {
    if (w.claim.category !== query.category) {
      w.status = 'scope_differs';
      w.reason = `Scope differs: it counts people ${w.claim.category}, not ${query.category}.`;
    } else if (w.relation === 'differs') {
      w.status = 'scope_differs';
      w.reason = `Scope differs: ${scopeDifferences(w.axes, 'differs', w.claim.scope)}.`;
    }
  }

  const standing = (w: Work) => w.status === undefined && w.setAside === undefined;
  const floors = work
    .filter((w) => standing(w) && w.interest === null && w.floor !== null)
    .sort((a, b) => (b.floor as number) - (a.floor as number) || gradeOrder(a, b));
  let low: Bound;
  if (floors.length === 0 || documented.total >= (floors[0].floor as number)) {
    low = { value: documented.total, setBy: { kind: 'documented', count: documented.total } };
    const ties = floors.filter((w) => w.floor === documented.total).map((w) => w.claim.id);
    if (ties.length > 0) {
      low.note = `Claim${ties.length > 1 ? 's' : ''} ${ties.join(', ')} give${ties.length > 1 ? '' : 's'} the same minimum; the documented count is preferred on a tie.`;
    }
  } else {
    const top = floors[0];
    low = { value: top.floor as number, setBy: claimSetter(top) };
    if (top.claim.qualifier === 'more_than') {
      low.note = `"more than ${formatCount(top.interval.low as number)}" means at least ${formatCount(low.value)}.`;
    }
    const ties = floors.filter((w) => w !== top && w.floor === top.floor).map((w) => w.claim.id);
    if (ties.length > 0) {
      const also = `Also given by claim${ties.length > 1 ? 's' : ''} ${ties.join(', ')}.`;
      low.note = low.note === undefined ? also : `${low.note} ${also}`;
    }
  }

  // Against the query's minimum: any figure in scope, set aside or not, whose top lies below it.
  for (const w of work) {
    if (w.status !== undefined || w.top === null) continue;
    if (exceeds(low.value, w.top, isEstimate(w.claim.qualifier))) {
      w.status = 'contradicted';
      w.contradictedBy = low.setBy.kind === 'documented' ? 'documented' : 'minimum';
    }
  }

  const tops = work
    .filter((w) => standing(w) && w.interest === null && w.top !== null && w.top >= low.value)
    .sort(
      (a, b) =>
        (b.top as number) - (a.top as number) ||
        Number(isEstimate(a.claim.qualifier)) - Number(isEstimate(b.claim.qualifier)) ||
        gradeOrder(a, b),
    );
  let high: Bound | null = null;
  if (tops.length > 0) {
    const top = tops[0];
    high = { value: top.top as number, setBy: claimSetter(top) };
    if (top.claim.qualifier === 'estimates_range') {
      high.note = `The high end of a range of different estimates (${describeFigure(top.claim.qualifier, top.interval)}), not a bound.`;
    } else if (top.claim.qualifier === 'about') {
      high.note = 'An estimate, not a bound.';
    } else if (top.claim.qualifier === 'between_or_more') {
      high.note = `The high end of "${describeFigure(top.claim.qualifier, top.interval)}": an estimate, not a bound.`;
    }
  } else {
    // Said as the statement says it (statement.ts, noTopSentence), from the same claims.
    const inScopeTops = work.filter(
      (w) => w.top !== null && (w.status === undefined || w.status === 'contradicted'),
    );
    if (inScopeTops.length > 0 && inScopeTops.every((w) => (w.top as number) < low.value)) {
      const agreeing = inScopeTops.filter(
        (w) => w.status === undefined && w.setAside === undefined && w.interest === null,
      );
      notes.push(
        agreeing.length > 0
          ? `No estimate or upper bound in scope lies above the minimum of ${formatCount(low.value)}; the estimates just below it agree with it within the ${formatPercent(ESTIMATE_TOLERANCE)} tolerance, and the range has no top.`
          : `The minimum of ${formatCount(low.value)} exceeds every estimate and upper bound in scope, so the range has no top.`,
      );
    }
  }

  // An interested party's figure is listed: it never sets a bound alone, but may agree with one.
  for (const w of work) {
    if (w.status !== undefined || w.setAside !== undefined || w.interest === null) continue;
    w.status = 'interested';
    const corroborates: ('low' | 'high')[] = [];
    if (w.floor !== null && w.floor <= low.value && w.floor >= low.value * (1 - ESTIMATE_TOLERANCE))
      corroborates.push('low');
    if (
      high !== null &&
      w.top !== null &&
      w.top <= high.value * (1 + ESTIMATE_TOLERANCE) &&
      w.top >= high.value * (1 - ESTIMATE_TOLERANCE)
    )
      corroborates.push('high');
    if (corroborates.length > 0) w.corroborates = corroborates;
  }

  for (const w of work) {
    if (w.status === undefined && w.setAside !== undefined) {
      w.status = w.setAside;
      w.reason = w.setAsideReason;
    }
    if (w.status === undefined) {
      w.status = 'included';
      w.reason = includedReason(w, low, high);
    } else if (w.status === 'relay') {
      const r = w.relayOf as Work;
      const via = w.origin.chain.length > 1 ? ` (via claims ${w.origin.chain.join(' → ')})` : '';
      const declared = w.relayDeclaredOnSource
        ? ` Its source declares that it relays ${citeSource(w.origin.claim?.attributedTo ?? w.origin.source)}, and it repeats that figure.`
        : '';
      w.reason = `Relay: it repeats ${citeSource(w.origin.source)}${via}; that origin counts once, through claim ${r.claim.id}.${declared}`;
    } else if (w.status === 'superseded') {
      const s = w.supersededBy as Work;
      w.reason = `Superseded: ${w.origin.source.publisher ?? 'the same publisher'} published a later figure in the same series (same place, population and period, or a later count of it): claim ${s.claim.id}, ${describeFigure(s.claim.qualifier, s.interval)}${s.claim.asOf ? ` as of ${s.claim.asOf}` : ''}.`;
    } else if (w.status === 'contradicted') {
      w.reason = contradictedReason(w, low);
      if (w.setAsideReason !== undefined)
        w.reason += ` (It was also set aside: ${w.setAsideReason})`;
    } else if (w.status === 'interested') {
      const label = INTEREST_LABEL[w.interest as SourceInterest];
      const would =
        (w.floor !== null && w.floor > low.value) ||
        (w.top !== null && (high === null ? w.top > low.value : w.top > high.value));
      w.reason = `Interested party: its origin, ${citeSource(w.origin.source)}, is ${label}. A figure from an interested party never sets a bound alone${would ? '; it would otherwise have widened the range' : ''}.${w.corroborates ? ` It agrees with the ${w.corroborates.map((b) => (b === 'low' ? 'minimum' : 'top')).join(' and the ')} set by others.` : ''}`;
    }
    if (w.comparedWith !== undefined) {
      const o = w.comparedWith;
      w.reason += ` It changes the figure: ${describeFigure(w.claim.qualifier, w.interval)} here, ${describeFigure(o.claim.qualifier, o.interval)} in claim ${o.claim.id}.`;
    }
  }

  const outcomes: ClaimOutcome[] = work.map((w) => ({
    id: w.claim.id,
    category: w.claim.category,
    qualifier: w.claim.qualifier,
    basis: w.claim.basis,
    credibility: w.claim.credibility,
    figures: { low: w.claim.low, best: w.claim.best, high: w.claim.high },
    interval: w.interval,
    scope: w.claim.scope,
    status: w.status as ClaimStatus,
    reason: w.reason as string,
    scopeRelation: w.relation,
    scopeAxes: w.axes,
    role: w.role,
    contributes: { low: w.floor, high: w.top },
    source: w.claim.source,
    origin: w.origin.source,
    relayChain: w.origin.chain,
    altersOrigin: w.altersOrigin,
    interest: w.interest,
    ...(w.relayOf === undefined ? {} : { relayOf: w.relayOf.claim.id }),
    ...(w.supersededBy === undefined ? {} : { supersededBy: w.supersededBy.claim.id }),
    ...(w.contradictedBy === undefined
      ? {}
      : {
          contradictedBy:
            typeof w.contradictedBy === 'string'
              ? low.setBy.kind === 'claim'
                ? low.setBy.claimId
                : 'documented'
              : w.contradictedBy.claim.id,
        }),
    ...(w.status === 'below_grade' || w.setAside === 'below_grade'
      ? { setAsideByDefault: w.setAsideByDefault === true }
      : {}),
    ...(w.corroborates === undefined ? {} : { corroborates: w.corroborates }),
    ...(w.componentOf === undefined ? {} : { componentOf: w.componentOf }),
    ...(w.relayDeclaredOnSource ? { relayDeclaredOnSource: true } : {}),
  }));

  const { statement, citations } = buildStatement({
    query,
    documented,
    low,
    high,
    claims: outcomes,
  });
  return {
    unconstrained: [...(query.unconstrained ?? [])],
    documented,
    claims: outcomes,
    low,
    high,
    notes,
    statement,
    citations,
    rules: [...RECONCILIATION_RULES],
  };
}
