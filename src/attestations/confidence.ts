import { RELIABILITIES, reliabilityRank, type Reliability } from '../reconciliation/reconcile.js';

export const CONFIDENCE_LEVELS = ['confirmed', 'probable', 'possible', 'unattested'] as const;
export type Confidence = (typeof CONFIDENCE_LEVELS)[number];

export interface AttestationGrade {
  /** The source's origin after following relays: two outlets repeating one report are one origin. */
  originId: string;
  reliability: Reliability;
  /** 1 (confirmed) … 6 (cannot be judged). */
  credibility: number;
  /** Verified against primary evidence (a death certificate, a grave, footage of the body). */
  primaryEvidence?: boolean;
}

export const CONFIDENCE_RULE: string[] = [
  "A victim's confidence is derived from its attestations, never typed in. Each attestation is graded on two axes: the reliability of its source (A completely reliable, B usually reliable, C fairly reliable, D not usually reliable, E unreliable, F cannot be judged) and the credibility of what it says (1 confirmed by other sources, 2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged).",
  'Attestations are counted by origin: the source they come from after following relays. Several attestations from one origin count as one origin, which meets a grade when any of its attestations does.',
  '"A–B / 1–2" means reliability A or B and credibility 1 or 2; F and 6 (cannot be judged) meet no such grade.',
  'confirmed: two or more independent origins each graded A–B / 1–2; or one attestation verified against primary evidence and graded A–B / 1–2.',
  'probable: not confirmed, and one origin graded A–C / 1–3, or two or more independent origins graded A–D / 1–4.',
  'possible: not probable, and at least one attestation that is neither from an unreliable source (E) nor improbable (5). Attestations that cannot be judged (F or 6) count here.',
  'unattested: no attestation, or only attestations graded E or 5.',
];

const RANK: Record<Confidence, number> = { confirmed: 3, probable: 2, possible: 1, unattested: 0 };

/** For minConfidence filters: confirmed 3, probable 2, possible 1, unattested 0. */
export function confidenceRank(c: Confidence): number {
  return RANK[c];
}

function check(a: AttestationGrade): void {
  if (typeof a.originId !== 'string' || a.originId === '') {
    throw new RangeError('attestation originId must be a non-empty string');
  }
  if (!(RELIABILITIES as readonly string[]).includes(a.reliability)) {
    throw new RangeError(
      `attestation reliability must be one of A–F (got "${String(a.reliability)}")`,
    );
  }
  if (!Number.isInteger(a.credibility) || a.credibility < 1 || a.credibility > 6) {
    throw new RangeError(`attestation credibility must be 1–6 (got ${a.credibility})`);
  }
}

function graded(a: AttestationGrade, maxReliability: Reliability, maxCredibility: number): boolean {
  return (
    reliabilityRank(a.reliability) <= reliabilityRank(maxReliability) &&
    a.credibility <= maxCredibility
  );
}

/** Distinct origins with at least one attestation meeting the grade. */
function origins(
  atts: AttestationGrade[],
  maxReliability: Reliability,
  maxCredibility: number,
): number {
  return new Set(
    atts.filter((a) => graded(a, maxReliability, maxCredibility)).map((a) => a.originId),
  ).size;
}

export function deriveConfidence(atts: AttestationGrade[]): Confidence {
  atts.forEach(check);
  if (
    origins(atts, 'B', 2) >= 2 ||
    atts.some((a) => a.primaryEvidence === true && graded(a, 'B', 2))
  ) {
    return 'confirmed';
  }
  if (origins(atts, 'C', 3) >= 1 || origins(atts, 'D', 4) >= 2) return 'probable';
  if (atts.some((a) => a.reliability !== 'E' && a.credibility !== 5)) return 'possible';
  return 'unattested';
}
