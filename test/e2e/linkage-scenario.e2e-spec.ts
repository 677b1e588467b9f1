import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import pg from 'pg';
import { decisionRows, importDecisions } from '../../src/cli/commands/duplicates.js';
import { SYSTEM_ACTOR } from '../../src/common/actor.js';
import { projectRoot } from '../../src/common/project-root.js';
import { migrate } from '../../src/database/bootstrap.js';
import { startEmbedded, type EmbeddedDatabase } from '../../src/database/embedded.js';
import { exportVictims } from '../../src/exports/exporters.js';
import type { Sink } from '../../src/exports/writers.js';
import { createTestApp, type TestApp } from '../setup/app.js';

// Two lists of about 550 rows each, imported, verified in part and scanned, on a busy machine.
jest.setTimeout(600_000);

type Row = Record<string, string>;

const FIXTURE = path.join(projectRoot(), 'test', 'fixtures', 'linkage');

/** A list of the labelled set (test/fixtures/linkage) as a file a team would import: its source
 * URL on every row, the truth (`person`) kept aside. */
function list(which: 'a' | 'b'): { rows: Row[]; csv: string } {
  const rows = parse(fs.readFileSync(path.join(FIXTURE, `list-${which}.csv`)), {
    columns: true,
    skip_empty_lines: true,
  }) as Row[];
  const url = `https://lists.example.org/list-${which}`;
  const csv = stringify(
    rows.map(({ person: _p, ...r }) => ({ ...r, source_url: url })),
    { header: true },
  );
  return { rows, csv };
}

interface Report {
  imported: number;
  alreadyPresent: number;
  rejected: number;
  possibleDuplicates: { clusters: number; records: number; clusterIds: string[] };
  summary: string[];
}

/**
 * The "Done when" of issue 18: the shared victims list (list A: as published, six people twice)
 * and a second list derived from it (list B: respelt, transliterated to and from Latin, re-dated
 * within a day, some people dropped, some written twice) are imported; the import finds possible
 * duplicates as it lands; a reviewer verifies some people; the scan runs; the default documented
 * count is the number of distinct verified people, and the statement says how many more await
 * review and how many of them may be duplicates. Then the decisions move to a fresh database.
 */
