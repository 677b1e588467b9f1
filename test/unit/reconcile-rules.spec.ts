import {
  ClaimShapeError,
  RECONCILIATION_RULES,
  expandBreakdown,
  claimInterval,
  reconcile,
  scopesOverlap,
  sameSeries,
  scopeRelation,
  type ClaimInput,
  type ReconciliationResult,
} from '../../src/reconciliation/reconcile.js';
import {
  IRAN,
  KHUZESTAN,
  MAHSHAHR,
  WINDOW,
  claim,
  defaultQuery,
  none,
  outcomeOf,
  scope,
  setterOf,
  src,
} from './reconcile-fixtures.js';

const run = (claims: ClaimInput[], over: Parameters<typeof defaultQuery>[0] = {}, total = 0) =>
  reconcile(defaultQuery(over), none(total), claims);

const statuses = (r: ReconciliationResult) =>
  Object.fromEntries(r.claims.map((c) => [c.id, c.status]));

describe('grades: a default a researcher can defend', () => {
  const d = src('party', { reliability: 'D', publisher: 'A party' });
  const claims = [
    claim('named', ['at_least', 304], { basis: 'named_list' }),
    claim('partisan', ['more_than', 1500], { source: d }),
    claim('doubtful', ['at_least', 900], { credibility: 4 }),
    claim('ungraded', ['about', 5000], { source: src('anon', { reliability: 'F' }) }),
  ];

  it('sets aside D–F sources and figures graded 4–6 by default, and lists them with their reason', () => {
    const r = run(claims);
    expect([r.low.value, setterOf(r, 'low'), r.high]).toEqual([304, 'named', null]);
    expect(statuses(r)).toEqual({
      named: 'included',
      partisan: 'below_grade',
      doubtful: 'below_grade',
      ungraded: 'below_grade',
    });
    expect(outcomeOf(r, 'partisan')).toMatchObject({ setAsideByDefault: true });
    expect(outcomeOf(r, 'partisan').reason).toContain('below the default C');
    expect(outcomeOf(r, 'doubtful').reason).toContain('graded 4 (doubtful), below the default 3');
  });

  it('says in one sentence what the defaults set aside and how to include it', () => {
    const r = run(claims);
    expect(r.statement).toContain(
      'One figure from sources graded D, one figure from sources graded F and one figure graded 4 (doubtful) were set aside by the default thresholds (source reliability C or better, credibility 3 or better); add minReliability=F and minCredibility=6 to include them.',
    );
  });

  it('explicit thresholds override the defaults, and the statement says they were requested', () => {
    const all = run(claims, {
      minReliability: 'F',
      minCredibility: 6,
      defaulted: { reliability: false, credibility: false },
    });
    expect([all.low.value, setterOf(all, 'low')]).toEqual([1501, 'partisan']);
    expect(all.statement).not.toContain('set aside');
    const strict = run(claims, {
      minReliability: 'A',
      defaulted: { reliability: false, credibility: true },
    });
    expect(statuses(strict).named).toBe('below_grade');
    expect(strict.statement).toContain('set aside as below the requested grade');
    expect(strict.statement).not.toContain('default thresholds');
  });

  it('names the grade of a bound below B in the statement, and not of one at A or B', () => {
    const c = src('c-source', { reliability: 'C', publisher: 'Outlet C', title: 'Outlet C' });
    const r = run([claim('floor', ['at_least', 100], { source: c }), claim('top', ['about', 900])]);
    expect(r.statement).toContain(
      'Outlet C, “Outlet C”; carried by a source graded C (fairly reliable)',
    );
    expect(r.statement).not.toMatch(/src-top[^)]*graded/);
  });
});

