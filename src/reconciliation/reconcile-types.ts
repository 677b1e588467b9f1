import {
  CLAIM_BASES as DOMAIN_CLAIM_BASES,
  RELIABILITIES as DOMAIN_RELIABILITIES,
  SOURCE_INTERESTS,
  type SourceInterest,
} from '../common/domain.js';
import type { Category, Interval, Qualifier } from './intervals.js';
import type { ClaimScope, Population, QueryScopeAxes, ScopeAxes, ScopeRelation } from './scope.js';

// The reconciliation's input and answer (reconcile.ts re-exports all of it).

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
