import { createTestApp, resetDatabase, type TestApp } from '../setup/app.js';

/**
 * Two claim records built from published reporting, entered through the API as a researcher
 * would, forwards and in reverse: every figure with its wording, publisher, date and scope.
 * Titles are descriptive where the publication's own headline is not quoted.
 *
 * November 2019 (Aban 1398): Amnesty International's running count (106, 143, 208, 304), Reuters'
 * "about 1,500" from three Interior Ministry officials and Radio Farda repeating it, the PMOI's
 * "over 1,500 protesters" (an opposition party, graded D), the New York Times' "180 to 450, and
 * possibly more" with its Mahshahr figure of 40 to 100, the MP Mojtaba Zolnour's official 230
 * "including six members of the security forces" and the Interior Minister's 200 to 225 — beside
 * the founding seed's joint statement relaying Amnesty's 304 and Reuters' sources' 350–1,500.
 *
 * September–December 2022 (Woman, Life, Freedom): Iran Human Rights' running count of people
 * killed by security forces (185, 215, 326, 448, with children and women), its Sistan and
 * Baluchestan figure (123), HRANA's count (336 of whom 52 minors and 39 security forces; 419
 * including 60 children), The New Arab relaying IHR's 215, the IRGC general Amir Ali Hajizadeh's
 * "perhaps more than 300 martyrs and people killed" and the Interior Ministry's security
 * council's 200 "including security forces".
 */

interface SourceIn {
  key: string;
  kind: string;
  title: string;
  publisher: string;
  published: string;
  reliability: string;
  interest?: string;
  relays?: string[];
}

interface ClaimIn {
  key: string;
  source: string;
  qualifier: string;
  low?: number;
  best?: number;
  high?: number;
  location?: string;
  date?: string;
  population?: string;
  perpetrator?: string;
  basis: string;
  asOf?: string;
  publishedDate: string;
  credibility: number;
  excerpt: string;
  breakdown?: { population: string; qualifier: string; low?: number; best?: number }[];
}

interface Ledger {
  sources: SourceIn[];
  claims: ClaimIn[];
}

interface Outcome {
  id: string;
  status: string;
  role: string;
  reason: string;
  relayOf?: string;
  supersededBy?: string;
  contradictedBy?: string;
  componentOf?: string;
  interest: string | null;
  relayDeclaredOnSource?: boolean;
  setAsideByDefault?: boolean;
}

interface Answer {
  low: { value: number; setBy: { kind: string; claimId?: string } };
  high: { value: number; setBy: { kind: string; claimId?: string } } | null;
  claims: Outcome[];
  statement: string;
  notes: string[];
}

const WINDOW_2019 = '2019-11-15/2019-11-19';

