import { SEED } from '../../seed/seed.js';
import { QUERY_RULES } from '../../src/reconciliation/reconciliation.service.js';
import { documentedRuleText } from '../../src/victim-scope/documented.js';
import { RECONCILIATION_RULES } from '../../src/reconciliation/reconcile.js';
import { createSource } from '../factories/index.js';
import { PLACES, createClaim, createVictims } from '../factories/counts.js';
import { createTestApp, resetDatabase, type TestApp } from '../setup/app.js';

interface Outcome {
  id: string;
  status: string;
  role: string;
  scopeRelation: string;
  reason: string;
  altersOrigin: boolean;
  relayOf?: string;
  supersededBy?: string;
  origin: { id: string };
  contributes: { low: number | null; high: number | null };
  scopeAxes: Record<string, string>;
}

const outcome = (body: { claims: Outcome[] }, id: string): Outcome => {
  const o = body.claims.find((c) => c.id === id);
  if (!o) throw new Error(`no outcome for claim ${id}`);
  return o;
};

const founding = {
  scope: {
    locationId: PLACES.iran,
    dateFrom: '2019-11-16',
    dateTo: '2019-11-19',
    incidentId: SEED.incident,
  },
};

describe('GET /api/reconciliation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('the founding case on a fresh install', () => {
    it('gives at least 304 (Amnesty) and estimates up to 1,500 (origin Reuters), 350 not a floor', async () => {
      const res = await t.http().get('/api/reconciliation?category=killed').expect(200);
      const b = res.body;
      expect(b.low).toMatchObject({
        value: 304,
        setBy: {
          kind: 'claim',
          claimId: SEED.claims.amnesty304,
          source: { id: SEED.sources.jointStatement },
          origin: { id: SEED.sources.amnesty, publisher: 'Amnesty International' },
          qualifier: 'at_least',
          basis: 'named_list',
          scopeRelation: 'inside',
        },
      });
      expect(b.high).toMatchObject({
        value: 1500,
        setBy: {
          kind: 'claim',
          claimId: SEED.claims.reutersRange,
          origin: { id: SEED.sources.reuters, publisher: 'Reuters' },
        },
      });
      expect(b.high.note).toContain('not a bound');
      expect(outcome(b, SEED.claims.reutersRange)).toMatchObject({
        status: 'included',
        role: 'estimate',
        scopeRelation: 'equal',
        contributes: { low: null, high: 1500 },
      });
      expect(outcome(b, SEED.claims.amnesty304)).toMatchObject({
        status: 'included',
        role: 'floor',
      });
      // Only claims about killings: the seeded "thousands detained" is another category.
      expect(b.claims.map((c: Outcome) => c.id).sort()).toEqual(
        [SEED.claims.amnesty304, SEED.claims.reutersRange].sort(),
      );
      expect(b.statement).toMatch(
        /^At least 304 people were killed in Iran \(documented minimum: Amnesty International/,
      );
      expect(b.statement).toContain('Estimates range up to 1,500 (Reuters');
      expect(b.statement).toContain(
        'the lower estimate of 350 is one of several estimates, not a floor',
      );
      expect(b.documented).toMatchObject({
        total: 0,
        possible: 0,
        byConfidence: { confirmed: 0, probable: 0, possible: 0, unattested: 0 },
        sources: [],
      });
      expect(b.query).toMatchObject({
        category: 'killed',
        population: 'all',
        location: {
          id: SEED.iran,
          nameEn: 'Iran',
          nameFa: 'ایران',
          defaulted: true,
          path: [{ id: SEED.iran, kind: 'country' }],
        },
        from: null,
        to: null,
        incident: null,
        minReliability: 'C',
        minCredibility: 3,
        minConfidence: 'unattested',
        statuses: ['draft', 'submitted', 'verified', 'disputed'],
        unconstrained: ['time', 'incident'],
      });
      expect(b.rules).toEqual([
        ...RECONCILIATION_RULES,
        ...QUERY_RULES,
        documentedRuleText('verified'),
      ]);
      expect(b.unreadable).toEqual([]);
      // Dates leave in both calendars: 16–19 November 2019 is 25–28 Aban 1398.
      const range = b.claims.find((c: Outcome) => c.id === SEED.claims.reutersRange);
      expect(range.scope.window).toMatchObject({
        gregorian: { from: '2019-11-16', to: '2019-11-19' },
        jalali: { from: '1398-08-25', to: '1398-08-28' },
      });
      expect(range.scope.incident).toMatchObject({
        id: SEED.incident,
        titleFa: 'سرکوب اعتراضات آبان ۱۳۹۸',
      });
      const reutersCitation = b.citations.find(
        (c: { sourceId: string }) => c.sourceId === SEED.sources.reuters,
      );
      expect(reutersCitation).toMatchObject({
        publisher: 'Reuters',
        claimIds: [SEED.claims.reutersRange],
        published: { gregorian: { from: '2019-12-23' }, jalali: { from: '1398-10-02' } },
      });
    });

    it('takes killed as the default category and the same answer for the window of the crackdown', async () => {
      const plain = await t.http().get('/api/reconciliation').expect(200);
      expect([plain.body.query.category, plain.body.low.value, plain.body.high.value]).toEqual([
        'killed',
        304,
        1500,
      ]);
      const windowed = await t
        .http()
        .get('/api/reconciliation')
        .query({ location: 'ایران', from: '1398-08-25', to: '1398-08-28', calendar: 'jalali' })
        .expect(200);
      expect(windowed.body.query).toMatchObject({
        location: { id: SEED.iran, defaulted: false },
        from: { gregorian: { from: '2019-11-16' }, jalali: { label: '1398-08-25' } },
        to: { gregorian: { from: '2019-11-19' } },
        unconstrained: ['incident'],
      });
      expect([windowed.body.low.value, windowed.body.high.value]).toEqual([304, 1500]);
      expect(outcome(windowed.body, SEED.claims.reutersRange).scopeRelation).toBe('equal');
    });

    it('a wider window makes the 16–19 November figures a part of it: a floor, and no top', async () => {
      const res = await t.http().get('/api/reconciliation?from=2019-11&to=2019-12').expect(200);
      expect(outcome(res.body, SEED.claims.reutersRange)).toMatchObject({
        scopeRelation: 'inside',
        role: 'none',
      });
      expect([res.body.low.value, res.body.high]).toEqual([304, null]);
      expect(res.body.statement).toContain(
        'No figure in scope gives an estimate or an upper bound, so the range has no top.',
      );
    });

    it('compares incidents when one is named', async () => {
      const res = await t.http().get(`/api/reconciliation?incident=${SEED.incident}`).expect(200);
      expect(res.body.query).toMatchObject({
        incident: {
          id: SEED.incident,
          title: 'Crackdown on the November 2019 (Aban 1398) protests',
        },
        unconstrained: ['time'],
      });
      expect(outcome(res.body, SEED.claims.reutersRange).scopeAxes).toEqual({
        place: 'equal',
        time: 'equal',
        incident: 'equal',
        perpetrator: 'equal',
        population: 'equal',
      });
      expect([res.body.low.value, res.body.high.value]).toEqual([304, 1500]);
    });

    it('sets aside a stored claim the rules cannot read, with the reason, and reconciles the rest', async () => {
      const odd = await createClaim(t.ds, { low: 50, high: 60, ...founding.scope });
      try {
        const res = await t.http().get('/api/reconciliation').expect(200);
        expect(res.body.unreadable).toEqual([
          { id: odd.id, field: 'high', reason: expect.stringContaining('must be empty') },
        ]);
        expect(res.body.claims.map((c: Outcome) => c.id)).not.toContain(odd.id);
        expect([res.body.low.value, res.body.high.value]).toEqual([304, 1500]);
      } finally {
        await t.ds.query('DELETE FROM count_claims WHERE id = $1', [odd.id]);
      }
    });

    it('reconciles the detained with the seeded "thousands detained"', async () => {
      const res = await t.http().get('/api/reconciliation?category=detained').expect(200);
      expect(res.body.low).toMatchObject({
        value: 2000,
        setBy: { claimId: SEED.claims.detainedThousands },
      });
      expect(res.body.high).toBeNull();
    });
  });

  describe('the figures that exist in the world', () => {
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      await resetDatabase(t.ds);
      const amnestyScope = { ...founding.scope, population: 'non_security', basis: 'named_list' };
      // Amnesty's successive figures, each its own publication.
      for (const [n, date] of [
        [106, '2019-11-19'],
        [143, '2019-11-25'],
        [208, '2019-12-02'],
        [304, '2020-05-21'],
        [323, '2020-11-16'],
      ] as const) {
        const source =
          date === '2020-05-21'
            ? SEED.sources.amnesty
            : (
                await createSource(t.ds, {
                  publisher: 'Amnesty International',
                  publishedFrom: date,
                  publishedTo: date,
                  title: `Amnesty ${date}`,
                })
              ).id;
        ids[`ai${n}`] = (
          await createClaim(t.ds, {
            sourceId: source,
            low: n,
            publishedDate: date,
            ...amnestyScope,
          })
        ).id;
      }
      const mp = await createSource(t.ds, {
        kind: 'official',
        title: 'MP gives official toll of November 2019 unrest',
        publisher: 'Majlis National Security Committee',
        publishedFrom: '2020-06-01',
        publishedTo: '2020-06-01',
        reliability: 'D',
        interestNote: 'Party to the conflict',
      });
      ids.mp = (
        await createClaim(t.ds, {
          sourceId: mp.id,
          qualifier: 'exact',
          low: null,
          best: 230,
          basis: 'official',
          credibility: 3,
          publishedDate: '2020-06-01',
          populationNote: 'including six members of the security forces',
          ...founding.scope,
        })
      ).id;
      ids.reuters = (
        await createClaim(t.ds, {
          sourceId: SEED.sources.reuters,
          qualifier: 'about',
          low: null,
          best: 1500,
          basis: 'leak',
          credibility: 3,
          publishedDate: '2019-12-23',
          ...founding.scope,
        })
      ).id;
      const nyt = await createSource(t.ds, {
        kind: 'news',
        title: 'Marsh massacre',
        publisher: 'The New York Times',
        publishedFrom: '2019-12-01',
        publishedTo: '2019-12-01',
      });
      ids.mahshahr = (
        await createClaim(t.ds, {
          sourceId: nyt.id,
          qualifier: 'between',
          low: 40,
          high: 100,
          locationId: PLACES.mahshahr,
          publishedDate: '2019-12-01',
          credibility: 3,
        })
      ).id;
      const hrana = await createSource(t.ds, {
        kind: 'report',
        title: 'Shiraz toll',
        publisher: 'HRANA',
      });
      ids.shiraz = (
        await createClaim(t.ds, { sourceId: hrana.id, low: 20, locationId: PLACES.shiraz })
      ).id;
    });

    it('keeps only Amnesty’s latest figure, counts Reuters once, and finds the official 230 contradicted', async () => {
      const { body } = await t.http().get('/api/reconciliation?category=killed').expect(200);
      for (const n of [106, 143, 208, 304]) {
        expect(outcome(body, ids[`ai${n}`])).toMatchObject({
          status: 'superseded',
          supersededBy: ids.ai323,
        });
      }
      expect(outcome(body, ids.ai323)).toMatchObject({ status: 'included', role: 'floor' });
      // The joint statement's relay of Amnesty's 21 May figure groups with Amnesty's own claim.
      expect(outcome(body, SEED.claims.amnesty304)).toMatchObject({
        status: 'relay',
        relayOf: ids.ai304,
        altersOrigin: false,
      });
      expect(body.low).toMatchObject({ value: 323, setBy: { kind: 'claim', claimId: ids.ai323 } });

      expect(outcome(body, SEED.claims.reutersRange)).toMatchObject({
        status: 'relay',
        relayOf: ids.reuters,
        altersOrigin: true,
      });
      expect(outcome(body, ids.reuters)).toMatchObject({ status: 'included', role: 'estimate' });
      expect(body.high).toMatchObject({
        value: 1500,
        setBy: { claimId: ids.reuters, origin: { id: SEED.sources.reuters } },
      });
      expect(
        body.claims.filter(
          (c: Outcome) => c.origin.id === SEED.sources.reuters && c.status === 'included',
        ),
      ).toHaveLength(1);

      expect(outcome(body, ids.mp)).toMatchObject({
        status: 'contradicted',
        scopeRelation: 'equal',
        role: 'floor',
      });
      expect(outcome(body, ids.mp).reason).toContain('below the minimum of 323');
      expect(body.statement).toContain(
        'The official figure of 230 (Majlis National Security Committee',
      );

      // 40–100 in Mahshahr is a floor for the whole country, not a ceiling; Shiraz likewise.
      expect(outcome(body, ids.mahshahr)).toMatchObject({
        status: 'included',
        role: 'floor',
        scopeRelation: 'inside',
        contributes: { low: 40, high: null },
      });
      expect(outcome(body, ids.shiraz)).toMatchObject({
        status: 'included',
        scopeRelation: 'inside',
      });
    });

    it('for Khuzestan: the Mahshahr figure sets the minimum, the national estimate bounds it from above, and the contradicted official 230 stays contradicted', async () => {
      const { body } = await t.http().get('/api/reconciliation?location=Khuzestan').expect(200);
      expect(body.query.location).toMatchObject({
        id: PLACES.khuzestan,
        kind: 'province',
        defaulted: false,
      });
      expect(outcome(body, ids.mahshahr)).toMatchObject({
        status: 'included',
        scopeRelation: 'inside',
        role: 'floor',
      });
      expect(body.low).toMatchObject({ value: 40, setBy: { claimId: ids.mahshahr } });
      // Amnesty's 323 (non-security, nationwide) lies inside the official "230, all deaths":
      // the 230 is contradicted in every query that includes it, a province's too.
      expect(outcome(body, ids.mp)).toMatchObject({
        status: 'contradicted',
        scopeRelation: 'contains',
        role: 'ceiling',
        contradictedBy: ids.ai323,
      });
      expect(body.high).toMatchObject({ value: 1500, setBy: { claimId: ids.reuters } });
      expect(outcome(body, ids.shiraz)).toMatchObject({ status: 'scope_differs' });
    });

    it('for Mahshahr (any spelling): another province’s figure differs, and the documented victims make the floor when they outnumber the claims', async () => {
      const boroumand = await createSource(t.ds, {
        title: 'Omid memorial',
        publisher: 'Boroumand Center',
        reliability: 'A',
      });
      const hrana = await createSource(t.ds, {
        title: 'HRANA list',
        publisher: 'HRANA',
        reliability: 'B',
      });
      await createVictims(t.ds, 30, {
        locationId: PLACES.mahshahr,
        sources: [boroumand.id, hrana.id],
        confidence: 'confirmed',
        status: 'verified',
      });
      await createVictims(t.ds, 15, {
        locationId: PLACES.mahshahr,
        date: ['2019-11-18', '2019-11-18'],
        sources: [boroumand.id],
        status: 'verified',
      });
      // Neither counted: another harm, and a retracted record.
      await createVictims(t.ds, 3, {
        locationId: PLACES.mahshahr,
        harm: 'injured',
        sources: [boroumand.id],
      });
      await createVictims(t.ds, 2, {
        locationId: PLACES.mahshahr,
        status: 'retracted',
        sources: [boroumand.id],
      });

      const { body } = await t
        .http()
        .get('/api/reconciliation')
        .query({ location: 'ماهشهر' })
        .expect(200);
      expect(body.query.location).toMatchObject({
        id: PLACES.mahshahr,
        nameEn: 'Bandar-e Mahshahr',
      });
      expect(body.documented).toMatchObject({
        total: 45,
        byConfidence: { confirmed: 30, probable: 15, possible: 0, unattested: 0 },
        sources: [
          { id: boroumand.id, victims: 45 },
          { id: hrana.id, victims: 30 },
        ],
      });
      expect(body.citations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            sourceId: boroumand.id,
            publisher: 'Boroumand Center',
            documentedVictims: 45,
          }),
          expect.objectContaining({
            sourceId: hrana.id,
            publisher: 'HRANA',
            documentedVictims: 30,
          }),
        ]),
      );
      expect(body.low).toEqual({ value: 45, setBy: { kind: 'documented', count: 45 } });
      expect(outcome(body, ids.mahshahr)).toMatchObject({
        status: 'included',
        scopeRelation: 'equal',
        contributes: { low: 40, high: 100 },
      });
      // The top is the highest credible figure, not the tightest: Reuters' national 1,500 bounds
      // Mahshahr too, and the Times' 100 stays in the claims as a ceiling.
      expect(body.high).toMatchObject({ value: 1500, setBy: { claimId: ids.reuters } });
      expect(outcome(body, ids.shiraz)).toMatchObject({ status: 'scope_differs' });
      expect(outcome(body, ids.shiraz).reason).toContain('a place outside the queried area');
      expect(body.statement).toMatch(
        /^At least 45 people were killed in Bandar-e Mahshahr: this ledger documents all 45 individually \(30 confirmed, 15 probable\)/,
      );
      expect(
        body.citations.find((c: { sourceId: string }) => c.sourceId === boroumand.id),
      ).toMatchObject({ documentedVictims: 45 });
    });

    it('counts a victim known only as "November 2019" as possibly in a five-day window, not in the minimum', async () => {
      await createVictims(t.ds, 4, {
        locationId: PLACES.mahshahr,
        date: ['2019-11-01', '2019-11-30'],
        precision: 'month',
        status: 'verified',
      });
      const { body } = await t
        .http()
        .get('/api/reconciliation?location=Mahshahr&from=2019-11-16&to=2019-11-19')
        .expect(200);
      expect(body.documented).toMatchObject({ total: 45, possible: 4 });
      const all = await t.http().get('/api/reconciliation?location=Mahshahr').expect(200);
      expect(all.body.documented).toMatchObject({ total: 49, possible: 0 });
    });

    it('sets aside the claims below the requested grades', async () => {
      const { body } = await t
        .http()
        .get('/api/reconciliation?minReliability=B&minCredibility=2')
        .expect(200);
      expect(outcome(body, SEED.claims.amnesty304).status).toBe('below_grade');
      expect(outcome(body, ids.mp).reason).toContain('its source is graded D');
      expect(outcome(body, ids.reuters).reason).toContain('its figure is graded 3');
      expect(body.low).toMatchObject({ value: 323, setBy: { claimId: ids.ai323 } });
      expect(body.high).toBeNull();
    });

    it('with status=verified counts verified victims and claims only', async () => {
      await t.ds.query(`UPDATE count_claims SET status = 'verified' WHERE id = $1`, [ids.mahshahr]);
      const { body } = await t
        .http()
        .get('/api/reconciliation?location=Mahshahr&status=verified')
        .expect(200);
      expect(body.query.statuses).toEqual(['verified']);
      expect(body.claims.map((c: Outcome) => c.id)).toEqual([ids.mahshahr]);
      // The 49 Mahshahr victims of the tests above are verified.
      expect(body.documented.total).toBe(49);
      expect(body.low).toMatchObject({ value: 49, setBy: { kind: 'documented' } });
      const unverified = await t
        .http()
        .get('/api/reconciliation?location=Mahshahr&status=submitted,verified')
        .expect(200);
      expect(unverified.body.documented).toMatchObject({ total: 49, awaitingReview: 0 });
    });
  });

  describe('restricted sources and unreviewed records', () => {
    beforeAll(() => resetDatabase(t.ds));

    it('shows restricted sources, their claims and the victims only they attest to researchers, never to viewers', async () => {
      const informant = await createSource(t.ds, {
        title: 'Confidential informant',
        publisher: 'Witness 7',
        restricted: true,
        kind: 'testimony',
      });
      const open = await createSource(t.ds, { title: 'Open list', publisher: 'IHR' });
      const secret = await createClaim(t.ds, {
        sourceId: informant.id,
        low: 900,
        status: 'verified',
        ...founding.scope,
      });
      const published = await createClaim(t.ds, {
        sourceId: open.id,
        low: 12,
        status: 'verified',
        ...founding.scope,
      });
      await createVictims(t.ds, 3, { status: 'verified', sources: [open.id, informant.id] });
      await createVictims(t.ds, 2, { status: 'verified', sources: [informant.id] });

      const researcher = await t
        .as('researcher')
        .get('/api/reconciliation?location=Iran')
        .expect(200);
      expect(researcher.body.low).toMatchObject({ value: 900, setBy: { claimId: secret.id } });
      expect(researcher.body.documented.total).toBe(5);
      expect(researcher.body.documented.sources.map((s: { id: string }) => s.id).sort()).toEqual(
        [informant.id, open.id].sort(),
      );
      // Each documented source is an id and a number; it is described once, in citations.
      type Cited = { sourceId: string; title: string; documentedVictims: number | null };
      const cited = new Map(
        (researcher.body.citations as Cited[]).map((c) => [c.sourceId, c] as const),
      );
      for (const s of researcher.body.documented.sources as { id: string; victims: number }[]) {
        expect(Object.keys(s).sort()).toEqual(['id', 'victims']);
        expect(cited.get(s.id)).toMatchObject({ documentedVictims: s.victims });
      }
      expect(cited.get(open.id)).toMatchObject({ title: 'Open list', documentedVictims: 3 });
      expect(cited.get(informant.id)).toMatchObject({ documentedVictims: 5 });

      const viewer = await t.as('viewer').get('/api/reconciliation?location=Iran').expect(200);
      const text = JSON.stringify(viewer.body);
      expect(text).not.toContain(informant.id);
      expect(text).not.toContain('Confidential informant');
      expect(viewer.body.claims.map((c: Outcome) => c.id)).toEqual([published.id]);
      expect(viewer.body.documented).toMatchObject({
        total: 3,
        sources: [{ id: open.id, victims: 3 }],
      });
      expect(viewer.body.low).toMatchObject({ value: 12, setBy: { claimId: published.id } });
      // Viewers get verified records only: the seeded claims are submitted.
      expect(viewer.body.query.statuses).toEqual(['verified']);
      expect(text).not.toContain(SEED.claims.amnesty304);
    });
  });

  describe('bad parameters', () => {
    it.each([
      [
        'an unknown category',
        'category=wounded',
        'category',
        /must be one of: killed, injured, detained, disappeared, executed/,
      ],
      [
        'a reliability grade that does not exist',
        'minReliability=G',
        'minReliability',
        /must be one of: A, B, C, D, E, F/,
      ],
      [
        'a credibility out of range',
        'minCredibility=9',
        'minCredibility',
        /from 1 \(confirmed\) to 6 \(cannot be judged\)/,
      ],
      [
        'a credibility of the wrong type',
        'minCredibility=high',
        'minCredibility',
        /whole number from 1/,
      ],
      [
        'an unknown population',
        'population=aliens',
        'population',
        /must be one of: all, non_security/,
      ],
      ['an unknown confidence', 'minConfidence=sure', 'minConfidence', /must be one of: confirmed/],
      ['an unknown place', 'location=Atlantis', 'location', /no place is called "Atlantis"/],
      [
        'an unknown place id',
        'location=00000000-0000-4000-8000-000000000000',
        'location',
        /no location with id/,
      ],
      [
        'an inverted window',
        'from=2019-11-19&to=2019-11-15',
        'to',
        /ends \(2019-11-15\) before it starts \(2019-11-19\)/,
      ],
      ['an impossible date', 'from=2019-02-30', 'from', /does not exist/],
      ['a Solar Hijri date without its calendar', 'from=1398-08-25', 'from', /looks Solar Hijri/],
      [
        'an unknown status',
        'status=published',
        'status',
        /allowed: draft, submitted, verified, disputed, retracted/,
      ],
      ['a bad incident id', 'incident=42', 'incident', /must be a UUID/],
      [
        'an unknown incident',
        'incident=00000000-0000-4000-8000-000000000000',
        'incident',
        /no incident with id/,
      ],
      ['an unknown parameter', 'colour=red', 'colour', /should not exist/],
    ])('rejects %s with 400 saying what is allowed', async (_name, qs, field, reason) => {
      const before = await t.ds.query<{ n: number }[]>('SELECT count(*)::int AS n FROM audit_log');
      const res = await t.http().get(`/api/reconciliation?${qs}`).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      const problem = res.body.errors.find((e: { field: string }) => e.field === field);
      expect(problem).toBeDefined();
      expect(`${problem.reason} ${res.body.message}`).toMatch(reason);
      const after = await t.ds.query<{ n: number }[]>('SELECT count(*)::int AS n FROM audit_log');
      expect(after[0].n).toBe(before[0].n);
    });

    it('reads a name shared by a province and its capital as the province, saying so', async () => {
      const res = await t.http().get('/api/reconciliation?location=Tehran').expect(200);
      expect(res.body.query.location).toMatchObject({
        id: PLACES.tehranProvince,
        kind: 'province',
      });
    });
  });
});
