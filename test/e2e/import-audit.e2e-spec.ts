import { SEED } from '../../seed/seed.js';
import { buildSource } from '../factories/index.js';
import { buildVictim } from '../factories/victims.js';
import { createTestApp, resetDatabase, type TestApp } from '../setup/app.js';

jest.setTimeout(120_000);

interface Entry {
  action: string;
  entity: string;
  entityId: string;
  actor: { id: string } | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason: string | null;
}

/**
 * One write path (issue 21) at bulk speed (issue 22): an import audits each batch as one entry
 * listing every record it created, and a record's history reads the same whichever way it came.
 */
describe('the audit of an import', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => resetDatabase(t.ds));

  const source = SEED.sources.amnesty;
  const csv = (rows: string[]): string =>
    `name_fa,name_en,age,gender,harm,location,source_ids,credibility\n${rows.join('\n')}\n`;
  const history = async (kind: string, id: string): Promise<Entry[]> =>
    (await t.http().get(`/api/${kind}/${id}/history`).expect(200)).body.items as Entry[];
  const created = async (kind: string, id: string): Promise<Entry> => {
    const items = await history(kind, id);
    const c = items.filter((e) => e.action === 'create');
    expect(c).toHaveLength(1);
    return c[0];
  };
  const importedId = async (name: string): Promise<string> =>
    (await t.ds.query<{ id: string }[]>(`SELECT id FROM victims WHERE name_en = $1`, [name]))[0].id;

  it('gives a victim and its attestation created by an import the same entry keys as through the API', async () => {
    const body = buildVictim(source, {
      nameFa: 'رضا معظمی',
      nameEn: 'Reza Moazami',
      age: 29,
      gender: 'male',
      location: 'Marivan',
    });
    const viaApi = (await t.http().post('/api/victims').send(body).expect(201)).body as {
      id: string;
      attestations: { id: string }[];
    };
    await t
      .http()
      .post('/api/imports?kind=victims')
      .set('Content-Type', 'text/csv')
      .send(csv([`رضا معظمی,Reza Moazami Imported,29,male,killed,Marivan,${source},2`]))
      .expect(201);
    const viaImport = await importedId('Reza Moazami Imported');

    const apiEntry = await created('victims', viaApi.id);
    const importEntry = await created('victims', viaImport);
    expect(Object.keys(importEntry.after ?? {}).sort()).toEqual(
      Object.keys(apiEntry.after ?? {}).sort(),
    );
    expect(importEntry).toMatchObject({
      entity: 'victims',
      entityId: viaImport,
      actor: apiEntry.actor,
      before: null,
      after: {
        id: viaImport,
        nameEn: 'Reza Moazami Imported',
        age: 29,
        confidence: 'probable',
        locationId: apiEntry.after?.locationId,
        cityId: apiEntry.after?.cityId,
      },
    });
    expect(importEntry.reason).toMatch(/^import [0-9a-f-]{36} of HTTP upload, line 2$/);

    const [att] = await t.ds.query<{ id: string }[]>(
      `SELECT id FROM attestations WHERE victim_id = $1`,
      [viaImport],
    );
    const apiAtt = await created('attestations', viaApi.attestations[0].id);
    const importAtt = await created('attestations', att.id);
    expect(Object.keys(importAtt.after ?? {}).sort()).toEqual(
      Object.keys(apiAtt.after ?? {}).sort(),
    );
    expect(importAtt).toMatchObject({
      entityId: att.id,
      after: { id: att.id, victimId: viaImport, sourceId: source, credibility: 2 },
    });
    expect(importAtt.reason).toContain('line 2');
  });

  it('writes one entry per batch and table, listing every record created with its line', async () => {
    const rows = Array.from(
      { length: 5 },
      (_, i) => `قربانی ${i},Batch Victim ${i},${20 + i},female,killed,Marivan,${source},3`,
    );
    const res = await t
      .http()
      .post('/api/imports?kind=victims')
      .set('Content-Type', 'text/csv')
      .send(csv(rows))
      .expect(201);
    const importId = (res.body as { importId?: string; id?: string }).importId;
    const entries = await t.ds.query<
      { entity: string; entity_id: string; entity_ids: string[]; lines: Record<string, number> }[]
    >(
      `SELECT entity, entity_id, entity_ids, after->'lines' AS lines FROM audit_log
        WHERE action = 'create' AND entity IN ('victims', 'attestations') AND reason LIKE 'import%'
        ORDER BY entity`,
    );
    expect(entries.map((e) => [e.entity, e.entity_ids.length])).toEqual([
      ['attestations', 5],
      ['victims', 5],
    ]);
    if (importId) expect(entries[1].entity_id).toBe(importId);
    const ids = await t.ds.query<{ id: string; name_en: string }[]>(
      `SELECT id, name_en FROM victims WHERE name_en LIKE 'Batch Victim %' ORDER BY name_en`,
    );
    expect([...entries[1].entity_ids].sort()).toEqual(ids.map((v) => v.id).sort());
    // Line 2 is the first row after the header.
    expect(ids.map((v) => entries[1].lines[v.id])).toEqual([2, 3, 4, 5, 6]);

    // The list of changes shows the batch with its ids and lines, not every record's copy;
    // asked about one record, it shows that record's part.
    const all = (
      (await t.http().get('/api/audit?entity=victims&action=create').expect(200)).body
        .items as Entry[]
    ).filter((e) => e.reason?.startsWith('import'));
    expect(all).toHaveLength(1);
    expect(all[0].after).not.toHaveProperty('records');
    expect(all[0].after).toMatchObject({ file: 'HTTP upload' });
    const one = (await t.http().get(`/api/audit?id=${ids[3].id}`).expect(200)).body
      .items as Entry[];
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({
      entityId: ids[3].id,
      after: { id: ids[3].id, nameEn: 'Batch Victim 3' },
    });
    expect(one[0].reason).toContain('line 5');
  });

  it('gives a seeded record the same entry keys as one created through the API', async () => {
    const made = (await t.http().post('/api/sources').send(buildSource()).expect(201)).body as {
      id: string;
    };
    const api = await created('sources', made.id);
    const seeded = await created('sources', SEED.sources.reuters);
    expect(seeded.reason).toBe('seed');
    expect(Object.keys(seeded.after ?? {}).sort()).toEqual(Object.keys(api.after ?? {}).sort());
    const place = await created('locations', SEED.iran);
    expect(place.after).toMatchObject({ id: SEED.iran, nameEn: 'Iran', kind: 'country' });
  });
});