const NOVEMBER_2019: Ledger = {
  sources: [
    ...(
      [
        ['ai-1119', '2019-11-19'],
        ['ai-1125', '2019-11-25'],
        ['ai-1202', '2019-12-02'],
        ['ai-1216', '2019-12-16'],
      ] as const
    ).map(([key, date]) => ({
      key,
      kind: 'report',
      title: `Amnesty International update on the November 2019 death toll (${date})`,
      publisher: 'Amnesty International',
      published: date,
      reliability: 'B',
    })),
    {
      key: 'reuters',
      kind: 'news',
      title:
        "Special Report: Iran's leader ordered crackdown on unrest - 'Do whatever it takes to end it'",
      publisher: 'Reuters',
      published: '2019-12-23',
      reliability: 'B',
    },
    {
      key: 'farda',
      kind: 'news',
      title: 'Radio Farda on the Reuters report of 1,500 killed',
      publisher: 'Radio Farda',
      published: '2019-12-23',
      reliability: 'C',
      relays: ['reuters'],
    },
    {
      key: 'pmoi',
      kind: 'statement',
      title: 'PMOI statement on the number of protesters killed',
      publisher: "People's Mojahedin Organization of Iran (PMOI/MEK)",
      published: '2019-12-15',
      reliability: 'D',
      interest: 'opposition',
    },
    {
      key: 'nyt',
      kind: 'news',
      title: 'New York Times report on the crackdown on the November protests (1 December 2019)',
      publisher: 'The New York Times',
      published: '2019-12-01',
      reliability: 'B',
    },
    {
      key: 'zolnour',
      kind: 'official',
      title: 'MP gives official toll of November 2019 unrest',
      publisher: 'Mojtaba Zolnour, chair of the Majlis National Security Committee',
      published: '2020-06-01',
      reliability: 'C',
      interest: 'government',
    },
    {
      key: 'interior',
      kind: 'official',
      title: 'Interior Minister on the number killed in the November 2019 unrest',
      publisher: 'Abdolreza Rahmani Fazli, Minister of the Interior',
      published: '2020-05-30',
      reliability: 'C',
      interest: 'government',
    },
  ],
  claims: [
    ...(
      [
        [
          'ai106',
          'ai-1119',
          106,
          '2019-11-19',
          'at least 106 protesters in 21 cities have been killed',
        ],
        ['ai143', 'ai-1125', 143, '2019-11-25', 'the death toll has risen to at least 143'],
        ['ai208', 'ai-1202', 208, '2019-12-02', 'at least 208 people were killed'],
        ['ai304', 'ai-1216', 304, '2019-12-16', 'at least 304 people were killed'],
      ] as const
    ).map(([key, source, low, date, excerpt]) => ({
      key,
      source,
      qualifier: 'at_least',
      low,
      location: 'Iran',
      date: `2019-11-15/${date}`,
      population: 'non_security',
      basis: 'verified_cases',
      asOf: date,
      publishedDate: date,
      credibility: 2,
      excerpt,
    })),
    {
      key: 'reuters1500',
      source: 'reuters',
      qualifier: 'about',
      best: 1500,
      location: 'Iran',
      date: '2019-11-15/2019-11-28',
      basis: 'leak',
      publishedDate: '2019-12-23',
      credibility: 3,
      excerpt:
        'About 1,500 people were killed during less than two weeks of unrest that started on Nov. 15',
    },
    {
      key: 'farda1500',
      source: 'farda',
      qualifier: 'about',
      best: 1500,
      location: 'Iran',
      date: '2019-11-15/2019-11-28',
      basis: 'leak',
      publishedDate: '2019-12-23',
      credibility: 3,
      excerpt: 'Reuters: about 1,500 killed in the November protests',
    },
    {
      key: 'pmoi1500',
      source: 'pmoi',
      qualifier: 'more_than',
      low: 1500,
      location: 'Iran',
      date: '2019-11-15/2019-12-15',
      population: 'non_security',
      basis: 'own_network',
      publishedDate: '2019-12-15',
      credibility: 3,
      excerpt: 'over 1,500 protesters have been killed',
    },
    {
      key: 'nyt180',
      source: 'nyt',
      qualifier: 'between_or_more',
      low: 180,
      high: 450,
      location: 'Iran',
      date: WINDOW_2019,
      basis: 'credible_reports',
      publishedDate: '2019-12-01',
      credibility: 3,
      excerpt: 'killed 180 to 450 people, and possibly more, in four days',
    },
    {
      key: 'nytMahshahr',
      source: 'nyt',
      qualifier: 'between',
      low: 40,
      high: 100,
      location: 'Mahshahr',
      date: WINDOW_2019,
      basis: 'credible_reports',
      publishedDate: '2019-12-01',
      credibility: 3,
      excerpt: 'killed 40 to 100 demonstrators — mostly unarmed young men — in Mahshahr',
    },
    {
      key: 'zolnour230',
      source: 'zolnour',
      qualifier: 'exact',
      best: 230,
      location: 'Iran',
      date: WINDOW_2019,
      basis: 'official',
      publishedDate: '2020-06-01',
      credibility: 3,
      excerpt: '230 people were killed, including six members of the security forces',
      breakdown: [{ population: 'security_forces', qualifier: 'exact', best: 6 }],
    },
    {
      key: 'interior225',
      source: 'interior',
      qualifier: 'between',
      low: 200,
      high: 225,
      location: 'Iran',
      date: WINDOW_2019,
      basis: 'official',
      publishedDate: '2020-05-30',
      credibility: 3,
      excerpt: 'between 200 and 225 people were killed',
    },
  ],
};

const IHR_WINDOW_START = '2022-09-16';

