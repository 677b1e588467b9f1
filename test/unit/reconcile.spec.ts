import {
  ClaimShapeError,
  RECONCILIATION_RULES,
  claimInterval,
  compareClaimScopes,
  reconcile,
  scopeRelation,
  type ClaimInput,
  type ClaimRole,
  type ClaimScope,
  type ClaimStatus,
  type DocumentedInput,
  type Interval,
  type Qualifier,
  type QueryScope,
  type ReconciliationResult,
  type ScopeRelation,
  type SourceRef,
} from '../../src/reconciliation/reconcile.js';

// Location paths, root first.
const IRAN = ['iran'];
const KHUZESTAN = ['iran', 'khuzestan'];
const MAHSHAHR = ['iran', 'khuzestan', 'mahshahr'];
const FARS = ['iran', 'fars'];
const SHIRAZ = ['iran', 'fars', 'shiraz'];

function source(id: string, over: Partial<SourceRef> = {}): SourceRef {
  return { id, title: id, publisher: id, publishedDate: null, reliability: 'B', ...over };
}

const AI = source('ai-2020-05-21', {
  title: 'Iran: Six months on, no accountability for November 2019 protest killings',
  publisher: 'Amnesty International',
  publishedDate: '2020-05-21',
  reliability: 'B',
});
const J = source('joint-2020-05-23', {
  title: "We support Amnesty International's Request to Investigate the November 2019 Protests!",
  publisher:
    "United Republicans of Iran; Left Party of Iran (People's Fadaian); Iran National Front Organizations Abroad; USRHR",
  publishedDate: '2020-05-23',
  reliability: 'C',
});
const R = source('reuters-2019-12-23', {
  title: "Special Report: Iran's leader ordered crackdown on unrest",
  publisher: 'Reuters',
  publishedDate: '2019-12-23',
  reliability: 'B',
});
const MP = source('zolnour-2020-06-01', {
  title: 'MP gives official toll of November 2019 unrest',
  publisher: 'Majlis National Security Committee',
  publishedDate: '2020-06-01',
  reliability: 'D',
});
const amnesty = (date: string) =>
  source(`ai-${date}`, {
    publisher: 'Amnesty International',
    publishedDate: date,
    title: `Amnesty ${date}`,
  });

const WINDOW = { dateFrom: '2019-11-15', dateTo: '2019-11-19' };
const TWO_WEEKS = { dateFrom: '2019-11-15', dateTo: '2019-11-28' };

function scope(over: Partial<ClaimScope> = {}): ClaimScope {
  return { locationPath: IRAN, ...WINDOW, incidentId: null, population: 'all', ...over };
}

type Fig = [Qualifier, number] | [Qualifier, number, number];

function claim(id: string, fig: Fig, over: Partial<ClaimInput> = {}): ClaimInput {
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
  return {
    id,
    category: 'killed',
    qualifier: q,
    ...f,
    scope: scope(),
    basis: 'estimate',
    credibility: 2,
    publishedDate: null,
    excerpt: null,
    source: source(`src-${id}`),
    relaysClaimId: null,
    attributedTo: null,
    ...over,
  };
}

function query(over: Partial<QueryScope> = {}): QueryScope {
  return {
    locationPath: IRAN,
    from: WINDOW.dateFrom,
    to: WINDOW.dateTo,
    incidentId: null,
    population: 'all',
    category: 'killed',
    minReliability: 'F',
    minCredibility: 6,
    ...over,
  };
}

function documented(total: number): DocumentedInput {
  return total === 0
    ? { total: 0, byConfidence: {}, sources: [] }
    : {
        total,
        byConfidence: { confirmed: total },
        sources: [
          {
            id: 'boroumand',
            title: 'Omid memorial',
            publisher: 'Boroumand Center',
            victims: total,
          },
        ],
      };
}

const outcome = (r: ReconciliationResult, id: string) => {
  const o = r.claims.find((c) => c.id === id);
  if (o === undefined) throw new Error(`no outcome for ${id}`);
  return o;
};
const setter = (r: ReconciliationResult, end: 'low' | 'high') => {
  const b = r[end];
  if (b === null) return null;
  return b.setBy.kind === 'documented' ? 'documented' : b.setBy.claimId;
};

interface Case {
  name: string;
  query?: Partial<QueryScope>;
  documented?: number;
  claims: ClaimInput[];
  low: number;
  lowBy: string;
  high: number | null;
  highBy?: string;
  status?: Record<string, ClaimStatus>;
  role?: Record<string, ClaimRole>;
  check?: (r: ReconciliationResult) => void;
}

const tenOutlets = Array.from({ length: 10 }, (_, i) =>
  claim(`outlet-${i}`, ['about', 1500], {
    source: source(`outlet-${i}`, { reliability: i === 6 ? 'A' : 'C' }),
    attributedTo: R,
    publishedDate: `2019-12-${24 + (i % 5)}`,
  }),
);

const revisions: [string, number][] = [
  ['2019-11-19', 106],
  ['2019-11-25', 143],
  ['2019-12-02', 208],
  ['2019-12-16', 304],
  ['2021-05-20', 323],
];

