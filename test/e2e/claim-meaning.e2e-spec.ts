import { createTestApp, resetDatabase, type TestApp } from '../setup/app.js';

/** What a claim and a source can say (issue: reconciliation on a real record), through the API. */
describe('claims and sources: interest, breakdown, as of, perpetrator, duplicates, disputes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => resetDatabase(t.ds));

  const source = async (over: Record<string, unknown> = {}) => {
    const res = await t
      .http()
      .post('/api/sources')
      .send({
        kind: 'official',
        title: 'Security council statement',
        publisher: 'State Security Council',
        published: '2022-12-03',
        reliability: 'C',
        ...over,
      });
    return res;
  };

  const claimBody = (sourceId: string, over: Record<string, unknown> = {}) => ({
    sourceId,
    category: 'killed',
    qualifier: 'exact',
    best: 230,
    location: 'Iran',
    date: '2019-11-15/2019-11-19',
    basis: 'official',
    credibility: 3,
    ...over,
  });

  it('a source carries a structured interest, validated, and echoed in the claim’s reconciliation', async () => {
    const res = await source({ interest: 'government', interestNote: 'the state' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ interest: 'government', interestNote: 'the state' });
    const bad = await source({ interest: 'the state', title: 'Other' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      {
        field: 'interest',
        reason: expect.stringContaining(
          'must be one of: government, security_forces, armed_group, opposition, victims_organisation, other',
        ),
      },
    ]);
    const c = await t.http().post('/api/claims').send(claimBody(res.body.id)).expect(201);
    const r = await t
      .http()
      .get('/api/reconciliation?category=killed&from=2019-11-15&to=2019-11-19')
      .expect(200);
    const o = r.body.claims.find((x: { id: string }) => x.id === c.body.id);
    expect(o).toMatchObject({ interest: 'government', source: { interest: 'government' } });
  });

  it('entering a source already there is answered with the existing one (409), unless asked to', async () => {
    const first = await source({ url: 'https://example.org/statement' });
    expect(first.status).toBe(201);
    const sameUrl = await source({ url: 'https://example.org/statement', title: 'Another title' });
    expect(sameUrl.status).toBe(409);
    expect(sameUrl.body).toMatchObject({
      duplicateOf: first.body.id,
      errors: [
        { field: 'url', reason: `the same document is already entered as source ${first.body.id}` },
      ],
    });
    // Same publisher, title and date, spelt with other case and spacing.
    const samePaper = await source({
      title: ' security  council STATEMENT ',
      publisher: 'state security council',
    });
    expect(samePaper.status).toBe(409);
    expect(samePaper.body.duplicateOf).toBe(first.body.id);
    const anotherDay = await source({ published: '2022-12-04' });
    expect(anotherDay.status).toBe(201);
    const forced = await source({ allowDuplicate: true });
    expect(forced.status).toBe(201);
    const { body } = await t.http().get('/api/sources?limit=100').expect(200);
    expect(
      body.items.filter((s: { title: string }) => /council statement/i.test(s.title)),
    ).toHaveLength(3);
  });

  it('a sources import finds a document already entered (same publisher, title and date), and reads interest', async () => {
    const first = await source();
    expect(first.status).toBe(201);
    const csv = [
      'kind,title,publisher,published,reliability,interest',
      'official,SECURITY  council statement,State Security Council,2022-12-03,C,government',
      'official,Another statement,State Security Council,2022-12-05,C,government',
      'official,Another statement,state security council,2022-12-05,C,government',
      'report,Bad interest,Somebody,2022-12-05,B,the state',
    ].join('\n');
    const res = await t
      .http()
      .post('/api/imports?kind=sources&mode=skip-invalid')
      .set('Content-Type', 'text/csv')
      .send(csv);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ read: 4, imported: 1, alreadyPresent: 2, rejected: 1 });
    const rows = await t.ds.query<{ title: string; interest: string | null }[]>(
      `SELECT title, interest FROM sources WHERE publisher ILIKE 'state security council' ORDER BY title`,
    );
    expect(rows).toEqual([
      { title: 'Another statement', interest: 'government' },
      { title: 'Security council statement', interest: null },
    ]);
  });

  it('a breakdown is stored, checked against the total, and named field by field when wrong', async () => {
    const s = await source();
    const ok = await t
      .http()
      .post('/api/claims')
      .send(
        claimBody(s.body.id, {
          breakdown: [{ population: 'security_forces', qualifier: 'exact', best: 6 }],
          asOf: '2020-06-01',
          perpetrator: 'security_forces',
        }),
      );
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      breakdown: [
        { population: 'security_forces', qualifier: 'exact', low: null, best: 6, high: null },
      ],
      perpetrator: 'security_forces',
      asOf: { gregorian: { from: '2020-06-01' } },
    });
    const cases: [Record<string, unknown>, string, string][] = [
      [
        { breakdown: [{ population: 'children', qualifier: 'at_least', low: 231 }] },
        'breakdown[0].low',
        'a part (at least 231) cannot exceed the total (at most 230)',
      ],
      [
        { population: 'children', breakdown: [{ population: 'all', qualifier: 'exact', best: 3 }] },
        'breakdown[0].population',
        "a part must be a sub-population of the claim's own (children)",
      ],
      [
        { breakdown: [{ population: 'women', qualifier: 'at_least' }] },
        'breakdown[0].low',
        'qualifier at_least needs low',
      ],
      [
        {
          breakdown: [
            { population: 'women', qualifier: 'at_least', low: 1 },
            { population: 'women', qualifier: 'at_least', low: 2 },
          ],
        },
        'breakdown[1].population',
        'women is given twice',
      ],
      [{ breakdown: 'six security forces' }, 'breakdown', 'breakdown must'],
      [{ perpetrator: 'the regime' }, 'perpetrator', 'must be one of'],
      [{ asOf: '2020-06' }, 'asOf', 'must be a single day'],
      [{ qualifier: 'between_or_more', low: 180 }, 'high', 'needs low and high'],
    ];
    for (const [over, field, reason] of cases) {
      const res = await t.http().post('/api/claims').send(claimBody(s.body.id, over));
      expect([res.status, res.body.errors?.[0]?.field]).toEqual([400, field]);
      expect(res.body.errors[0].reason).toContain(reason);
    }
    const { body } = await t.http().get('/api/claims?limit=100').expect(200);
    // Nothing written by the refused requests: the one claim of this source is the first.
    expect(
      body.items.filter((c: { source: { id: string } }) => c.source.id === s.body.id),
    ).toHaveLength(1);
  });

  it('"between 180 and 450, and possibly more" through the API: a floor and an estimate', async () => {
    const s = await source({
      kind: 'news',
      title: 'Newspaper',
      publisher: 'A newspaper',
      reliability: 'B',
    });
    await t
      .http()
      .post('/api/claims')
      .send(
        claimBody(s.body.id, {
          date: '2018-01-01/2018-01-05',
          qualifier: 'between_or_more',
          low: 180,
          high: 450,
          best: undefined,
          basis: 'credible_reports',
        }),
      )
      .expect(201);
    const r = await t
      .http()
      .get('/api/reconciliation?category=killed&from=2018-01-01&to=2018-01-05')
      .expect(200);
    expect([r.body.low.value, r.body.high.value]).toEqual([180, 450]);
    expect(r.body.statement).toContain('possibly more');
  });

  it('a perpetrator query compares the claims’ perpetrators', async () => {
    const s = await source({
      kind: 'report',
      title: 'Rights group',
      publisher: 'Rights group',
      reliability: 'B',
    });
    await t
      .http()
      .post('/api/claims')
      .send(
        claimBody(s.body.id, {
          qualifier: 'at_least',
          low: 50,
          best: undefined,
          perpetrator: 'basij',
          basis: 'verified_cases',
          credibility: 2,
        }),
      )
      .expect(201);
    const basij = await t
      .http()
      .get('/api/reconciliation?category=killed&perpetrator=basij&from=2019-11-15&to=2019-11-19')
      .expect(200);
    expect(basij.body.query.perpetrator).toBe('basij');
    expect(basij.body.low.value).toBe(50);
    const police = await t
      .http()
      .get('/api/reconciliation?category=killed&perpetrator=police&from=2019-11-15&to=2019-11-19')
      .expect(200);
    expect(police.body.low.value).toBe(0);
    const bad = await t.http().get('/api/reconciliation?perpetrator=aliens').expect(400);
    expect(bad.body.errors[0].field).toBe('perpetrator');
  });

  it('a claim a reviewer disputes sets no bound until the query asks for disputed claims', async () => {
    const s = await source({
      kind: 'report',
      title: 'Rights group',
      publisher: 'Rights group',
      reliability: 'B',
    });
    const c = await t
      .as('researcher')
      .post('/api/claims')
      .send(
        claimBody(s.body.id, {
          qualifier: 'at_least',
          low: 5000,
          best: undefined,
          basis: 'verified_cases',
          credibility: 2,
        }),
      )
      .expect(201);
    await t
      .as('researcher')
      .post(`/api/claims/${c.body.id}/status`)
      .send({ to: 'submitted', reason: 'entered', version: c.body.version })
      .expect(200);
    await t
      .as('reviewer')
      .post(`/api/claims/${c.body.id}/status`)
      .send({ to: 'disputed', reason: 'the list double-counts', version: c.body.version + 1 })
      .expect(200);
    const q = '/api/reconciliation?category=killed&from=2019-11-15&to=2019-11-19';
    const byDefault = await t.http().get(q).expect(200);
    const o = byDefault.body.claims.find((x: { id: string }) => x.id === c.body.id);
    expect(o).toMatchObject({ status: 'disputed', recordStatus: 'disputed' });
    expect(byDefault.body.low.value).toBeLessThan(5000);
    expect(byDefault.body.statement).toContain('a reviewer marked disputed was set aside');
    const asked = await t.http().get(`${q}&status=submitted,verified,disputed`).expect(200);
    expect(asked.body.low).toMatchObject({ value: 5000, setBy: { claimId: c.body.id } });
  });

  it('the founding case still reconciles to 304 .. 1,500 by default, the 350 not a floor', async () => {
    const { body } = await t.http().get('/api/reconciliation?category=killed').expect(200);
    expect([body.low.value, body.high.value]).toEqual([304, 1500]);
    expect(body.statement).toContain(
      'the lower estimate of 350 is one of several estimates, not a floor',
    );
    expect(body.query).toMatchObject({ minReliability: 'C', minCredibility: 3 });
  });
});
