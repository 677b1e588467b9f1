import { hydrate, prefixedColumns } from '../../src/database/hydrate.js';
import { LocationEntity } from '../../src/locations/location.entity.js';
import { VictimEntity } from '../../src/victims/victim.entity.js';
import { createSource } from '../factories/index.js';
import { PLACES, createVictims } from '../factories/counts.js';
import { createTestApp, type TestApp } from '../setup/app.js';

/**
 * hydrate (src/database/hydrate.ts) turns a raw joined row into entities, as the victims list
 * does to read a page with its records in one statement: the entities must be exactly those
 * TypeORM's own find returns, every column and type (dates as text, timestamps as Date,
 * arrays, numbers, booleans, nulls).
 */
describe('hydrate: raw rows into entities', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    const source = (await createSource(t.ds, { title: 'Hydrate list' })).id;
    await createVictims(t.ds, 3, {
      locationId: PLACES.shiraz,
      date: ['2019-11-14', '2019-11-18'],
      precision: 'range',
      gender: 'female',
      age: 31,
      ageBand: '25-34',
      perpetrator: 'irgc',
      cause: 'gunshot_head',
      sources: [source],
    });
    await createVictims(t.ds, 2, { locationId: null, date: null, sources: [source] });
    await t.ds.query(
      `UPDATE victims SET name_variants = ARRAY['Variant one', 'واریانت'], armed = false,
                          witness_names = 'W', internal_notes = 'N', age_min = 30, age_max = 32
        WHERE id = (SELECT min(id::text)::uuid FROM victims)`,
    );
  });

  afterAll(async () => {
    await t?.close();
  });

  it('gives the same victims and places as TypeORM, and null for a place not joined', async () => {
    const m = t.ds.manager;
    const rows = await m.query<Record<string, unknown>[]>(
      `SELECT v.*, ${prefixedColumns(m, LocationEntity, 'l', 'l_')}
         FROM victims v LEFT JOIN locations l ON l.id = v.location_id ORDER BY v.id`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(5);
    const victims = await m.getRepository(VictimEntity).find({ order: { id: 'ASC' } });
    expect(rows.map((r) => hydrate(m, VictimEntity, r))).toEqual(victims);
    const places = new Map((await m.getRepository(LocationEntity).find()).map((l) => [l.id, l]));
    for (const r of rows) {
      const place = hydrate(m, LocationEntity, r, 'l_');
      if (r.location_id === null) expect(place).toBeNull();
      else expect(place).toEqual(places.get(r.location_id as string));
    }
    const sample = victims.find((v) => v.nameVariants.length === 2)!;
    expect(sample).toMatchObject({ armed: false, ageMin: 30, ageMax: 32 });
    expect(sample.createdAt).toBeInstanceOf(Date);
  });

  it('reads only the columns asked for, leaving the others unset', () => {
    const m = t.ds.manager;
    const list = prefixedColumns(m, LocationEntity, 'l', 'p_', ['id', 'name_en']);
    expect(list).toBe(`l."id" AS "p_id", l."name_en" AS "p_name_en"`);
    const place = hydrate(m, LocationEntity, { p_id: PLACES.shiraz, p_name_en: 'Shiraz' }, 'p_');
    expect(place).toMatchObject({ id: PLACES.shiraz, nameEn: 'Shiraz' });
    expect(place?.nameFa).toBeUndefined();
  });
});
