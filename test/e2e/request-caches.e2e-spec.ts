import { SEED } from '../../seed/seed.js';
import { createTestApp, type TestApp } from '../setup/app.js';

/**
 * On the PostgreSQL server the service keeps accepted tokens and resolved place names between
 * requests (src/common/change-feed.ts); a change written anywhere (here: another connection, as
 * the CLI or psql would) reaches it by a notification after the commit, not in the same instant.
 * So these ask again until the answer changes, up to a bound far above the time a notification
 * takes, and say what they got when it never does. On the embedded engine nothing is kept and
 * the first answer is already the new one.
 */
async function eventually<T>(ask: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  let last = await ask();
  for (let i = 0; i < 50 && !done(last); i++) {
    await new Promise((r) => setTimeout(r, 100));
    last = await ask();
  }
  return last;
}

describe('what the service keeps between requests follows changes made elsewhere', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses a token revoked by another connection after it was used, with its reason', async () => {
    const u = await t.createUser('researcher');
    await u.http().get('/api/sources').expect(200);
    await u.http().get('/api/sources').expect(200);
    await t.ds.query(`UPDATE api_tokens SET revoked_at = now() WHERE id = $1`, [u.tokenId]);
    const res = await eventually(
      () => u.http().get('/api/sources'),
      (r) => r.status !== 200,
    );
    expect(res.status).toBe(401);
    expect(res.body.errors).toEqual([{ field: 'authorization', reason: 'revoked' }]);
  });

  it('applies a role lowered by another connection, and a disabled account', async () => {
    const u = await t.createUser('researcher');
    await u.http().get('/api/sources').expect(200);
    await t.ds.query(`UPDATE users SET role = 'viewer' WHERE id = $1`, [u.id]);
    const lowered = await eventually(
      () => u.http().post('/api/sources').send({ kind: 'report', title: 'cached role' }),
      (r) => r.status !== 201,
    );
    expect(lowered.status).toBe(403);
    expect(lowered.body.errors).toEqual([{ field: 'role', reason: 'needs researcher or above' }]);
    await t.ds.query(`UPDATE users SET disabled_at = now() WHERE id = $1`, [u.id]);
    const disabled = await eventually(
      () => u.http().get('/api/sources'),
      (r) => r.status !== 200,
    );
    expect(disabled.body.errors).toEqual([{ field: 'authorization', reason: 'disabled' }]);
  });

  it('reads a place name that another connection moved to another place as the new place', async () => {
    const [a, b] = await t.ds.query<{ id: string }[]>(
      `SELECT id FROM locations WHERE kind = 'city' AND id <> $1 ORDER BY name_en LIMIT 2`,
      [SEED.iran],
    );
    const ask = (): Promise<{ status: number; body: { location?: { id: string } } }> =>
      t.http().get('/api/victims?location=qqqcachedname');
    await t.ds.query(
      `UPDATE locations SET names_norm = names_norm || '{qqqcachedname}' WHERE id = $1`,
      [a.id],
    );
    const first = await eventually(ask, (r) => r.status === 200);
    expect(first.status).toBe(200);
    expect(first.body.location?.id).toBe(a.id);
    await t.http().get('/api/victims?location=qqqcachedname').expect(200);
    await t.ds.query(
      `UPDATE locations SET names_norm = array_remove(names_norm, 'qqqcachedname') WHERE id = $1`,
      [a.id],
    );
    await t.ds.query(
      `UPDATE locations SET names_norm = names_norm || '{qqqcachedname}' WHERE id = $1`,
      [b.id],
    );
    const moved = await eventually(ask, (r) => r.body.location?.id !== a.id);
    expect(moved.status).toBe(200);
    expect(moved.body.location?.id).toBe(b.id);
  });
});
