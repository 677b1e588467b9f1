import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { loadGazetteer } from '../../seed/gazetteer.js';
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

  it('keeps every place the gazetteer had, with its id, kind and name', async () => {
    expect(BEFORE.length).toBe(1819);
    const stored = await t.ds.query<{ id: string; kind: string; name_en: string }[]>(
      `SELECT id::text, kind, name_en FROM locations WHERE id = ANY($1::uuid[])`,
      [BEFORE.map((b) => b.id)],
    );
    const got = new Map(stored.map((s) => [s.id, s]));
    const changed = BEFORE.filter((b) => {
      const s = got.get(b.id);
      return !s || s.kind !== b.kind || s.name_en !== b.name_en;
    });
    expect(changed).toEqual([]);
    const file = new Map(loadGazetteer().map((p) => [p.id, p]));
    expect(
      BEFORE.filter((b) => file.get(b.id)?.nameEn !== b.name_en || file.get(b.id)?.kind !== b.kind),
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
    expect(rows[0].located).toBeGreaterThan(380);
    // Cities are not moved under counties: a city's parent is still its province.
    const [moved] = await t.ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM locations c JOIN locations p ON p.id = c.parent_id
        WHERE c.kind = 'city' AND p.kind = 'county'`,
    );
    expect(moved.n).toBe(0);
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

  it('finds and counts a record placed in a county under its province', async () => {
    const attested = { status: 'verified', sources: [SEED.sources.amnesty] };
    const inCounty = await createVictim(t.ds, { ...attested, locationId: zahedanCounty.id });
    const inCity = await createVictim(t.ds, { ...attested, locationId: zahedanCity.id });
    const { body } = await t
      .http()
      .get(`/api/victims?location=${zahedanCounty.id}&limit=200`)
      .expect(200);
    expect((body.items as Item[]).map((i) => i.id)).toEqual([inCounty]);
    const province = await t.http().get(`/api/victims?location=${sistan.id}&limit=200`).expect(200);
    expect((province.body.items as Item[]).map((i) => i.id).sort()).toEqual(
      [inCounty, inCity].sort(),
    );
    const counts = await t
      .http()
      .get(`/api/counts?category=killed&groupBy=province&location=${zahedanCounty.id}`)
      .expect(200);
    expect((counts.body.buckets as Bucket[]).map((b) => [b.key[0].value, b.count])).toEqual([
      [sistan.id, 1],
    ]);
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

  it('adds the counties to a database seeded before them, audited, once, leaving counts alike', async () => {
    await createVictim(t.ds, {
      locationId: saqqez.id,
      status: 'verified',
      sources: [SEED.sources.amnesty],
    });
    const countsByProvince = async (): Promise<unknown> =>
      (
        (await t.http().get('/api/counts?category=killed&groupBy=province').expect(200)).body
          .buckets as Bucket[]
      ).map((b) => [b.key[0].value, b.count]);
    const before = await countsByProvince();
    // A database as the gazetteer left it before the counties (no record sits in one here).
    await t.ds.query(
      `DELETE FROM victims WHERE location_id IN (SELECT id FROM locations WHERE kind = 'county')`,
    );
    const withoutCounty = await countsByProvince();
    await t.ds.query(`DELETE FROM locations WHERE kind = 'county'`);
    expect(await countsByProvince()).toEqual(withoutCounty);
    const countyIds = loadGazetteer()
      .filter((p) => p.kind === 'county')
      .map((p) => p.id);
    const counties = countyIds.length;
    const auditedCounties = async (): Promise<number> =>
      (
        await t.ds.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM audit_log
            WHERE entity = 'locations' AND action = 'create' AND reason = 'seed' AND entity_id = ANY($1::uuid[])`,
          [countyIds],
        )
      )[0].n;
    const auditedBefore = await auditedCounties();

    const r: SeedResult = { created: 0, present: 0 };
    await t.ds.transaction((m) => seedGazetteer(m, r));
    expect(r.created).toBe(counties);
    expect(r.updated).toBe(0);
    expect((await auditedCounties()) - auditedBefore).toBe(counties);
    expect(await countsByProvince()).toEqual(withoutCounty);

    const again: SeedResult = { created: 0, present: 0 };
    await t.ds.transaction((m) => seedGazetteer(m, again));
    expect(again).toMatchObject({ created: 0, updated: 0 });
    expect(before).not.toEqual(withoutCounty);
  });
});