const cases: Case[] = [
  // Qualifiers, one at a time.
  {
    name: 'exact: "230 people were killed" sets both ends',
    claims: [claim('e', ['exact', 230], { source: MP, basis: 'official' })],
    low: 230,
    lowBy: 'e',
    high: 230,
    highBy: 'e',
    status: { e: 'included' },
    role: { e: 'floor' },
    check: (r) => {
      expect(r.statement).toMatch(/^230 people were killed between 15 and 19 November 2019 \(/);
    },
  },
  {
    name: 'at least: "at least 304" is a floor with no top',
    claims: [claim('a', ['at_least', 304])],
    low: 304,
    lowBy: 'a',
    high: null,
    role: { a: 'floor' },
    check: (r) => {
      expect(r.statement).toContain('No figure in scope gives an estimate or an upper bound');
      expect(r.notes).toEqual([]);
    },
  },
  {
    name: 'more than: "over 1,500" means at least 1,501',
    claims: [claim('m', ['more_than', 1500])],
    low: 1501,
    lowBy: 'm',
    high: null,
    check: (r) => {
      expect(r.low.note).toContain('means at least 1,501');
      expect(r.statement).toContain('At least 1,501 people were killed');
      expect(r.statement).toContain('“more than 1,500”');
    },
  },
  {
    name: 'about: "about 1,500" is an estimate, never a floor',
    claims: [claim('ab', ['about', 1500], { source: R })],
    low: 0,
    lowBy: 'documented',
    high: 1500,
    highBy: 'ab',
    role: { ab: 'estimate' },
    check: (r) => {
      expect(outcome(r, 'ab').contributes).toEqual({ low: null, high: 1500 });
      expect(r.high?.note).toBe('An estimate, not a bound.');
      expect(r.statement).toContain('The highest estimate is about 1,500 (Reuters,');
    },
  },
  {
    name: 'as many as: "as many as 200" is a ceiling',
    claims: [claim('am', ['at_most', 200])],
    documented: 12,
    low: 12,
    lowBy: 'documented',
    high: 200,
    highBy: 'am',
    role: { am: 'ceiling' },
  },
  {
    name: 'up to: "up to 450" is a ceiling like at_most',
    claims: [claim('ut', ['up_to', 450])],
    documented: 100,
    low: 100,
    lowBy: 'documented',
    high: 450,
    highBy: 'ut',
    role: { ut: 'ceiling' },
    check: (r) => expect(r.statement).toContain('The highest upper bound given is 450'),
  },
  {
    name: 'between: one source’s interval bounds both ends',
    claims: [claim('bt', ['between', 180, 450])],
    low: 180,
    lowBy: 'bt',
    high: 450,
    highBy: 'bt',
    check: (r) => expect(r.statement).toMatch(/^Between 180 and 450 people were killed/),
  },
  {
    name: 'estimates range: its low end is an estimate, not a floor',
    claims: [claim('er', ['estimates_range', 350, 1500])],
    low: 0,
    lowBy: 'documented',
    high: 1500,
    highBy: 'er',
    role: { er: 'estimate' },
    check: (r) => {
      expect(outcome(r, 'er').contributes).toEqual({ low: null, high: 1500 });
      expect(r.statement).toContain(
        'the lower estimate of 350 is one of several estimates, not a floor',
      );
    },
  },

  // Supersession.
  {
    name: 'Amnesty’s revisions 106 → 143 → 208 → 304 → 323: only the latest stands',
    claims: revisions.map(([date, n]) =>
      claim(`ai-${n}`, ['at_least', n], {
        source: amnesty(date),
        publishedDate: date,
        basis: 'named_list',
      }),
    ),
    low: 323,
    lowBy: 'ai-323',
    high: null,
    status: {
      'ai-106': 'superseded',
      'ai-143': 'superseded',
      'ai-208': 'superseded',
      'ai-304': 'superseded',
      'ai-323': 'included',
    },
    check: (r) => {
      expect(outcome(r, 'ai-106').supersededBy).toBe('ai-323');
      expect(outcome(r, 'ai-304').reason).toContain(
        'Amnesty International published a later figure',
      );
    },
  },
  {
    name: 'a publisher’s figures for different scopes both stand',
    claims: [
      claim('ai-all', ['at_least', 304], {
        source: amnesty('2019-12-16'),
        publishedDate: '2019-12-16',
      }),
      claim('ai-kids', ['at_least', 23], {
        source: amnesty('2020-03-04'),
        publishedDate: '2020-03-04',
        scope: scope({ population: 'children' }),
      }),
    ],
    low: 304,
    lowBy: 'ai-all',
    high: null,
    status: { 'ai-all': 'included', 'ai-kids': 'included' },
  },
  {
    name: 'a later figure from another publisher does not supersede',
    claims: [
      claim('ai', ['at_least', 304], { source: amnesty('2019-12-16') }),
      claim('hrana', ['at_least', 220], {
        source: source('hrana', { publisher: 'HRANA', publishedDate: '2020-01-10' }),
      }),
    ],
    low: 304,
    lowBy: 'ai',
    high: null,
    status: { ai: 'included', hrana: 'included' },
  },
  {
    name: 'an undated figure is never superseded',
    claims: [
      claim('dated', ['at_least', 304], { source: amnesty('2019-12-16') }),
      claim('undated', ['at_least', 250], {
        source: source('ai-undated', { publisher: 'Amnesty International' }),
      }),
    ],
    low: 304,
    lowBy: 'dated',
    high: null,
    status: { dated: 'included', undated: 'included' },
  },
  {
    name: 'a relayed figure is superseded by a later one from its origin’s publisher',
    claims: [
      claim('j-ai', ['at_least', 304], { source: J, attributedTo: AI }),
      claim('ai-323', ['at_least', 323], {
        source: amnesty('2021-05-20'),
        publishedDate: '2021-05-20',
      }),
    ],
    low: 323,
    lowBy: 'ai-323',
    high: null,
    status: { 'j-ai': 'superseded', 'ai-323': 'included' },
  },

  // Relays.
  {
    name: 'ten outlets repeating Reuters count once, through Reuters’ own claim',
    claims: [
      claim('r', ['about', 1500], { source: R, publishedDate: '2019-12-23' }),
      ...tenOutlets,
    ],
    low: 0,
    lowBy: 'documented',
    high: 1500,
    highBy: 'r',
    status: {
      r: 'included',
      ...Object.fromEntries(tenOutlets.map((o) => [o.id, 'relay' as const])),
    },
    check: (r) => {
      for (const o of tenOutlets) {
        expect(outcome(r, o.id).relayOf).toBe('r');
        expect(outcome(r, o.id).origin).toBe(R);
        expect(outcome(r, o.id).altersOrigin).toBe(false);
      }
    },
  },
  {
    name: 'ten outlets repeating Reuters, whose own claim isn’t entered: the best graded stands in',
    claims: tenOutlets,
    low: 0,
    lowBy: 'documented',
    high: 1500,
    highBy: 'outlet-6',
    check: (r) => {
      expect(r.claims.filter((c) => c.status === 'included').map((c) => c.id)).toEqual([
        'outlet-6',
      ]);
      const b = r.high?.setBy;
      expect(b?.kind === 'claim' && b.origin.publisher).toBe('Reuters');
      expect(r.statement).toContain('Reuters, “Special Report');
      expect(r.statement).toContain('as relayed by outlet-6');
    },
  },
  {
    name: 'a relay chain is followed to its origin',
    claims: [
      claim('r', ['about', 1500], { source: R }),
      claim('j', ['about', 1500], { source: J, relaysClaimId: 'r' }),
      claim('blog', ['about', 1500], { relaysClaimId: 'j' }),
    ],
    low: 0,
    lowBy: 'documented',
    high: 1500,
    highBy: 'r',
    status: { r: 'included', j: 'relay', blog: 'relay' },
    check: (r) => {
      expect(outcome(r, 'blog').relayChain).toEqual(['j', 'r']);
      expect(outcome(r, 'blog').origin).toBe(R);
      expect(outcome(r, 'blog').reason).toContain('via claims j → r');
    },
  },
  {
    name: 'a relay that changes the figure is flagged and does not count',
    claims: [
      claim('r', ['about', 1500], { source: R }),
      claim('garbled', ['about', 15000], { relaysClaimId: 'r' }),
      claim('faithful', ['about', 1500], { relaysClaimId: 'r' }),
    ],
    low: 0,
    lowBy: 'documented',
    high: 1500,
    highBy: 'r',
    status: { r: 'included', garbled: 'relay', faithful: 'relay' },
    check: (r) => {
      expect(outcome(r, 'garbled').altersOrigin).toBe(true);
      expect(outcome(r, 'garbled').reason).toContain('about 15,000 here, about 1,500 in claim r');
      expect(outcome(r, 'faithful').altersOrigin).toBe(false);
    },
  },
  {
    name: 'a relay that turns a range of estimates into a bound is flagged',
    claims: [
      claim('r', ['estimates_range', 350, 1500], { source: R }),
      claim('tv', ['between', 350, 1500], { attributedTo: R }),
    ],
    low: 0,
    lowBy: 'documented',
    high: 1500,
    highBy: 'r',
    status: { r: 'included', tv: 'relay' },
    check: (r) => expect(outcome(r, 'tv').altersOrigin).toBe(true),
  },
  {
    name: 'a loop in the relay graph terminates and counts once',
    claims: [
      claim('x', ['about', 900], { relaysClaimId: 'y', publishedDate: '2019-12-03' }),
      claim('y', ['about', 900], { relaysClaimId: 'z', publishedDate: '2019-12-01' }),
      claim('z', ['about', 900], { relaysClaimId: 'x', publishedDate: '2019-12-02' }),
    ],
    low: 0,
    lowBy: 'documented',
    high: 900,
    highBy: 'y',
    status: { x: 'relay', y: 'included', z: 'relay' },
    check: (r) => {
      expect(outcome(r, 'x').relayChain).toEqual(['y', 'z']);
      expect(outcome(r, 'x').origin.id).toBe('src-y');
    },
  },
  {
    name: 'relays of a claim missing from the input count once',
    claims: [
      claim('p', ['at_least', 200], {
        relaysClaimId: 'gone',
        source: source('p', { reliability: 'C' }),
      }),
      claim('q', ['at_least', 200], {
        relaysClaimId: 'gone',
        source: source('q', { reliability: 'B' }),
      }),
    ],
    low: 200,
    lowBy: 'q',
    high: null,
    status: { p: 'relay', q: 'included' },
    check: (r) => expect(outcome(r, 'p').relayChain).toEqual(['gone']),
  },
  {
    name: 'a relay stands in when its origin’s own claim is below grade',
    query: { minReliability: 'C' },
    claims: [
      claim('origin', ['about', 400], { source: source('weak', { reliability: 'D' }) }),
      claim('bbc', ['about', 400], {
        source: source('bbc', { reliability: 'B' }),
        relaysClaimId: 'origin',
      }),
    ],
    low: 0,
    lowBy: 'documented',
    high: 400,
    highBy: 'bbc',
    status: { origin: 'below_grade', bbc: 'included' },
    check: (r) => expect(outcome(r, 'bbc').altersOrigin).toBe(false),
  },

  // Scope.
  {
    name: 'Mahshahr: 148 in one city is a floor for Iran, not a ceiling',
    claims: [claim('mh', ['exact', 148], { scope: scope({ locationPath: MAHSHAHR }) })],
    documented: 100,
    low: 148,
    lowBy: 'mh',
    high: null,
    role: { mh: 'floor' },
    check: (r) => {
      expect(outcome(r, 'mh').scopeRelation).toBe('inside');
      expect(outcome(r, 'mh').contributes).toEqual({ low: 148, high: null });
      expect(r.statement).toContain('a count for part of this scope: a smaller area');
      expect(r.statement).toContain('This ledger documents 100 of them individually');
    },
  },
  {
    name: 'a part’s figure is not contradicted by a higher minimum for the whole',
    claims: [claim('mh', ['exact', 148], { scope: scope({ locationPath: MAHSHAHR }) })],
    documented: 304,
    low: 304,
    lowBy: 'documented',
    high: null,
    status: { mh: 'included' },
  },
  {
    name: 'children only: a count of children is a floor for everyone',
    claims: [claim('kids', ['at_least', 23], { scope: scope({ population: 'children' }) })],
    low: 23,
    lowBy: 'kids',
    high: null,
    role: { kids: 'floor' },
    check: (r) => expect(r.statement).toContain('children only'),
  },
  {
    name: 'an upper bound for a part says nothing about the whole',
    claims: [claim('mh', ['at_most', 50], { scope: scope({ locationPath: MAHSHAHR }) })],
    low: 0,
    lowBy: 'documented',
    high: null,
    status: { mh: 'included' },
    role: { mh: 'none' },
  },
  {
    name: 'a figure including security forces is a ceiling for a non-security query',
    query: { population: 'non_security' },
    claims: [claim('off', ['exact', 230], { source: MP, basis: 'official' })],
    low: 0,
    lowBy: 'documented',
    high: 230,
    highBy: 'off',
    role: { off: 'ceiling' },
    check: (r) => {
      expect(outcome(r, 'off').scopeRelation).toBe('contains');
      expect(r.statement).toContain(
        'a figure for a wider scope: everyone, security forces included',
      );
    },
  },
  {
    name: 'a figure including security forces below the floor is contradicted',
    query: { population: 'non_security' },
    claims: [
      claim('ai', ['at_least', 304], {
        scope: scope({ population: 'non_security' }),
        basis: 'named_list',
      }),
      claim('off', ['exact', 230], { source: MP, basis: 'official' }),
    ],
    low: 304,
    lowBy: 'ai',
    high: null,
    status: { ai: 'included', off: 'contradicted' },
    role: { off: 'ceiling' },
    check: (r) => {
      expect(r.notes).toEqual([
        'The minimum of 304 exceeds every estimate and upper bound in scope, so the range has no top.',
      ]);
      expect(outcome(r, 'off').reason).toContain(
        'below the minimum of 304 set by claim ai (src-ai, “src-ai”)',
      );
    },
  },
  {
    name: '"less than two weeks" against a five-day query bounds from above only',
    claims: [
      claim('est', ['about', 1500], { scope: scope(TWO_WEEKS) }),
      claim('min', ['at_least', 1000], { scope: scope(TWO_WEEKS) }),
    ],
    low: 0,
    lowBy: 'documented',
    high: 1500,
    highBy: 'est',
    status: { est: 'included', min: 'included' },
    role: { est: 'estimate', min: 'none' },
    check: (r) => {
      expect(outcome(r, 'min').reason).toContain('says nothing about the queried part');
      expect(r.statement).toContain('a figure for a wider scope: a longer period');
    },
  },
  {
    name: 'another province: scope differs',
    query: { locationPath: KHUZESTAN },
    claims: [claim('fars', ['at_least', 40], { scope: scope({ locationPath: FARS }) })],
    documented: 7,
    low: 7,
    lowBy: 'documented',
    high: null,
    status: { fars: 'scope_differs' },
    role: { fars: 'none' },
    check: (r) => expect(outcome(r, 'fars').reason).toContain('a place outside the queried area'),
  },
  {
    name: 'a different incident: scope differs',
    query: { incidentId: 'jarahi-marsh' },
    claims: [claim('sh', ['at_least', 10], { scope: scope({ incidentId: 'shiraz-sadra' }) })],
    low: 0,
    lowBy: 'documented',
    high: null,
    status: { sh: 'scope_differs' },
    check: (r) => expect(outcome(r, 'sh').reason).toContain('a different incident'),
  },
  {
    name: 'a figure for one incident is a floor for a query without incident',
    claims: [
      claim('marsh', ['at_least', 148], {
        scope: scope({ locationPath: MAHSHAHR, incidentId: 'jarahi-marsh' }),
      }),
    ],
    low: 148,
    lowBy: 'marsh',
    high: null,
    check: (r) => expect(outcome(r, 'marsh').scopeRelation).toBe('inside'),
  },
  {
    name: 'a figure with no incident bounds a query for one incident from above',
    query: { incidentId: 'jarahi-marsh', locationPath: MAHSHAHR },
    claims: [claim('iran', ['about', 1500])],
    low: 0,
    lowBy: 'documented',
    high: 1500,
    highBy: 'iran',
    check: (r) => expect(outcome(r, 'iran').scopeRelation).toBe('contains'),
  },
  {
    name: 'overlapping date windows: scope differs',
    claims: [
      claim('late', ['at_least', 50], {
        scope: scope({ dateFrom: '2019-11-17', dateTo: '2019-11-25' }),
      }),
    ],
    low: 0,
    lowBy: 'documented',
    high: null,
    status: { late: 'scope_differs' },
  },
  {
    name: 'narrower on one axis and wider on another: scope differs',
    claims: [
      claim('kids2w', ['at_least', 23], { scope: scope({ population: 'children', ...TWO_WEEKS }) }),
    ],
    low: 0,
    lowBy: 'documented',
    high: null,
    status: { kids2w: 'scope_differs' },
    check: (r) =>
      expect(outcome(r, 'kids2w').reason).toContain(
        'narrower in some respects (children only) but wider in others (a longer period)',
      ),
  },
  {
    name: 'a figure for another category is set aside',
    claims: [claim('inj', ['at_least', 2000], { category: 'injured' })],
    low: 0,
    lowBy: 'documented',
    high: null,
    status: { inj: 'scope_differs' },
    check: (r) => expect(outcome(r, 'inj').reason).toContain('people injured, not killed'),
  },

  // Grades.
  {
    name: 'source reliability below the requested grade',
    query: { minReliability: 'B' },
    claims: [claim('off', ['exact', 230], { source: MP })],
    low: 0,
    lowBy: 'documented',
    high: null,
    status: { off: 'below_grade' },
    check: (r) => {
      expect(outcome(r, 'off').reason).toContain(
        'graded D (not usually reliable), below the requested B',
      );
      expect(r.notes).toEqual([]);
    },
  },
  {
    name: 'credibility below the requested grade',
    query: { minCredibility: 3 },
    claims: [
      claim('doubt', ['at_least', 900], { credibility: 4 }),
      claim('ok', ['at_least', 300], { credibility: 3 }),
    ],
    low: 300,
    lowBy: 'ok',
    high: null,
    status: { doubt: 'below_grade', ok: 'included' },
  },
  {
    name: 'reliability F (cannot be judged) fails a query that accepts down to E',
    query: { minReliability: 'E' },
    claims: [claim('tg', ['at_least', 500], { source: source('telegram', { reliability: 'F' }) })],
    low: 0,
    lowBy: 'documented',
    high: null,
    status: { tg: 'below_grade' },
  },
  {
    name: 'reliability F passes a query that accepts F',
    claims: [claim('tg', ['at_least', 500], { source: source('telegram', { reliability: 'F' }) })],
    low: 500,
    lowBy: 'tg',
    high: null,
    status: { tg: 'included' },
  },
  {
    name: 'credibility 6 (cannot be judged) fails a query that accepts down to 5',
    query: { minCredibility: 5 },
    claims: [claim('rumour', ['about', 5000], { credibility: 6 })],
    low: 0,
    lowBy: 'documented',
    high: null,
    status: { rumour: 'below_grade' },
  },

  // Documented count against claims.
  {
    name: 'no claims: the documented count is the minimum and there is no top',
    claims: [],
    documented: 120,
    low: 120,
    lowBy: 'documented',
    high: null,
    check: (r) => {
      expect(r.statement).toBe(
        'At least 120 people were killed between 15 and 19 November 2019: this ledger documents all 120 individually (120 confirmed), attested by Boroumand Center, “Omid memorial” (120 victims). No figure in scope gives an estimate or an upper bound, so the range has no top.',
      );
      expect(r.citations).toEqual([
        expect.objectContaining({ sourceId: 'boroumand', documentedVictims: 120, claimIds: [] }),
      ]);
    },
  },
  {
    name: 'nothing documented and no claims: minimum 0, set by the documented count',
    claims: [],
    low: 0,
    lowBy: 'documented',
    high: null,
    check: (r) => {
      expect(r.low.setBy).toEqual({ kind: 'documented', count: 0 });
      expect(r.statement).toMatch(
        /^This ledger documents no people killed between 15 and 19 November 2019/,
      );
      expect(r.citations).toEqual([]);
    },
  },
  {
    name: 'no documented victims: the minimum comes from a claim',
    claims: [claim('a', ['at_least', 304], { basis: 'named_list' })],
    low: 304,
    lowBy: 'a',
    high: null,
    check: (r) => expect(r.statement).toContain('(documented minimum: src-a, “src-a”)'),
  },
  {
    name: 'documented above every estimate: no top, the estimates contradicted',
    claims: [claim('ab', ['about', 1500]), claim('er', ['estimates_range', 350, 1500])],
    documented: 2000,
    low: 2000,
    lowBy: 'documented',
    high: null,
    status: { ab: 'contradicted', er: 'contradicted' },
    check: (r) => {
      expect(r.notes).toHaveLength(1);
      expect(r.statement).toContain(
        'Every estimate and upper bound in scope is below that minimum',
      );
      expect(r.statement).toContain(
        'The estimates of 350 to 1,500 (src-er, “src-er”) are below the documented minimum.',
      );
    },
  },
  {
    name: 'a tie between the documented count and a claim goes to the documented count',
    claims: [claim('a', ['at_least', 304])],
    documented: 304,
    low: 304,
    lowBy: 'documented',
    high: null,
    status: { a: 'included' },
    check: (r) => {
      expect(r.low.note).toContain('Claim a gives the same minimum');
      expect(r.statement).toContain('The same minimum is given by src-a');
    },
  },
  {
    name: 'an upper bound below the minimum is contradicted',
    claims: [claim('min', ['at_least', 304]), claim('max', ['at_most', 200])],
    low: 304,
    lowBy: 'min',
    high: null,
    status: { min: 'included', max: 'contradicted' },
  },
  {
    name: 'the highest credible figure sets the top, not the tightest',
    claims: [
      claim('lo', ['at_most', 500]),
      claim('hi', ['up_to', 2000]),
      claim('ab', ['about', 2000]),
    ],
    low: 0,
    lowBy: 'documented',
    high: 2000,
    highBy: 'hi',
  },
  {
    name: 'the largest of several floors sets the minimum',
    claims: [
      claim('mh', ['at_least', 148], { scope: scope({ locationPath: MAHSHAHR }) }),
      claim('sh', ['at_least', 30], { scope: scope({ locationPath: SHIRAZ }) }),
      claim('ir', ['between', 200, 450]),
    ],
    documented: 150,
    low: 200,
    lowBy: 'ir',
    high: 450,
    highBy: 'ir',
    status: { mh: 'included', sh: 'included', ir: 'included' },
  },
];

describe('reconcile: real-world shapes', () => {
  it('has a case for every shape the brief lists', () => {
    expect(cases.length).toBeGreaterThanOrEqual(35);
  });

  it.each(cases)('$name', (c) => {
    const r = reconcile(query(c.query), documented(c.documented ?? 0), c.claims);
    expect(r.low.value).toBe(c.low);
    expect(setter(r, 'low')).toBe(c.lowBy);
    expect(r.high?.value ?? null).toBe(c.high);
    if (c.high !== null) expect(setter(r, 'high')).toBe(c.highBy);
    for (const [id, status] of Object.entries(c.status ?? {})) {
      expect([id, outcome(r, id).status]).toEqual([id, status]);
    }
    for (const [id, role] of Object.entries(c.role ?? {})) {
      expect([id, outcome(r, id).role]).toEqual([id, role]);
    }
    // Every claim gets an outcome with a reason, and every cited source is listed once.
    expect(r.claims.map((o) => o.id)).toEqual(c.claims.map((x) => x.id));
    for (const o of r.claims) expect(o.reason.length).toBeGreaterThan(10);
    const ids = r.citations.map((x) => x.sourceId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(r.rules).toEqual(RECONCILIATION_RULES);
    c.check?.(r);
  });
});

describe('reconcile: the founding case (Iran, November 2019)', () => {
  const aiViaJ = claim('j-ai-304', ['at_least', 304], {
    source: J,
    attributedTo: AI,
    basis: 'named_list',
    credibility: 2,
    publishedDate: '2020-05-23',
    scope: scope({ population: 'non_security' }),
    excerpt:
      'Amnesty International confirms the intentional murder of at least 304 victims of the regime repression',
  });
  const reutersViaJ = claim('j-reuters-range', ['estimates_range', 350, 1500], {
    source: J,
    attributedTo: R,
    basis: 'estimate',
    credibility: 3,
    publishedDate: '2020-05-23',
    scope: scope({ dateFrom: null, dateTo: null }),
    excerpt:
      'Several sources, according to Reuters, have put the death toll at between 350 and 1,500.',
  });
  const official = claim('mp-230', ['exact', 230], {
    source: MP,
    basis: 'official',
    credibility: 3,
    publishedDate: '2020-06-01',
    excerpt: '230 people were killed, including six members of the security forces',
  });
  const founding = [aiViaJ, reutersViaJ, official];

  it('reconciles to at least 304 (Amnesty), estimates up to 1,500 (Reuters), 230 contradicted', () => {
    const r = reconcile(query(), documented(0), founding);
    expect(r.low).toEqual({
      value: 304,
      setBy: {
        kind: 'claim',
        claimId: 'j-ai-304',
        source: J,
        origin: AI,
        qualifier: 'at_least',
        basis: 'named_list',
        scopeRelation: 'inside',
      },
    });
    expect(r.high?.value).toBe(1500);
    expect(r.high?.setBy).toMatchObject({
      kind: 'claim',
      claimId: 'j-reuters-range',
      origin: R,
      source: J,
    });
    expect(r.high?.note).toContain('not a bound');

    const range = outcome(r, 'j-reuters-range');
    expect(range).toMatchObject({
      status: 'included',
      role: 'estimate',
      contributes: { low: null, high: 1500 },
    });
    expect(outcome(r, 'j-ai-304')).toMatchObject({ status: 'included', role: 'floor', origin: AI });
    expect(outcome(r, 'mp-230')).toMatchObject({ status: 'contradicted', scopeRelation: 'equal' });

    expect(r.statement).toBe(
      'At least 304 people were killed between 15 and 19 November 2019 (documented minimum: ' +
        'Amnesty International, “Iran: Six months on, no accountability for November 2019 protest killings”, 21 May 2020, ' +
        "as relayed by United Republicans of Iran; Left Party of Iran (People's Fadaian); Iran National Front Organizations Abroad; USRHR, " +
        "“We support Amnesty International's Request to Investigate the November 2019 Protests!”, 23 May 2020; " +
        'carried by a source graded C (fairly reliable); ' +
        'a count for part of this scope: people other than security forces only). ' +
        "Estimates range up to 1,500 (Reuters, “Special Report: Iran's leader ordered crackdown on unrest”, 23 December 2019, " +
        "as relayed by United Republicans of Iran; Left Party of Iran (People's Fadaian); Iran National Front Organizations Abroad; USRHR, " +
        "“We support Amnesty International's Request to Investigate the November 2019 Protests!”, 23 May 2020; " +
        'carried by a source graded C (fairly reliable); ' +
        'a figure for a wider scope: a longer period); the lower estimate of 350 is one of several estimates, not a floor. ' +
        'The official figure of 230 (Majlis National Security Committee, “MP gives official toll of November 2019 unrest”, 1 June 2020) ' +
        'is below the documented minimum.',
    );
    expect(r.citations.map((c) => [c.sourceId, c.claimIds])).toEqual([
      [AI.id, ['j-ai-304']],
      [J.id, ['j-ai-304', 'j-reuters-range']],
      [R.id, ['j-reuters-range']],
      [MP.id, ['mp-230']],
    ]);
  });

  it('comes out the same for a query about people other than security forces', () => {
    const r = reconcile(query({ population: 'non_security' }), documented(0), founding);
    expect([r.low.value, setter(r, 'low'), r.high?.value, setter(r, 'high')]).toEqual([
      304,
      'j-ai-304',
      1500,
      'j-reuters-range',
    ]);
    expect(outcome(r, 'j-ai-304').scopeRelation).toBe('equal');
    expect(outcome(r, 'mp-230')).toMatchObject({
      status: 'contradicted',
      scopeRelation: 'contains',
      role: 'ceiling',
    });
    expect(r.statement).toMatch(/^At least 304 people other than security forces were killed/);
  });

  it('keeps Amnesty’s 304 as the minimum while the ledger documents fewer', () => {
    const r = reconcile(
      query({ label: 'in Iran during the November 2019 protests' }),
      documented(250),
      founding,
    );
    expect(r.low.value).toBe(304);
    expect(r.statement).toMatch(
      /^At least 304 people were killed in Iran during the November 2019 protests \(/,
    );
    expect(r.statement).toContain('This ledger documents 250 of them individually (250 confirmed)');
  });

  it('with Reuters’ own "about 1,500" entered, the relayed range becomes a relay that alters it', () => {
    const reuters = claim('reuters-1500', ['about', 1500], {
      source: R,
      basis: 'leak',
      publishedDate: '2019-12-23',
      scope: scope({ dateFrom: null, dateTo: null }),
    });
    const r = reconcile(query(), documented(0), [...founding, reuters]);
    expect(outcome(r, 'j-reuters-range')).toMatchObject({
      status: 'relay',
      relayOf: 'reuters-1500',
      altersOrigin: true,
    });
    expect([r.high?.value, setter(r, 'high')]).toEqual([1500, 'reuters-1500']);
  });

  it('at reliability B the C-graded joint statement’s relays are set aside', () => {
    const r = reconcile(query({ minReliability: 'B' }), documented(0), founding);
    expect(r.claims.map((c) => c.status)).toEqual(['below_grade', 'below_grade', 'below_grade']);
    expect([r.low.value, setter(r, 'low'), r.high]).toEqual([0, 'documented', null]);
  });
});

describe('claimInterval', () => {
  const fig = (
    qualifier: Qualifier,
    low: number | null,
    best: number | null,
    high: number | null,
  ) => ({
    qualifier,
    low,
    best,
    high,
  });
  const ok: [string, ReturnType<typeof fig>, Interval][] = [
    [
      'exact as best',
      fig('exact', null, 230, null),
      { low: 230, lowInclusive: true, high: 230, highInclusive: true, best: 230, hard: true },
    ],
    [
      'exact as low = high',
      fig('exact', 230, null, 230),
      { low: 230, lowInclusive: true, high: 230, highInclusive: true, best: 230, hard: true },
    ],
    [
      'at least',
      fig('at_least', 304, null, null),
      { low: 304, lowInclusive: true, high: null, highInclusive: false, best: null, hard: true },
    ],
    [
      'more than',
      fig('more_than', 1500, null, null),
      { low: 1500, lowInclusive: false, high: null, highInclusive: false, best: null, hard: true },
    ],
    [
      'about',
      fig('about', null, 1500, null),
      { low: null, lowInclusive: false, high: null, highInclusive: false, best: 1500, hard: false },
    ],
    [
      'at most',
      fig('at_most', null, null, 200),
      { low: 0, lowInclusive: true, high: 200, highInclusive: true, best: null, hard: true },
    ],
    [
      'up to',
      fig('up_to', null, null, 200),
      { low: 0, lowInclusive: true, high: 200, highInclusive: true, best: null, hard: true },
    ],
    [
      'between',
      fig('between', 180, null, 450),
      { low: 180, lowInclusive: true, high: 450, highInclusive: true, best: null, hard: true },
    ],
    [
      'estimates range',
      fig('estimates_range', 350, null, 1500),
      { low: 350, lowInclusive: true, high: 1500, highInclusive: true, best: null, hard: false },
    ],
    [
      'zero is a count',
      fig('exact', null, 0, null),
      { low: 0, lowInclusive: true, high: 0, highInclusive: true, best: 0, hard: true },
    ],
  ];
  it.each(ok)('%s', (_n, input, expected) => {
    expect(claimInterval(input)).toEqual(expected);
  });

  const bad: [string, ReturnType<typeof fig>, string][] = [
    ['between without a high end', fig('between', 180, null, null), 'high'],
    ['between with low above high', fig('between', 450, null, 180), 'high'],
    ['estimates range without a low end', fig('estimates_range', null, null, 1500), 'low'],
    ['exact with no value', fig('exact', null, null, null), 'best'],
    ['exact with low only', fig('exact', 230, null, null), 'high'],
    ['exact with disagreeing values', fig('exact', 230, 231, 230), 'high'],
    ['at least with a high end too', fig('at_least', 304, null, 1500), 'high'],
    ['about given as low', fig('about', 1500, null, null), 'low'],
    ['at most without high', fig('at_most', null, 200, null), 'best'],
    ['a negative count', fig('at_least', -1, null, null), 'low'],
    ['a fractional count', fig('about', null, 12.5, null), 'best'],
  ];
  it.each(bad)('rejects %s', (_n, input, field) => {
    expect(() => claimInterval(input)).toThrow(ClaimShapeError);
    try {
      claimInterval(input);
    } catch (e) {
      expect((e as ClaimShapeError).field).toBe(field);
    }
  });

  it('reconcile names the claim whose shape is wrong', () => {
    const broken = { ...claim('broken', ['between', 1, 2]), high: null };
    expect(() => reconcile(query(), documented(0), [broken])).toThrow(
      expect.objectContaining({ name: 'ClaimShapeError', claimId: 'broken', field: 'high' }),
    );
  });

  it('reconcile names the claim whose scope dates are wrong, and checks the query’s', () => {
    const late = claim('late', ['about', 1], {
      scope: scope({ dateFrom: '2019-11-20', dateTo: '2019-11-15' }),
    });
    expect(() => reconcile(query(), documented(0), [late])).toThrow(
      expect.objectContaining({ claimId: 'late', field: 'scope.dateTo' }),
    );
    expect(() => reconcile(query({ from: '2019-11-31' }), documented(0), [])).toThrow(
      expect.objectContaining({ field: 'from' }),
    );
  });

  it('reconcile rejects a credibility outside 1–6 and duplicate ids', () => {
    expect(() =>
      reconcile(query(), documented(0), [claim('c', ['about', 1], { credibility: 7 })]),
    ).toThrow(/credibility/);
    expect(() =>
      reconcile(query(), documented(0), [claim('d', ['about', 1]), claim('d', ['about', 2])]),
    ).toThrow(/twice/);
  });
});

describe('scopeRelation', () => {
  const cases: [string, Partial<ClaimScope>, Partial<QueryScope>, ScopeRelation][] = [
    ['identical scopes', {}, {}, 'equal'],
    ['a city inside the queried country', { locationPath: MAHSHAHR }, {}, 'inside'],
    ['the country around a queried province', {}, { locationPath: KHUZESTAN }, 'contains'],
    ['a sibling province', { locationPath: FARS }, { locationPath: KHUZESTAN }, 'differs'],
    ['no location (anywhere) contains a country', { locationPath: [] }, {}, 'contains'],
    ['a shorter window', { dateFrom: '2019-11-16', dateTo: '2019-11-17' }, {}, 'inside'],
    ['"less than two weeks" around a five-day query', TWO_WEEKS, {}, 'contains'],
    ['open dates contain any window', { dateFrom: null, dateTo: null }, {}, 'contains'],
    ['overlapping windows', { dateFrom: '2019-11-18', dateTo: '2019-11-22' }, {}, 'differs'],
    ['disjoint windows', { dateFrom: '2019-12-01', dateTo: '2019-12-05' }, {}, 'differs'],
    [
      'a month given as "2019-11" contains the five days',
      { dateFrom: '2019-11', dateTo: '2019-11' },
      {},
      'contains',
    ],
    ['a claim about one incident, query without', { incidentId: 'jarahi' }, {}, 'inside'],
    ['a claim without incident, query for one', {}, { incidentId: 'jarahi' }, 'contains'],
    ['different incidents', { incidentId: 'sadra' }, { incidentId: 'jarahi' }, 'differs'],
    ['children inside everyone', { population: 'children' }, {}, 'inside'],
    [
      'protesters inside non-security',
      { population: 'protesters' },
      { population: 'non_security' },
      'inside',
    ],
    ['everyone contains non-security', {}, { population: 'non_security' }, 'contains'],
    [
      'security forces vs non-security',
      { population: 'security_forces' },
      { population: 'non_security' },
      'differs',
    ],
    ['children vs women overlap', { population: 'children' }, { population: 'women' }, 'differs'],
    [
      'inside on place and population',
      { locationPath: MAHSHAHR, population: 'children' },
      {},
      'inside',
    ],
    ['contains on place and time', { ...TWO_WEEKS }, { locationPath: KHUZESTAN }, 'contains'],
    ['narrower place, longer period', { locationPath: MAHSHAHR, ...TWO_WEEKS }, {}, 'differs'],
  ];
  it.each(cases)('%s → %s', (_n, claimOver, queryOver, expected) => {
    expect(scopeRelation(scope(claimOver), query(queryOver))).toBe(expected);
  });

  it('compares two claims’ scopes the same way', () => {
    expect(compareClaimScopes(scope(), scope())).toBe('equal');
    expect(compareClaimScopes(scope({ locationPath: MAHSHAHR }), scope())).toBe('inside');
  });

  it('rejects a window that ends before it starts', () => {
    expect(() =>
      scopeRelation(scope({ dateFrom: '2019-11-20', dateTo: '2019-11-15' }), query()),
    ).toThrow(ClaimShapeError);
  });
});
