import request from 'supertest';
import { SEED } from '../../seed/seed.js';
import { hashToken } from '../../src/users/token-secret.js';
import { createSource } from '../factories/index.js';
import { createTestApp, type TestApp } from '../setup/app.js';

const MISSING = '00000000-0000-4000-8000-000000000000';
const n = async (t: TestApp, sql: string, params: unknown[] = []): Promise<number> =>
  (await t.ds.query<{ n: number }[]>(sql, params))[0].n;

describe('accounts, tokens and the guard', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('the guard', () => {
    it('answers a request without a token with 401 and says so', async () => {
      const res = await t.anon().get('/api/sources').expect(401);
      expect(res.body).toMatchObject({
        statusCode: 401,
        code: 'unauthorized',
        errors: [{ field: 'authorization', reason: 'missing' }],
      });
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });

    it.each([
      ['a malformed header', 'Token abc', 'malformed'],
      ['a token of the wrong shape', 'Bearer clt_not-a-token', 'invalid'],
      ['an unknown token', `Bearer clt_${'A'.repeat(43)}`, 'invalid'],
    ])('refuses %s with 401 without echoing it', async (_name, header, reason) => {
      const res = await t.anon().get('/api/sources').set('Authorization', header).expect(401);
      expect(res.body.errors).toEqual([{ field: 'authorization', reason }]);
      expect(JSON.stringify(res.body)).not.toContain(header.replace(/^\w+ /, ''));
      expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    });

    it('refuses an expired token, a revoked one and a disabled account, each with its reason', async () => {
      const u = await t.createUser('researcher');
      await t.ds.query(
        `UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [u.tokenId],
      );
      const expired = await u.http().get('/api/sources').expect(401);
      expect(expired.body.errors).toEqual([{ field: 'authorization', reason: 'expired' }]);
      expect(JSON.stringify(expired.body)).not.toContain(u.token);

      const v = await t.createUser('researcher');
      await t.http().delete(`/api/tokens/${v.tokenId}`).expect(200);
      const revoked = await v.http().get('/api/sources').expect(401);
      expect(revoked.body.errors).toEqual([{ field: 'authorization', reason: 'revoked' }]);

      const w = await t.createUser('researcher');
      await t.http().patch(`/api/users/${w.id}`).send({ disabled: true }).expect(200);
      const disabled = await w.http().get('/api/sources').expect(401);
      expect(disabled.body.errors).toEqual([{ field: 'authorization', reason: 'disabled' }]);
      await t.http().patch(`/api/users/${w.id}`).send({ disabled: false }).expect(200);
      await w.http().get('/api/sources').expect(200);
    });

    it('answers an insufficient role with 403 naming the role needed', async () => {
      const res = await t
        .as('viewer')
        .post('/api/sources')
        .send({ kind: 'report', title: 'x' })
        .expect(403);
      expect(res.body).toMatchObject({
        code: 'forbidden',
        requiredRole: 'researcher',
        errors: [{ field: 'role', reason: 'needs researcher or above' }],
      });
      expect(await n(t, `SELECT count(*)::int AS n FROM sources WHERE title = 'x'`)).toBe(0);
    });

    it('records when a token was last used', async () => {
      const u = await t.createUser('viewer');
      await u.http().get('/api/me').expect(200);
      const [row] = await t.ds.query<{ last_used_at: Date | null }[]>(
        `SELECT last_used_at FROM api_tokens WHERE id = $1`,
        [u.tokenId],
      );
      expect(row.last_used_at).toBeInstanceOf(Date);
      expect(Date.now() - row.last_used_at!.getTime()).toBeLessThan(60_000);
    });

    it('serves /health and the docs without a token', async () => {
      await t.anon().get('/health').expect(200);
      const docs = await t.anon().get('/api/docs-json').expect(200);
      expect(docs.body.paths['/api/users']).toBeDefined();
      await t.anon().get('/api/docs').expect(200);
    });

    it('sets the security headers (helmet)', async () => {
      const res = await t.anon().get('/health').expect(200);
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'strict-transport-security': expect.stringContaining('max-age='),
        'referrer-policy': 'no-referrer',
      });
      expect(res.headers['x-powered-by']).toBeUndefined();
    });
  });

  describe('users API (admin)', () => {
    it('creates a user, lists it, and refuses a second account with the same email', async () => {
      const res = await t
        .http()
        .post('/api/users')
        .send({ name: 'Shirin', email: 'Shirin@Example.org', role: 'researcher' })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        name: 'Shirin',
        email: 'Shirin@Example.org',
        role: 'researcher',
        disabled: false,
        disabledAt: null,
        hasPassword: false,
        createdAt: expect.any(String),
      });
      const list = await t.http().get('/api/users?role=researcher').expect(200);
      expect(list.body.items.map((u: { id: string }) => u.id)).toContain(res.body.id);
      expect(list.body.items.every((u: { role: string }) => u.role === 'researcher')).toBe(true);
      const dup = await t
        .http()
        .post('/api/users')
        .send({ name: 'Other', email: 'shirin@example.ORG', role: 'viewer' })
        .expect(409);
      expect(dup.body).toMatchObject({
        code: 'conflict',
        errors: [{ field: 'email', reason: 'already in use' }],
      });
      const audit = await t.ds.query<
        {
          action: string;
          actor_id: string;
          after: Record<string, unknown>;
        }[]
      >(`SELECT action, actor_id, after FROM audit_log WHERE entity = 'users' AND entity_id = $1`, [
        res.body.id,
      ]);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: 'create', actor_id: t.users.admin.id });
      expect(audit[0].after).not.toHaveProperty('passwordHash');
    });

    it('changes a role and disables an account, audited', async () => {
      const { body: u } = await t
        .http()
        .post('/api/users')
        .send({ name: 'Promoted', role: 'viewer' })
        .expect(201);
      const res = await t
        .http()
        .patch(`/api/users/${u.id}`)
        .send({ role: 'reviewer', disabled: true })
        .expect(200);
      expect(res.body).toMatchObject({
        role: 'reviewer',
        disabled: true,
        disabledAt: expect.any(String),
      });
      const rows = await t.ds.query<object[]>(
        `SELECT action, before->>'role' AS b, after->>'role' AS a FROM audit_log WHERE entity_id = $1 ORDER BY id`,
        [u.id],
      );
      expect(rows).toEqual([
        { action: 'create', b: null, a: 'viewer' },
        { action: 'update', b: 'viewer', a: 'reviewer' },
      ]);
    });

    it('keeps the last enabled admin', async () => {
      const admins = await n(
        t,
        `SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL`,
      );
      expect(admins).toBe(1);
      const res = await t
        .http()
        .patch(`/api/users/${t.users.admin.id}`)
        .send({ role: 'reviewer' })
        .expect(409);
      expect(res.body.errors[0]).toMatchObject({ field: 'role' });
      await t.http().patch(`/api/users/${t.users.admin.id}`).send({ disabled: true }).expect(409);
      const [row] = await t.ds.query<object[]>(
        `SELECT role, disabled_at FROM users WHERE id = $1`,
        [t.users.admin.id],
      );
      expect(row).toEqual({ role: 'admin', disabled_at: null });
    });

    it('answers /api/me with the account behind the token', async () => {
      const res = await t.as('reviewer').get('/api/me').expect(200);
      expect(res.body).toMatchObject({ id: t.users.reviewer.id, role: 'reviewer' });
    });

    describe('bad input', () => {
      it.each([
        ['a wrong type', { name: 42, role: 'viewer' }, 'name'],
        ['an unknown field', { name: 'A', role: 'viewer', isAdmin: true }, 'isAdmin'],
        ['an unknown role', { name: 'A', role: 'superuser' }, 'role'],
        ['a bad email', { name: 'A', role: 'viewer', email: 'not-an-email' }, 'email'],
        ['a missing name', { role: 'viewer' }, 'name'],
        ['an empty name', { name: '  ', role: 'viewer' }, 'name'],
      ])('refuses %s with 400 naming the field, writing nothing', async (_n, body, field) => {
        const before = await n(t, 'SELECT count(*)::int AS n FROM users');
        const res = await t.http().post('/api/users').send(body).expect(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
        expect(await n(t, 'SELECT count(*)::int AS n FROM users')).toBe(before);
      });

      it('answers a bad UUID with 400 and an unknown user with 404', async () => {
        expect(
          (await t.http().patch('/api/users/nope').send({ role: 'viewer' }).expect(400)).body
            .errors[0].field,
        ).toBe('id');
        expect(
          (await t.http().patch(`/api/users/${MISSING}`).send({ role: 'viewer' }).expect(404)).body
            .code,
        ).toBe('not_found');
        expect(
          (await t.http().post(`/api/users/${MISSING}/tokens`).send({}).expect(404)).body.code,
        ).toBe('not_found');
        expect((await t.http().delete(`/api/tokens/${MISSING}`).expect(404)).body.code).toBe(
          'not_found',
        );
      });

      it('refuses a non-boolean disabled and an out-of-range expiry', async () => {
        const a = await t
          .http()
          .patch(`/api/users/${t.users.viewer.id}`)
          .send({ disabled: 'yes' })
          .expect(400);
        expect(a.body.errors[0].field).toBe('disabled');
        for (const expiresInDays of [0, 3651, 1.5, '30']) {
          const b = await t
            .http()
            .post(`/api/users/${t.users.viewer.id}/tokens`)
            .send({ expiresInDays })
            .expect(400);
          expect(b.body.errors[0].field).toBe('expiresInDays');
        }
        expect(
          await n(t, `SELECT count(*)::int AS n FROM api_tokens WHERE user_id = $1`, [
            t.users.viewer.id,
          ]),
        ).toBe(1);
      });
    });
  });

  describe('tokens', () => {
    it('issues a token shown once, stored only as its SHA-256, that works at once', async () => {
      const { body: u } = await t
        .http()
        .post('/api/users')
        .send({ name: 'Tokened', role: 'researcher' })
        .expect(201);
      const res = await t
        .http()
        .post(`/api/users/${u.id}/tokens`)
        .send({ name: 'laptop', expiresInDays: 7 })
        .expect(201);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toMatchObject({
        userId: u.id,
        name: 'laptop',
        state: 'active',
        revokedAt: null,
        lastUsedAt: null,
      });
      expect(res.body.token).toMatch(/^clt_[A-Za-z0-9_-]{43}$/);
      expect(res.body.prefix).toBe(res.body.token.slice(0, 12));
      const days = (new Date(res.body.expiresAt).getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.99);
      expect(days).toBeLessThanOrEqual(7);

      const stored = await t.ds.query<Record<string, unknown>[]>(
        `SELECT * FROM api_tokens WHERE id = $1`,
        [res.body.id],
      );
      expect(stored[0].token_hash).toBe(hashToken(res.body.token));
      expect(JSON.stringify(stored)).not.toContain(res.body.token);
      const audit = await t.ds.query<object[]>(
        `SELECT before, after FROM audit_log WHERE entity_id = $1`,
        [res.body.id],
      );
      expect(JSON.stringify(audit)).not.toContain(res.body.token);
      expect(JSON.stringify(audit)).not.toContain(stored[0].token_hash as string);

      const me = await request(t.app.getHttpServer())
        .get('/api/me')
        .set('Authorization', `Bearer ${res.body.token}`)
        .expect(200);
      expect(me.body.id).toBe(u.id);

      const listed = await t.http().get(`/api/users/${u.id}/tokens`).expect(200);
      expect(listed.body).toHaveLength(1);
      expect(listed.body[0]).not.toHaveProperty('token');
      expect(JSON.stringify(listed.body)).not.toContain(res.body.token);
    });

    it('uses the default lifetime when none is given', async () => {
      const res = await t
        .http()
        .post(`/api/users/${t.users.viewer.id}/tokens`)
        .send({})
        .expect(201);
      const days = (new Date(res.body.expiresAt).getTime() - Date.now()) / 86_400_000;
      expect(Math.round(days)).toBe(t.config.tokenDefaultDays);
      expect(res.body.name).toBe('api');
      await t.http().delete(`/api/tokens/${res.body.id}`).expect(200);
    });

    it('lets a user list and revoke their own tokens, not anyone else’s', async () => {
      const me = await t.createUser('viewer');
      const other = await t.createUser('viewer');
      const own = await me.http().get(`/api/users/${me.id}/tokens`).expect(200);
      expect(own.body.map((x: { id: string }) => x.id)).toEqual([me.tokenId]);
      // Someone else's account or token answers exactly as an id that names nothing: the
      // answer never tells which ids exist.
      const alike = async (real: string, path: (id: string) => string, del: boolean) => {
        const ask = (id: string) => (del ? me.http().delete(path(id)) : me.http().get(path(id)));
        const [a, b] = [await ask(real), await ask(MISSING)];
        expect(a.status).toBe(404);
        expect({ status: b.status, body: b.body }).toEqual({
          status: a.status,
          body: JSON.parse(JSON.stringify(a.body).replaceAll(real, MISSING)),
        });
      };
      await alike(other.id, (id) => `/api/users/${id}/tokens`, false);
      await alike(other.tokenId, (id) => `/api/tokens/${id}`, true);
      await other.http().get('/api/me').expect(200);

      const revoked = await me.http().delete(`/api/tokens/${me.tokenId}`).expect(200);
      expect(revoked.body).toMatchObject({
        id: me.tokenId,
        state: 'revoked',
        revokedAt: expect.any(String),
      });
      await me.http().get('/api/me').expect(401);
      // Revoking again changes nothing and writes no second audit entry.
      await t.http().delete(`/api/tokens/${me.tokenId}`).expect(200);
      expect(
        await n(
          t,
          `SELECT count(*)::int AS n FROM audit_log WHERE entity = 'api_tokens' AND entity_id = $1`,
          [me.tokenId],
        ),
      ).toBe(1);
    });

    it('refuses a token for a disabled account', async () => {
      const u = await t.createUser('viewer');
      await t.http().patch(`/api/users/${u.id}`).send({ disabled: true }).expect(200);
      const res = await t.http().post(`/api/users/${u.id}/tokens`).send({}).expect(422);
      expect(res.body.errors[0].field).toBe('user');
      expect(
        await n(t, `SELECT count(*)::int AS n FROM api_tokens WHERE user_id = $1`, [u.id]),
      ).toBe(1);
    });
  });

  describe('public read (PUBLIC_READ)', () => {
    it('is off by default: reads need a token', async () => {
      expect(t.config.publicRead).toBe(false);
      await t.anon().get(`/api/sources/${SEED.sources.amnesty}`).expect(401);
    });

    it('when on, serves @PublicRead GET routes without a token, never writes nor restricted sources', async () => {
      const pub = await createTestApp({ publicRead: true });
      try {
        const hidden = await createSource(pub.ds, {
          title: 'Confidential informant',
          restricted: true,
        });
        const list = await pub.anon().get('/api/sources').expect(200);
        expect(list.body.items.map((s: { id: string }) => s.id)).not.toContain(hidden.id);
        expect(list.body.items[0]).not.toHaveProperty('internalNotes');
        await pub.anon().get(`/api/sources/${hidden.id}`).expect(404);
        await pub.anon().post('/api/sources').send({ kind: 'report', title: 'x' }).expect(401);
        await pub.anon().get('/api/users').expect(401);
        await pub.anon().get('/api/audit').expect(401);
        // A token still counts when sent: a researcher sees the restricted source.
        await pub.as('researcher').get(`/api/sources/${hidden.id}`).expect(200);
      } finally {
        await pub.close();
      }
    });
  });

  describe('CORS', () => {
    it('allows only the configured origins', async () => {
      const c = await createTestApp({ corsOrigins: ['https://research.example.org'] });
      try {
        const ok = await c
          .anon()
          .get('/health')
          .set('Origin', 'https://research.example.org')
          .expect(200);
        expect(ok.headers['access-control-allow-origin']).toBe('https://research.example.org');
        const no = await c
          .anon()
          .get('/health')
          .set('Origin', 'https://evil.example.com')
          .expect(200);
        expect(no.headers['access-control-allow-origin']).toBeUndefined();
      } finally {
        await c.close();
      }
      const none = await t
        .anon()
        .get('/health')
        .set('Origin', 'https://research.example.org')
        .expect(200);
      expect(none.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once failed authentications from an address exceed the limit', async () => {
    const t = await createTestApp({ rateLimitAuthPerMinute: 3 });
    try {
      const bad = `Bearer clt_${'B'.repeat(43)}`;
      for (let i = 0; i < 3; i++)
        await t.anon().get('/api/sources').set('Authorization', bad).expect(401);
      const res = await t.anon().get('/api/sources').set('Authorization', bad).expect(429);
      expect(res.body).toMatchObject({
        statusCode: 429,
        code: 'too_many_requests',
        retryAfter: expect.any(Number),
      });
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(20);
      // Missing tokens are not guesses and do not count; open routes stay open.
      await t.anon().get('/health').expect(200);
    } finally {
      await t.close();
    }
  });

  it('answers 429 once a token exceeds its writes per minute; reads and other tokens go on', async () => {
    const t = await createTestApp({ rateLimitWritesPerMinute: 2 });
    try {
      const body = { kind: 'report', title: 'Rate limited' };
      await t.as('researcher').post('/api/sources').send(body).expect(201);
      await t
        .as('researcher')
        .post('/api/sources')
        .send({ ...body, title: 'Rate limited 2' })
        .expect(201);
      const res = await t
        .as('researcher')
        .post('/api/sources')
        .send({ ...body, title: 'Rate limited 3' })
        .expect(429);
      expect(res.headers['retry-after']).toBe('30');
      expect(
        await n(t, `SELECT count(*)::int AS n FROM sources WHERE title LIKE 'Rate limited%'`),
      ).toBe(2);
      await t.as('researcher').get('/api/sources').expect(200);
      await t
        .as('reviewer')
        .post('/api/sources')
        .send({ ...body, title: 'Rate limited 4' })
        .expect(201);
    } finally {
      await t.close();
    }
  });
});
