import { SEED } from '../../seed/seed.js';
import { createSource } from '../factories/index.js';
import { buildOwnVictim } from '../factories/imports.js';
import { createTestApp, resetDatabase, type TestApp } from '../setup/app.js';

// Imports on the embedded engine, on a busy machine, take seconds.
jest.setTimeout(120_000);

/**
 * Four eyes, really: nothing reaches publication (verified) without a reviewer other than
 * everyone who made or changed it, and nothing reviewed is silently deleted (issue 17).
 */
describe('four eyes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const statuses = async (table: string): Promise<string[]> =>
    (await t.ds.query<{ status: string }[]>(`SELECT status FROM ${table} ORDER BY status`)).map(
      (r) => r.status,
    );

  describe('imports never verify', () => {
    beforeEach(() => resetDatabase(t.ds));

    it.each(['verified', 'disputed', 'retracted'])(
      'refuses ?status=%s with 400 naming status, writing nothing',
      async (status) => {
        const res = await t
          .as('researcher')
          .post(`/api/imports?kind=victims&status=${status}`)
          .send([buildOwnVictim({ status: 'draft' })])
          .expect(400);
        expect(res.body).toMatchObject({
          code: 'validation',
          errors: [{ field: 'status', reason: expect.stringContaining('draft, submitted') }],
        });
        expect(await statuses('victims')).toEqual([]);
      },
    );

    it('ignores a status column that says verified, disputed or retracted, with a warning', async () => {
      const rows = ['verified', 'Verified ', 'disputed', 'retracted', 'submitted', 'draft'].map(
        (status, i) =>
          buildOwnVictim({
            name_fa: `نام ${i}`,
            status,
            attestations: [{ source_url: 'https://example.org/at-least-99999', credibility: 2 }],
          }),
      );
      const res = await t
        .as('researcher')
        .post('/api/imports?kind=victims&status=submitted')
        .send(rows)
        .expect(201);
      expect(res.body).toMatchObject({ read: 6, imported: 6, rejected: 0 });
      expect(res.body.warnings).toEqual([
        { field: 'status', text: expect.stringContaining('imported as submitted'), rows: 4 },
      ]);
      expect(res.body.summary.join('\n')).toContain('Warning: 4 row(s): status column ignored');
      expect(await statuses('victims')).toEqual([
        'draft',
        'submitted',
        'submitted',
        'submitted',
        'submitted',
        'submitted',
      ]);
      // Nothing of it is published: a viewer sees none of it.
      const seen = await t.as('viewer').get('/api/victims?limit=50').expect(200);
      expect(seen.body.items).toEqual([]);
    });

    it('imports claims saying "at least 99,999 killed, verified" as drafts', async () => {
      const csv =
        'source_id,category,qualifier,low,basis,status,credibility\n' +
        `${SEED.sources.amnesty},killed,at_least,99999,estimate,verified,2\n`;
      const res = await t
        .as('researcher')
        .post('/api/imports?kind=claims')
        .set('Content-Type', 'text/csv')
        .send(csv)
        .expect(201);
      expect(res.body).toMatchObject({ imported: 1, warnings: [{ field: 'status', rows: 1 }] });
      const rows = await t.ds.query<{ status: string }[]>(
        `SELECT status FROM count_claims WHERE low = 99999`,
      );
      expect(rows).toEqual([{ status: 'draft' }]);
      const rec = await t.as('viewer').get('/api/reconciliation?category=killed').expect(200);
      expect(JSON.stringify(rec.body)).not.toContain('99999');
      expect(JSON.stringify(rec.body)).not.toContain('99,999');
    });
  });

  describe('making a restricted source public', () => {
    it('is a reviewer’s decision: a researcher gets 403 naming restricted, a reviewer’s is audited', async () => {
      const s = await createSource(t.ds, { restricted: true, title: 'Witness W-3' });
      const refused = await t
        .as('researcher')
        .patch(`/api/sources/${s.id}`)
        .send({ version: 1, restricted: false })
        .expect(403);
      expect(refused.body).toMatchObject({
        code: 'forbidden',
        requiredRole: 'reviewer',
        errors: [{ field: 'restricted', reason: expect.stringContaining('reviewer') }],
      });
      const [still] = await t.ds.query<{ restricted: boolean; version: number }[]>(
        `SELECT restricted, version FROM sources WHERE id = $1`,
        [s.id],
      );
      expect(still).toEqual({ restricted: true, version: 1 });
      // A researcher may still edit it otherwise, and restrict a source.
      await t
        .as('researcher')
        .patch(`/api/sources/${s.id}`)
        .send({ version: 1, title: 'Witness W-3 (interview)', restricted: true })
        .expect(200);

      const done = await t
        .as('reviewer')
        .patch(`/api/sources/${s.id}`)
        .send({ version: 2, restricted: false })
        .expect(200);
      expect(done.body.restricted).toBe(false);
      const audit = await t.ds.query<
        { actor_id: string; before: { restricted: boolean }; after: { restricted: boolean } }[]
      >(
        `SELECT actor_id, before, after, reason FROM audit_log
          WHERE entity = 'sources' AND entity_id = $1 AND action = 'update' ORDER BY id DESC LIMIT 1`,
        [s.id],
      );
      expect(audit[0]).toMatchObject({
        actor_id: t.users.reviewer.id,
        before: { restricted: true },
        after: { restricted: false },
        reason: 'restricted source made public',
      });
    });
  });
});
