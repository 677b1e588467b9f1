import type {
  ClaimInput,
  ClaimScope,
  DocumentedInput,
  Qualifier,
  QueryScope,
  ReconciliationResult,
  SourceRef,
} from '../../src/reconciliation/reconcile.js';

/** Builders for pure reconciliation cases: a claim is its id, its figure and what differs. */
export const IRAN = ['iran'];
export const KHUZESTAN = ['iran', 'khuzestan'];
export const MAHSHAHR = ['iran', 'khuzestan', 'mahshahr'];

export const WINDOW = { dateFrom: '2019-11-15', dateTo: '2019-11-19' };

export function src(id: string, over: Partial<SourceRef> = {}): SourceRef {
  return { id, title: id, publisher: id, publishedDate: null, reliability: 'B', ...over };
}

export function scope(over: Partial<ClaimScope> = {}): ClaimScope {
  return { locationPath: IRAN, ...WINDOW, incidentId: null, population: 'all', ...over };
}

export type Fig = [Qualifier, number] | [Qualifier, number, number];

export function figures(fig: Fig): Pick<ClaimInput, 'qualifier' | 'low' | 'best' | 'high'> {
  const [q, a, b] = fig;
  const f = {
    low: null as number | null,
    best: null as number | null,
    high: null as number | null,
  };
  if (q === 'exact' || q === 'about') f.best = a;
  else if (q === 'at_least' || q === 'more_than') f.low = a;
  else if (q === 'at_most' || q === 'up_to') f.high = a;
  else {
    f.low = a;
    f.high = b ?? null;
  }
  return { qualifier: q, ...f };
}

export function claim(id: string, fig: Fig, over: Partial<ClaimInput> = {}): ClaimInput {
  return {
    id,
    category: 'killed',
    ...figures(fig),
    scope: scope(),
    basis: 'estimate',
    credibility: 2,
    publishedDate: null,
    excerpt: null,
    source: src(`src-${id}`),
    relaysClaimId: null,
    attributedTo: null,
    ...over,
  };
}

/** The query the service sends by default: grades C / 3, those defaults marked as such. */
export function defaultQuery(over: Partial<QueryScope> = {}): QueryScope {
  return {
    locationPath: IRAN,
    from: WINDOW.dateFrom,
    to: WINDOW.dateTo,
    incidentId: null,
    population: 'all',
    category: 'killed',
    minReliability: 'C',
    minCredibility: 3,
    defaulted: { reliability: true, credibility: true },
    ...over,
  };
}

export function none(total = 0): DocumentedInput {
  return {
    total,
    byConfidence: total === 0 ? {} : { confirmed: total },
    sources:
      total === 0
        ? []
        : [{ id: 'memorial', title: 'Memorial', publisher: 'Memorial', victims: total }],
  };
}

export function outcomeOf(r: ReconciliationResult, id: string) {
  const o = r.claims.find((c) => c.id === id);
  if (o === undefined) throw new Error(`no outcome for ${id}`);
  return o;
}

export function setterOf(r: ReconciliationResult, end: 'low' | 'high'): string | null {
  const b = end === 'low' ? r.low : r.high;
  if (b === null) return null;
  return b.setBy.kind === 'documented' ? 'documented' : b.setBy.claimId;
}
