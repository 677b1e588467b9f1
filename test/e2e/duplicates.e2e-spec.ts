import { importDecisions } from '../../src/cli/commands/duplicates.js';
import { nameSearchText } from '../../src/victims/name-search.js';
import { createSource } from '../factories/index.js';
import { PLACES } from '../factories/counts.js';
import { createTestApp, resetDatabase, type TestApp } from '../setup/app.js';

interface Named {
  en?: string;
  fa?: string;
  date?: string;
  place?: string;
  status?: string;
  gender?: string;
  age?: number;
  source: string;
}

async function named(t: TestApp, v: Named): Promise<string> {
  const date = v.date ?? '2019-11-16';
  const [row] = await t.ds.query<{ id: string }[]>(
    `INSERT INTO victims (name_en, name_fa, name_search, harm, date_from, date_to, date_precision, location_id, status, gender, age)
     VALUES ($1, $2, $3, 'killed', $4::date, $4::date, 'day', $5::uuid, $6, $7, $8) RETURNING id`,
    [
      v.en ?? null,
      v.fa ?? null,
      nameSearchText([v.en, v.fa]),
      date,
      v.place ?? PLACES.mahshahr,
      v.status ?? 'submitted',
      v.gender ?? null,
      v.age ?? null,
    ],
  );
  await t.ds.query(
    `INSERT INTO attestations (source_id, victim_id, credibility) VALUES ($1, $2, 2)`,
    [v.source, row.id],
  );
  return row.id;
}

interface Cluster {
  id: string;
  state: string;
  score: number;
  records: { id: string; nameEn: string | null; nameFa: string | null; status: string }[];
  pairs: {
    a: string;
    b: string;
    score: number;
    evidence: { name: { score: number }; date: number; place: number };
  }[];
}