describe('interested parties', () => {
  const gov = src('gov', { publisher: 'Ministry', reliability: 'B', interest: 'government' });
  const opp = src('opp', { publisher: 'Party', reliability: 'B', interest: 'opposition' });

  it('a figure from an interested party never sets a bound alone', () => {
    const r = run([
      claim('ngo', ['at_least', 300], { basis: 'verified_cases' }),
      claim('party', ['more_than', 1500], { source: opp }),
      claim('est', ['about', 1000]),
    ]);
    expect([r.low.value, setterOf(r, 'low'), r.high?.value]).toEqual([300, 'ngo', 1000]);
    expect(outcomeOf(r, 'party')).toMatchObject({ status: 'interested', interest: 'opposition' });
    expect(r.statement).toContain(
      "An opposition party's figure of more than 1,500 (Party, “opp”) would raise the minimum, but a figure from an interested party does not set a bound alone.",
    );
  });

  it('it can corroborate a bound set by others', () => {
    const r = run([
      claim('ngo', ['at_least', 300], { basis: 'verified_cases' }),
      claim('gov-floor', ['at_least', 290], { source: gov }),
    ]);
    expect(outcomeOf(r, 'gov-floor')).toMatchObject({
      status: 'interested',
      corroborates: ['low'],
    });
    expect(r.statement).not.toContain('would raise');
  });

  it('the interest of a relayed figure is its origin’s, not its carrier’s', () => {
    const amnesty = src('ai', { publisher: 'Amnesty International' });
    const r = run([claim('relayed', ['at_least', 304], { source: opp, attributedTo: amnesty })]);
    expect(outcomeOf(r, 'relayed')).toMatchObject({ status: 'included', interest: null });
    expect(r.low.value).toBe(304);
  });

  it('an official figure below the floor is contradicted, and the statement names the interest', () => {
    const r = run([
      claim('ngo', ['at_least', 304], {
        basis: 'named_list',
        scope: scope({ population: 'non_security' }),
      }),
      claim('official', ['exact', 230], { source: gov, basis: 'official' }),
    ]);
    expect(outcomeOf(r, 'official')).toMatchObject({
      status: 'contradicted',
      interest: 'government',
    });
    expect(r.statement).toContain(
      "The government's official figure of 230 (Ministry, “gov”) is below the documented minimum.",
    );
  });
});

describe('workflow status', () => {
  it('a claim a reviewer marked disputed sets no bound by default, and is listed as disputed', () => {
    const claims = [
      claim('ok', ['at_least', 100]),
      claim('contested', ['at_least', 900], { recordStatus: 'disputed' }),
    ];
    const r = run(claims);
    expect([r.low.value, statuses(r).contested]).toEqual([100, 'disputed']);
    expect(r.statement).toContain(
      'One figure that a reviewer marked disputed was set aside; ask for status disputed to include it.',
    );
    const asked = run(claims, { includeDisputed: true });
    expect([asked.low.value, setterOf(asked, 'low')]).toEqual([900, 'contested']);
  });
});

