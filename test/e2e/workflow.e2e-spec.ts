import { SEED } from '../../seed/seed.js';
import {
  insertAttestation,
  insertClaim,
  insertIncident,
  insertVictim,
} from '../factories/workflow.js';
import { createTestApp, type TestApp } from '../setup/app.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

interface AuditRow {
  action: string;
  actor_id: string | null;
  entity: string;
  before: object;
  after: object;
  reason: string;
}

describe('workflow', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const statusOf = async (
    table: string,
    id: string,
  ): Promise<{ status: string; version: number }> =>
    (
      await t.ds.query<
        {
          status: string;
          version: number;
        }[]
      >(`SELECT status, version FROM ${table} WHERE id = $1`, [id])
    )[0];
  const audit = async (id: string): Promise<AuditRow[]> =>
    await t.ds.query<AuditRow[]>(
      `SELECT action, actor_id, entity, before, after, reason FROM audit_log WHERE entity_id = $1 AND action = 'status' ORDER BY id`,
      [id],
    );

  it('publishes its transition table', async () => {
    const res = await t.as('viewer').get('/api/workflow').expect(200);
    expect(res.body.transitions).toContainEqual({
      from: 'submitted',
      to: 'verified',
      who: 'reviewer',
      meaning: expect.any(String),
    });
    expect(res.body.transitions).toHaveLength(11);
  });

  it('takes a victim from draft to submitted to verified, each move audited with its reason', async () => {
    const v = await insertVictim(t.ds, { createdBy: t.users.researcher.id });
    await insertAttestation(t.ds, { victimId: v.id });

    const sub = await t
      .as('researcher')
      .post(`/api/victims/${v.id}/status`)
      .send({ to: 'submitted', reason: 'entered from the Amnesty list', version: 1 })
      .expect(200);
    expect(sub.body).toEqual({
      id: v.id,
      kind: 'victims',
      previousStatus: 'draft',
      status: 'submitted',
      reason: 'entered from the Amnesty list',
      version: 2,
      updatedAt: expect.any(String),
      next: ['verified', 'disputed', 'retracted'],
    });

    const ver = await t
      .as('reviewer')
      .post(`/api/victims/${v.id}/status`)
      .send({ to: 'verified', reason: 'matches the death certificate', version: 2 })
      .expect(200);
    expect(ver.body).toMatchObject({
      previousStatus: 'submitted',
      status: 'verified',
      version: 3,
      next: ['disputed', 'retracted'],
    });
    expect(await statusOf('victims', v.id)).toEqual({ status: 'verified', version: 3 });
    expect(await audit(v.id)).toEqual([
      {
        action: 'status',
        actor_id: t.users.researcher.id,
        entity: 'victims',
        before: { status: 'draft', version: 1 },
        after: { status: 'submitted', version: 2 },
        reason: 'entered from the Amnesty list',
      },
      {
        action: 'status',
        actor_id: t.users.reviewer.id,
        entity: 'victims',
        before: { status: 'submitted', version: 2 },
        after: { status: 'verified', version: 3 },
        reason: 'matches the death certificate',
      },
    ]);
  });

  it('never lets a reviewer verify their own entry', async () => {
    const v = await insertVictim(t.ds, { createdBy: t.users.reviewer.id, status: 'submitted' });
    await insertAttestation(t.ds, { victimId: v.id });
    const res = await t
      .as('reviewer')
      .post(`/api/victims/${v.id}/status`)
      .send({ to: 'verified', reason: 'mine', version: 1 })
      .expect(403);
    expect(res.body).toMatchObject({
      code: 'forbidden',
      errors: [{ field: 'to', reason: 'you created this record' }],
    });
    expect(await statusOf('victims', v.id)).toEqual({ status: 'submitted', version: 1 });
    expect(await audit(v.id)).toEqual([]);
    // Another reviewer may.
    const other = await t.createUser('reviewer');
    await other
      .http()
      .post(`/api/victims/${v.id}/status`)
      .send({ to: 'verified', reason: 'checked', version: 1 })
      .expect(200);
  });

  it('refuses to verify a victim or incident without an attestation (422), writing nothing', async () => {
    const v = await insertVictim(t.ds, { status: 'submitted' });
    const res = await t
      .as('reviewer')
      .post(`/api/victims/${v.id}/status`)
      .send({ to: 'verified', reason: 'r', version: 1 })
      .expect(422);
    expect(res.body).toMatchObject({
      code: 'unprocessable',
      errors: [{ field: 'to', reason: expect.stringContaining('attestation') }],
    });
    expect(await statusOf('victims', v.id)).toEqual({ status: 'submitted', version: 1 });

    const i = await insertIncident(t.ds, { status: 'disputed' });
    await t
      .as('reviewer')
      .post(`/api/incidents/${i.id}/status`)
      .send({ to: 'verified', reason: 'r', version: 1 })
      .expect(422);
    await insertAttestation(t.ds, { incidentId: i.id });
    const ok = await t
      .as('reviewer')
      .post(`/api/incidents/${i.id}/status`)
      .send({ to: 'verified', reason: 'now attested', version: 1 })
      .expect(200);
    expect(ok.body).toMatchObject({
      kind: 'incidents',
      previousStatus: 'disputed',
      status: 'verified',
    });
    expect(await audit(i.id)).toHaveLength(1);
  });

  it('verifies the seeded incident and claim (no creator recorded)', async () => {
    await t
      .as('reviewer')
      .post(`/api/incidents/${SEED.incident}/status`)
      .send({ to: 'verified', reason: 'joint statement', version: 1 })
      .expect(200);
    const c = await t
      .as('reviewer')
      .post(`/api/claims/${SEED.claims.amnesty304}/status`)
      .send({ to: 'verified', reason: 'Amnesty list', version: 1 })
      .expect(200);
    expect(c.body).toMatchObject({ kind: 'claims', status: 'verified', version: 2 });
    expect(await audit(SEED.claims.amnesty304)).toEqual([
      expect.objectContaining({ entity: 'count_claims', reason: 'Amnesty list' }),
    ]);
  });

  it('answers a stale version with 409 and the current version', async () => {
    const c = await insertClaim(t.ds, { status: 'draft' });
    await t
      .as('researcher')
      .post(`/api/claims/${c.id}/status`)
      .send({ to: 'submitted', reason: 'ready', version: 1 })
      .expect(200);
    const res = await t
      .as('reviewer')
      .post(`/api/claims/${c.id}/status`)
      .send({ to: 'disputed', reason: 'late', version: 1 })
      .expect(409);
    expect(res.body).toMatchObject({ code: 'version_conflict', currentVersion: 2 });
    expect(await statusOf('count_claims', c.id)).toEqual({ status: 'submitted', version: 2 });
  });

  it('answers a move the table does not have with 409 and the allowed moves', async () => {
    const v = await insertVictim(t.ds);
    const res = await t
      .as('admin')
      .post(`/api/victims/${v.id}/status`)
      .send({ to: 'verified', reason: 'skip review', version: 1 })
      .expect(409);
    expect(res.body).toMatchObject({
      code: 'conflict',
      currentStatus: 'draft',
      allowed: ['submitted', 'retracted'],
    });
    expect(await statusOf('victims', v.id)).toEqual({ status: 'draft', version: 1 });
  });

  it('lets the creator retract their own unreviewed entry, not someone else’s, and a reviewer un-retract', async () => {
    const v = await insertVictim(t.ds, { createdBy: t.users.researcher.id, status: 'submitted' });
    const stranger = await t.createUser('researcher');
    await stranger
      .http()
      .post(`/api/victims/${v.id}/status`)
      .send({ to: 'retracted', reason: 'not mine', version: 1 })
      .expect(403);
    await t
      .as('researcher')
      .post(`/api/victims/${v.id}/status`)
      .send({ to: 'retracted', reason: 'duplicate entry', version: 1 })
      .expect(200);
    await t
      .as('researcher')
      .post(`/api/victims/${v.id}/status`)
      .send({ to: 'submitted', reason: 'undo', version: 2 })
      .expect(403);
    const back = await t
      .as('reviewer')
      .post(`/api/victims/${v.id}/status`)
      .send({ to: 'submitted', reason: 'not a duplicate after all', version: 2 })
      .expect(200);
    expect(back.body).toMatchObject({
      previousStatus: 'retracted',
      status: 'submitted',
      version: 3,
    });
  });

  it('keeps viewers out of the workflow', async () => {
    const v = await insertVictim(t.ds);
    await t
      .as('viewer')
      .post(`/api/victims/${v.id}/status`)
      .send({ to: 'submitted', reason: 'r', version: 1 })
      .expect(403);
    await t
      .anon()
      .post(`/api/victims/${v.id}/status`)
      .send({ to: 'submitted', reason: 'r', version: 1 })
      .expect(401);
    expect(await statusOf('victims', v.id)).toEqual({ status: 'draft', version: 1 });
  });

  describe('bad input', () => {
    it.each([
      ['no reason', { to: 'submitted', version: 1 }, 'reason'],
      ['an empty reason', { to: 'submitted', reason: '   ', version: 1 }, 'reason'],
      ['an unknown status', { to: 'published', reason: 'r', version: 1 }, 'to'],
      ['no version', { to: 'submitted', reason: 'r' }, 'version'],
      ['a version of the wrong type', { to: 'submitted', reason: 'r', version: '1' }, 'version'],
      ['a version out of range', { to: 'submitted', reason: 'r', version: 0 }, 'version'],
      [
        'an unknown field',
        { to: 'submitted', reason: 'r', version: 1, status: 'verified' },
        'status',
      ],
    ])('refuses %s with 400 naming the field, writing nothing', async (_n, body, field) => {
      const v = await insertVictim(t.ds);
      const res = await t
        .as('researcher')
        .post(`/api/victims/${v.id}/status`)
        .send(body)
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await statusOf('victims', v.id)).toEqual({ status: 'draft', version: 1 });
      expect(await audit(v.id)).toEqual([]);
    });

    it('answers a bad UUID with 400 and an unknown record with 404', async () => {
      const body = { to: 'submitted', reason: 'r', version: 1 };
      for (const kind of ['victims', 'incidents', 'claims']) {
        expect(
          (await t.http().post(`/api/${kind}/xyz/status`).send(body).expect(400)).body.errors[0]
            .field,
        ).toBe('id');
        expect(
          (await t.http().post(`/api/${kind}/${MISSING}/status`).send(body).expect(404)).body.code,
        ).toBe('not_found');
      }
    });
  });
});