describe('record linkage: the scan, the review queue and decisions', () => {
  let t: TestApp;
  const id: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    await resetDatabase(t.ds);
    const a = (await createSource(t.ds, { title: 'List A', publisher: 'A' })).id;
    const b = (await createSource(t.ds, { title: 'List B', publisher: 'B' })).id;
    id.miladLatin = await named(t, { en: 'Milad Zare', status: 'verified', source: a });
    id.miladPersian = await named(t, { fa: 'میلاد زارع', source: b });
    id.hossein = await named(t, { en: 'Hossein Ahmadi', date: '2019-11-17', source: a });
    id.hassan = await named(t, { en: 'Hassan Ahmadi', date: '2019-11-17', source: b });
    id.mahmoud = await named(t, { fa: 'محمود رضایی', date: '2019-11-18', source: a });
    id.mohammad = await named(t, { fa: 'محمد رضایی', date: '2019-11-18', source: b });
    id.mohammadreza = await named(t, { fa: 'محمدرضا احمدی', date: '2019-11-19', source: a });
    id.ahmadreza = await named(t, { fa: 'احمدرضا محمدی', date: '2019-11-19', source: b });
    // Re-dated within a day, written in the other script, a compound split by a non-joiner.
    id.rezaLatin = await named(t, {
      en: 'Mohammadreza Karimi',
      place: PLACES.ahvaz,
      status: 'verified',
      source: a,
    });
    id.rezaPersian = await named(t, {
      fa: 'محمد\u200cرضا کریمی',
      date: '2019-11-17',
      place: PLACES.ahvaz,
      source: b,
    });
    // Same name, another province and a week later: another person.
    id.elsewhere = await named(t, {
      en: 'Milad Zare',
      date: '2019-11-25',
      place: PLACES.shiraz,
      source: b,
    });
  });

  afterAll(async () => {
    await t.close();
  });

  const queue = async (query = ''): Promise<{ items: Cluster[]; total: number }> =>
    (await t.as('researcher').get(`/api/duplicates${query}`).expect(200)).body as {
      items: Cluster[];
      total: number;
    };

  it('only a reviewer runs the scan', async () => {
    await t.as('researcher').post('/api/duplicates/scan').expect(403);
  });

  it('finds the same person across scripts and a day apart, and no different people', async () => {
    const scan = await t.as('reviewer').post('/api/duplicates/scan').expect(200);
    expect(scan.body).toMatchObject({ records: 11, clusters: 2, pairs: 2, clustered: 4 });
    const { items, total } = await queue();
    expect(total).toBe(2);
    const sets = items.map((c) => c.records.map((r) => r.id).sort());
    expect(sets).toEqual(
      expect.arrayContaining([
        [id.miladLatin, id.miladPersian].sort(),
        [id.rezaLatin, id.rezaPersian].sort(),
      ]),
    );
    const milad = items.find((c) => c.records.some((r) => r.id === id.miladLatin))!;
    expect(milad.state).toBe('open');
    expect(milad.records.map((r) => r.nameEn ?? r.nameFa).sort()).toEqual([
      'Milad Zare',
      'میلاد زارع',
    ]);
    expect(milad.pairs).toEqual([
      expect.objectContaining({
        score: milad.score,
        evidence: expect.objectContaining({
          name: expect.objectContaining({ score: 1 }),
          date: 1,
          place: 1,
        }),
      }),
    ]);
  });

  it('filters the queue by place, date and score', async () => {
    expect((await queue(`?location=Ahvaz`)).items.map((c) => c.records.length)).toEqual([2]);
    expect((await queue(`?location=${encodeURIComponent('ماهشهر')}`)).total).toBe(1);
    expect((await queue('?from=2019-11-17&to=2019-11-17')).total).toBe(1);
    expect((await queue('?minScore=1')).total).toBeLessThan(2);
    expect((await queue('?limit=1')).items).toHaveLength(1);
  });

  it('says which field is wrong', async () => {
    const bad = await t.as('researcher').get('/api/duplicates?minScore=2').expect(400);
    expect(bad.body.errors).toEqual([
      { field: 'minScore', reason: expect.stringContaining('0 to 1') },
    ]);
    const state = await t.as('researcher').get('/api/duplicates?state=closed').expect(400);
    expect(state.body.errors[0]).toMatchObject({ field: 'state' });
    const { items } = await queue();
    const decision = await t
      .as('reviewer')
      .post(`/api/duplicates/${items[0].id}/decision`)
      .send({ decision: 'maybe', reason: 'x' })
      .expect(400);
    expect(decision.body.errors[0]).toMatchObject({ field: 'decision' });
    await t
      .as('reviewer')
      .post('/api/duplicates/00000000-0000-4000-8000-000000000000/decision')
      .send({ decision: 'same', reason: 'x' })
      .expect(404);
  });

  it('counts an open cluster once in the documented minimum', async () => {
    const { body } = await t
      .http()
      .get('/api/reconciliation?location=Mahshahr&documented=all')
      .expect(200);
    // Eight records in Mahshahr; Milad Zare in both scripts is one person.
    expect(body.documented).toMatchObject({ total: 7, foldedDuplicates: 1 });
    const verified = await t.http().get('/api/reconciliation?location=Mahshahr').expect(200);
    expect(verified.body.documented).toMatchObject({
      total: 1,
      awaitingReview: 7,
      possibleDuplicates: 1,
    });
  });

  it('a researcher may not decide; a reviewer decides "different", and it is never proposed again', async () => {
    const milad = (await queue()).items.find((c) => c.records.some((r) => r.id === id.miladLatin))!;
    await t
      .as('researcher')
      .post(`/api/duplicates/${milad.id}/decision`)
      .send({ decision: 'different', reason: 'father names differ' })
      .expect(403);
    const res = await t
      .as('reviewer')
      .post(`/api/duplicates/${milad.id}/decision`)
      .send({ decision: 'different', reason: 'father names differ' })
      .expect(200);
    expect(res.body).toMatchObject({ state: 'different', decidedBy: t.users.reviewer.id });
    expect(res.body.decidedAt).toEqual(expect.any(String));
    const audit = await t.ds.query<{ actor_id: string; action: string; reason: string }[]>(
      `SELECT actor_id, action, reason FROM audit_log WHERE entity = 'duplicate_clusters' AND entity_id = $1`,
      [milad.id],
    );
    expect(audit).toEqual([
      { actor_id: t.users.reviewer.id, action: 'decide', reason: 'father names differ' },
    ]);
    await t.as('reviewer').post('/api/duplicates/scan').expect(200);
    const after = await queue();
    expect(after.items.some((c) => c.records.some((r) => r.id === id.miladLatin))).toBe(false);
    expect(after.total).toBe(1);
    await t
      .as('reviewer')
      .post(`/api/duplicates/${milad.id}/decision`)
      .send({ decision: 'same', reason: 'changed my mind' })
      .expect(409);
  });

  it('"same" merges through the existing merge, reversibly; decisions move to another database', async () => {
    const reza = (await queue()).items[0];
    const res = await t
      .as('reviewer')
      .post(`/api/duplicates/${reza.id}/decision`)
      .send({ decision: 'same', reason: 'one person in two scripts' })
      .expect(200);
    expect(res.body.state).toBe('same');
    // The verified record is kept.
    const merged = await t.http().get(`/api/victims/${id.rezaPersian}`).expect(200);
    expect(merged.body.mergedInto).toBe(id.rezaLatin);
    expect((await queue()).total).toBe(0);

    // What `duplicates export --decisions` writes, applied to a database that has the records
    // but not the decisions (as after an export and import of the victims).
    const rows = [
      {
        victim_a: id.rezaPersian,
        victim_a_key: '',
        victim_b: id.rezaLatin,
        victim_b_key: '',
        decision: 'same',
        kept: id.rezaLatin,
        note: '',
        decided_at: '',
      },
      {
        victim_a: [id.miladLatin, id.miladPersian].sort()[0],
        victim_a_key: '',
        victim_b: [id.miladLatin, id.miladPersian].sort()[1],
        victim_b_key: '',
        decision: 'different',
        kept: '',
        note: 'father names differ',
        decided_at: '',
      },
    ];
    const unmerged = await t.http().get(`/api/victims/${id.rezaPersian}`).expect(200);
    await t
      .as('reviewer')
      .post(`/api/victims/${id.rezaPersian}/unmerge`)
      .send({ version: unmerged.body.version, reason: 'moving databases' })
      .expect(200);
    await t.ds.query(`DELETE FROM duplicate_decisions`);
    const r = await importDecisions(t.ds, rows);
    expect(r).toEqual({ merged: 1, decided: 1, present: 0, unmatched: 0 });
    expect((await t.http().get(`/api/victims/${id.rezaPersian}`).expect(200)).body.mergedInto).toBe(
      id.rezaLatin,
    );
    await t.as('reviewer').post('/api/duplicates/scan').expect(200);
    expect((await queue()).total).toBe(0);
    expect(await importDecisions(t.ds, rows)).toEqual({
      merged: 0,
      decided: 0,
      present: 2,
      unmatched: 0,
    });
  });
});
