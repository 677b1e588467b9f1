import { SEED } from '../../seed/seed.js';
import { createSource } from '../factories/index.js';
import {
  PLACES,
  createClaim,
  createPlace,
  createVictim,
  createVictims,
} from '../factories/counts.js';
import { createTestApp, type TestApp } from '../setup/app.js';

interface Key {
  groupBy: string;
  value: string | null;
  label: string;
  labelFa?: string | null;
  [k: string]: unknown;
}
interface Bucket {
  key: Key[];
  count: number;
  byConfidence: Record<string, number>;
  sources: { id: string; title: string; publisher: string | null; victims: number }[];
}

/** Buckets as "label / label" → count, for compact assertions. */
const byLabel = (buckets: Bucket[]) =>
  Object.fromEntries(buckets.map((b) => [b.key.map((k) => k.label).join(' / '), b.count]));
const find = (buckets: Bucket[], label: string): Bucket => {
  const b = buckets.find((x) => x.key.map((k) => k.label).join(' / ') === label);
  if (!b) throw new Error(`no bucket "${label}" in ${JSON.stringify(byLabel(buckets))}`);
  return b;
};
const sourcesOf = (b: Bucket): Record<string, number> =>
  Object.fromEntries(b.sources.map((s): [string, number] => [s.publisher ?? '', s.victims]));

