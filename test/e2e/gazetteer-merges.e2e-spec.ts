import { loadGazetteer, loadMergedPlaces, namesNormOf } from '../../seed/gazetteer.js';
import { SEED, seedGazetteer, type SeedResult } from '../../seed/seed.js';
import { createClaim, createVictim } from '../factories/counts.js';
import { createIncident } from '../factories/places-claims.js';
import { createTestApp, type TestApp } from '../setup/app.js';

type Bucket = { key: { value: string | null; label: string }[]; count: number };

const merged = (nameEn: string) => {
  const e = loadMergedPlaces().find((p) => p.nameEn === nameEn);
  if (!e) throw new Error(`${nameEn} is not a merged entry`);
  const county = loadGazetteer().find((p) => p.id === e.intoId)!;
  return { e, county };
};

describe('the city entries of the gazetteer that are their county', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /** The entry as an earlier gazetteer seeded it: a city, under `parentId`, with its names. */
  const seedOld = async (nameEn: string, nameFa: string | null, parentId: string) => {
    const { e } = merged(nameEn);
    const names = namesNormOf({ nameEn, nameFa, variantsEn: [], variantsFa: [] });
    await t.ds.query(
      `INSERT INTO locations (id, kind, parent_id, name_en, name_fa, names_norm, path, depth, lat, lon, precision)
       SELECT $1::uuid, 'city', p.id, $2, $3, $4::text[], p.path || $1::uuid, p.depth + 1, 29.28, 51.2, 'centroid'
         FROM locations p WHERE p.id = $5`,
      [e.id, nameEn, nameFa, names, parentId],
    );
    return e.id;
  };

  it('lists each as a variant of its county, and names no town', () => {
    const { e, county } = merged('Dashtestan');
    expect(county).toMatchObject({ kind: 'county', nameEn: 'Dashtestan County' });
    expect(county.variantsEn).toContain('Dashtestan');
    expect(county.variantsFa).toContain('دشتستان');
    expect(county.origin).toContain('merged-county-entry');
    expect(loadGazetteer().some((p) => p.id === e.id)).toBe(false);
    // A county whose seat bears its name keeps its town (iran-cities lists "بندردیلم" in it).
    for (const town of ['Deylam', 'Genaveh', 'Kangan', 'Jask', 'Dayyer', 'Galugah'])
      expect(loadGazetteer().find((p) => p.nameEn === town)?.kind).toBe('city');
  });

  it("resolves the entry's name to the county", async () => {
    const { county } = merged('Dashtestan');
    for (const name of ['Dashtestan', 'دشتستان']) {
      const r = await t.http().get('/api/locations/resolve').query({ name }).expect(200);
      expect(r.body).toMatchObject({ id: county.id, kind: 'county', precision: 'approximate' });
    }
  });

  it('gives a county the seed named by romanisation before its seat was known its new name as a variant', async () => {
    const county = loadGazetteer().find((p) => p.nameEn === 'Haftkel County')!;
    expect(county.origin).not.toContain('transliterated');
    // As the gazetteer before issue 20's last part named it.
    await t.ds.query(
      `UPDATE locations SET name_en = 'Hftgl County', variants_en = '{}',
              names_norm = ARRAY['hftgl county', 'شهرستان هفتگل'] WHERE id = $1`,
      [county.id],
    );
    const r: SeedResult = { created: 0, present: 0 };
    await t.ds.transaction((m) => seedGazetteer(m, r));
    const [row] = await t.ds.query<{ name_en: string; variants_en: string[] }[]>(
      `SELECT name_en, variants_en FROM locations WHERE id = $1`,
      [county.id],
    );
    expect(row).toEqual({
      name_en: 'Hftgl County',
      variants_en: ['Haftkel County', ...county.variantsEn],
    });
    const found = await t.http().get('/api/locations/resolve').query({ name: 'Haftkel County' });
    expect([found.status, found.body.id]).toEqual([200, county.id]);
  });

  it('merges such a place of a database seeded before into its county, its records and places with it, audited, once', async () => {
    const dashtestan = merged('Dashtestan');
    const tangestan = merged('Tangestan');
    const bushehr = dashtestan.county.parentId!;
    // Dashtestan as the last gazetteer left it (under its county), Tangestan as the one before
    // (under the province), Kiar moved by a researcher into another county: left alone.
    const x = await seedOld('Dashtestan', 'دشتستان', dashtestan.county.id);
    const y = await seedOld('Tangestan', 'تنگستان', bushehr);
    const zahedanCounty = loadGazetteer().find((p) => p.nameEn === 'Zahedan County')!;
    const k = await seedOld('Kiar', 'کیار', zahedanCounty.id);
    await t.ds.query(
      `UPDATE locations SET variants_en = '{Dashtistan}', names_norm = names_norm || '{dashtistan}' WHERE id = $1`,
      [x],
    );
    const attested = { status: 'verified', sources: [SEED.sources.amnesty] };
    const v1 = await createVictim(t.ds, { ...attested, locationId: x });
    const v2 = await createVictim(t.ds, { ...attested, locationId: y });
    const district = '00000000-0000-4000-8000-0000000d0a57';
    await t.ds.query(
      `INSERT INTO locations (id, kind, parent_id, name_en, names_norm, path, depth)
       SELECT $1::uuid, 'district', id, 'Borazjan Bazaar', '{borazjan bazaar}', path || $1::uuid, depth + 1
         FROM locations WHERE id = $2`,
      [district, x],
    );
    const v3 = await createVictim(t.ds, { ...attested, locationId: district });
    const incident = await createIncident(t.ds, { locationId: x });
    const claim = await createClaim(t.ds, { locationId: y, low: 12 });
    await t.ds.query(
      `INSERT INTO location_external_ids (scope, external_id, location_id) VALUES ('list.csv', 'p-17', $1)`,
      [x],
    );
    const byProvince = async (): Promise<unknown> =>
      (
        (await t.http().get('/api/counts?category=killed&groupBy=province').expect(200)).body
          .buckets as Bucket[]
      ).map((b) => [b.key[0].value, b.count]);
    const before = await byProvince();
    const cityBuckets = async (): Promise<unknown> =>
      (
        (
          await t
            .http()
            .get(`/api/counts?category=killed&groupBy=city&location=${bushehr}`)
            .expect(200)
        ).body.buckets as Bucket[]
      ).map((b) => [b.key[0].value, b.count]);
    expect(await cityBuckets()).toEqual(expect.arrayContaining([[x, 2]]));

    const r: SeedResult = { created: 0, present: 0 };
    await t.ds.transaction((m) => seedGazetteer(m, r));
    expect(r).toMatchObject({ merged: 2, mergedRecords: 4, mergedBelow: 1 });

    const gone = await t.ds.query<{ id: string }[]>(
      `SELECT id::text FROM locations WHERE id = ANY($1::uuid[])`,
      [[x, y, k]],
    );
    expect(gone.map((g) => g.id)).toEqual([k]);
    const placed = await t.ds.query<{ id: string; location_id: string; version: number }[]>(
      `SELECT id::text, location_id::text, version FROM victims WHERE id = ANY($1::uuid[]) ORDER BY id`,
      [[v1, v2, v3]],
    );
    expect(new Map(placed.map((p) => [p.id, p.location_id]))).toEqual(
      new Map([
        [v1, dashtestan.county.id],
        [v2, tangestan.county.id],
        [v3, district],
      ]),
    );
    const [inc] = await t.ds.query<{ location_id: string }[]>(
      `SELECT location_id::text FROM incidents WHERE id = $1`,
      [incident.id],
    );
    expect(inc.location_id).toBe(dashtestan.county.id);
    const [cl] = await t.ds.query<{ location_id: string }[]>(
      `SELECT location_id::text FROM count_claims WHERE id = $1`,
      [claim.id],
    );
    expect(cl.location_id).toBe(tangestan.county.id);
    const [d] = await t.ds.query<{ parent_id: string; path: string[]; depth: number }[]>(
      `SELECT parent_id::text, path::text[], depth FROM locations WHERE id = $1`,
      [district],
    );
    expect(d).toEqual({
      parent_id: dashtestan.county.id,
      path: [SEED.iran, bushehr, dashtestan.county.id, district],
      depth: 3,
    });
    // The county answers to every name the place had, a researcher's included, and to its id.
    const [county] = await t.ds.query<{ variants_en: string[]; names_norm: string[] }[]>(
      `SELECT variants_en, names_norm FROM locations WHERE id = $1`,
      [dashtestan.county.id],
    );
    expect(county.variants_en).toEqual(expect.arrayContaining(['Dashtestan', 'Dashtistan']));
    expect(county.names_norm).toContain('dashtistan');
    const ext = await t.ds.query<{ scope: string; external_id: string; location_id: string }[]>(
      `SELECT scope, external_id, location_id::text FROM location_external_ids
        WHERE location_id = ANY($1::uuid[]) ORDER BY scope, external_id`,
      [[dashtestan.county.id, tangestan.county.id]],
    );
    expect(ext).toEqual(
      [
        { scope: 'gazetteer-merged', external_id: x, location_id: dashtestan.county.id },
        { scope: 'gazetteer-merged', external_id: y, location_id: tangestan.county.id },
        { scope: 'list.csv', external_id: 'p-17', location_id: dashtestan.county.id },
      ].sort((a, b) => (a.scope + a.external_id).localeCompare(b.scope + b.external_id)),
    );
    // Audited: each record moved, the district moved, the county renamed, the place deleted.
    const audit = await t.ds.query<{ entity: string; action: string; n: number }[]>(
      `SELECT entity, action, count(*)::int AS n FROM audit_log
        WHERE reason LIKE 'seed: the national gazetteer merged%' GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(audit).toEqual([
      { entity: 'count_claims', action: 'update', n: 1 },
      { entity: 'incidents', action: 'update', n: 1 },
      { entity: 'locations', action: 'delete', n: 2 },
      { entity: 'locations', action: 'update', n: 2 },
      { entity: 'victims', action: 'update', n: 2 },
    ]);
    // Counted where they were, in their province; no longer in a "city" that was never a town.
    expect(await byProvince()).toEqual(before);
    expect(await cityBuckets()).not.toEqual(expect.arrayContaining([[x, 2]]));
    expect(await t.ds.query(`SELECT * FROM victim_rollup_check()`)).toEqual([]);
    const resolved = await t.http().get('/api/locations/resolve').query({ name: 'Dashtistan' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.id).toBe(dashtestan.county.id);

    const again: SeedResult = { created: 0, present: 0 };
    await t.ds.transaction((m) => seedGazetteer(m, again));
    expect(again).toMatchObject({ merged: 0, mergedRecords: 0, mergedBelow: 0, moved: 0 });
  });
});
