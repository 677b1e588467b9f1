import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { loadGazetteer, loadMergedPlaces } from '../../seed/gazetteer.js';
import { SEED, seedGazetteer, type SeedResult } from '../../seed/seed.js';
import { createVictim } from '../factories/counts.js';
import { createTestApp, type TestApp } from '../setup/app.js';

/** The gazetteer as it was before the counties: id, kind and name of each of its 1,819 places. */
const BEFORE = parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'gazetteer-ids-before-counties.csv')),
  { columns: true, skip_empty_lines: true },
) as { id: string; kind: string; name_en: string }[];

const byName = (nameEn: string, kind?: string) => {
  const p = loadGazetteer().find((x) => x.nameEn === nameEn && (!kind || x.kind === kind));
  if (!p) throw new Error(`no ${kind ?? 'place'} ${nameEn} in the gazetteer`);
  return p;
};

type Bucket = { key: { value: string | null; label: string }[]; count: number };
type Item = { id: string };

describe('the counties of the national gazetteer', () => {
  let t: TestApp;
  const sistan = byName('Sistan and Baluchestan', 'province');
  const zahedanCity = byName('Zahedan', 'city');
  const zahedanCounty = byName('Zahedan County', 'county');
  const saqqez = byName('Saqqez', 'city');
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('keeps every place the gazetteer had, with its id, kind and name, but the county entries it merged', async () => {
    expect(BEFORE.length).toBe(1819);
    // The city entries that are their county (seed/county-entries.ts): merged into the county,
    // which answers to their names.
    const merged = new Set(loadMergedPlaces().map((p) => p.id));
    expect(merged.size).toBeGreaterThan(50);
    const file0 = new Map(loadGazetteer().map((p) => [p.id, p]));
    for (const e of loadMergedPlaces()) {
      expect(BEFORE.find((b) => b.id === e.id)?.kind).toBe('city');
      expect(file0.has(e.id)).toBe(false);
      expect(file0.get(e.intoId)?.kind).toBe('county');
      expect(file0.get(e.intoId)?.variantsEn).toContain(e.nameEn);
    }
    const kept = BEFORE.filter((b) => !merged.has(b.id));
    expect(kept.length).toBe(BEFORE.length - merged.size);
    const stored = await t.ds.query<{ id: string; kind: string; name_en: string }[]>(
      `SELECT id::text, kind, name_en FROM locations WHERE id = ANY($1::uuid[])`,
      [kept.map((b) => b.id)],
    );
    const got = new Map(stored.map((s) => [s.id, s]));
    const changed = kept.filter((b) => {
      const s = got.get(b.id);
      return !s || s.kind !== b.kind || s.name_en !== b.name_en;
    });
    expect(changed).toEqual([]);
    const file = new Map(loadGazetteer().map((p) => [p.id, p]));
    expect(
      kept.filter((b) => file.get(b.id)?.nameEn !== b.name_en || file.get(b.id)?.kind !== b.kind),
    ).toEqual([]);
  });

  it('holds the counties of all 31 provinces, each under its province', async () => {
    const rows = await t.ds.query<
      { n: number; provinces: number; misplaced: number; located: number }[]
    >(
      `SELECT count(*)::int AS n, count(DISTINCT c.parent_id)::int AS provinces,
              count(*) FILTER (WHERE p.kind <> 'province' OR c.depth <> 2 OR c.province_id <> p.id)::int AS misplaced,
              count(*) FILTER (WHERE c.lat IS NOT NULL AND c.precision = 'approximate')::int AS located
         FROM locations c JOIN locations p ON p.id = c.parent_id WHERE c.kind = 'county'`,
    );
    expect(rows[0].n).toBeGreaterThanOrEqual(425);
    expect(rows[0].n).toBeLessThanOrEqual(431);
    expect(rows[0].provinces).toBe(31);
    expect(rows[0].misplaced).toBe(0);
    // Every county has a point, marked approximate (a mean of its towns, or a town's point).
    expect(rows[0].located).toBe(rows[0].n);
  });

  it("puts a city under its county, and the county under the city's province", async () => {
    const [chain] = await t.ds.query<{ inCounty: number; wrong: number; left: number }[]>(
      `SELECT count(*) FILTER (WHERE p.kind = 'county')::int AS "inCounty",
              count(*) FILTER (WHERE p.kind = 'county' AND (c.depth <> 3 OR c.province_id <> p.parent_id
                               OR c.path <> p.path || c.id OR c.city_id <> c.id))::int AS wrong,
              count(*) FILTER (WHERE p.kind = 'province')::int AS left
         FROM locations c JOIN locations p ON p.id = c.parent_id WHERE c.kind = 'city'`,
    );
    const file = loadGazetteer();
    const kindOf = new Map(file.map((p) => [p.id, p.kind]));
    // 966 real towns under their county before the Persian names of issue 20's last part, 978 after.
    expect(chain.inCounty).toBe(
      file.filter((p) => p.kind === 'city' && kindOf.get(p.parentId!) === 'county').length,
    );
    expect(chain.inCounty).toBeGreaterThanOrEqual(978);
    expect(chain.wrong).toBe(0);
    expect(chain.inCounty + chain.left).toBe(1787 - loadMergedPlaces().length);
    for (const c of [zahedanCity, saqqez, byName('Tehran', 'city'), byName('Karaj', 'city')])
      expect(loadGazetteer().find((p) => p.id === c.parentId)?.kind).toBe('county');
    expect(zahedanCity.parentId).toBe(zahedanCounty.id);
  });

  it('names a county "X County" / "شهرستان X", so that the bare name stays the city', async () => {
    const county = await t
      .http()
      .get('/api/locations/resolve')
      .query({ name: 'شهرستان زاهدان' })
      .expect(200);
    expect(county.body).toMatchObject({
      id: zahedanCounty.id,
      kind: 'county',
      nameEn: 'Zahedan County',
      parent: { id: sistan.id, kind: 'province' },
      precision: 'approximate',
    });
    expect(county.body.lat).toBeGreaterThan(25);
    expect(county.body.lat).toBeLessThan(32);
    for (const name of ['Zahedan', 'زاهدان']) {
      const city = await t.http().get('/api/locations/resolve').query({ name }).expect(200);
      expect(city.body).toMatchObject({ id: zahedanCity.id, kind: 'city' });
    }
    const en = await t.http().get('/api/locations/resolve').query({ name: 'zahedan county' });
    expect(en.status).toBe(200);
    expect(en.body.id).toBe(zahedanCounty.id);
  });

  it('marks a county named by romanisation as a derived spelling', () => {
    const derived = loadGazetteer().filter(
      (p) => p.kind === 'county' && p.origin.includes('transliterated'),
    );
    expect(derived.length).toBeGreaterThan(0);
    for (const p of derived) expect(p.nameEn).toMatch(/^[A-Z][a-z]*( (va|[A-Z][a-z]*))* County$/);
  });

  it('finds and counts the records of a county and its cities, under its province', async () => {
    const attested = { status: 'verified', sources: [SEED.sources.amnesty] };
    const inCounty = await createVictim(t.ds, { ...attested, locationId: zahedanCounty.id });
    const inCity = await createVictim(t.ds, { ...attested, locationId: zahedanCity.id });
    const { body } = await t
      .http()
      .get(`/api/victims?location=${zahedanCounty.id}&limit=200`)
      .expect(200);
    expect((body.items as Item[]).map((i) => i.id).sort()).toEqual([inCounty, inCity].sort());
    const byCounty = await t
      .http()
      .get(
        `/api/counts?category=killed&groupBy=province&location=${encodeURIComponent('شهرستان زاهدان')}`,
      )
      .expect(200);
    expect((byCounty.body.buckets as Bucket[]).map((b) => [b.key[0].value, b.count])).toEqual([
      [sistan.id, 2],
    ]);
    const province = await t.http().get(`/api/victims?location=${sistan.id}&limit=200`).expect(200);
    expect((province.body.items as Item[]).map((i) => i.id).sort()).toEqual(
      [inCounty, inCity].sort(),
    );
    // By city: a county is no city, so its record is with those of no known city.
    const cities = await t
      .http()
      .get(`/api/counts?category=killed&groupBy=city&location=${sistan.id}`)
      .expect(200);
    expect((cities.body.buckets as Bucket[]).map((b) => [b.key[0].value, b.count]).sort()).toEqual(
      [
        [null, 1],
        [zahedanCity.id, 1],
      ].sort(),
    );
  });

  it('adds the counties to a database seeded before them and moves its towns in, audited, once, leaving counts alike', async () => {
    const attested = { status: 'verified', sources: [SEED.sources.amnesty] };
    await createVictim(t.ds, { ...attested, locationId: saqqez.id });
    // A district a researcher added inside a town: it moves with the town.
    const district = '00000000-0000-4000-8000-0000000d1571';
    await t.ds.query(
      `INSERT INTO locations (id, kind, parent_id, name_en, names_norm, path, depth)
       SELECT $1::uuid, 'district', id, 'Shirabad', '{shirabad}', path || $1::uuid, depth + 1
         FROM locations WHERE id = $2`,
      [district, zahedanCity.id],
    );
    const inDistrict = await createVictim(t.ds, { ...attested, locationId: district });
    const countsByProvince = async (): Promise<unknown> =>
      (
        (await t.http().get('/api/counts?category=killed&groupBy=province').expect(200)).body
          .buckets as Bucket[]
      ).map((b) => [b.key[0].value, b.count]);
    const before = await countsByProvince();
    // A database as the gazetteer left it before the counties: no record in one, every town
    // straight under its province.
    await t.ds.query(
      `DELETE FROM victims WHERE location_id IN (SELECT id FROM locations WHERE kind = 'county')`,
    );
    const withoutCounty = await countsByProvince();
    await t.ds.query(
      `UPDATE locations c SET parent_id = p.parent_id, path = pp.path || c.id, depth = pp.depth + 1
         FROM locations p JOIN locations pp ON pp.id = p.parent_id
        WHERE p.id = c.parent_id AND p.kind = 'county'`,
    );
    await t.ds.query(
      `UPDATE locations d SET path = c.path || d.id, depth = c.depth + 1
         FROM locations c WHERE c.id = d.parent_id AND d.id = $1`,
      [district],
    );
    await t.ds.query(`DELETE FROM locations WHERE kind = 'county'`);
    expect(await countsByProvince()).toEqual(withoutCounty);
    const places = async (): Promise<unknown> =>
      t.ds.query(`SELECT id, location_id FROM victims ORDER BY id`);
    const placesBefore = await places();
    const gazetteer = loadGazetteer();
    const kind = new Map(gazetteer.map((p) => [p.id, p.kind]));
    const countyIds = gazetteer.filter((p) => p.kind === 'county').map((p) => p.id);
    const townsInCounties = gazetteer.filter(
      (p) => p.kind === 'city' && kind.get(p.parentId!) === 'county',
    ).length;
    const audited = async (reason: string, action: string): Promise<number> =>
      (
        await t.ds.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM audit_log
            WHERE entity = 'locations' AND action = $2 AND reason = $1`,
          [reason, action],
        )
      )[0].n;
    const createdBefore = await audited('seed', 'create');

    const r: SeedResult = { created: 0, present: 0 };
    await t.ds.transaction((m) => seedGazetteer(m, r));
    expect(r).toMatchObject({
      created: countyIds.length,
      updated: 0,
      moved: townsInCounties,
      movedBelow: 1,
    });
    expect((await audited('seed', 'create')) - createdBefore).toBe(countyIds.length);
    expect(await audited('seed: the national gazetteer places it in its county', 'update')).toBe(
      townsInCounties,
    );
    expect(await audited('seed: the place it lies in moved into its county', 'update')).toBe(1);
    expect(await countsByProvince()).toEqual(withoutCounty);
    expect(await places()).toEqual(placesBefore);
    const [moved] = await t.ds.query<{ path: string[]; depth: number; province_id: string }[]>(
      `SELECT path::text[], depth, province_id::text FROM locations WHERE id = $1`,
      [district],
    );
    expect(moved).toEqual({
      path: [SEED.iran, sistan.id, zahedanCounty.id, zahedanCity.id, district],
      depth: 4,
      province_id: sistan.id,
    });
    const county = await t
      .http()
      .get(`/api/victims?location=${zahedanCounty.id}&limit=200`)
      .expect(200);
    expect((county.body.items as Item[]).map((i) => i.id)).toContain(inDistrict);
    expect(await t.ds.query(`SELECT * FROM victim_rollup_check()`)).toEqual([]);

    const again: SeedResult = { created: 0, present: 0 };
    await t.ds.transaction((m) => seedGazetteer(m, again));
    expect(again).toMatchObject({ created: 0, updated: 0, moved: 0, movedBelow: 0 });
    expect(before).not.toEqual(withoutCounty);
  });

  it('leaves a town where a researcher moved it', async () => {
    const khash = byName('Khash', 'city');
    const elsewhere = byName('Zahedan County', 'county');
    await t.ds.query(
      `UPDATE locations c SET parent_id = p.id, path = p.path || c.id, depth = p.depth + 1
         FROM locations p WHERE p.id = $2 AND c.id = $1`,
      [khash.id, elsewhere.id],
    );
    const r: SeedResult = { created: 0, present: 0 };
    await t.ds.transaction((m) => seedGazetteer(m, r));
    expect(r.moved).toBe(0);
    const [row] = await t.ds.query<{ parent_id: string }[]>(
      `SELECT parent_id::text FROM locations WHERE id = $1`,
      [khash.id],
    );
    expect(row.parent_id).toBe(elsewhere.id);
  });
});
