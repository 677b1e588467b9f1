import {
  CLAIM_BASES as DOMAIN_CLAIM_BASES,
  RELIABILITIES as DOMAIN_RELIABILITIES,
} from '../common/domain.js';
import {
  CATEGORIES,
  ClaimShapeError,
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
  scopeAxes,
  scopeKey,
  type ClaimScope,
  type QueryScopeAxes,
  type ScopeAxes,
  type ScopeRelation,
} from './scope.js';
import {
  buildStatement,
  citeClaim,
  citeSource,
  describeFigure,
  formatCount,
  scopeDifferences,
} from './statement.js';

export * from './intervals.js';
export * from './scope.js';

export const RELIABILITIES = DOMAIN_RELIABILITIES;
export type Reliability = (typeof RELIABILITIES)[number];

export const RELIABILITY_LABEL: Record<Reliability, string> = {
  A: 'completely reliable',
  B: 'usually reliable',
  C: 'fairly reliable',
  D: 'not usually reliable',
  E: 'unreliable',
  F: 'reliability cannot be judged',
};

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

export interface SourceRef {
  id: string;
  title: string;
  publisher: string | null;
  publishedDate: string | null;
  reliability: Reliability;
  url?: string | null;
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
}

export interface QueryScope extends QueryScopeAxes {
  category: Category;
  minReliability: Reliability;
  minCredibility: number;
  /** Optional words for the statement, e.g. "in Iran between 15 and 19 November 2019";
   *  when absent the statement names the dates only. */
  label?: string | null;
}

