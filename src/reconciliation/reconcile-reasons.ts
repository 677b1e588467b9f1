import type { SourceInterest } from '../common/domain.js';
import { ESTIMATE_TOLERANCE, hardFloor, isEstimate } from './intervals.js';
import type { Bound, BoundSetter } from './reconcile-types.js';
import type { Work } from './reconcile-work.js';
import { compareClaimScopes, scopeAxes } from './scope.js';
import {
  citeClaim,
  citeSource,
  describeFigure,
  formatCount,
  formatPercent,
  scopeDifferences,
} from './statement.js';

// Plain words for a claim's status and for what sets a bound.

export function claimSetter(w: Work): BoundSetter {
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

export function setterWords(b: Bound): string {
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

export function includedReason(w: Work, low: Bound, high: Bound | null): string {
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

export function contradictedReason(w: Work, low: Bound): string {
  const figure = describeFigure(w.claim.qualifier, w.interval);
  const by = w.contradictedBy;
  const setsLow = (x: Work) => low.setBy.kind === 'claim' && low.setBy.claimId === x.claim.id;
  if (by === undefined || by === 'documented' || by === 'minimum' || setsLow(by)) {
    return `Contradicted: its top (${figure}) is below the minimum of ${formatCount(low.value)} set by ${setterWords(low)}${isEstimate(w.claim.qualifier) ? `, by more than the ${formatPercent(ESTIMATE_TOLERANCE)} tolerance for estimates` : ''}.`;
  }
  const relation = compareClaimScopes(by.claim.scope, w.claim.scope);
  return `Contradicted: its top (${figure}) is below the minimum of ${formatCount(hardFloor(by.claim.qualifier, by.interval) as number)} that claim ${by.claim.id} (${citeClaim(by.claim.source, by.origin.source)}) gives for ${relation === 'equal' ? 'the same scope' : `part of its scope (${scopeDifferences(scopeAxes(by.claim.scope, { locationPath: w.claim.scope.locationPath, from: w.claim.scope.dateFrom, to: w.claim.scope.dateTo, incidentId: w.claim.scope.incidentId, population: w.claim.scope.population, perpetrator: w.claim.scope.perpetrator ?? null }), 'inside', by.claim.scope)})`}; it is contradicted in every query that includes it.`;
}