const AUTUMN_2022: Ledger = {
  sources: [
    ...(['2022-10-08', '2022-10-17', '2022-11-12', '2022-11-29'] as const).map((date) => ({
      key: `ihr-${date}`,
      kind: 'report',
      title: `Iran Human Rights: number of protesters killed in the nationwide protests (${date})`,
      publisher: 'Iran Human Rights (IHRNGO)',
      published: date,
      reliability: 'B',
    })),
    ...(['2022-11-12', '2022-11-20'] as const).map((date) => ({
      key: `hrana-${date}`,
      kind: 'report',
      title: `HRANA daily report on the protests (${date})`,
      publisher: 'Human Rights Activists News Agency (HRANA)',
      published: date,
      reliability: 'B',
    })),
    {
      key: 'newarab',
      kind: 'news',
      title: 'At least 215 dead in Iran crackdown on month-long protests: rights group',
      publisher: 'The New Arab',
      published: '2022-10-17',
      reliability: 'C',
      relays: ['ihr-2022-10-17'],
    },
    {
      key: 'hajizadeh',
      kind: 'official',
      title: 'IRGC aerospace commander Amir Ali Hajizadeh on the number killed',
      publisher: 'Amir Ali Hajizadeh, IRGC (state-linked media)',
      published: '2022-11-28',
      reliability: 'C',
      interest: 'security_forces',
    },
    {
      key: 'snsc',
      kind: 'official',
      title: "Interior Ministry's State Security Council statement on the unrest",
      publisher: 'State Security Council, Ministry of the Interior',
      published: '2022-12-03',
      reliability: 'C',
      interest: 'government',
    },
  ],
  claims: [
    ...(
      [
        [
          'ihr185',
          '2022-10-08',
          185,
          [['children', 19]],
          'at least 185 people, including at least 19 children, have been killed',
        ],
        [
          'ihr215',
          '2022-10-17',
          215,
          [['children', 27]],
          'at least 215 people, including 27 children, have been killed',
        ],
        [
          'ihr326',
          '2022-11-12',
          326,
          [
            ['children', 43],
            ['women', 25],
          ],
          'at least 326 people, including 43 children and 25 women',
        ],
        [
          'ihr448',
          '2022-11-29',
          448,
          [
            ['children', 60],
            ['women', 29],
          ],
          'at least 448 people including 60 children and 29 women have been killed by security forces',
        ],
      ] as const
    ).map(([key, date, low, parts, excerpt]) => ({
      key,
      source: `ihr-${date}`,
      qualifier: 'at_least',
      low,
      location: 'Iran',
      date: `${IHR_WINDOW_START}/${date}`,
      population: 'non_security',
      perpetrator: 'security_forces',
      basis: 'verified_cases',
      asOf: date,
      publishedDate: date,
      credibility: 2,
      excerpt,
      breakdown: parts.map(([population, n]) => ({ population, qualifier: 'at_least', low: n })),
    })),
    {
      key: 'ihrSistan',
      source: 'ihr-2022-11-12',
      qualifier: 'at_least',
      low: 123,
      location: 'Sistan and Baluchestan',
      date: `${IHR_WINDOW_START}/2022-11-12`,
      population: 'non_security',
      perpetrator: 'security_forces',
      basis: 'verified_cases',
      asOf: '2022-11-12',
      publishedDate: '2022-11-12',
      credibility: 2,
      excerpt: '123 of the deaths were recorded in Sistan and Baluchestan province',
    },
    {
      key: 'hrana336',
      source: 'hrana-2022-11-12',
      qualifier: 'at_least',
      low: 336,
      location: 'Iran',
      date: `${IHR_WINDOW_START}/2022-11-12`,
      basis: 'verified_cases',
      asOf: '2022-11-12',
      publishedDate: '2022-11-12',
      credibility: 2,
      excerpt: '336, 52 of them minors and another 39 members of the security forces',
      breakdown: [
        { population: 'children', qualifier: 'at_least', low: 52 },
        { population: 'security_forces', qualifier: 'exact', best: 39 },
      ],
    },
    {
      key: 'hrana419',
      source: 'hrana-2022-11-20',
      qualifier: 'at_least',
      low: 419,
      location: 'Iran',
      date: `${IHR_WINDOW_START}/2022-11-20`,
      basis: 'verified_cases',
      asOf: '2022-11-20',
      publishedDate: '2022-11-21',
      credibility: 2,
      excerpt: 'the death toll from the protests rose to at least 419, including 60 children',
      breakdown: [{ population: 'children', qualifier: 'at_least', low: 60 }],
    },
    {
      key: 'newarab215',
      source: 'newarab',
      qualifier: 'at_least',
      low: 215,
      location: 'Iran',
      date: `${IHR_WINDOW_START}/2022-10-17`,
      population: 'non_security',
      perpetrator: 'security_forces',
      basis: 'verified_cases',
      publishedDate: '2022-10-17',
      credibility: 2,
      excerpt: 'At least 215 people, including 27 children, have been killed',
    },
    {
      key: 'hajizadeh300',
      source: 'hajizadeh',
      qualifier: 'more_than',
      low: 300,
      location: 'Iran',
      date: `${IHR_WINDOW_START}/2022-11-28`,
      basis: 'official',
      publishedDate: '2022-11-28',
      credibility: 3,
      excerpt: 'I think we have had perhaps more than 300 martyrs and people killed',
    },
    {
      key: 'snsc200',
      source: 'snsc',
      qualifier: 'exact',
      best: 200,
      location: 'Iran',
      date: `${IHR_WINDOW_START}/2022-12-03`,
      basis: 'official',
      publishedDate: '2022-12-03',
      credibility: 3,
      excerpt:
        '200 people have lost their lives, including security forces, civilians killed in terror acts, rioters and members of separatist groups',
    },
  ],
};