describe('estimates are soft, bounds are hard', () => {
  it('"about 1,500" and "more than 1,500" agree: the estimate is not contradicted', () => {
    const r = run([claim('more', ['more_than', 1500]), claim('about', ['about', 1500])]);
    expect(r.low.value).toBe(1501);
    expect(outcomeOf(r, 'about').status).toBe('included');
    expect(outcomeOf(r, 'about').reason).toContain('agrees with it and is not contradicted');
    expect(r.high).toBeNull();
    expect(r.notes.join(' ')).toContain('the estimates just below it agree with it within the 10%');
    expect(r.statement).toContain('No estimate or upper bound in scope lies above that minimum');
    expect(r.statement).not.toContain('is below the');
  });

  it('an estimate more than 10 % below the floor is contradicted; a hard top below it at all', () => {
    const r = run([
      claim('floor', ['at_least', 1000]),
      claim('about900', ['about', 900]),
      claim('about950', ['about', 950]),
      claim('atMost999', ['at_most', 999]),
    ]);
    expect(statuses(r)).toMatchObject({
      about900: 'contradicted',
      about950: 'included',
      atMost999: 'contradicted',
    });
  });

  it('a floor that exceeds every estimate by more than the tolerance is reported as such', () => {
    const r = run([claim('floor', ['at_least', 1000]), claim('low-est', ['about', 500])]);
    expect(r.high).toBeNull();
    expect(r.notes).toEqual([
      'The minimum of 1,000 exceeds every estimate and upper bound in scope, so the range has no top.',
    ]);
    expect(r.statement).toContain(
      'Every estimate and upper bound in scope is below that minimum, so the range has no top.',
    );
  });

  it('"between 180 and 450, and possibly more": a floor of 180, an estimate of 450, no hard top', () => {
    const i = claimInterval({ qualifier: 'between_or_more', low: 180, best: null, high: 450 });
    expect(i).toMatchObject({ low: 180, high: 450, hard: false });
    const r = run([claim('nyt', ['between_or_more', 180, 450])]);
    expect([r.low.value, r.high?.value]).toEqual([180, 450]);
    expect(outcomeOf(r, 'nyt').role).toBe('floor');
    expect(r.high?.note).toContain('an estimate, not a bound');
    expect(r.statement).toContain('the source says it is possibly more, so it is not a bound');
    // A floor just above its 450 does not contradict it (an estimate); far above it does.
    expect(
      statuses(run([claim('nyt', ['between_or_more', 180, 450]), claim('f', ['at_least', 480])]))
        .nyt,
    ).toBe('included');
    expect(
      statuses(run([claim('nyt', ['between_or_more', 180, 450]), claim('f', ['at_least', 600])]))
        .nyt,
    ).toBe('contradicted');
  });

  it('"at least N, possibly many more" is at least N: a floor with no top', () => {
    const r = run([claim('c', ['at_least', 70])]);
    expect([r.low.value, r.high]).toEqual([70, null]);
  });
});

