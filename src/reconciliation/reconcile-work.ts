import type { SourceInterest } from '../common/domain.js';
import {
  RELIABILITY_LABEL,
  hardFloor,
  isEstimate,
  sameInterval,
  upperEnd,
  type Interval,
} from './intervals.js';
import {
  CREDIBILITY_LABEL,
  reliabilityRank,
  type ClaimInput,
  type ClaimRole,
  type ClaimStatus,
  type QueryScope,
  type SourceRef,
} from './reconcile-types.js';
import { scopeFacts, type ScopeFacts } from './scope-facts.js';
import { combineAxes, scopeAxes, scopeKey, type ScopeAxes, type ScopeRelation } from './scope.js';

// What reconcile.ts works on: one Work per claim, its origin, and the orders the rules use.

export interface Origin {
  /** The claim at the end of the relay chain, when it is in the input. */
  claim: ClaimInput | null;
  source: SourceRef;
  date: string | null;
  chain: string[];
  key: string;
}

export interface Work {
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

export function isOwnFigure(c: ClaimInput): boolean {
  return c.attributedTo === null || c.attributedTo.id === c.source.id;
}

export function claimDate(c: ClaimInput): string | null {
  return c.publishedDate ?? c.source.publishedDate;
}

/** Earliest first; unknown dates last. */
export function byDate(a: string | null, b: string | null): number {
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

/** Runs `fn` with a fresh table of content keys (one reconciliation). */
export function withContentKeys<T>(fn: () => T): T {
  const outer = contentKeys;
  contentKeys = new WeakMap();
  try {
    return fn();
  } finally {
    contentKeys = outer;
  }
}

/** Orders claims by what they say, not by when they were entered (ids are time-ordered). */
export function contentKey(c: ClaimInput): string {
  const known = contentKeys?.get(c);
  if (known !== undefined) return known;
  const key = contentKeyOf(c);
  contentKeys?.set(c, key);
  return key;
}

export function contentKeyOf(c: ClaimInput): string {
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

export function byContent(a: ClaimInput, b: ClaimInput): number {
  const x = contentKey(a);
  const y = contentKey(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function resolveOrigin(
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

export function gradeOrder(a: Work, b: Work): number {
  return (
    reliabilityRank(a.claim.source.reliability) - reliabilityRank(b.claim.source.reliability) ||
    a.claim.credibility - b.claim.credibility ||
    byDate(a.origin.date, b.origin.date) ||
    byDate(claimDate(a.claim), claimDate(b.claim)) ||
    byContent(a.claim, b.claim)
  );
}

export function publisherKey(s: SourceRef): string | null {
  const p = s.publisher?.trim().replace(/\s+/g, ' ').toLowerCase() ?? '';
  return p === '' ? null : p;
}

export function roleOf(w: Pick<Work, 'floor' | 'top' | 'claim'>): ClaimRole {
  if (w.floor !== null) return 'floor';
  if (w.top === null) return 'none';
  return isEstimate(w.claim.qualifier) ? 'estimate' : 'ceiling';
}

export function prepare(
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

export function gradeReason(c: ClaimInput, q: QueryScope): string | null {
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
export function counterpart(w: Work, candidates: Work[]): Work {
  return (
    candidates.find((o) => w.origin.claim !== null && o.claim === w.origin.claim) ??
    candidates.find((o) => sameInterval(o.interval, w.interval)) ??
    [...candidates].sort(
      (a, b) => -byDate(a.origin.date, b.origin.date) || byContent(a.claim, b.claim),
    )[0]
  );
}