describe('two overlapping lists: one count per verified person', () => {
  let t: TestApp;
  const a = list('a');
  const b = list('b');
  const personOf = new Map<string, string>();
  const idOf = new Map<string, string>();
  /** The records of both lists (a row the same as another, word for word, is one record). */
  let records: number;
  const post = (scope: string, csv: string) =>
    t
      .as('researcher')
      .post(`/api/imports?kind=victims&status=submitted&idScope=${scope}`)
      .set('Content-Type', 'text/csv')
      .send(csv);
  const learnIds = async () => {
    const ids = await t.ds.query<{ external_id: string; victim_id: string }[]>(
      `SELECT external_id, victim_id FROM victim_external_ids`,
    );
    for (const r of ids) idOf.set(r.external_id, r.victim_id);
    for (const r of [...a.rows, ...b.rows])
      if (idOf.has(r.id)) personOf.set(idOf.get(r.id)!, r.person);
  };
  const clusterOf = async (ids: string[]) =>
    t.ds.query<{ cluster_id: string; victim_id: string }[]>(
      `SELECT cluster_id, victim_id FROM duplicate_cluster_members WHERE cluster_id = ANY($1::uuid[])`,
      [ids],
    );

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('looks for duplicates as a list lands, within the file', async () => {
    const reportA = (await post('list-a', a.csv).expect(201)).body as Report;
    expect(reportA).toMatchObject({ imported: a.rows.length, rejected: 0 });
    await learnIds();
    // List A holds six people twice (its notes name them): found within the file.
    const twice = a.rows.filter((r) => /^a\d+b$/.test(r.id));
    expect(twice).toHaveLength(6);
    expect(reportA.possibleDuplicates.clusters).toBeGreaterThanOrEqual(6);
    const inA = new Map(
      (await clusterOf(reportA.possibleDuplicates.clusterIds)).map((m) => [
        m.victim_id,
        m.cluster_id,
      ]),
    );
    for (const r of twice) {
      expect(inA.get(idOf.get(r.id)!)).toBeDefined();
      expect(inA.get(idOf.get(r.id)!)).toBe(inA.get(idOf.get(r.id.slice(0, -1))!));
    }
  });

  it('and against the whole database', async () => {
    const reportB = (await post('list-b', b.csv).expect(201)).body as Report;
    // A row written word for word as another of the list is the same record.
    expect(reportB.imported + reportB.alreadyPresent).toBe(b.rows.length);
    expect(reportB.rejected).toBe(0);
    await learnIds();
    records = new Set(idOf.values()).size;
    expect(records).toBe(a.rows.length + reportB.imported);
    // List B's people are mostly list A's: most of its records land in a cluster.
    const members = await clusterOf(reportB.possibleDuplicates.clusterIds);
    const fromB = new Set(b.rows.map((r) => idOf.get(r.id)!));
    const seen = new Set(a.rows.map((r) => r.person));
    const expected = new Set(b.rows.filter((r) => seen.has(r.person)).map((r) => idOf.get(r.id)))
      .size;
    const found = new Set(members.map((m) => m.victim_id).filter((v) => fromB.has(v))).size;
    expect(found).toBeGreaterThanOrEqual(Math.floor(0.9 * expected));
    expect(reportB.possibleDuplicates.records).toBe(new Set(members.map((m) => m.victim_id)).size);
    expect(reportB.summary.join('\n')).toContain(
      `Possible duplicates: ${reportB.possibleDuplicates.clusters} cluster(s)`,
    );
  });

  it('counts distinct verified people, not rows, and says what awaits review', async () => {
    // A reviewer verifies list A's records of every third person (both records of a person the
    // list holds twice); everything else stays submitted.
    const verify = a.rows.filter((r) => Number(r.person) % 3 === 0).map((r) => idOf.get(r.id)!);
    for (const id of verify) {
      const v = await t.http().get(`/api/victims/${id}`).expect(200);
      await t
        .as('reviewer')
        .post(`/api/victims/${id}/status`)
        .send({ to: 'verified', reason: 'checked against the list', version: v.body.version })
        .expect(200);
    }
    await t.as('reviewer').post('/api/duplicates/scan').expect(200);
    const res = await t.http().get('/api/reconciliation').expect(200);
    const body = res.body as {
      documented: { total: number; awaitingReview: number; possibleDuplicates: number };
      statement: string;
    };
    const people = new Set(verify.map((id) => personOf.get(id))).size;
    expect(verify.length).toBeGreaterThan(people); // some verified people are two records
    expect(body.documented.total).toBe(people);
    // Every other record awaits review (submitted), some of them duplicates of each other or of
    // the verified ones.
    const [{ n: verifiedFoldedIntoCount }] = await t.ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM victims WHERE status = 'verified'`,
    );
    expect(verifiedFoldedIntoCount).toBe(verify.length);
    expect(body.documented.awaitingReview).toBe(records - verify.length);
    expect(body.documented.possibleDuplicates).toBeGreaterThan(0);
    expect(body.documented.possibleDuplicates).toBeLessThan(body.documented.awaitingReview);
    expect(body.statement).toContain(
      `${people} documented (verified records only, each person once)`,
    );
    expect(body.statement).toContain(
      `${body.documented.awaitingReview} more records await review, of which about ${body.documented.possibleDuplicates} may be duplicates`,
    );
  });

  it('keeps merged and "different" decisions through an export into a truly fresh database', async () => {
    const queue = async (app: TestApp) =>
      (await app.as('reviewer').get('/api/duplicates?limit=200').expect(200)).body as {
        total: number;
        items: { id: string; records: { id: string }[] }[];
      };
    const pairs = (await queue(t)).items.filter((c) => c.records.length === 2);
    const same = pairs.find(
      (c) => personOf.get(c.records[0].id) === personOf.get(c.records[1].id),
    )!;
    const different = pairs.find((c) => c !== same)!;
    expect(same).toBeDefined();
    expect(different).toBeDefined();
    await t
      .as('reviewer')
      .post(`/api/duplicates/${same.id}/decision`)
      .send({ decision: 'same', reason: 'one person in two lists' })
      .expect(200);
    await t
      .as('reviewer')
      .post(`/api/duplicates/${different.id}/decision`)
      .send({ decision: 'different', reason: 'different fathers, says the family' })
      .expect(200);
    const [kept, gone] = await t.ds.query<{ id: string; merged_into: string | null }[]>(
      `SELECT id, merged_into FROM victims WHERE id = ANY($1::uuid[]) ORDER BY merged_into NULLS FIRST`,
      [same.records.map((r) => r.id)],
    );
    expect(gone.merged_into).toBe(kept.id);

    // What a team moves: the victims export and `duplicates export --decisions`.
    let victimsCsv = '';
    const sink: Sink = {
      write: (chunk) => {
        victimsCsv += chunk;
        return Promise.resolve();
      },
    };
    await exportVictims(t.ds, sink, { format: 'csv', actor: SYSTEM_ACTOR });
    const decisionsCsv = stringify(await decisionRows(t.ds), { header: true });

    const fresh = await freshDatabase();
    const u = await createTestApp({ databaseUrl: fresh.url });
    try {
      const imported = await u
        .http()
        .post('/api/imports?kind=victims')
        .set('Content-Type', 'text/csv')
        .send(victimsCsv)
        .expect(201);
      // Every record but the merged one (an export folds it, with its attestations, into the
      // record kept).
      expect(imported.body).toMatchObject({ imported: records - 1 });
      const rows = parse(decisionsCsv, { columns: true }) as Parameters<typeof importDecisions>[1];
      expect(await importDecisions(u.ds, rows)).toEqual({
        merged: 0,
        decided: 1,
        present: 1,
        unmatched: 0,
      });
      const [{ n: sources }] = await u.ds.query<{ n: number }[]>(
        `SELECT count(DISTINCT source_id)::int AS n FROM attestations WHERE victim_id = $1`,
        [kept.id],
      );
      expect(sources).toBe(2);
      expect(
        await u.ds.query<unknown[]>(`SELECT 1 FROM victims WHERE id = $1`, [gone.id]),
      ).toHaveLength(0);
      await u.as('reviewer').post('/api/duplicates/scan').expect(200);
      const proposed = (await queue(u)).items.flatMap((c) => c.records.map((r) => r.id));
      const differentIds = different.records.map((r) => r.id);
      const together = (await queue(u)).items.some((c) =>
        differentIds.every((id) => c.records.some((r) => r.id === id)),
      );
      expect(together).toBe(false);
      expect(proposed).not.toContain(gone.id);
      // And a second import of the decisions finds them all there.
      expect(await importDecisions(u.ds, rows)).toEqual({
        merged: 0,
        decided: 0,
        present: 2,
        unmatched: 0,
      });
    } finally {
      await u.close();
      await fresh.drop();
    }
  });
});

/** A new database on the suite's engine, migrations run: nothing of the suite's in it. */
async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.TEST_DATABASE_URL;
  if (process.env.CL_TEST_ENGINE === 'postgresql' && admin) {
    const name = `wt18_fresh_${process.pid}_${Date.now()}`;
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    const u = new URL(admin);
    u.pathname = `/${name}`;
    await migrate(u.toString());
    return {
      url: u.toString(),
      drop: async () => {
        const d = new pg.Client({ connectionString: admin });
        await d.connect();
        await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await d.end();
      },
    };
  }
  const db: EmbeddedDatabase = await startEmbedded({ dataDir: null, maxConnections: 10 });
  await migrate(db.url);
  return { url: db.url, drop: () => db.stop() };
}

describe("the father's name tells namesakes apart", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('is read from نام پدر, kept, exported, and used by the linkage as the import lands', async () => {
    const csv = [
      'نام,نام پدر,city,province,date,source_url',
      'میلاد زارع,حسن,Mahshahr,Khuzestan,2019-11-16,https://lists.example.org/one',
      'میلاد زارع,حسین,Mahshahr,Khuzestan,2019-11-16,https://lists.example.org/two',
    ].join('\n');
    const first = await t
      .as('researcher')
      .post('/api/imports?kind=victims&idScope=fathers')
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(201);
    expect(first.body).toMatchObject({
      imported: 2,
      unknownColumns: [],
      possibleDuplicates: { clusters: 0, records: 0, clusterIds: [] },
    });
    const rows = await t.ds.query<{ id: string; father_name: string }[]>(
      `SELECT id, father_name FROM victims ORDER BY father_name`,
    );
    expect(rows.map((r) => r.father_name)).toEqual(['حسن', 'حسین']);
    const v = await t.http().get(`/api/victims/${rows[0].id}`).expect(200);
    expect(v.body.fatherName).toBe('حسن');

    // The same person in Latin script, son of Hassan: found, and only with the right record.
    const latin = [
      'name_en,father_name,city,province,date,source_url',
      'Milad Zare,Hassan,Mahshahr,Khuzestan,2019-11-16,https://lists.example.org/three',
    ].join('\n');
    const second = await t
      .as('researcher')
      .post('/api/imports?kind=victims&idScope=fathers-latin')
      .set('Content-Type', 'text/csv')
      .send(latin)
      .expect(201);
    expect(second.body.possibleDuplicates).toMatchObject({ clusters: 1, records: 2 });
    const [clusterId] = second.body.possibleDuplicates.clusterIds as string[];
    const members = await t.ds.query<{ victim_id: string }[]>(
      `SELECT victim_id FROM duplicate_cluster_members WHERE cluster_id = $1`,
      [clusterId],
    );
    expect(members.map((m) => m.victim_id)).toContain(rows[0].id);
    expect(members.map((m) => m.victim_id)).not.toContain(rows[1].id);

    let text = '';
    await exportVictims(
      t.ds,
      { write: (c) => ((text += c), Promise.resolve()) },
      { format: 'csv', actor: SYSTEM_ACTOR },
    );
    const exported = parse(text, { columns: true }) as Row[];
    expect(exported.map((r) => r.father_name).sort()).toEqual(['Hassan', 'حسن', 'حسین']);
  });
});