describe('revisions of a running count', () => {
  const ihr = (date: string) =>
    src(`ihr-${date}`, { publisher: 'Iran Human Rights', publishedDate: date });
  const release = (id: string, n: number, date: string, over: Partial<ClaimInput> = {}) =>
    claim(id, ['at_least', n], {
      source: ihr(date),
      publishedDate: date,
      asOf: date,
      scope: scope({ dateFrom: '2022-09-16', dateTo: date }),
      ...over,
    });

  it('the latest release supersedes every earlier one, though the windows differ', () => {
    const r = run(
      [
        release('r1', 185, '2022-10-08'),
        release('r2', 215, '2022-10-17'),
        release('r3', 326, '2022-11-12'),
        release('r4', 448, '2022-11-29'),
      ],
      { from: '2022-09-16', to: '2022-12-31' },
    );
    expect(statuses(r)).toEqual({
      r1: 'superseded',
      r2: 'superseded',
      r3: 'superseded',
      r4: 'included',
    });
    expect(outcomeOf(r, 'r1').supersededBy).toBe('r4');
    expect(outcomeOf(r, 'r1').reason).toContain('as of 2022-11-29');
  });

  it('orders releases by "as of" when it differs from the publication date', () => {
    const r = run(
      [
        release('late-pub', 300, '2022-11-01', { asOf: '2022-10-01', publishedDate: '2022-11-20' }),
        release('early-pub', 250, '2022-10-20', { asOf: '2022-10-20' }),
      ],
      { from: '2022-09-16', to: '2022-12-31' },
    );
    expect(outcomeOf(r, 'late-pub')).toMatchObject({
      status: 'superseded',
      supersededBy: 'early-pub',
    });
  });

  it('a publisher’s figures for another place, population or separate period stand on their own', () => {
    const r = run(
      [
        release('national', 448, '2022-11-29'),
        release('province', 123, '2022-11-12', {
          scope: scope({ locationPath: KHUZESTAN, dateFrom: '2022-09-16', dateTo: '2022-11-12' }),
        }),
        release('children', 60, '2022-11-12', {
          scope: scope({ population: 'children', dateFrom: '2022-09-16', dateTo: '2022-11-12' }),
        }),
        release('earlier-event', 50, '2022-01-10', {
          scope: scope({ dateFrom: '2022-01-01', dateTo: '2022-01-10' }),
        }),
      ],
      { from: '2022-01-01', to: '2022-12-31' },
    );
    expect(statuses(r)).toEqual({
      national: 'included',
      province: 'included',
      children: 'included',
      'earlier-event': 'included',
    });
  });

  it('a relayed figure of the publisher is superseded by the publisher’s own later figure', () => {
    const amnestyMay = src('ai-may', {
      publisher: 'Amnesty International',
      publishedDate: '2020-05-21',
    });
    const joint = src('joint', {
      publisher: 'Four organisations',
      reliability: 'C',
      publishedDate: '2020-05-23',
    });
    const own = src('ai-2021', { publisher: 'Amnesty International', publishedDate: '2021-05-20' });
    const r = run([
      claim('relayed', ['at_least', 304], {
        source: joint,
        attributedTo: amnestyMay,
        incidentId: null,
      } as Partial<ClaimInput>),
      claim('own', ['at_least', 321], { source: own, publishedDate: '2021-05-20' }),
    ]);
    expect(outcomeOf(r, 'relayed')).toMatchObject({ status: 'superseded', supersededBy: 'own' });
    expect(r.low.value).toBe(321);
  });

  it('sameSeries and scopesOverlap compare place, population, perpetrator, incident and windows', () => {
    const a = scope({ dateFrom: '2022-09-16', dateTo: '2022-10-08' });
    expect(sameSeries(a, scope({ dateFrom: '2022-09-17', dateTo: '2022-11-29' }))).toBe(true);
    expect(sameSeries(a, scope({ dateFrom: '2022-10-09', dateTo: '2022-11-29' }))).toBe(false);
    expect(sameSeries(a, { ...a, population: 'children' })).toBe(false);
    expect(sameSeries(a, { ...a, perpetrator: 'irgc' })).toBe(false);
    expect(sameSeries(a, { ...a, incidentId: 'x' })).toBe(true);
    expect(scopesOverlap(a, scope({ dateFrom: null, dateTo: null, population: 'children' }))).toBe(
      true,
    );
    expect(
      scopesOverlap(scope({ locationPath: MAHSHAHR }), scope({ locationPath: ['iran', 'fars'] })),
    ).toBe(false);
  });
});

describe('relays and duplicates of sources', () => {
  const reuters = src('reuters', { publisher: 'Reuters', publishedDate: '2019-12-23' });
  it('a relay declared on the source is followed for a claim repeating the origin’s figure', () => {
    const outlet = src('outlet', { publisher: 'Outlet', reliability: 'C', relays: ['reuters'] });
    const r = run([
      claim('origin', ['about', 1500], { source: reuters }),
      claim('repeat', ['about', 1500], { source: outlet }),
      claim('own-figure', ['about', 900], { source: outlet }),
    ]);
    expect(outcomeOf(r, 'repeat')).toMatchObject({
      status: 'relay',
      relayOf: 'origin',
      relayDeclaredOnSource: true,
      origin: reuters,
    });
    expect(outcomeOf(r, 'repeat').reason).toContain('Its source declares that it relays Reuters');
    // A figure the agency never gave is the outlet's own.
    expect(outcomeOf(r, 'own-figure').status).toBe('included');
  });

  it('declared relays are followed through other sources', () => {
    // The service gives each source every source it relays, directly or through others.
    const paper = src('paper', { publisher: 'Paper', relays: ['wire', 'reuters'] });
    const r = run([
      claim('origin', ['about', 1500], { source: reuters }),
      claim('paper', ['about', 1500], { source: paper }),
    ]);
    expect(outcomeOf(r, 'paper')).toMatchObject({ status: 'relay', relayOf: 'origin' });
  });

  it('a relayed range attributed to an origin groups with the origin’s own figure for an overlapping scope, flagged', () => {
    const joint = src('joint', { publisher: 'Joint', reliability: 'C' });
    const r = run(
      [
        claim('range', ['estimates_range', 350, 1500], {
          source: joint,
          attributedTo: reuters,
          scope: scope({ dateFrom: '2019-11-16', dateTo: '2019-11-19' }),
        }),
        claim('own', ['about', 1500], {
          source: reuters,
          scope: scope({ dateFrom: '2019-11-15', dateTo: '2019-11-28' }),
        }),
      ],
      { unconstrained: ['time', 'incident'] },
    );
    expect(outcomeOf(r, 'range')).toMatchObject({
      status: 'relay',
      relayOf: 'own',
      altersOrigin: true,
    });
    expect(r.claims.filter((c) => c.status === 'included')).toHaveLength(1);
  });
});

