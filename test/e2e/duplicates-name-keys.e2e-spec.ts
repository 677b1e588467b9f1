import { NAME_KEYS_VERSION } from '../../src/duplicates/name-keys.js';
import { createSource } from '../factories/index.js';
import { PLACES } from '../factories/counts.js';
import { createTestApp, resetDatabase, type TestApp } from '../setup/app.js';

/**
 * The name keys kept with each record (victim_name_keys): a record whose names change, through
 * the API or written straight into the table, is compared by its new names at the next scan.
 */
describe('record linkage: the name keys kept with the records', () => {
  let t: TestApp;
  let source: string;

  beforeAll(async () => {
    t = await createTestApp();
    await resetDatabase(t.ds);
    source = (await createSource(t.ds, { title: 'List A', publisher: 'A' })).id;
  });

  afterAll(async () => {
    await t.close();
  });

  const create = async (nameEn: string): Promise<{ id: string; version: number }> =>
    (
      await t
        .as('researcher')
        .post('/api/victims')
        .send({
          nameEn,
          harm: 'killed',
          date: '2019-11-16',
          location: PLACES.mahshahr,
          attestations: [{ sourceId: source, credibility: 2 }],
        })
        .expect(201)
    ).body as { id: string; version: number };

  const keys = async (): Promise<Map<string, string[]>> =>
    new Map(
      (
        await t.ds.query<{ victim_id: string; names: string[] }[]>(
          `SELECT victim_id, names FROM victim_name_keys`,
        )
      ).map((r) => [r.victim_id, r.names]),
    );

  const scan = async (): Promise<{ clusters: number; records: number }> =>
    (await t.as('reviewer').post('/api/duplicates/scan').expect(200)).body as {
      clusters: number;
      records: number;
    };

  it('computes the keys at the first scan and again only where the names changed', async () => {
    const milad = await create('Milad Zare');
    const other = await create('Kaveh Rostami');
    const third = await create('Omid Karimi');
    expect(await scan()).toMatchObject({ records: 3, clusters: 0 });
    const first = await keys();
    expect([...first.keys()].sort()).toEqual([milad.id, other.id, third.id].sort());
    expect(first.get(milad.id)).toEqual(['mild zr']);

    // Renamed through the API: the next scan reads the new name and finds the pair.
    await t
      .as('researcher')
      .patch(`/api/victims/${other.id}`)
      .send({ nameFa: 'میلاد زارع', version: other.version })
      .expect(200);
    expect(await scan()).toMatchObject({ clusters: 1 });
    expect((await keys()).get(other.id)).toContain('mild zr');

    // Written straight into the table (a COPY, a migration): the fingerprint tells it apart too.
    await t.ds.query(`UPDATE victims SET name_fa = 'میلاد زارع' WHERE id = $1`, [third.id]);
    const rows = await t.ds.query<{ victim_id: string; fingerprint: string }[]>(
      `SELECT victim_id, fingerprint FROM victim_name_keys ORDER BY victim_id`,
    );
    const again = await scan();
    expect(again).toMatchObject({ clusters: 1 });
    const members = await t.ds.query<{ victim_id: string }[]>(
      `SELECT victim_id FROM duplicate_cluster_members`,
    );
    expect(members.map((m) => m.victim_id).sort()).toEqual([milad.id, other.id, third.id].sort());
    const after = await t.ds.query<{ victim_id: string; fingerprint: string }[]>(
      `SELECT victim_id, fingerprint FROM victim_name_keys ORDER BY victim_id`,
    );
    // Only the renamed record's row was written again.
    const changed = after.filter((r, i) => r.fingerprint !== rows[i].fingerprint);
    expect(changed.map((r) => r.victim_id)).toEqual([third.id]);
    expect(NAME_KEYS_VERSION).toBeGreaterThan(0);
  });
});