describe('GET /api/counts', () => {
  let t: TestApp;
  const S: Record<string, string> = {};
  let port: string;
  let mahshahrVictim: string;

  beforeAll(async () => {
    t = await createTestApp();
    S.boroumand = (
      await createSource(t.ds, {
        title: 'Omid memorial',
        publisher: 'Boroumand Center',
        reliability: 'A',
      })
    ).id;
    S.hrana = (await createSource(t.ds, { title: 'HRANA list', publisher: 'HRANA' })).id;
    S.informant = (
      await createSource(t.ds, {
        title: 'Confidential informant',
        publisher: 'Witness 7',
        restricted: true,
        kind: 'testimony',
      })
    ).id;
    port = await createPlace(t.ds, {
      kind: 'district',
      parentId: PLACES.mahshahr,
      nameEn: 'Port district',
      nameFa: 'ناحیه بندری',
    });
    const verified = { status: 'verified' };
    [mahshahrVictim] = await createVictims(t.ds, 3, {
      ...verified,
      locationId: PLACES.mahshahr,
      gender: 'male',
      age: 19,
      confidence: 'confirmed',
      cause: 'gunshot_head',
      perpetrator: 'irgc',
      incidentId: SEED.incident,
      sources: [S.boroumand, S.hrana],
    });
    await createVictims(t.ds, 2, {
      ...verified,
      locationId: port,
      date: ['2019-11-18', '2019-11-18'],
      gender: 'female',
      ageBand: '12-17',
      sources: [S.boroumand],
    });
    await createVictims(t.ds, 1, {
      ...verified,
      locationId: PLACES.khuzestan,
      date: ['2019-11-17', '2019-11-17'],
      sources: [S.hrana],
    });
    await createVictims(t.ds, 2, {
      ...verified,
      locationId: PLACES.shiraz,
      date: ['2019-11-17', '2019-11-17'],
      confidence: 'possible',
      sources: [S.hrana],
    });
    await createVictims(t.ds, 1, {
      ...verified,
      locationId: null,
      date: ['2019-11-01', '2019-11-30'],
      precision: 'month',
      sources: [S.boroumand],
    });
    await createVictims(t.ds, 1, {
      ...verified,
      locationId: PLACES.ahvaz,
      date: null,
      sources: [S.boroumand],
    });
    await createVictims(t.ds, 1, {
      ...verified,
      locationId: PLACES.iran,
      date: ['2019-11-19', '2019-11-19'],
      sources: [S.boroumand],
    });
    await createVictims(t.ds, 1, { ...verified, locationId: PLACES.ahvaz, sources: [S.informant] });
    // Not counted: a duplicate merged into a Mahshahr victim (its Amnesty attestation is kept
    // for the record it was merged into), a retracted record, and an injury.
    await createVictim(t.ds, {
      ...verified,
      locationId: PLACES.mahshahr,
      mergedInto: mahshahrVictim,
      sources: [SEED.sources.amnesty],
    });
    await createVictim(t.ds, {
      status: 'retracted',
      locationId: PLACES.mahshahr,
      sources: [S.boroumand],
    });
    await createVictim(t.ds, {
      ...verified,
      harm: 'injured',
      locationId: PLACES.mahshahr,
      sources: [S.boroumand],
    });
  });
  afterAll(() => t.close());

  it('counts by province, with an unknown-place bucket and the sources behind each', async () => {
    const { body } = await t.http().get('/api/counts?category=killed&groupBy=province').expect(200);
    expect(byLabel(body.buckets)).toEqual({
      Khuzestan: 8,
      Fars: 2,
      'unknown province in Iran': 1,
      'unknown place': 1,
    });
    const khuzestan = find(body.buckets, 'Khuzestan');
    expect(khuzestan.key[0]).toEqual({
      groupBy: 'province',
      value: PLACES.khuzestan,
      id: PLACES.khuzestan,
      label: 'Khuzestan',
      labelFa: 'خوزستان',
      nameEn: 'Khuzestan',
      nameFa: 'خوزستان',
    });
    expect(khuzestan.byConfidence).toEqual({
      confirmed: 3,
      probable: 5,
      possible: 0,
      unattested: 0,
    });
    expect(sourcesOf(khuzestan)).toEqual({
      'Boroumand Center': 6,
      HRANA: 4,
      'Amnesty International': 1,
      'Witness 7': 1,
    });
    expect(find(body.buckets, 'unknown province in Iran').key[0]).toMatchObject({
      value: null,
      within: { id: PLACES.iran },
      labelFa: 'استان نامعلوم در ایران',
    });
    expect(body.totals).toMatchObject({
      count: 12,
      byConfidence: { confirmed: 3, probable: 7, possible: 2, unattested: 0 },
    });
    expect(
      Object.fromEntries(
        body.totals.sources.map((s: Bucket['sources'][number]) => [s.publisher, s.victims]),
      ),
    ).toEqual({
      'Boroumand Center': 8,
      HRANA: 6,
      'Amnesty International': 1,
      'Witness 7': 1,
    });
    expect(body.subtotals).toEqual([]);
    expect(body.query).toMatchObject({
      groupBy: ['province'],
      category: 'killed',
      dateMatch: 'any',
      population: 'all',
    });
  });

  it('counts a district in its city, and a victim placed at a province as an unknown city in it', async () => {
    const { body } = await t
      .http()
      .get('/api/counts?groupBy=city&location=Khuzestan&category=killed')
      .expect(200);
    expect(byLabel(body.buckets)).toEqual({
      'Bandar-e Mahshahr': 5,
      Ahvaz: 2,
      'unknown city in Khuzestan': 1,
    });
    expect(find(body.buckets, 'unknown city in Khuzestan').key[0]).toMatchObject({
      within: { id: PLACES.khuzestan, nameFa: 'خوزستان' },
    });
    expect(body.totals.count).toBe(8);
    const kurehOnly = await t
      .http()
      .get('/api/counts')
      .query({ location: 'ناحیه بندری' })
      .expect(200);
    expect(kurehOnly.body.totals.count).toBe(2);
  });

  it('counts by day with Solar Hijri labels, and buckets for the undated and the imprecise', async () => {
    const { body } = await t.http().get('/api/counts?groupBy=day&category=killed').expect(200);
    expect(body.buckets.map((b: Bucket) => [b.key[0].label, b.count])).toEqual([
      ['2019-11-16', 4],
      ['2019-11-17', 3],
      ['2019-11-18', 2],
      ['2019-11-19', 1],
      ['date not known to the day', 1],
      ['undated', 1],
    ]);
    expect(body.buckets[0].key[0]).toMatchObject({
      value: '2019-11-16',
      start: '2019-11-16',
      end: '2019-11-16',
      labelFa: '۱۳۹۸/۰۸/۲۵',
      period: {
        gregorian: { from: '2019-11-16' },
        jalali: { from: '1398-08-25', label: '1398-08-25' },
      },
    });
  });

  it('counts by ISO week and by month', async () => {
    const weeks = await t.http().get('/api/counts?groupBy=week&category=killed').expect(200);
    expect(weeks.body.buckets.map((b: Bucket) => [b.key[0].value, b.key[0].end, b.count])).toEqual([
      ['2019-11-11', '2019-11-17', 7],
      ['2019-11-18', '2019-11-24', 3],
      [null, undefined, 1],
      [null, undefined, 1],
    ]);
    expect(weeks.body.buckets[0].key[0].period.jalali).toMatchObject({
      from: '1398-08-20',
      to: '1398-08-26',
    });
    const months = await t.http().get('/api/counts?groupBy=month&category=killed').expect(200);
    expect(months.body.buckets.map((b: Bucket) => [b.key[0].label, b.count])).toEqual([
      ['2019-11', 11],
      ['undated', 1],
    ]);
    expect(months.body.buckets[0].key[0]).toMatchObject({
      start: '2019-11-01',
      end: '2019-11-30',
      period: { jalali: { from: '1398-08-10', to: '1398-09-09' } },
    });
  });

  it('groups by two keys, with subtotals per first key', async () => {
    const { body } = await t
      .http()
      .get('/api/counts?groupBy=province,gender&category=killed')
      .expect(200);
    expect(byLabel(body.buckets)).toEqual({
      'Khuzestan / male': 3,
      'Khuzestan / female': 2,
      'Khuzestan / unknown gender': 3,
      'Fars / unknown gender': 2,
      'unknown province in Iran / unknown gender': 1,
      'unknown place / unknown gender': 1,
    });
    expect(body.buckets.slice(0, 3).map((b: Bucket) => b.key[1].label)).toEqual([
      'male',
      'female',
      'unknown gender',
    ]);
    expect(byLabel(body.subtotals)).toEqual({
      Khuzestan: 8,
      Fars: 2,
      'unknown province in Iran': 1,
      'unknown place': 1,
    });
    expect(sourcesOf(find(body.buckets, 'Khuzestan / female'))).toEqual({ 'Boroumand Center': 2 });
  });

  it('groups by source, counting each victim once in the subtotals', async () => {
    const bySource = await t.http().get('/api/counts?groupBy=source&category=killed').expect(200);
    expect(byLabel(bySource.body.buckets)).toEqual({
      'Omid memorial': 8,
      'HRANA list': 6,
      'Amnesty International statement urging a UN investigation of the killings of November 2019 protesters': 1,
      'Confidential informant': 1,
    });
    expect(bySource.body.buckets[0].key[0]).toMatchObject({
      id: S.boroumand,
      source: { publisher: 'Boroumand Center', reliability: 'A' },
    });
    const two = await t
      .http()
      .get('/api/counts?groupBy=province,source&category=killed')
      .expect(200);
    expect(find(two.body.subtotals, 'Khuzestan').count).toBe(8);
    expect(find(two.body.buckets, 'Khuzestan / Omid memorial').count).toBe(6);
    expect(two.body.totals.count).toBe(12);
  });

  it('groups by age band, perpetrator, cause and incident', async () => {
    const age = await t.http().get('/api/counts?groupBy=ageBand&category=killed').expect(200);
    expect(byLabel(age.body.buckets)).toEqual({ '18-24': 3, '12-17': 2, 'unknown age': 7 });
    const who = await t
      .http()
      .get('/api/counts?groupBy=perpetrator,cause&category=killed')
      .expect(200);
    expect(byLabel(who.body.buckets)).toEqual({
      'irgc / gunshot_head': 3,
      'unknown perpetrator / unknown cause': 9,
    });
    const incident = await t.http().get('/api/counts?groupBy=incident&category=killed').expect(200);
    expect(incident.body.buckets[0].key[0]).toMatchObject({
      id: SEED.incident,
      incident: { titleFa: 'سرکوب اعتراضات آبان ۱۳۹۸' },
    });
    expect(byLabel(incident.body.buckets)).toEqual({
      'Crackdown on the November 2019 (Aban 1398) protests': 3,
      'no incident': 9,
    });
  });

  it('applies the victim filters: window, confidence, source, gender', async () => {
    const window = await t
      .http()
      .get('/api/counts?category=killed&from=2019-11-17&to=2019-11-18&dateMatch=certain')
      .expect(200);
    expect(window.body.totals.count).toBe(5);
    expect(window.body.query.from).toMatchObject({
      gregorian: { from: '2019-11-17' },
      jalali: { from: '1398-08-26' },
    });
    const possible = await t
      .http()
      .get('/api/counts?category=killed&from=2019-11-17&to=2019-11-18')
      .expect(200);
    expect(possible.body.totals.count).toBe(6);
    const confirmed = await t.http().get('/api/counts?minConfidence=confirmed').expect(200);
    expect(confirmed.body.totals.count).toBe(3);
    const hrana = await t
      .http()
      .get(`/api/counts?category=killed&source=${S.hrana}&groupBy=province`)
      .expect(200);
    expect(byLabel(hrana.body.buckets)).toEqual({ Khuzestan: 4, Fars: 2 });
    expect(hrana.body.notes[0]).toContain('the filters source narrow the victims');
    const women = await t.http().get('/api/counts?gender=female').expect(200);
    expect([women.body.totals.count, women.body.query.population]).toEqual([2, 'women']);
  });

  it('lists the count claims whose scope matches the query, not the others', async () => {
    const shiraz = await createClaim(t.ds, { low: 20, locationId: PLACES.shiraz });
    const local = await createClaim(t.ds, {
      qualifier: 'between',
      low: 40,
      high: 100,
      locationId: PLACES.mahshahr,
    });
    const { body } = await t
      .http()
      .get('/api/counts?category=killed&location=Mahshahr')
      .expect(200);
    const claims = Object.fromEntries(
      body.claims.map((c: { id: string; scopeRelation: string; contributes: unknown }) => [
        c.id,
        [c.scopeRelation, c.contributes],
      ]),
    );
    // Amnesty's 304 is about a wider place but a narrower population (people other than
    // security forces): neither a part nor a whole of this query.
    expect(claims).toEqual({
      [SEED.claims.reutersRange]: ['contains', { low: null, high: 1500 }],
      [local.id]: ['equal', { low: 40, high: 100 }],
    });
    expect(claims[shiraz.id]).toBeUndefined();
    expect(
      body.claims.find((c: { id: string }) => c.id === SEED.claims.reutersRange),
    ).toMatchObject({
      attributedTo: { id: SEED.sources.reuters },
      scope: { location: { id: PLACES.iran }, window: { jalali: { from: '1398-08-25' } } },
    });
    await t.ds.query('DELETE FROM count_claims WHERE id = ANY($1::uuid[])', [
      [shiraz.id, local.id],
    ]);
  });

  it('never shows a viewer restricted sources or victims only they attest', async () => {
    const { body } = await t
      .as('viewer')
      .get('/api/counts?category=killed&groupBy=province,source')
      .expect(200);
    const text = JSON.stringify(body);
    expect(text).not.toContain(S.informant);
    expect(text).not.toContain('Witness 7');
    expect(body.totals.count).toBe(11);
    expect(find(body.subtotals, 'Khuzestan').count).toBe(7);
    // Viewers see verified claims only: the seeded ones are submitted.
    expect(body.claims).toEqual([]);
    const res = await t.as('viewer').get(`/api/counts?source=${S.informant}`).expect(400);
    expect(res.body.errors).toEqual([
      { field: 'source', reason: `no source with id ${S.informant}` },
    ]);
    const researcher = await t
      .as('researcher')
      .get(`/api/counts?source=${S.informant}`)
      .expect(200);
    expect(researcher.body.totals.count).toBe(1);
  });

  it('lists the sources attesting most victims first, and says how many there are', async () => {
    const { body } = await t
      .http()
      .get('/api/counts?category=killed&groupBy=province&sourcesPerBucket=2')
      .expect(200);
    const khuzestan = find(body.buckets, 'Khuzestan');
    expect([
      khuzestan.sources.map((s) => [s.publisher, s.victims]),
      (khuzestan as Bucket & { sourceCount: number }).sourceCount,
    ]).toEqual([
      [
        ['Boroumand Center', 6],
        ['HRANA', 4],
      ],
      4,
    ]);
    expect([body.totals.sources.length, body.totals.sourceCount]).toEqual([2, 4]);
    // Grouped by source, a bucket's source is the one it is about.
    const bySource = await t
      .http()
      .get('/api/counts?category=killed&groupBy=source,province')
      .expect(200);
    expect(find(bySource.body.buckets, 'HRANA list / Khuzestan')).toMatchObject({
      count: 4,
      sources: [{ id: S.hrana, victims: 4 }],
      sourceCount: 1,
    });
    expect(find(bySource.body.subtotals, 'HRANA list')).toMatchObject({
      count: 6,
      sources: [{ id: S.hrana, victims: 6 }],
    });
  });

  it('keeps the province and city of every place up to date in the database, whoever writes it', async () => {
    const levels = async (id: string) =>
      (
        await t.ds.query<{ p: string | null; c: string | null }[]>(
          'SELECT province_id AS p, city_id AS c FROM locations WHERE id = $1',
          [id],
        )
      )[0];
    expect(await levels(port)).toEqual({ p: PLACES.khuzestan, c: PLACES.mahshahr });
    expect(await levels(PLACES.khuzestan)).toEqual({ p: PLACES.khuzestan, c: null });
    expect(await levels(PLACES.iran)).toEqual({ p: null, c: null });
    // A typed value is overwritten, and a place that stops being a city takes its places along.
    await t.ds.query('UPDATE locations SET city_id = $1 WHERE id = $2', [PLACES.ahvaz, port]);
    expect((await levels(port)).c).toBe(PLACES.mahshahr);
    await t.ds.query(`UPDATE locations SET kind = 'county' WHERE id = $1`, [PLACES.mahshahr]);
    try {
      expect(await levels(port)).toEqual({ p: PLACES.khuzestan, c: null });
      const { body } = await t
        .http()
        .get('/api/counts?category=killed&groupBy=city&location=Khuzestan')
        .expect(200);
      expect(byLabel(body.buckets)).toEqual({ Ahvaz: 2, 'unknown city in Khuzestan': 6 });
    } finally {
      await t.ds.query(`UPDATE locations SET kind = 'city' WHERE id = $1`, [PLACES.mahshahr]);
    }
    expect(await levels(port)).toEqual({ p: PLACES.khuzestan, c: PLACES.mahshahr });
  });

  it('documents both routes in OpenAPI', async () => {
    const res = await t.http().get('/api/docs-json').expect(200);
    const doc = res.body as { paths: Record<string, { get: { parameters: { name: string }[] } }> };
    const params = (path: string) => doc.paths[path].get.parameters.map((p) => p.name);
    expect(params('/api/counts')).toEqual(
      expect.arrayContaining(['groupBy', 'sourcesPerBucket', 'location', 'from', 'to', 'category']),
    );
    expect(params('/api/reconciliation')).toEqual(
      expect.arrayContaining([
        'category',
        'location',
        'from',
        'to',
        'calendar',
        'incident',
        'population',
        'minReliability',
        'minCredibility',
        'minConfidence',
        'status',
      ]),
    );
  });

  it('returns totals only without groupBy, and zeros for an empty scope', async () => {
    const { body } = await t.http().get('/api/counts?category=executed').expect(200);
    expect(body).toMatchObject({
      buckets: [],
      subtotals: [],
      totals: {
        count: 0,
        byConfidence: { confirmed: 0, probable: 0, possible: 0, unattested: 0 },
        sources: [],
      },
    });
  });

  describe('bad parameters', () => {
    it.each([
      [
        'an unknown grouping',
        'groupBy=colour',
        'groupBy',
        /unknown grouping "colour": allowed are one or two of province, city, day, week, month, gender, ageBand, perpetrator, cause, incident, source/,
      ],
      [
        'three groupings',
        'groupBy=province,city,day',
        'groupBy',
        /at most two groupings \(got 3\)/,
      ],
      ['a grouping given twice', 'groupBy=day,day', 'groupBy', /"day" is given twice/],
      ['groupBy repeated', 'groupBy=day&groupBy=city', 'groupBy', /given once/],
      ['an empty groupBy', 'groupBy=', 'groupBy', /unknown grouping ""/],
      ['an unknown category', 'category=wounded', 'category', /must be one of: killed, injured/],
      [
        'an unknown confidence',
        'minConfidence=sure',
        'minConfidence',
        /must be one of: confirmed, probable, possible, unattested/,
      ],
      ['an out-of-range age', 'ageMin=200', 'ageMin', /at most 130/],
      ['an inverted age range', 'ageMin=30&ageMax=20', 'ageMax', /must not be below ageMin/],
      ['an inverted window', 'from=2019-12-01&to=2019-11-01', 'to', /before it starts/],
      ['an unknown place', 'location=Gondor', 'location', /no place is called "Gondor"/],
      ['an ambiguous place', 'location=Mahabad', 'location', /ambiguous/],
      ['a bad source id', 'source=abc', 'source', /must be a UUID/],
      [
        'an unknown source',
        'source=00000000-0000-4000-8000-000000000000',
        'source',
        /no source with id/,
      ],
      [
        'an unknown incident',
        'incident=00000000-0000-4000-8000-000000000000',
        'incident',
        /no incident with id/,
      ],
      ['too many sources per bucket', 'sourcesPerBucket=5000', 'sourcesPerBucket', /at most 1000/],
      ['an unknown parameter', 'sort=count', 'sort', /should not exist/],
    ])('rejects %s with 400 saying what is allowed', async (_name, qs, field, reason) => {
      const res = await t.http().get(`/api/counts?${qs}`).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400 });
      const problem = res.body.errors.find((e: { field: string }) => e.field === field);
      expect(problem).toBeDefined();
      expect(`${problem.reason} ${res.body.message}`).toMatch(reason);
    });
  });
});