export interface DocumentedInput {
  total: number;
  byConfidence: Record<string, number>;
  sources: { id: string; title: string; publisher: string | null; victims: number }[];
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
  'included' | 'superseded' | 'relay' | 'below_grade' | 'scope_differs' | 'contradicted';
export type ClaimRole = 'floor' | 'ceiling' | 'estimate' | 'none';

export interface ClaimOutcome {
  id: string;
  category: Category;
  qualifier: Qualifier;
  basis: ClaimBase;
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
  'Figures. "exact n" is [n, n]; "at least n" is [n, ∞); "more than n" is [n + 1, ∞), since counts are whole people; "about n" is an estimate of n with no bounds; "at most n" and "up to n" are [0, n]; "between a and b" is one source\'s interval [a, b]; a range of estimates "a to b" is a spread of different estimates: its ends are estimates, not bounds, and its low end is never a minimum.',
  "Grades. A claim is graded by the document that carries it (source reliability A, best, to E) and by the credibility of its figure (1, best, to 5). A relay is graded as its carrier, not as the origin it names: the origin's own claim, when entered, carries the origin's grade. Reliability F and credibility 6 (cannot be judged) rank after E and 5, so they pass only a query that accepts F or 6. A claim graded below the query's minimum on either axis is below_grade.",
  'Scope. A claim is compared with the query on four axes: place (a location includes everything under it; a claim with no location covers everywhere), time (inclusive dates; an open end is unbounded; "2019-11" is 1 to 30 November), incident (a claim with no incident covers every incident) and population ("all" contains every population; "non_security" contains protesters, bystanders, children and women, on the assumption that children and women counted are not members of the security forces). The claim is equal when equal on every axis, inside when inside or equal on every axis, contains when containing or equal on every axis. Otherwise (an axis that neither contains nor lies within, or narrower on one axis and wider on another) it is scope_differs, as is a claim about another category.',
  "Relays. A claim's origin is found by following its relay links to the end of the chain; on a loop, the earliest-published claim in the loop is the end. The origin document is the end claim's attributed source, or else its own source. Claims of the same category whose origin is the same document and whose origin scopes are equal count once: the origin's own claims when entered and not set aside for grade or scope; otherwise one relay, the best graded (reliability, then credibility), then the earliest, then by id. The rest are relay. A relay is flagged as altering its origin when its figure (qualifier and numbers) differs from the origin's own claim, or, when that is not entered, from the relay counted in its place.",
  "Supersession. Among the remaining claims, when two have the same origin publisher and equal scopes and one has a later origin date, the earlier is superseded by the latest (Amnesty's 106, 143, 208 and 304 by its 323). The origin date is the date of the origin's own claim, or of the document a relay attributes the figure to. A claim whose origin publisher or date is unknown is never superseded.",
  'Minimum (low). The minimum is the largest of: the number of distinct victims documented in this ledger for the query, and the hard lower bound (exact n: n; at least n: n; more than n: n + 1; between a and b: a) of every remaining claim whose scope equals or lies inside the query (a count for part of the scope is a minimum for the whole). A claim about a wider scope sets no minimum. On a tie the documented count sets it, since each of those victims can be checked record by record; between claims, the better graded, then the earlier, then by id.',
  'Contradicted. A remaining claim whose scope equals or contains the query and whose top (its exact value, its hard upper bound, its "about" value, or the high end of its range of estimates) is below the minimum is contradicted.',
  'Top of the range (high). The top is the highest top among included claims whose scope equals or contains the query: a figure for a wider scope bounds this one from above. It is the highest rather than the tightest, so that no credible figure lies outside the range. On a tie a hard bound is preferred to an estimate, then the better graded, then the earlier. With no such claim there is no top (null); when every one was contradicted a note says so.',
  'Included. Every claim left is included. Its role says what it does for this query: floor (sets a minimum), ceiling (a hard upper bound), estimate (an estimate that can set the top, never the minimum), or none (for example a minimum for a wider scope, which says nothing about this part). A figure that gives both a minimum and a top for the queried scope itself (exact, between) is shown as floor.',
  'Statement. One paragraph states the minimum and what sets it, the top of the range and what sets it (for a range of estimates, that its low end is not a floor), and every contradicted figure, each with its citation: publisher, title and date of the origin, and of the document that relayed it when that differs.',
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
  axes: ScopeAxes;
  relation: ScopeRelation;
  floor: number | null;
  top: number | null;
  role: ClaimRole;
  origin: Origin;
  original: boolean;
  status?: ClaimStatus;
  reason?: string;
  relayOf?: Work;
  supersededBy?: Work;
  altersOrigin: boolean;
  /** The figure an altering relay was compared with. */
  comparedWith?: Work;
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

function resolveOrigin(c: ClaimInput, byId: Map<string, ClaimInput>): Origin {
  const chain: string[] = [];
  const path: ClaimInput[] = [c];
  let end: ClaimInput = c;
  let missing: string | null = null;
  while (end.relaysClaimId !== null) {
    const nextId = end.relaysClaimId;
    const loopAt = path.findIndex((p) => p.id === nextId);
    if (loopAt >= 0) {
      // No member of a loop is the true origin; take the earliest so every member agrees.
      end = [...path.slice(loopAt)].sort(
        (a, b) => byDate(claimDate(a), claimDate(b)) || a.id.localeCompare(b.id),
      )[0];
      break;
    }
    chain.push(nextId);
    const next = byId.get(nextId);
    if (next === undefined) {
      missing = nextId;
      break;
    }
    path.push(next);
    end = next;
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
    a.claim.id.localeCompare(b.claim.id)
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
  }
  try {
    claimWindow(c.scope);
    for (const [field, d] of [
      ['publishedDate', c.publishedDate],
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
  const origin = resolveOrigin(c, byId);
  const w: Work = {
    claim: c,
    interval,
    axes,
    relation,
    floor,
    top,
    role: 'none',
    origin,
    original: origin.claim === c && isOwnFigure(c),
    altersOrigin: false,
  };
  w.role = roleOf(w);
  return w;
}

function gradeReason(c: ClaimInput, q: QueryScope): string | null {
  const r = c.source.reliability;
  const parts: string[] = [];
  if (reliabilityRank(r) > reliabilityRank(q.minReliability)) {
    parts.push(
      `its source is graded ${r} (${RELIABILITY_LABEL[r]}), below the requested ${q.minReliability}`,
    );
  }
  if (c.credibility > q.minCredibility) {
    parts.push(
      `its figure is graded ${c.credibility} (${CREDIBILITY_LABEL[c.credibility]}), below the requested ${q.minCredibility}`,
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
      (a, b) => -byDate(a.origin.date, b.origin.date) || a.claim.id.localeCompare(b.claim.id),
    )[0]
  );
}

function markRelays(work: Work[]): void {
  const groups = new Map<string, Work[]>();
  for (const w of work) {
    const g = groups.get(w.origin.key);
    if (g === undefined) groups.set(w.origin.key, [w]);
    else g.push(w);
  }
  for (const members of groups.values()) {
    const originals = members.filter((m) => m.original);
    const live = members.filter((m) => m.status === undefined);
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

function markSuperseded(work: Work[]): void {
  // Only a publisher's own later figure supersedes one: compare within each publisher, with
  // each figure's date span worked out once (a thousand claims would be a million pairs).
  const byPublisher = new Map<string, { w: Work; start: string; end: string }[]>();
  for (const w of work) {
    if (w.status !== undefined || w.origin.date === null) continue;
    const pub = publisherKey(w.origin.source);
    if (pub === null) continue;
    const span = dateSpan(w.origin.date);
    const group = byPublisher.get(pub) ?? [];
    group.push({ w, start: span.start, end: span.end });
    byPublisher.set(pub, group);
  }
  for (const group of byPublisher.values()) {
    for (const self of group) {
      const newer = group.filter(
        (o) =>
          o !== self &&
          o.start > self.end &&
          compareClaimScopes(o.w.claim.scope, self.w.claim.scope) === 'equal',
      );
      if (newer.length === 0) continue;
      newer.sort((a, b) => -byDate(a.start, b.start) || a.w.claim.id.localeCompare(b.w.claim.id));
      self.w.status = 'superseded';
      self.w.supersededBy = newer[0].w;
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

function includedReason(w: Work, low: Bound, high: Bound | null): string {
  const part = w.relation === 'inside' ? scopeDifferences(w.axes, 'inside', w.claim.scope) : '';
  const wider =
    w.relation === 'contains' ? scopeDifferences(w.axes, 'contains', w.claim.scope) : '';
  const estimate = isEstimate(w.claim.qualifier);
  let text: string;
  if (w.floor !== null && w.top !== null) {
    text = 'A minimum and a top for the queried scope.';
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

export function reconcile(
  query: QueryScope,
  documented: DocumentedInput,
  claims: ClaimInput[],
): ReconciliationResult {
  checkQuery(query, documented);
  const byId = new Map<string, ClaimInput>();
  for (const c of claims) {
    if (byId.has(c.id)) throw new ClaimShapeError('id', 'appears twice in the input', c.id);
    byId.set(c.id, c);
  }
  // Every claim is checked before any is used, since relay chains reach across the input.
  const intervals = claims.map(checkClaim);
  const work = claims.map((c, i) => prepare(c, intervals[i], query, byId));

  for (const w of work) {
    const reason = gradeReason(w.claim, query);
    if (reason !== null) {
      w.status = 'below_grade';
      w.reason = reason;
    } else if (w.claim.category !== query.category) {
      w.status = 'scope_differs';
      w.reason = `Scope differs: it counts people ${w.claim.category}, not ${query.category}.`;
    } else if (w.relation === 'differs') {
      w.status = 'scope_differs';
      w.reason = `Scope differs: ${scopeDifferences(w.axes, 'differs', w.claim.scope)}.`;
    }
  }

  markRelays(work);
  markSuperseded(work);

  const floors = work
    .filter((w) => w.status === undefined && w.floor !== null)
    .sort((a, b) => (b.floor as number) - (a.floor as number) || gradeOrder(a, b));
  const notes: string[] = [];
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

  for (const w of work) {
    if (w.status === undefined && w.top !== null && w.top < low.value) {
      w.status = 'contradicted';
      w.reason = `Contradicted: its top (${describeFigure(w.claim.qualifier, w.interval)}) is below the minimum of ${formatCount(low.value)} set by ${setterWords(low)}.`;
    }
  }

  const tops = work
    .filter((w) => w.status === undefined && w.top !== null)
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
    }
  } else if (work.some((w) => w.status === 'contradicted')) {
    notes.push(
      `The minimum of ${formatCount(low.value)} exceeds every estimate and upper bound in scope, so the range has no top.`,
    );
  }

  for (const w of work) {
    if (w.status === undefined) {
      w.status = 'included';
      w.reason = includedReason(w, low, high);
    } else if (w.status === 'relay') {
      const r = w.relayOf as Work;
      const via = w.origin.chain.length > 1 ? ` (via claims ${w.origin.chain.join(' → ')})` : '';
      w.reason = `Relay: it repeats ${citeSource(w.origin.source)}${via}; that origin counts once, through claim ${r.claim.id}.`;
    } else if (w.status === 'superseded') {
      const s = w.supersededBy as Work;
      w.reason = `Superseded: ${w.origin.source.publisher ?? 'the same publisher'} published a later figure for the same scope (claim ${s.claim.id}, ${describeFigure(s.claim.qualifier, s.interval)}).`;
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
    ...(w.relayOf === undefined ? {} : { relayOf: w.relayOf.claim.id }),
    ...(w.supersededBy === undefined ? {} : { supersededBy: w.supersededBy.claim.id }),
  }));

  const { statement, citations } = buildStatement({
    query,
    documented,
    low,
    high,
    claims: outcomes,
  });
  return {
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
