import { SEED } from '../../seed/seed.js';
import { createTestApp, type TestApp } from '../setup/app.js';
import { buildSource } from '../factories/index.js';
import { buildVictim } from '../factories/victims.js';

describe('sources', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('creates a source with its published date in both calendars and its relays', async () => {
    const res = await t
      .http()
      .post('/api/sources')
      .send(
        buildSource({
          title: 'Relay of Amnesty',
          published: '1399-03-03 SH',
          relays: [SEED.sources.amnesty],
        }),
      )
      .expect(201);
    expect(res.body).toMatchObject({
      title: 'Relay of Amnesty',
      reliability: 'B',
      relays: [SEED.sources.amnesty],
      version: 1,
      published: {
        precision: 'day',
        gregorian: { from: '2020-05-23' },
        jalali: { from: '1399-03-03' },
      },
    });
    const got = await t.http().get(`/api/sources/${SEED.sources.amnesty}`).expect(200);
    expect(got.body.relayedBy).toContain(res.body.id);
  });

  it('lists the seeded sources with pagination', async () => {
    const res = await t.http().get('/api/sources?limit=2').expect(200);
    expect(res.body).toMatchObject({ limit: 2, offset: 0 });
    expect(res.body.total).toBeGreaterThanOrEqual(3);
    expect(res.body.items).toHaveLength(2);
  });

  it('updates with the current version and refuses a stale one with 409', async () => {
    const { body: s } = await t.http().post('/api/sources').send(buildSource()).expect(201);
    const ok = await t
      .http()
      .patch(`/api/sources/${s.id}`)
      .send({ version: 1, reliability: 'C' })
      .expect(200);
    expect(ok.body).toMatchObject({ reliability: 'C', version: 2 });
    const stale = await t
      .http()
      .patch(`/api/sources/${s.id}`)
      .send({ version: 1, reliability: 'A' })
      .expect(409);
    expect(stale.body).toMatchObject({ code: 'version_conflict', currentVersion: 2 });
    const audit = await t.ds.query<{ action: string }[]>(
      `SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`,
      [s.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
  });

  it('refuses to delete a source that still attests something', async () => {
    const res = await t
      .http()
      .delete(`/api/sources/${SEED.sources.jointStatement}?version=1`)
      .expect(409);
    expect(res.body.code).toBe('conflict');
  });

  it('deletes an unreferenced source', async () => {
    const { body: s } = await t.http().post('/api/sources').send(buildSource()).expect(201);
    await t.http().delete(`/api/sources/${s.id}?version=1`).expect(204);
    await t.http().get(`/api/sources/${s.id}`).expect(404);
  });

  it('re-derives the confidence of the victims a source attests when its grade changes', async () => {
    const { body: a } = await t
      .http()
      .post('/api/sources')
      .send(buildSource({ reliability: 'A' }))
      .expect(201);
    const { body: b } = await t
      .http()
      .post('/api/sources')
      .send(buildSource({ reliability: 'B' }))
      .expect(201);
    const { body: v } = await t
      .http()
      .post('/api/victims')
      .send(
        buildVictim(a.id, {
          attestations: [
            { sourceId: a.id, credibility: 2 },
            { sourceId: b.id, credibility: 2 },
          ],
        }),
      )
      .expect(201);
    expect(v.confidence).toBe('confirmed');
    await t.http().patch(`/api/sources/${b.id}`).send({ version: 1, reliability: 'E' }).expect(200);
    const after = await t.http().get(`/api/victims/${v.id}`).expect(200);
    expect(after.body.confidence).toBe('probable');
    // Making b a relay of a: one origin, no longer two independent ones.
    await t
      .http()
      .patch(`/api/sources/${b.id}`)
      .send({ version: 2, reliability: 'A', relays: [a.id] })
      .expect(200);
    const relayed = await t.http().get(`/api/victims/${v.id}`).expect(200);
    expect(relayed.body.confidence).toBe('probable');
  });

  describe('bad input', () => {
    it.each([
      ['an unknown kind', { kind: 'rumour' }, 'kind'],
      ['an out-of-range grade', { reliability: 'G' }, 'reliability'],
      ['a wrong type', { title: 42 }, 'title'],
      ['an empty title', { title: '   ' }, 'title'],
      ['an unknown field', { colour: 'red' }, 'colour'],
      ['a bad sha256', { sha256: 'abc' }, 'sha256'],
      ['an impossible date', { published: '2019-02-30' }, 'published'],
      ['a Jalali date without its calendar', { published: '1398-08-25' }, 'published'],
      ['an inverted date range', { published: '2019-11-19/2019-11-15' }, 'published'],
      ['a bad relay id', { relays: ['not-a-uuid'] }, 'relays'],
    ])('rejects %s with 400 naming the field', async (_name, patch, field) => {
      const before = await t.ds.query<{ n: number }[]>('SELECT count(*)::int AS n FROM sources');
      const res = await t.http().post('/api/sources').send(buildSource(patch)).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      const after = await t.ds.query<{ n: number }[]>('SELECT count(*)::int AS n FROM sources');
      expect(after[0].n).toBe(before[0].n);
    });

    it('rejects a relay to an unknown source with 422 and writes nothing', async () => {
      const before = await t.ds.query<{ n: number }[]>('SELECT count(*)::int AS n FROM sources');
      const res = await t
        .http()
        .post('/api/sources')
        .send(buildSource({ relays: ['00000000-0000-4000-8000-000000000000'] }))
        .expect(422);
      expect(res.body.errors[0].field).toBe('relays');
      const after = await t.ds.query<{ n: number }[]>('SELECT count(*)::int AS n FROM sources');
      expect(after[0].n).toBe(before[0].n);
    });

    it('answers malformed JSON with 400', async () => {
      const res = await t
        .http()
        .post('/api/sources')
        .set('Content-Type', 'application/json')
        .send('{"kind": "report",')
        .expect(400);
      expect(res.body.errors[0]).toMatchObject({ field: 'body', reason: 'malformed JSON' });
    });

    it('answers an oversized body with 413', async () => {
      const res = await t
        .http()
        .post('/api/sources')
        .send(buildSource({ title: 'x'.repeat(1_200_000) }))
        .expect(413);
      expect(res.body.errors[0].field).toBe('body');
    });

    it('answers a bad UUID in the path with 400 and an unknown id with 404', async () => {
      const bad = await t.http().get('/api/sources/123').expect(400);
      expect(bad.body.errors[0].field).toBe('id');
      const missing = await t
        .http()
        .get('/api/sources/00000000-0000-4000-8000-000000000000')
        .expect(404);
      expect(missing.body.code).toBe('not_found');
    });

    it('requires the version on update', async () => {
      const res = await t
        .http()
        .patch(`/api/sources/${SEED.sources.amnesty}`)
        .send({ title: 'x' })
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('version');
    });
  });
});
