import { Readable } from 'node:stream';
import { CountsService } from '../../src/counts/counts.service.js';
import { importVictims } from '../../src/imports/victims-import.js';
import { ReconciliationService } from '../../src/reconciliation/reconciliation.service.js';
import { createSource } from '../factories/index.js';
import { PLACES, createPlace, createVictim, createVictims } from '../factories/counts.js';
import { buildSharedRow, sharedCsv } from '../factories/imports.js';
import { createTestApp, type TestApp } from '../setup/app.js';

/**
 * The rollups (migration 1764000006000) behind counts and reconciliation: after every kind of
 * write they equal a full recount, and every count they answer is the same, to the last source,
 * as counting the victims themselves.
 */
describe('victim rollups', () => {
  let t: TestApp;
  const S: Record<string, string> = {};
  const V: Record<string, string> = {};
  let district: string;

  const mismatches = async (): Promise<unknown[]> =>
    t.ds.query(
      `SELECT * FROM victim_rollup_check() UNION ALL SELECT * FROM victim_area_rollup_check() ORDER BY what, key`,
    );

  /** Queries that the rollups answer: the same answer both ways, for an admin and a viewer. */
  const COUNTS = [
    '',
    'groupBy=province',
    'groupBy=city&from=2019-11-16&to=2019-11-17',
    'groupBy=province,day&from=2019-11-15&to=2019-11-20',
    'groupBy=day&location=Khuzestan',
    'groupBy=month,province&status=verified,submitted,retracted',
    'groupBy=week&category=detained',
    'groupBy=province,day&documented=all&status=verified,submitted,disputed',
    'groupBy=city&dateMatch=certain&from=2019-11-16&to=2019-11-30',
    'groupBy=province&minConfidence=probable&sourcesPerBucket=1',
    'groupBy=day&minConfidence=confirmed',
    `groupBy=city&location=${PLACES.mahshahr}&from=1398-08-25&to=1398-08-28&calendar=jalali`,
    // The compact rollups (by area): province or none, the country or a province.
    'groupBy=province&category=killed&from=2019-11-15&to=2019-11-20',
    'groupBy=province&category=killed&sourcesPerBucket=1',
    'groupBy=province&documented=all&sourcesPerBucket=1',
    'category=killed&location=Khuzestan&sourcesPerBucket=1',
    'groupBy=province&location=Iran&dateMatch=certain&from=2019-11-01&to=2019-11-30',
  ];
  const RECONCILIATIONS = [
    'category=killed',
    'category=killed&location=Khuzestan',
    'category=killed&from=2019-11-16&to=2019-11-17',
    'category=killed&location=Iran&from=2019-11-01&to=2019-11-30&status=verified',
    'category=detained&minConfidence=possible',
    'category=killed&minConfidence=confirmed',
    'category=killed&location=Khuzestan&documented=all',
  ];

  async function bothWays(): Promise<void> {
    const counts = t.app.get(CountsService);
    const reconciliation = t.app.get(ReconciliationService);
    for (const role of ['admin', 'viewer'] as const) {
      for (const [path, list] of [
        ['/api/counts', COUNTS],
        ['/api/reconciliation', RECONCILIATIONS],
      ] as const) {
        for (const q of list) {
          counts.useRollups = reconciliation.useRollups = true;
          const fast = await t.as(role).get(`${path}?${q}`).expect(200);
          counts.useRollups = reconciliation.useRollups = false;
          const exact = await t.as(role).get(`${path}?${q}`).expect(200);
          counts.useRollups = reconciliation.useRollups = true;
          expect({ role, q, body: fast.body as unknown }).toEqual({
            role,
            q,
            body: exact.body as unknown,
          });
        }
      }
    }
  }

  async function checked(): Promise<void> {
    expect(await mismatches()).toEqual([]);
    await bothWays();
  }

  beforeAll(async () => {
    t = await createTestApp();
    S.a = (await createSource(t.ds, { title: 'List A', publisher: 'A', reliability: 'A' })).id;
    S.b = (await createSource(t.ds, { title: 'List B', publisher: 'B' })).id;
    S.r = (
      await createSource(t.ds, {
        title: 'Informant',
        publisher: 'Witness',
        restricted: true,
        kind: 'testimony',
      })
    ).id;
    district = await createPlace(t.ds, {
      kind: 'district',
      parentId: PLACES.mahshahr,
      nameEn: 'Rollup district',
    });
    const verified = { status: 'verified', confidence: 'confirmed' };
    [V.mahshahr] = await createVictims(t.ds, 4, { ...verified, sources: [S.a, S.b] });
    await createVictims(t.ds, 2, { locationId: district, sources: [S.a], date: null });
    [V.secret] = await createVictims(t.ds, 2, {
      ...verified,
      locationId: PLACES.shiraz,
      date: ['2019-11-17', '2019-11-17'],
      sources: [S.r],
    });
    await createVictims(t.ds, 3, {
      locationId: PLACES.khuzestan,
      date: ['2019-11-01', '2019-11-30'],
      precision: 'month',
      confidence: 'possible',
      sources: [S.b, S.r],
    });
    await createVictims(t.ds, 2, {
      harm: 'detained',
      locationId: PLACES.tehranCity,
      date: ['2019-11-18', '2019-11-19'],
      status: 'retracted',
      sources: [S.b],
    });
    await createVictims(t.ds, 1, { harm: 'detained', locationId: null, sources: [S.a] });
    // Confirmed with the informant, possible from the public list alone (public_confidence).
    [V.mixed] = await createVictims(t.ds, 3, {
      ...verified,
      publicConfidence: 'possible',
      sources: [S.a, S.r],
    });
    // A chain of merges: C into B, B into A; A is counted once with the sources of all three.
    V.root = await createVictim(t.ds, { ...verified, sources: [S.a] });
    V.mid = await createVictim(t.ds, { mergedInto: V.root, sources: [S.b] });
    V.leaf = await createVictim(t.ds, { mergedInto: V.mid, sources: [S.r] });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('equal a full recount after inserts, and answer as the victims do', async () => {
    const [{ n }] = await t.ds.query<{ n: number }[]>(
      `SELECT coalesce(sum(n), 0)::int AS n FROM victim_rollup`,
    );
    const [{ live }] = await t.ds.query<{ live: number }[]>(
      `SELECT count(*)::int AS live FROM victims WHERE merged_into IS NULL`,
    );
    expect(n).toBe(live);
    await checked();
  });

  it('follow a place moved to another province (the compact rollups key by province)', async () => {
    const [shiraz] = await t.ds.query<{ path: string[] }[]>(
      `SELECT path FROM locations WHERE id = $1`,
      [PLACES.shiraz],
    );
    await t.ds.query(`UPDATE locations SET parent_id = $2, path = $3, depth = $4 WHERE id = $1`, [
      district,
      PLACES.shiraz,
      [...shiraz.path, district],
      shiraz.path.length,
    ]);
    await checked();
    const [mahshahr] = await t.ds.query<{ path: string[] }[]>(
      `SELECT path FROM locations WHERE id = $1`,
      [PLACES.mahshahr],
    );
    await t.ds.query(`UPDATE locations SET parent_id = $2, path = $3, depth = $4 WHERE id = $1`, [
      district,
      PLACES.mahshahr,
      [...mahshahr.path, district],
      mahshahr.path.length,
    ]);
    await checked();
  });

  it('follow changes of status, place, date, harm, confidence and public confidence', async () => {
    await t.ds.query(`UPDATE victims SET status = 'verified' WHERE location_id = $1`, [district]);
    await t.ds.query(`UPDATE victims SET location_id = $2 WHERE id = $1`, [
      V.mahshahr,
      PLACES.ahvaz,
    ]);
    await t.ds.query(
      `UPDATE victims SET date_from = '2019-11-18', date_to = '2019-11-18', harm = 'injured' WHERE id = $1`,
      [V.secret],
    );
    await t.ds.query(
      `UPDATE victims SET confidence = 'confirmed' WHERE location_id = $1 AND confidence = 'possible'`,
      [PLACES.khuzestan],
    );
    // The public level alone (a source made restricted or public, through refreshConfidence).
    await t.ds.query(`UPDATE victims SET public_confidence = 'probable' WHERE id = $1`, [V.mixed]);
    // A change of a column the rollups do not hold leaves them as they are.
    await t.ds.query(`UPDATE victims SET name_en = 'Renamed' WHERE id = $1`, [V.root]);
    await checked();
  });

  it('follow attestations added and removed, and a source made restricted or public', async () => {
    await t.ds.query(
      `INSERT INTO attestations (source_id, victim_id, credibility) VALUES ($1, $2, 2)`,
      [S.r, V.mahshahr],
    );
    await t.ds.query(`DELETE FROM attestations WHERE victim_id = $1 AND source_id = $2`, [
      V.mahshahr,
      S.b,
    ]);
    await t.ds.query(`UPDATE attestations SET source_id = $2 WHERE victim_id = $1`, [V.mid, S.a]);
    await t.ds.query(`UPDATE sources SET restricted = true WHERE id = $1`, [S.b]);
    await checked();
    await t.ds.query(`UPDATE sources SET restricted = false WHERE id = $1`, [S.b]);
    await t.ds.query(`UPDATE sources SET restricted = false WHERE id = $1`, [S.r]);
    await checked();
    await t.ds.query(`UPDATE sources SET restricted = true WHERE id = $1`, [S.r]);
  });

  it('follow merges and unmerges through the API, and deletions', async () => {
    const get = async (id: string) =>
      (await t.http().get(`/api/victims/${id}`).expect(200)).body as { version: number };
    await t
      .http()
      .post(`/api/victims/${V.mahshahr}/merge`)
      .send({ into: V.root, version: (await get(V.mahshahr)).version, reason: 'same person' })
      .expect(200);
    await checked();
    await t
      .http()
      .post(`/api/victims/${V.mahshahr}/unmerge`)
      .send({ version: (await get(V.mahshahr)).version, reason: 'not the same' })
      .expect(200);
    // A merged record deleted: its sources no longer count for the record it was merged into.
    await t.ds.query(`DELETE FROM attestations WHERE victim_id = $1`, [V.leaf]);
    await t.ds.query(`DELETE FROM victims WHERE id = $1`, [V.leaf]);
    await checked();
  });

  it('follow a bulk import through the import service', async () => {
    const csv = sharedCsv([
      buildSharedRow({
        name_en: 'Rollup one',
        city: 'Shiraz',
        province: 'Fars',
        date_of_death: '2019-11-17',
      }),
      buildSharedRow({ name_en: 'Rollup two', city: 'Mahshahr', date_of_death: '2019-11-16' }),
    ]);
    await t
      .http()
      .post('/api/imports?kind=victims')
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(201);
    const [{ n }] = await t.ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM victims WHERE name_en LIKE 'Rollup %'`,
    );
    expect(n).toBe(2);
    await checked();
    // The import refreshed its own records (migration 1764000007000); the deferral ended with
    // its transaction, so records written afterwards are refreshed by the triggers again.
    const [{ deferred }] = await t.ds.query<{ deferred: string }[]>(
      `SELECT coalesce(current_setting('ledger.rollups_deferred', true), '') AS deferred`,
    );
    expect(deferred).not.toBe('on');
    await createVictim(t.ds, { sources: [S.a, S.b] });
    await checked();
  });

  it('stay right when an import stops halfway: nothing of it is counted', async () => {
    const before = await t.ds.query<unknown[]>(
      `SELECT * FROM victim_rollup WHERE n > 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 9`,
    );
    const csv = sharedCsv([
      buildSharedRow({ name_en: 'Rollup three', city: 'Shiraz', date_of_death: '2019-11-18' }),
      // No source: a record can't exist without one, so the row is refused (an unreadable
      // optional field would only be a warning).
      buildSharedRow({ name_en: 'Rollup four', city: 'Shiraz', source_url: '' }),
    ]);
    // All or nothing, a batch per row: the first row is inserted and its rollups refreshed
    // before the second is refused, and the whole transaction is rolled back.
    const report = await importVictims(t.ds, Readable.from([csv]), { batchSize: 1 });
    expect(report).toMatchObject({ written: false, imported: 1, rejected: 1 });
    expect(await t.ds.query(`SELECT 1 FROM victims WHERE name_en = 'Rollup three'`)).toEqual([]);
    expect(
      await t.ds.query(`SELECT * FROM victim_rollup WHERE n > 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 9`),
    ).toEqual(before);
    await checked();
  });

  it('take turns when two transactions attest the same record at once', async () => {
    if (t.config.engine === 'embedded') return; // one session: nothing runs at once
    const first = t.ds.createQueryRunner();
    const second = t.ds.createQueryRunner();
    try {
      await first.startTransaction();
      await second.startTransaction();
      await first.query(
        `INSERT INTO attestations (source_id, victim_id, credibility) VALUES ($1, $2, 3)`,
        [S.b, V.root],
      );
      // Waits for the first to finish, then counts from what it committed.
      const waiting = second.query(
        `INSERT INTO attestations (source_id, victim_id, credibility) VALUES ($1, $2, 3)`,
        [S.r, V.root],
      );
      await new Promise((r) => setTimeout(r, 200));
      await first.commitTransaction();
      await waiting;
      await second.commitTransaction();
    } finally {
      await first.release();
      await second.release();
    }
    await checked();
  });

  it('are rebuilt from scratch to the same rows', async () => {
    const snapshot = async (): Promise<unknown[]> =>
      t.ds.query<unknown[]>(
        `SELECT harm, status, confidence, public_confidence, location_id, date_from::text, date_to::text, public, n
           FROM victim_rollup WHERE n > 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`,
      );
    const before = await snapshot();
    await t.ds.query(`SELECT victim_rollup_rebuild()`);
    expect(await snapshot()).toEqual(before);
    expect(await mismatches()).toEqual([]);
  });
});
