import { seedDemo } from '../../seed/demo.js';
import { SEED } from '../../seed/seed.js';
import { SYSTEM_ACTOR } from '../../src/common/actor.js';
import { exportVictims } from '../../src/exports/exporters.js';
import type { ExportFormat, Sink } from '../../src/exports/writers.js';
import { buildOwnVictim, restrictedSource } from '../factories/imports.js';
import { createTestApp, resetDatabase, type TestApp } from '../setup/app.js';

// Imports of hundreds of rows on the embedded engine, on a busy machine, take seconds.
jest.setTimeout(120_000);

const SECRET = '5d0b0a33-2f7a-4b55-8f5e-7a4c1e9d0b01';

/** The whole export in memory: fine for a test of a few hundred records. */
async function exported(t: TestApp, format: ExportFormat): Promise<string> {
  let text = '';
  const sink: Sink = {
    write: (chunk) => {
      text += chunk;
      return Promise.resolve();
    },
  };
  await exportVictims(t.ds, sink, { format, actor: SYSTEM_ACTOR });
  return text;
}

describe('export → import round trip', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /** The documented record, as counts and reconciliation see it. */
  async function ledger(): Promise<unknown> {
    const groups = await t.ds.query(
      `SELECT harm, location_id, confidence, status, place_precision, date_from, count(*)::int AS n
         FROM victims WHERE merged_into IS NULL
        GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`,
    );
    const attestations = await t.ds.query(
      `SELECT s.url, s.reliability, a.credibility, count(*)::int AS n
         FROM attestations a JOIN sources s ON s.id = a.source_id
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    );
    const reconciliation = [];
    for (const q of [
      'category=killed',
      'category=killed&location=Khuzestan',
      'category=killed&from=2019-11-16&to=2019-11-16',
    ]) {
      const res = await t.http().get(`/api/reconciliation?${q}`).expect(200);
      reconciliation.push(res.body);
    }
    const counts = (await t.http().get('/api/counts?category=killed&groupBy=province').expect(200))
      .body as unknown;
    return { groups, attestations, reconciliation, counts };
  }

  async function fill(): Promise<void> {
    await resetDatabase(t.ds);
    const demo = await seedDemo(t.ds);
    expect(demo.imported).toBe(562);
    const own = [
      buildOwnVictim({
        name_fa: 'نوید',
        name_en: 'Navid',
        age_min: 30,
        age_max: 35,
        gender: 'male',
        cause: 'gunshot_chest',
        location: 'Mahshahr',
        date: '25 Aban 1398',
        witness_names: 'W. A.',
        attestations: [
          {
            source_id: SEED.sources.amnesty,
            credibility: 2,
            excerpt: 'named in the annex',
            primary_evidence: true,
          },
          { source_id: SECRET, source: restrictedSource(SECRET), credibility: 2 },
        ],
      }),
      buildOwnVictim({
        name_fa: 'رها',
        location: 'Shiraz',
        date: '2019-11',
        attestations: [{ source_id: SEED.sources.reuters, credibility: 3 }],
      }),
      buildOwnVictim({
        name_fa: 'رها ۲',
        location: 'Shiraz',
        attestations: [{ source_url: 'https://example.org/duplicate', credibility: 4 }],
      }),
    ];
    await t.http().post('/api/imports?kind=victims').send(own).expect(201);
    // A reviewer found a duplicate: it is counted once, with the attestations of both.
    const [dup, target] = await t.ds.query<
      {
        id: string;
        version: number;
      }[]
    >(`SELECT id, version FROM victims WHERE name_fa IN ('رها ۲', 'رها') ORDER BY name_fa DESC`);
    await t
      .http()
      .post(`/api/victims/${dup.id}/merge`)
      .send({ into: target.id, version: dup.version, reason: 'same person' })
      .expect(200);
  }

  it.each(['json', 'csv'] as const)(
    'gives the same counts and the same reconciliation in a fresh database (%s)',
    async (format) => {
      await fill();
      const before = await ledger();
      const file = await exported(t, format);

      await resetDatabase(t.ds);
      expect((await t.ds.query(`SELECT count(*)::int AS n FROM victims`))[0].n).toBe(0);
      const post = t.http().post('/api/imports?kind=victims');
      const res =
        format === 'json'
          ? await post.send(JSON.parse(file)).expect(201)
          : await post.set('Content-Type', 'text/csv').send(file).expect(201);
      expect(res.body).toMatchObject({ read: 564, imported: 564, alreadyPresent: 0, rejected: 0 });

      expect(await ledger()).toEqual(before);
      if (format === 'json') {
        // The copy exports as the original did, but for when its rows were written.
        const normal = (text: string): unknown =>
          (JSON.parse(text) as Record<string, unknown>[]).map(
            ({ created_at: _c, updated_at: _u, ...v }) => ({
              ...v,
              attestations: [...(v.attestations as { source_id: string }[])].sort((a, b) =>
                a.source_id.localeCompare(b.source_id),
              ),
              source_ids: [...(v.source_ids as string[])].sort(),
              source_url: [...(v.source_url as string[])].sort(),
            }),
          );
        expect(normal(await exported(t, 'json'))).toEqual(normal(file));
      }
    },
  );
});
