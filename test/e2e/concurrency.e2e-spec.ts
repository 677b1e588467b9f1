import type { Response } from 'supertest';
import { buildSource } from '../factories/index.js';
import { insertAttestation, insertVictim } from '../factories/workflow.js';
import { createTestApp, type TestApp } from '../setup/app.js';

const EDITORS = 20;

describe('concurrent edits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const updates = async (id: string): Promise<Record<string, unknown>[]> =>
    await t.ds.query<Record<string, unknown>[]>(
      `SELECT before, after FROM audit_log WHERE entity_id = $1 AND action = 'update' ORDER BY id`,
      [id],
    );

  /** Fires every request at once and sorts the answers. */
  async function race(
    requests: (() => Promise<Response>)[],
  ): Promise<{ ok: Response[]; conflicts: Response[]; other: Response[] }> {
    const all = await Promise.all(requests.map((r) => r()));
    return {
      ok: all.filter((r) => r.status === 200),
      conflicts: all.filter((r) => r.status === 409),
      other: all.filter((r) => r.status !== 200 && r.status !== 409),
    };
  }

  it(`${EDITORS} edits of one source from the same version: one wins, the rest get 409 with the current version`, async () => {
    const { body: s } = await t
      .http()
      .post('/api/sources')
      .send(buildSource({ publisher: 'Original' }))
      .expect(201);
    const { ok, conflicts, other } = await race(
      Array.from(
        { length: EDITORS },
        (_, i) => () =>
          t
            .as('researcher')
            .patch(`/api/sources/${s.id}`)
            .send({ version: 1, publisher: `Editor ${i}` })
            .then((r) => r),
      ),
    );
    expect(other.map((r) => r.status)).toEqual([]);
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(EDITORS - 1);
    for (const c of conflicts)
      expect(c.body).toMatchObject({ code: 'version_conflict', currentVersion: 2 });

    const winner = ok[0].body.publisher as string;
    const [row] = await t.ds.query<{ publisher: string; version: number }[]>(
      `SELECT publisher, version FROM sources WHERE id = $1`,
      [s.id],
    );
    expect(row).toEqual({ publisher: winner, version: 2 });
    const audit = await updates(s.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      before: { publisher: 'Original', version: 1 },
      after: { publisher: winner, version: 2 },
    });
  });

  it(`${EDITORS} edits of one victim from the same version: one wins, the rest get 409`, async () => {
    const v = await insertVictim(t.ds, { occupation: 'original' });
    await insertAttestation(t.ds, { victimId: v.id });
    const { ok, conflicts, other } = await race(
      Array.from(
        { length: EDITORS },
        (_, i) => () =>
          t
            .as('researcher')
            .patch(`/api/victims/${v.id}`)
            .send({ version: 1, occupation: `editor ${i}` })
            .then((r) => r),
      ),
    );
    expect(other.map((r) => `${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(EDITORS - 1);
    for (const c of conflicts)
      expect(c.body).toMatchObject({ code: 'version_conflict', currentVersion: 2 });

    const winner = ok[0].body.occupation as string;
    const [row] = await t.ds.query<object[]>(
      `SELECT occupation, version FROM victims WHERE id = $1`,
      [v.id],
    );
    expect(row).toEqual({ occupation: winner, version: 2 });
    const audit = await updates(v.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ after: { occupation: winner, version: 2 } });
  });

  it('editors who reload and retry on 409 all get their change in: no lost update', async () => {
    const { body: s } = await t
      .http()
      .post('/api/sources')
      .send(buildSource({ interestNote: 'start' }))
      .expect(201);
    const editors = 8;
    let conflictsSeen = 0;
    const read = async (): Promise<{ version: number; interestNote: string }> =>
      (await t.as('researcher').get(`/api/sources/${s.id}`).expect(200)).body as {
        version: number;
        interestNote: string;
      };
    const editor = async (
      i: number,
      first: { version: number; interestNote: string },
    ): Promise<void> => {
      let cur = first;
      for (let attempt = 0; attempt < 50; attempt++) {
        const res = await t
          .as('researcher')
          .patch(`/api/sources/${s.id}`)
          .send({ version: cur.version, interestNote: `${cur.interestNote} +${i}` });
        if (res.status === 200) return;
        expect(res.status).toBe(409);
        conflictsSeen++;
        cur = await read();
      }
      throw new Error(`editor ${i} never got through`);
    };
    // Everyone reads the same version first, so the first round surely collides.
    const firstReads = await Promise.all(Array.from({ length: editors }, () => read()));
    await Promise.all(firstReads.map((cur, i) => editor(i, cur)));

    const [row] = await t.ds.query<{ interest_note: string; version: number }[]>(
      `SELECT interest_note, version FROM sources WHERE id = $1`,
      [s.id],
    );
    expect(row.version).toBe(1 + editors);
    const parts = row.interest_note.split(' ');
    expect(parts[0]).toBe('start');
    expect(parts.slice(1).sort()).toEqual(
      Array.from({ length: editors }, (_, i) => `+${i}`).sort(),
    );
    expect(await updates(s.id)).toHaveLength(editors);
    expect(conflictsSeen).toBeGreaterThanOrEqual(editors - 1);
  });
});