describe('a claim’s meaning does not depend on the window asked', () => {
  const official = claim('official', ['exact', 230], {
    basis: 'official',
    source: src('gov', { interest: 'government' }),
  });
  const amnesty = claim('ai', ['at_least', 323], {
    basis: 'named_list',
    scope: scope({ population: 'non_security' }),
  });
  const city = claim('city', ['between', 40, 100], { scope: scope({ locationPath: MAHSHAHR }) });

  it.each([
    ['nationwide, the same window', {}],
    ['nationwide, a wider window', { from: '2019-11-01', to: '2019-12-31' }],
    ['for a province', { locationPath: KHUZESTAN }],
    ['for a city', { locationPath: MAHSHAHR }],
    ['for people other than security forces', { population: 'non_security' as const }],
  ])('the official 230 is contradicted by 323 for a part of its scope: %s', (_, over) => {
    const r = run([official, amnesty, city], over);
    expect(outcomeOf(r, 'official')).toMatchObject({
      status: 'contradicted',
      contradictedBy: 'ai',
    });
    // Contradicted, it bounds nothing: not a ceiling for the part, not a floor for the whole.
    expect(setterOf(r, 'high')).not.toBe('official');
    expect(setterOf(r, 'low')).not.toBe('official');
  });

  it('a ceiling for a part never becomes a floor for a wider window', () => {
    const r = run([official, amnesty], { from: '2019-11-01', to: '2019-12-31' });
    expect(outcomeOf(r, 'official').role).toBe('floor');
    expect(r.low).toMatchObject({ value: 323 });
    expect(r.statement).toContain('is below the documented minimum');
  });

  it('a figure outside a city query, contradicted elsewhere, is named as contradicted by that figure', () => {
    const r = run([official, amnesty, city], { locationPath: MAHSHAHR });
    expect(outcomeOf(r, 'ai').status).toBe('scope_differs');
    expect(r.statement).toContain("The government's official figure of 230");
    expect(r.statement).toContain('is contradicted by the minimum of 323');
    expect(r.statement).toContain('gives for a part of its scope');
  });
});

