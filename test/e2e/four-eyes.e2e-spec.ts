import { SEED } from '../../seed/seed.js';
import { importClaimRecords } from '../../src/imports/claims-import.js';
import { importVictimRecords } from '../../src/imports/victims-import.js';
import { createSource } from '../factories/index.js';
import { buildOwnVictim } from '../factories/imports.js';
import {
  insertAttestation,
  insertClaim,
  insertIncident,
  insertVictim,
} from '../factories/workflow.js';
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

    it('refuses the same from the command line’s import (the shared import functions)', async () => {
      for (const run of [importVictimRecords, importClaimRecords]) {
        await expect(run(t.ds, [], { status: 'verified' })).rejects.toMatchObject({
          code: 'validation',
          details: {
            errors: [{ field: 'status', reason: expect.stringContaining('draft or submitted') }],
          },
        });
      }
    });

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
      const rule = 'status column ignored: an import never verifies, disputes or retracts';
      expect(res.body.warnedRows).toBe(4);
      expect(res.body.warningsByReason).toEqual([{ text: rule, rows: 4 }]);
      expect(
        (res.body.warnings as { field: string; line: number; reason: string }[]).map((w) => [
          w.field,
          w.line,
          w.reason.includes('imported as submitted'),
        ]),
      ).toEqual([
        ['status', 1, true],
        ['status', 2, true],
        ['status', 3, true],
        ['status', 4, true],
      ]);
      expect(res.body.summary.join('\n')).toContain('4 imported row(s) with warnings');
      expect(res.body.summary.join('\n')).toContain(`     4  ${rule}`);
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
      expect(res.body).toMatchObject({ imported: 1, warnings: [{ field: 'status' }] });
      const rows = await t.ds.query<{ status: string }[]>(
        `SELECT status FROM count_claims WHERE low = 99999`,
      );
      expect(rows).toEqual([{ status: 'draft' }]);
      const rec = await t.as('viewer').get('/api/reconciliation?category=killed').expect(200);
      expect(JSON.stringify(rec.body)).not.toContain('99999');
      expect(JSON.stringify(rec.body)).not.toContain('99,999');
    });
  });

  describe('an edit sends a verified record back for review', () => {
    const row = async (table: string, id: string) =>
      (
        await t.ds.query<{ status: string; version: number; editors: string[] }[]>(
          `SELECT status, version, editors_since_review AS editors FROM ${table} WHERE id = $1`,
          [id],
        )
      )[0];
    const demotions = async (id: string) =>
      t.ds.query<{ actor_id: string; before: object; after: object; reason: string }[]>(
        `SELECT actor_id, before, after, reason FROM audit_log
          WHERE entity_id = $1 AND action = 'status' ORDER BY id`,
        [id],
      );
    const verify = (role: 'reviewer' | 'admin', path: string, version: number) =>
      t.as(role).post(`${path}/status`).send({ to: 'verified', reason: 'checked', version });

    it('a victim whose name changes leaves public output until another reviewer verifies it', async () => {
      const v = await insertVictim(t.ds, { status: 'verified', nameEn: 'Navid' });
      await insertAttestation(t.ds, { victimId: v.id });
      await t.as('viewer').get(`/api/victims/${v.id}`).expect(200);

      const res = await t
        .as('researcher')
        .patch(`/api/victims/${v.id}`)
        .send({ version: 1, nameEn: 'Navid B.', age: 31 })
        .expect(200);
      expect(res.body).toMatchObject({ status: 'submitted', version: 2 });
      expect(await row('victims', v.id)).toEqual({
        status: 'submitted',
        version: 2,
        editors: [t.users.researcher.id],
      });
      expect(await demotions(v.id)).toEqual([
        {
          actor_id: t.users.researcher.id,
          before: { status: 'verified' },
          after: { status: 'submitted', version: 2 },
          reason: expect.stringMatching(/changed after verification \(.*nameEn.*age.*\)/),
        },
      ]);
      await t.as('viewer').get(`/api/victims/${v.id}`).expect(404);
      const list = await t.as('viewer').get(`/api/victims?limit=200`).expect(200);
      expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(v.id);

      await verify('reviewer', `/api/victims/${v.id}`, 2).expect(200);
      await t.as('viewer').get(`/api/victims/${v.id}`).expect(200);
      // The verification starts a new list of editors.
      expect((await row('victims', v.id)).editors).toEqual([]);
    });

    it('a reviewer who changed a claim’s figure may not verify it: 403 editor_cannot_verify', async () => {
      const c = await insertClaim(t.ds, { status: 'verified', low: 304 });
      await t
        .as('reviewer')
        .patch(`/api/claims/${c.id}`)
        .send({ version: 1, low: 99999 })
        .expect(200);
      expect(await row('count_claims', c.id)).toMatchObject({ status: 'submitted', version: 2 });
      const refused = await verify('reviewer', `/api/claims/${c.id}`, 2).expect(403);
      expect(refused.body).toMatchObject({
        code: 'forbidden',
        rule: 'editor_cannot_verify',
        errors: [{ field: 'to', reason: expect.stringContaining('changed this record') }],
      });
      // Not through a dispute either: disputing is a review, but verifying it then is still theirs.
      await t
        .as('reviewer')
        .post(`/api/claims/${c.id}/status`)
        .send({ to: 'disputed', reason: 'doubt', version: 2 })
        .expect(200);
      await verify('reviewer', `/api/claims/${c.id}`, 3).expect(403);
      await verify('admin', `/api/claims/${c.id}`, 3).expect(200);
      expect(await row('count_claims', c.id)).toMatchObject({ status: 'verified', editors: [] });
    });

    it('an incident whose date changes goes back to submitted; a change of internal notes only does not', async () => {
      const i = await insertIncident(t.ds, { status: 'verified' });
      await t
        .as('researcher')
        .patch(`/api/incidents/${i.id}`)
        .send({ version: 1, internalNotes: 'call back the witness' })
        .expect(200);
      expect(await row('incidents', i.id)).toEqual({ status: 'verified', version: 2, editors: [] });
      await t
        .as('researcher')
        .patch(`/api/incidents/${i.id}`)
        .send({ version: 2, date: '1398-08-26 SH' })
        .expect(200);
      expect(await row('incidents', i.id)).toEqual({
        status: 'submitted',
        version: 3,
        editors: [t.users.researcher.id],
      });
      await t.as('viewer').get(`/api/incidents/${i.id}`).expect(404);
    });

    it('adding, changing or removing an attestation of a verified victim is an edit of it', async () => {
      const v = await insertVictim(t.ds, { status: 'verified' });
      const first = await insertAttestation(t.ds, { victimId: v.id });
      const added = await t
        .as('reviewer')
        .post('/api/attestations')
        .send({ victimId: v.id, sourceId: SEED.sources.reuters, credibility: 3 })
        .expect(201);
      expect(await row('victims', v.id)).toEqual({
        status: 'submitted',
        version: 2,
        editors: [t.users.reviewer.id],
      });
      expect((await demotions(v.id)).map((d) => d.reason)).toEqual([
        expect.stringContaining('attestation added'),
      ]);
      await verify('reviewer', `/api/victims/${v.id}`, 2).expect(403);
      await verify('admin', `/api/victims/${v.id}`, 2).expect(200);

      await t
        .as('researcher')
        .patch(`/api/attestations/${added.body.id}`)
        .send({ version: 1, credibility: 5 })
        .expect(200);
      expect(await row('victims', v.id)).toMatchObject({ status: 'submitted', version: 4 });
      await verify('reviewer', `/api/victims/${v.id}`, 4).expect(200);

      await t.as('reviewer').delete(`/api/attestations/${first.id}?version=1`).expect(204);
      expect(await row('victims', v.id)).toMatchObject({
        status: 'submitted',
        version: 6,
        editors: [t.users.reviewer.id],
      });
      expect((await demotions(v.id)).at(-1)?.reason).toContain(`attestation ${first.id} removed`);
    });
  });

  describe('DELETE: researchers delete their own drafts; everything else is retracted', () => {
    const exists = async (table: string, id: string): Promise<boolean> =>
      (await t.ds.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id])).length === 1;
    const me = () => t.users.researcher.id;

    it.each([
      ['victims', 'victim'],
      ['incidents', 'incident'],
      ['claims', 'claim'],
    ] as const)(
      '%s: own draft 204; own submitted or someone else’s verified 403 retract_instead; an admin may',
      async (path, label) => {
        const table = path === 'claims' ? 'count_claims' : path;
        const make = (status: string, createdBy: string | null) =>
          path === 'victims'
            ? insertVictim(t.ds, { status, createdBy })
            : path === 'incidents'
              ? insertIncident(t.ds, { status, createdBy })
              : insertClaim(t.ds, { status, createdBy });
        const draft = await make('draft', me());
        await t.as('researcher').delete(`/api/${path}/${draft.id}?version=1`).expect(204);
        expect(await exists(table, draft.id)).toBe(false);

        const ownSubmitted = await make('submitted', me());
        const othersVerified = await make('verified', t.users.reviewer.id);
        const othersDraft = await make('draft', t.users.reviewer.id);
        for (const [row, why] of [
          [ownSubmitted, 'no longer a draft'],
          [othersVerified, 'created by someone else'],
          [othersDraft, 'created by someone else'],
        ] as const) {
          const res = await t
            .as('researcher')
            .delete(`/api/${path}/${row.id}?version=1`)
            .expect(403);
          expect(res.body).toMatchObject({
            code: 'forbidden',
            rule: 'retract_instead',
            message: expect.stringContaining(`POST /api/${path}/${row.id}/status`),
            errors: [{ field: 'id', reason: expect.stringContaining(why) }],
          });
          expect(res.body.message).toContain(label);
          expect(await exists(table, row.id)).toBe(true);
        }
        // A reviewer retracts; only an admin erases.
        await t.as('reviewer').delete(`/api/${path}/${othersVerified.id}?version=1`).expect(403);
        await t.as('admin').delete(`/api/${path}/${othersVerified.id}?version=1`).expect(204);
        expect(await exists(table, othersVerified.id)).toBe(false);
        const [erased] = await t.ds.query<{ actor_id: string }[]>(
          `SELECT actor_id FROM audit_log WHERE entity_id = $1 AND action = 'delete'`,
          [othersVerified.id],
        );
        expect(erased).toEqual({ actor_id: t.users.admin.id });
      },
    );

    it('attestations: the researcher who made one while its record is a draft, or a reviewer', async () => {
      const v = await insertVictim(t.ds, { status: 'draft', createdBy: me() });
      await insertAttestation(t.ds, { victimId: v.id });
      const mine = await insertAttestation(
        t.ds,
        { victimId: v.id },
        { sourceId: SEED.sources.reuters, createdBy: me() },
      );
      const theirs = await insertAttestation(
        t.ds,
        { victimId: v.id },
        { sourceId: SEED.sources.jointStatement, createdBy: t.users.reviewer.id },
      );
      const refused = await t
        .as('researcher')
        .delete(`/api/attestations/${theirs.id}?version=1`)
        .expect(403);
      expect(refused.body).toMatchObject({ code: 'forbidden', rule: 'retract_instead' });
      await t.as('researcher').delete(`/api/attestations/${mine.id}?version=1`).expect(204);

      const s = await insertVictim(t.ds, { status: 'submitted', createdBy: me() });
      await insertAttestation(t.ds, { victimId: s.id });
      const late = await insertAttestation(
        t.ds,
        { victimId: s.id },
        { sourceId: SEED.sources.reuters, createdBy: me() },
      );
      const res = await t
        .as('researcher')
        .delete(`/api/attestations/${late.id}?version=1`)
        .expect(403);
      expect(res.body.errors[0].reason).toContain('submitted, no longer a draft');
      await t.as('reviewer').delete(`/api/attestations/${late.id}?version=1`).expect(204);
    });

    it('sources: whoever recorded it, or a reviewer', async () => {
      const mine = await createSource(t.ds, { createdBy: me() });
      const theirs = await createSource(t.ds, { createdBy: t.users.reviewer.id });
      const res = await t
        .as('researcher')
        .delete(`/api/sources/${theirs.id}?version=1`)
        .expect(403);
      expect(res.body).toMatchObject({ code: 'forbidden', requiredRole: 'reviewer' });
      await t.as('researcher').delete(`/api/sources/${mine.id}?version=1`).expect(204);
      await t.as('reviewer').delete(`/api/sources/${theirs.id}?version=1`).expect(204);
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