describe('GET /api/reconciliation on real claim records', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /** Enters a ledger through the API; returns the claim ids by key (and each id's key). */
  async function enter(ledger: Ledger, reverse = false): Promise<Map<string, string>> {
    const sourceIds = new Map<string, string>();
    const order = <T>(xs: T[]) => (reverse ? [...xs].reverse() : xs);
    // Relayed sources first, whatever the order: a relay names an existing source.
    const sources = [...order(ledger.sources)].sort(
      (a, b) => Number(a.relays !== undefined) - Number(b.relays !== undefined),
    );
    for (const s of sources) {
      const { key, relays, ...body } = s;
      const res = await t
        .http()
        .post('/api/sources')
        .send({ ...body, relays: relays?.map((r) => sourceIds.get(r)) });
      expect(res.status).toBe(201);
      sourceIds.set(key, res.body.id);
    }
    const ids = new Map<string, string>();
    for (const c of order(ledger.claims)) {
      const { key, source, ...body } = c;
      const res = await t
        .http()
        .post('/api/claims')
        .send({ category: 'killed', ...body, sourceId: sourceIds.get(source) });
      if (res.status !== 201) throw new Error(`${key}: ${JSON.stringify(res.body)}`);
      ids.set(key, res.body.id);
      ids.set(res.body.id, key);
    }
    return ids;
  }

  async function reconcile(query: string): Promise<Answer> {
    const res = await t.http().get(`/api/reconciliation?category=killed${query}`).expect(200);
    return res.body as Answer;
  }

  /** The answer with claim ids replaced by their keys: comparable across two entries. */
  function summary(a: Answer, ids: Map<string, string>) {
    const key = (id: string | undefined) =>
      id === undefined
        ? undefined
        : (ids.get(id.split('#')[0]) ?? id) + (id.split('#')[1] ? `#${id.split('#')[1]}` : '');
    return {
      low: a.low.value,
      lowBy: key(a.low.setBy.claimId) ?? a.low.setBy.kind,
      high: a.high?.value ?? null,
      highBy: a.high ? key(a.high.setBy.claimId) : null,
      claims: Object.fromEntries(
        a.claims
          .map(
            (c) =>
              [
                key(c.id),
                [c.status, key(c.relayOf), key(c.supersededBy), key(c.contradictedBy)],
              ] as const,
          )
          .sort(([x], [y]) => String(x).localeCompare(String(y))),
      ),
      statement: a.statement.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'ID'),
    };
  }

  describe('November 2019', () => {
    let ids: Map<string, string>;
    beforeAll(async () => {
      await resetDatabase(t.ds);
      ids = await enter(NOVEMBER_2019);
    });
    const of = (a: Answer, key: string): Outcome => {
      const o = a.claims.find((c) => c.id === ids.get(key));
      if (!o) throw new Error(`no outcome for ${key}`);
      return o;
    };

    it('by default: at least 304 (Amnesty), estimates up to about 1,500 (Reuters); the official figures contradicted, the PMOI set aside', async () => {
      const a = await reconcile('');
      expect(a.low.value).toBe(304);
      expect(a.high).toMatchObject({ value: 1500, setBy: { claimId: ids.get('reuters1500') } });
      for (const k of ['ai106', 'ai143', 'ai208']) {
        expect(of(a, k).status).toBe('superseded');
      }
      // Radio Farda declares that it relays Reuters and repeats its figure: one origin.
      expect(of(a, 'farda1500')).toMatchObject({
        status: 'relay',
        relayOf: ids.get('reuters1500'),
        relayDeclaredOnSource: true,
      });
      expect(of(a, 'pmoi1500')).toMatchObject({ status: 'below_grade', setAsideByDefault: true });
      expect(of(a, 'zolnour230')).toMatchObject({ status: 'contradicted', interest: 'government' });
      expect(of(a, 'interior225')).toMatchObject({
        status: 'contradicted',
        interest: 'government',
      });
      expect(of(a, 'nyt180')).toMatchObject({ status: 'included', role: 'floor' });
      expect(of(a, 'nytMahshahr')).toMatchObject({ status: 'included', role: 'floor' });
      // The part of the official 230 that is not security forces (224) is contradicted too.
      const rest = a.claims.find((c) => c.id === `${ids.get('zolnour230')}#non_security`);
      expect(rest).toMatchObject({ status: 'contradicted', componentOf: ids.get('zolnour230') });

      expect(a.statement).toMatch(
        /^At least 304 people were killed in Iran \(documented minimum: /,
      );
      expect(a.statement).toContain('The highest estimate is about 1,500 (Reuters,');
      expect(a.statement).toContain(
        "The government's official figure of 230 (Mojtaba Zolnour, chair of the Majlis National Security Committee",
      );
      expect(a.statement).toContain("The government's official range of 200 to 225");
      expect(a.statement).toContain(
        'One figure from sources graded D was set aside by the default thresholds (source reliability C or better, credibility 3 or better); add minReliability=F to include it.',
      );
      expect(a.statement).not.toContain('1,501');
    });

    it('with every grade accepted, the opposition party’s "over 1,500" still sets no bound', async () => {
      const a = await reconcile('&minReliability=F&minCredibility=6');
      expect(a.low.value).toBe(304);
      expect(of(a, 'pmoi1500')).toMatchObject({ status: 'interested', interest: 'opposition' });
      expect(a.statement).toContain(
        "An opposition party's figure of more than 1,500 (People's Mojahedin Organization of Iran (PMOI/MEK)",
      );
      expect(a.statement).toContain('does not set a bound alone');
      expect(a.statement).not.toContain('set aside by the default thresholds');
    });

    it('for the four days: the New York Times’ "180 to 450, and possibly more" is a floor with an estimate; Reuters’ two weeks still bound them from above', async () => {
      const a = await reconcile('&from=2019-11-15&to=2019-11-19');
      expect(a.low.value).toBe(304);
      expect(of(a, 'zolnour230').status).toBe('contradicted');
      expect(of(a, 'nyt180')).toMatchObject({ status: 'included', role: 'floor' });
      // "less than two weeks" contains the four days: a top for them, the highest one.
      expect(a.high).toMatchObject({ value: 1500, setBy: { claimId: ids.get('reuters1500') } });
      expect(a.statement).toContain('a figure for a wider scope: a longer period');
    });

    it('for Mahshahr: the city figure sets the minimum; the national official figures are still contradicted, not ceilings', async () => {
      const a = await reconcile('&location=Mahshahr');
      expect(a.low).toMatchObject({ value: 40, setBy: { claimId: ids.get('nytMahshahr') } });
      expect(of(a, 'zolnour230').status).toBe('contradicted');
      expect(of(a, 'interior225').status).toBe('contradicted');
      expect(of(a, 'nytMahshahr')).toMatchObject({ status: 'included', role: 'floor' });
      expect(a.high?.value).toBe(1500);
    });

    it('gives the same answer when the same record is entered in reverse order', async () => {
      const forward = summary(await reconcile(''), ids);
      await resetDatabase(t.ds);
      const reversed = await enter(NOVEMBER_2019, true);
      expect(summary(await reconcile(''), reversed)).toEqual(forward);
      ids = reversed;
    });
  });

  describe('September–December 2022', () => {
    let ids: Map<string, string>;
    beforeAll(async () => {
      await resetDatabase(t.ds);
      ids = await enter(AUTUMN_2022);
    });
    const of = (a: Answer, key: string): Outcome => {
      const o = a.claims.find((c) => c.id === ids.get(key));
      if (!o) throw new Error(`no outcome for ${key}`);
      return o;
    };

    it('by default: at least 448 (IHR’s latest release); its earlier releases superseded; the official 200 contradicted; no top', async () => {
      const a = await reconcile('&from=2022-09-16&to=2022-12-03');
      expect(a.low).toMatchObject({ value: 448, setBy: { claimId: ids.get('ihr448') } });
      expect(a.high).toBeNull();
      for (const k of ['ihr185', 'ihr215', 'ihr326']) {
        expect(of(a, k)).toMatchObject({ status: 'superseded', supersededBy: ids.get('ihr448') });
      }
      expect(of(a, 'hrana336')).toMatchObject({
        status: 'superseded',
        supersededBy: ids.get('hrana419'),
      });
      expect(of(a, 'newarab215')).toMatchObject({
        status: 'relay',
        relayOf: ids.get('ihr215'),
        relayDeclaredOnSource: true,
      });
      expect(of(a, 'hajizadeh300')).toMatchObject({
        status: 'interested',
        interest: 'security_forces',
      });
      expect(of(a, 'snsc200')).toMatchObject({ status: 'contradicted', interest: 'government' });
      expect(a.statement).toMatch(/^At least 448 people were killed in Iran /);
      expect(a.statement).toContain("The government's official figure of 200 (");
      expect(a.statement).toContain(
        'Every estimate and upper bound in scope is below that minimum, so the range has no top.',
      );
      expect(a.notes).toContain(
        'The minimum of 448 exceeds every estimate and upper bound in scope, so the range has no top.',
      );
    });

    it('with no window, the 2022 figures and the founding 2019 figures are separate periods: all time, no top from either', async () => {
      const a = await reconcile('');
      expect(a.low.value).toBe(448);
      expect(a.high).toBeNull();
      expect(a.notes.join(' ')).toContain('the figures cover 2 separate periods');
    });

    it('for a window around the whole record, the official 200 (now a figure for a part) is still contradicted and sets no minimum', async () => {
      const a = await reconcile('&from=2022-09-16&to=2022-12-31');
      expect(a.low).toMatchObject({ value: 448, setBy: { claimId: ids.get('ihr448') } });
      expect(of(a, 'snsc200')).toMatchObject({
        status: 'contradicted',
        contradictedBy: ids.get('ihr448'),
      });
      expect(a.statement).toContain(
        'No figure in scope gives an estimate or an upper bound, so the range has no top.',
      );
    });

    it('for children: the breakdowns give at least 60', async () => {
      const a = await reconcile('&population=children');
      expect(a.low.value).toBe(60);
      expect(a.low.setBy.claimId?.endsWith('#children')).toBe(true);
    });

    it('for Sistan and Baluchestan: the province figure sets the minimum; the official 200 is still contradicted', async () => {
      const a = await reconcile(
        '&location=Sistan%20and%20Baluchestan&from=2022-09-16&to=2022-12-03',
      );
      expect(a.low).toMatchObject({ value: 123, setBy: { claimId: ids.get('ihrSistan') } });
      expect(of(a, 'snsc200').status).toBe('contradicted');
    });

    it('gives the same answer when the same record is entered in reverse order', async () => {
      const forward = summary(await reconcile(''), ids);
      await resetDatabase(t.ds);
      const reversed = await enter(AUTUMN_2022, true);
      expect(summary(await reconcile(''), reversed)).toEqual(forward);
    });
  });
});