describe('what a claim can say: breakdown and perpetrator', () => {
  const total = claim('total', ['exact', 230], {
    basis: 'official',
    breakdown: [
      { population: 'security_forces', qualifier: 'exact', low: null, best: 6, high: null },
    ],
  });

  it('"230, of whom 6 security forces" gives 6 security forces and 224 others', () => {
    const parts = expandBreakdown(total, claimInterval(total));
    expect(parts.map((p) => [p.id, p.scope.population, p.best])).toEqual([
      ['total#security_forces', 'security_forces', 6],
      ['total#non_security', 'non_security', 224],
    ]);
    const r = run([total], { population: 'non_security' });
    expect(outcomeOf(r, 'total#non_security')).toMatchObject({
      componentOf: 'total',
      status: 'included',
    });
    // The total for everyone bounds the part from above too; the highest top is kept.
    expect([r.low.value, r.high?.value]).toEqual([224, 230]);
    const sf = run([total], { population: 'security_forces' });
    expect([sf.low.value, setterOf(sf, 'low')]).toEqual([6, 'total#security_forces']);
  });

  it('"including about 300 women and 20 teenagers": parts feed queries about women and children', () => {
    const c = claim('c', ['at_least', 1000], {
      breakdown: [
        { population: 'women', qualifier: 'about', low: null, best: 300, high: null },
        { population: 'children', qualifier: 'at_least', low: 20, best: null, high: null },
      ],
    });
    expect(run([c], { population: 'women' }).high?.value).toBe(300);
    expect(run([c], { population: 'children' }).low.value).toBe(20);
    expect(run([c]).low).toMatchObject({ value: 1000, setBy: { claimId: 'c' } });
  });

  it('a part is checked against the total and its population', () => {
    const over = claim('x', ['exact', 10], {
      breakdown: [
        { population: 'children', qualifier: 'at_least', low: 11, best: null, high: null },
      ],
    });
    expect(() => run([over])).toThrow(ClaimShapeError);
    expect(() => run([over])).toThrow(
      /breakdown\[0\]\.low: a part \(at least 11\) cannot exceed the total/,
    );
    const wider = claim('y', ['exact', 10], {
      scope: scope({ population: 'children' }),
      breakdown: [{ population: 'all', qualifier: 'exact', low: null, best: 3, high: null }],
    });
    expect(() => run([wider])).toThrow(
      /breakdown\[0\]\.population: a part must be a sub-population/,
    );
  });

  it('perpetrator is a scope axis: "killed by security forces" is a part of "killed"', () => {
    const bySf = claim('sf', ['at_least', 400], {
      scope: scope({ perpetrator: 'security_forces' }),
    });
    expect(scopeRelation(bySf.scope, defaultQuery())).toBe('inside');
    expect(scopeRelation(scope(), defaultQuery({ perpetrator: 'basij' }))).toBe('contains');
    expect(scopeRelation(bySf.scope, defaultQuery({ perpetrator: 'basij' }))).toBe('contains');
    expect(
      scopeRelation(scope({ perpetrator: 'judiciary' }), defaultQuery({ perpetrator: 'basij' })),
    ).toBe('differs');
    const r = run([bySf, claim('all', ['about', 1500])]);
    expect([r.low.value, r.high?.value]).toEqual([400, 1500]);
    expect(outcomeOf(r, 'sf').reason).toContain('harm by one perpetrator only');
  });
});

