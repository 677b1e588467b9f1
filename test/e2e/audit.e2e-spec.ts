import { SEED } from '../../seed/seed.js';
import { buildSource } from '../factories/index.js';
import { createTestApp, type TestApp } from '../setup/app.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

interface Entry {
  id: string;
  at: string;
  actor: { id: string; name: string | null; role: string | null } | null;
  action: string;
  entity: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason: string | null;
}

describe('audit trail', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const auditCount = async (): Promise<number> =>
    (await t.ds.query<{ n: number }[]>('SELECT count(*)::int AS n FROM audit_log'))[0].n;

  describe('the database refuses to rewrite it', () => {
    it('refuses UPDATE and DELETE on audit_log, whoever asks', async () => {
      const before = await t.ds.query<object[]>(
        'SELECT id, action, reason FROM audit_log ORDER BY id',
      );
      expect(before.length).toBeGreaterThan(0);
      await expect(t.ds.query(`UPDATE audit_log SET reason = 'rewritten'`)).rejects.toThrow(
        /append-only: UPDATE refused/,
      );
      await expect(
        t.ds.query(`DELETE FROM audit_log WHERE id = (SELECT min(id) FROM audit_log)`),
      ).rejects.toThrow(/append-only: DELETE refused/);
      expect(await t.ds.query('SELECT id, action, reason FROM audit_log ORDER BY id')).toEqual(
        before,
      );
    });

    it('refuses TRUNCATE audit_log, even to the superuser the suite connects as', async () => {
      const before = await auditCount();
      expect(before).toBeGreaterThan(0);
      await expect(t.ds.query(`TRUNCATE audit_log`)).rejects.toThrow(
        /append-only: TRUNCATE refused/,
      );
      await expect(t.ds.query(`TRUNCATE users, audit_log CASCADE`)).rejects.toThrow(
        /append-only: TRUNCATE refused/,
      );
      expect(await auditCount()).toBe(before);
    });

    it('writes no entry for a change that failed', async () => {
      const before = await auditCount();
      await t
        .http()
        .post('/api/sources')
        .send(buildSource({ relays: [MISSING] }))
        .expect(422);
      await t
        .http()
        .patch(`/api/sources/${SEED.sources.amnesty}`)
        .send({ version: 99, title: 'x' })
        .expect(409);
      expect(await auditCount()).toBe(before);
    });
  });

  describe('GET /api/audit', () => {
    let sourceId: string;
    beforeAll(async () => {
      const { body } = await t
        .as('researcher')
        .post('/api/sources')
        .send(buildSource({ title: 'Audited' }))
        .expect(201);
      sourceId = body.id;
      for (let v = 1; v <= 3; v++) {
        await t
          .as('reviewer')
          .patch(`/api/sources/${sourceId}`)
          .send({ version: v, title: `Audited v${v + 1}` })
          .expect(200);
      }
    });

    it('lists a record’s changes newest first, with who, when, before and after', async () => {
      const res = await t
        .as('researcher')
        .get(`/api/audit?entity=sources&id=${sourceId}`)
        .expect(200);
      const items = res.body.items as Entry[];
      expect(items.map((e) => e.action)).toEqual(['update', 'update', 'update', 'create']);
      expect(items.map((e) => Number(e.id))).toEqual(
        [...items.map((e) => Number(e.id))].sort((a, b) => b - a),
      );
      expect(items[0]).toMatchObject({
        actor: { id: t.users.reviewer.id, name: t.users.reviewer.name, role: 'reviewer' },
        entity: 'sources',
        entityId: sourceId,
        before: expect.objectContaining({ title: 'Audited v3', version: 3 }),
        after: expect.objectContaining({ title: 'Audited v4', version: 4 }),
      });
      expect(items[3]).toMatchObject({
        actor: { id: t.users.researcher.id, role: 'researcher' },
        before: null,
      });
      expect(Date.now() - new Date(items[0].at).getTime()).toBeLessThan(60_000);
      expect(res.body.nextCursor).toBeNull();
    });

    it('pages with a cursor, every entry once', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `/api/audit?entity=sources&id=${sourceId}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await t.as('researcher').get(url).expect(200);
        expect(res.body.limit).toBe(3);
        seen.push(...(res.body.items as Entry[]).map((e) => e.id));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(2);
      expect(seen).toHaveLength(4);
      expect(new Set(seen).size).toBe(4);
    });

    it('filters by actor and action', async () => {
      const res = await t
        .as('admin')
        .get(`/api/audit?actor=${t.users.reviewer.id}&action=update`)
        .expect(200);
      const items = res.body.items as Entry[];
      expect(items.length).toBeGreaterThanOrEqual(3);
      expect(items.every((e) => e.actor?.id === t.users.reviewer.id && e.action === 'update')).toBe(
        true,
      );
      const seed = await t
        .as('researcher')
        .get(`/api/audit?entity=sources&id=${SEED.sources.amnesty}`)
        .expect(200);
      expect(seed.body.items).toEqual([
        expect.objectContaining({ action: 'create', actor: null, reason: 'seed' }),
      ]);
    });

    it('shows changes to accounts and tokens to admins only', async () => {
      const u = await t.createUser('viewer');
      await t.http().patch(`/api/users/${u.id}`).send({ role: 'researcher' }).expect(200);
      const admin = await t.as('admin').get(`/api/audit?entity=users&id=${u.id}`).expect(200);
      expect(admin.body.items).toEqual([
        expect.objectContaining({ action: 'update', entityId: u.id }),
      ]);
      const refused = await t.as('reviewer').get('/api/audit?entity=users').expect(403);
      expect(refused.body.errors).toEqual([{ field: 'entity', reason: 'admins only' }]);
      const all = await t.as('reviewer').get(`/api/audit?id=${u.id}`).expect(200);
      expect(all.body.items).toEqual([]);
      const recent = await t.as('researcher').get('/api/audit?limit=200').expect(200);
      expect(
        (recent.body.items as Entry[]).filter((e) => ['users', 'api_tokens'].includes(e.entity)),
      ).toEqual([]);
    });

    it('is for researchers and above', async () => {
      await t.as('viewer').get('/api/audit').expect(403);
      await t.anon().get('/api/audit').expect(401);
    });

    it.each([
      ['a bad cursor', 'cursor=abc', 'cursor'],
      ['a negative cursor', 'cursor=-5', 'cursor'],
      ['a limit out of range', 'limit=0', 'limit'],
      ['a limit above the maximum', 'limit=201', 'limit'],
      ['a limit of the wrong type', 'limit=ten', 'limit'],
      ['a bad record id', 'id=42', 'id'],
      ['a bad actor id', 'actor=someone', 'actor'],
      ['an unknown action', 'action=rewrite', 'action'],
      ['a malformed entity', 'entity=Robert%27);DROP', 'entity'],
      ['an unknown parameter', 'sort=asc', 'sort'],
    ])('refuses %s with 400 naming the parameter', async (_n, qs, field) => {
      const res = await t.as('researcher').get(`/api/audit?${qs}`).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('history endpoints', () => {
    it('serve a source’s history, and keep it after the source is deleted', async () => {
      const { body: s } = await t.http().post('/api/sources').send(buildSource()).expect(201);
      await t
        .http()
        .patch(`/api/sources/${s.id}`)
        .send({ version: 1, reliability: 'D' })
        .expect(200);
      await t.http().delete(`/api/sources/${s.id}?version=2`).expect(204);
      const res = await t.as('researcher').get(`/api/sources/${s.id}/history`).expect(200);
      expect((res.body.items as Entry[]).map((e) => e.action)).toEqual([
        'delete',
        'update',
        'create',
      ]);
      expect(res.body.items[0].before).toMatchObject({ reliability: 'D', version: 2 });
    });

    it('serve a claim’s status moves with their reasons', async () => {
      await t
        .as('reviewer')
        .post(`/api/claims/${SEED.claims.reutersRange}/status`)
        .send({ to: 'disputed', reason: 'anonymous officials only', version: 1 })
        .expect(200);
      const res = await t
        .as('researcher')
        .get(`/api/claims/${SEED.claims.reutersRange}/history?limit=1`)
        .expect(200);
      expect(res.body.items).toEqual([
        expect.objectContaining({
          action: 'status',
          before: { status: 'submitted', version: 1 },
          after: { status: 'disputed', version: 2 },
          reason: 'anonymous officials only',
        }),
      ]);
      expect(res.body.nextCursor).toEqual(expect.any(String));
      const older = await t
        .as('researcher')
        .get(`/api/claims/${SEED.claims.reutersRange}/history?cursor=${res.body.nextCursor}`)
        .expect(200);
      expect(older.body.items.map((e: Entry) => e.action)).toEqual(['create']);
    });

    it.each([
      ['sources', SEED.sources.reuters],
      ['locations', SEED.iran],
      ['incidents', SEED.incident],
      ['attestations', SEED.incidentAttestation],
      ['claims', SEED.claims.detainedThousands],
    ])('serve the %s history of a seeded record', async (kind, id) => {
      const res = await t.as('researcher').get(`/api/${kind}/${id}/history`).expect(200);
      expect(res.body.items.at(-1)).toMatchObject({
        action: 'create',
        entityId: id,
        reason: 'seed',
      });
    });

    it.each([['sources'], ['locations'], ['incidents'], ['victims'], ['attestations'], ['claims']])(
      'answer %s: 404 for a record that never was, 400 for a bad id, 403 for a viewer',
      async (kind) => {
        expect(
          (await t.as('researcher').get(`/api/${kind}/${MISSING}/history`).expect(404)).body.code,
        ).toBe('not_found');
        expect(
          (await t.as('researcher').get(`/api/${kind}/nope/history`).expect(400)).body.errors[0]
            .field,
        ).toBe('id');
        await t.as('viewer').get(`/api/${kind}/${MISSING}/history`).expect(403);
      },
    );
  });
});
