import { SYSTEM_ACTOR } from '../../src/common/actor.js';
import { UsersService } from '../../src/users/users.service.js';
import { createTestApp, type TestApp } from '../setup/app.js';

const PASSWORD = 'correct horse battery staple';

describe('POST /api/auth/login (the web interface’s sign-in)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ rateLimitAuthPerMinute: 5 });
    await t.app.get(UsersService).setPassword(t.users.reviewer.email, PASSWORD, SYSTEM_ACTOR);
  });
  afterAll(() => t.close());

  it('gives a one-day token that works, is audited and signs out with DELETE /api/tokens/:id', async () => {
    const before = Date.now();
    const res = await t
      .anon()
      .post('/api/auth/login')
      .send({ email: t.users.reviewer.email.toUpperCase(), password: PASSWORD })
      .expect(200);
    expect(res.body).toMatchObject({
      token: expect.stringMatching(/^clt_/),
      tokenId: expect.any(String),
      user: { id: t.users.reviewer.id, role: 'reviewer', hasPassword: true },
    });
    expect(JSON.stringify(res.body.user)).not.toMatch(/passwordHash|scrypt/);
    const expires = Date.parse(res.body.expiresAt);
    expect(expires - before).toBeGreaterThan(23 * 3600_000);
    expect(expires - before).toBeLessThanOrEqual(24 * 3600_000 + 60_000);

    const token = res.body.token as string;
    const me = await t.anon().get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body).toMatchObject({ id: t.users.reviewer.id, role: 'reviewer' });

    const audit = await t.ds.query<{ entity: string; actor_id: string | null }[]>(
      `SELECT entity, actor_id FROM audit_log WHERE entity = 'api_tokens' AND entity_id = $1`,
      [res.body.tokenId],
    );
    expect(audit).toEqual([{ entity: 'api_tokens', actor_id: t.users.reviewer.id }]);

    await t
      .anon()
      .delete(`/api/tokens/${res.body.tokenId}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    const after = await t.anon().get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
    expect(after.body.errors).toEqual([{ field: 'authorization', reason: 'revoked' }]);
  });

  it('answers a wrong password and an unknown email alike, with 401 naming the field', async () => {
    const wrong = await t
      .anon()
      .post('/api/auth/login')
      .send({ email: t.users.reviewer.email, password: 'not the password at all' })
      .expect(401);
    const unknown = await t
      .anon()
      .post('/api/auth/login')
      .send({ email: 'nobody@example.org', password: PASSWORD })
      .expect(401);
    for (const r of [wrong, unknown]) {
      expect(r.body).toMatchObject({
        statusCode: 401,
        code: 'unauthorized',
        message: 'Wrong email or password',
        errors: [{ field: 'password', reason: 'wrong email or password' }],
      });
    }
  });

  it('refuses a malformed body with 400 naming each field', async () => {
    const res = await t.anon().post('/api/auth/login').send({ email: 'not-an-email' }).expect(400);
    const fields = new Set((res.body.errors as { field: string }[]).map((e) => e.field));
    expect([...fields].sort()).toEqual(['email', 'password']);
  });

  it('an account without a password cannot sign in, whatever it sends', async () => {
    await t
      .anon()
      .post('/api/auth/login')
      .send({ email: t.users.viewer.email, password: PASSWORD })
      .expect(401);
  });

  it('after too many failures from one address answers 429 with Retry-After', async () => {
    let last = 0;
    let retryAfter: string | undefined;
    for (let i = 0; i < 8 && last !== 429; i++) {
      const r = await t
        .anon()
        .post('/api/auth/login')
        .send({ email: t.users.reviewer.email, password: `wrong password ${i}` });
      last = r.status;
      retryAfter = r.headers['retry-after'];
    }
    expect(last).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