describe('the statement is true of the structured answer', () => {
  /** Each kind of sentence, and the structure it claims to describe. */
  const checks: [RegExp, (r: ReconciliationResult) => boolean][] = [
    [
      /Every estimate and upper bound in scope is below that minimum/,
      (r) =>
        r.high === null &&
        r.claims
          .filter(
            (c) =>
              c.contributes.high !== null &&
              !['relay', 'superseded', 'scope_differs'].includes(c.status),
          )
          .every((c) => (c.contributes.high as number) < r.low.value) &&
        r.claims.some((c) => c.status === 'contradicted'),
    ],
    [
      /No figure in scope gives an estimate or an upper bound/,
      (r) =>
        r.high === null &&
        r.claims.every(
          (c) =>
            c.contributes.high === null ||
            ['relay', 'superseded', 'scope_differs'].includes(c.status),
        ),
    ],
    [
      /is below the (documented )?minimum/,
      (r) => r.claims.some((c) => c.status === 'contradicted'),
    ],
    [
      /set aside by the default thresholds/,
      (r) => r.claims.some((c) => c.status === 'below_grade' && c.setAsideByDefault),
    ],
    [/marked disputed/, (r) => r.claims.some((c) => c.status === 'disputed')],
    [/does not set a bound alone/, (r) => r.claims.some((c) => c.status === 'interested')],
    [
      /^At least (\d[\d,]*)/,
      (r) => r.statement.startsWith(`At least ${r.low.value.toLocaleString('en-US')}`),
    ],
    [
      /The highest estimate is about|Estimates range up to|The highest upper bound given is|The highest estimate given is/,
      (r) => r.high !== null,
    ],
  ];

  const ledgers: [string, ClaimInput[], Parameters<typeof defaultQuery>[0]][] = [
    [
      'a floor and an estimate above it',
      [claim('a', ['at_least', 300]), claim('b', ['about', 1000])],
      {},
    ],
    [
      'a floor above every estimate',
      [claim('a', ['at_least', 300]), claim('b', ['about', 100])],
      {},
    ],
    [
      'an estimate above, an estimate below the floor',
      [claim('a', ['at_least', 300]), claim('b', ['about', 1000]), claim('c', ['about', 100])],
      {},
    ],
    [
      'only a D source',
      [claim('d', ['more_than', 1500], { source: src('d', { reliability: 'D' }) })],
      {},
    ],
    ['a disputed figure', [claim('x', ['at_least', 50], { recordStatus: 'disputed' })], {}],
    [
      'an interested party above',
      [
        claim('a', ['at_least', 300]),
        claim('g', ['more_than', 900], { source: src('g', { interest: 'opposition' }) }),
      ],
      {},
    ],
    ['nothing at all', [], {}],
  ];

  it.each(ledgers)('%s', (_, claims, over) => {
    const r = run(claims, over);
    for (const [pattern, holds] of checks) {
      if (pattern.test(r.statement))
        expect([pattern.source, holds(r)]).toEqual([pattern.source, true]);
    }
  });

  it('"every estimate is below the minimum" is never said beside an included estimate above it', () => {
    const r = run([
      claim('a', ['at_least', 300]),
      claim('b', ['about', 1000]),
      claim('c', ['about', 100]),
    ]);
    expect(outcomeOf(r, 'b').status).toBe('included');
    expect(r.statement).not.toContain('Every estimate');
    expect(r.notes).toEqual([]);
  });
});

describe('separate periods with no window', () => {
  it('takes the open window as all time when the figures cover separate periods', () => {
    const r = run(
      [
        claim('2019', ['about', 1500], { scope: scope() }),
        claim('2022', ['at_least', 448], {
          scope: scope({ dateFrom: '2022-09-16', dateTo: '2022-11-29' }),
        }),
      ],
      { from: null, to: null, unconstrained: ['time', 'incident'] },
    );
    expect([r.low.value, r.high]).toEqual([448, null]);
    expect(r.unconstrained).toEqual(['incident']);
    expect(r.notes[0]).toContain('the figures cover 2 separate periods');
  });

  it('keeps time open while the figures overlap', () => {
    const r = run(
      [
        claim('a', ['at_least', 304], { scope: scope({ ...WINDOW }) }),
        claim('b', ['about', 1500], {
          scope: scope({ dateFrom: '2019-11-15', dateTo: '2019-11-28' }),
        }),
      ],
      { from: null, to: null, unconstrained: ['time', 'incident'] },
    );
    expect([r.low.value, r.high?.value]).toEqual([304, 1500]);
    expect(r.unconstrained).toEqual(['time', 'incident']);
  });
});

describe('rules', () => {
  it('publishes each new rule in the rules text', () => {
    const text = RECONCILIATION_RULES.join('\n');
    for (const words of [
      'By default a bound rests only on sources graded A to C and figures graded 1 to 3',
      'Interested parties.',
      'Disputed.',
      'only when the minimum exceeds it by more than 10 %',
      "A publisher's running count is one series",
      'A relay declared on a source',
      'Contradictions between claims.',
      'between_or_more',
      'breakdown',
      'perpetrator',
    ]) {
      expect(text).toContain(words);
    }
    expect(IRAN).toEqual(['iran']);
  });
});
