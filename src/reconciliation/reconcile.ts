import {
  ClaimShapeError,
  ESTIMATE_TOLERANCE,
  claimInterval,
  isEstimate,
  type Interval,
} from './intervals.js';
import { checkClaim, checkQuery, expandBreakdown, separatePeriods } from './reconcile-checks.js';
import {
  markContradictedByClaims,
  markRelays,
  markSuperseded,
  exceeds,
  sourceRelays,
} from './reconcile-marks.js';
import {
  INTEREST_LABEL,
  claimSetter,
  contradictedReason,
  includedReason,
} from './reconcile-reasons.js';
import { RECONCILIATION_RULES } from './reconcile-rules.js';
import {
  reliabilityRank,
  type Bound,
  type ClaimInput,
  type ClaimOutcome,
  type ClaimStatus,
  type DocumentedInput,
  type QueryScope,
  type ReconciliationResult,
} from './reconcile-types.js';
import { gradeOrder, gradeReason, prepare, withContentKeys, type Work } from './reconcile-work.js';
import {
  buildStatement,
  citeSource,
  describeFigure,
  formatCount,
  formatPercent,
  formatWindow,
  scopeDifferences,
} from './statement.js';
import type { SourceInterest } from '../common/domain.js';

// The rules' phases live beside this file: the input and answer types (reconcile-types.ts),
// the checks (reconcile-checks.ts), the work per claim (reconcile-work.ts), the marks of claims
// against each other (reconcile-marks.ts), the reasons (reconcile-reasons.ts).
export * from './intervals.js';
export * from './scope.js';
export * from './reconcile-types.js';
export { RECONCILIATION_RULES } from './reconcile-rules.js';
export { INTEREST_LABEL } from './reconcile-reasons.js';
export { expandBreakdown } from './reconcile-checks.js';

export function reconcile(
  query: QueryScope,
  documented: DocumentedInput,
  input: ClaimInput[],
): ReconciliationResult {
  return withContentKeys(() => reconcileClaims(query, documented, input));
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
