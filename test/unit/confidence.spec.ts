import {
  CONFIDENCE_LEVELS,
  CONFIDENCE_RULE,
  confidenceRank,
  deriveConfidence,
  type AttestationGrade,
  type Confidence,
} from '../../src/attestations/confidence.js';

function att(originId: string, grade: string, primaryEvidence?: boolean): AttestationGrade {
  const reliability = grade[0] as AttestationGrade['reliability'];
  const credibility = Number(grade.slice(1));
  return primaryEvidence === undefined
    ? { originId, reliability, credibility }
    : { originId, reliability, credibility, primaryEvidence };
}

describe('deriveConfidence', () => {
  const cases: [string, AttestationGrade[], Confidence][] = [
    ['no attestation at all', [], 'unattested'],
    [
      'two independent origins graded B2 and A1',
      [att('ai', 'B2'), att('hrana', 'A1')],
      'confirmed',
    ],
    [
      'two independent origins both at the limit B2',
      [att('ai', 'B2'), att('bbc', 'B2')],
      'confirmed',
    ],
    [
      'ten outlets relaying one origin count as one origin',
      Array.from({ length: 10 }, () => att('reuters', 'B2')),
      'probable',
    ],
    ['one B2 origin alone is probable, not confirmed', [att('ai', 'B2')], 'probable'],
    [
      'one attestation verified against primary evidence, graded A1',
      [att('death-certificate', 'A1', true)],
      'confirmed',
    ],
    [
      'primary evidence from a C-graded source is only probable',
      [att('family-photo', 'C2', true)],
      'probable',
    ],
    ['primary evidence flag false changes nothing', [att('ai', 'B1', false)], 'probable'],
    ['one origin graded C3 is probable', [att('iranwire', 'C3')], 'probable'],
    [
      'B2 plus a C3 from another origin is probable',
      [att('ai', 'B2'), att('iw', 'C3')],
      'probable',
    ],
    [
      'two independent origins graded D4 are probable',
      [att('x', 'D4'), att('y', 'D4')],
      'probable',
    ],
    [
      'two D4 attestations from one origin are possible',
      [att('x', 'D4'), att('x', 'D4')],
      'possible',
    ],
    ['one D4 origin is possible', [att('x', 'D4')], 'possible'],
    ['C4 fails the C/3 test and alone is possible', [att('x', 'C4')], 'possible'],
    ['an A5 (improbable) alone is unattested', [att('x', 'A5')], 'unattested'],
    ['an E1 (unreliable source) alone is unattested', [att('x', 'E1')], 'unattested'],
    [
      'only E and 5 grades, several origins: unattested',
      [att('x', 'E2'), att('y', 'B5')],
      'unattested',
    ],
    ['F6 (cannot be judged) is possible', [att('telegram', 'F6')], 'possible'],
    [
      'two F1 origins: F meets no letter grade, so possible',
      [att('a', 'F1'), att('b', 'F1')],
      'possible',
    ],
    [
      'two B6 origins: 6 meets no number grade, so possible',
      [att('a', 'B6'), att('b', 'B6')],
      'possible',
    ],
    [
      'one origin with a weak and a strong attestation is graded by the strong one',
      [att('ai', 'E5'), att('ai', 'B2'), att('hrana', 'B1')],
      'confirmed',
    ],
    [
      'an origin qualifies per test by any one of its attestations',
      [att('ai', 'A4'), att('ai', 'D1'), att('bbc', 'D4')],
      'probable',
    ],
  ];

  it.each(cases)('%s', (_name, atts, expected) => {
    expect(deriveConfidence(atts)).toBe(expected);
  });

  it('rejects a credibility outside 1–6', () => {
    expect(() => deriveConfidence([att('x', 'B7')])).toThrow(RangeError);
    expect(() => deriveConfidence([{ originId: 'x', reliability: 'B', credibility: 1.5 }])).toThrow(
      /credibility/,
    );
  });

  it('rejects an unknown reliability and an empty origin', () => {
    expect(() => deriveConfidence([att('x', 'G1')])).toThrow(/reliability/);
    expect(() => deriveConfidence([att('', 'A1')])).toThrow(/originId/);
  });
});

describe('confidenceRank', () => {
  it('orders the levels for minConfidence filters', () => {
    expect(CONFIDENCE_LEVELS.map(confidenceRank)).toEqual([3, 2, 1, 0]);
  });
});

describe('CONFIDENCE_RULE', () => {
  it('publishes a rule for every level', () => {
    for (const level of CONFIDENCE_LEVELS) {
      expect(CONFIDENCE_RULE.some((line) => line.startsWith(`${level}:`))).toBe(true);
    }
  });
});
