import { createSource } from '../factories/index.js';
import { PLACES, createPlace, createVictims } from '../factories/counts.js';
import { createTestApp, type TestApp } from '../setup/app.js';

interface Page {
  items: { id: string }[];
  nextCursor: string | null;
}

/**
 * Victims carry their city (migration 1764000005200), and a date-sorted page of a city with
 * districts is read span by span: the pages must be exactly those of a plain sort.
 */
describe('victims of a city, by date', () => {
  let t: TestApp;
  let district: string;
  let source: string;

  const cityOf = async (id: string): Promise<string | null> =>
    (
      await t.ds.query<{ city_id: string | null }[]>(`SELECT city_id FROM victims WHERE id = $1`, [
        id,
      ])
    )[0].city_id;

  beforeAll(async () => {
    t = await createTestApp();
    source = (await createSource(t.ds, { title: 'City list' })).id;
    district = await createPlace(t.ds, {
      kind: 'district',
      parentId: PLACES.shiraz,
      nameEn: 'Span district',
    });
    const at = (locationId: string, date: [string, string] | null, n: number) =>
      createVictims(t.ds, n, { locationId, date, sources: [source], status: 'verified' });
    // Days, short ranges, months and a year, in the city and in its district; one undated.
    await at(PLACES.shiraz, ['2019-11-16', '2019-11-16'], 3);
    await at(district, ['2019-11-17', '2019-11-17'], 2);
    await at(district, ['2019-11-14', '2019-11-18'], 2);
    await at(PLACES.shiraz, ['2019-11-01', '2019-11-30'], 2);
    await at(district, ['2019-01-01', '2019-12-31'], 1);
    await at(PLACES.shiraz, ['2019-12-20', '2019-12-20'], 2);
    await at(PLACES.shiraz, null, 1);
    // Elsewhere: never in the city's pages.
    await at(PLACES.ahvaz, ['2019-11-16', '2019-11-16'], 2);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('keeps each victim’s city, through its district, a move, and a place moved', async () => {
    const [inDistrict] = await createVictims(t.ds, 1, { locationId: district, sources: [source] });
    const [inProvince] = await createVictims(t.ds, 1, {
      locationId: PLACES.fars,
      sources: [source],
    });
    expect(await cityOf(inDistrict)).toBe(PLACES.shiraz);
    expect(await cityOf(inProvince)).toBeNull();
    await t.ds.query(`UPDATE victims SET location_id = $2 WHERE id = $1`, [
      inProvince,
      PLACES.ahvaz,
    ]);
    expect(await cityOf(inProvince)).toBe(PLACES.ahvaz);
    // A district moved to another city takes its victims with it.
    const moved = await createPlace(t.ds, {
      kind: 'district',
      parentId: PLACES.shiraz,
      nameEn: 'Moving district',
    });
    const [mover] = await createVictims(t.ds, 1, { locationId: moved, sources: [source] });
    expect(await cityOf(mover)).toBe(PLACES.shiraz);
    const [ahvaz] = await t.ds.query<{ path: string[] }[]>(
      `SELECT path FROM locations WHERE id = $1`,
      [PLACES.ahvaz],
    );
    await t.ds.query(`UPDATE locations SET parent_id = $2, path = $3 WHERE id = $1`, [
      moved,
      PLACES.ahvaz,
      [...ahvaz.path, moved],
    ]);
    expect(await cityOf(mover)).toBe(PLACES.ahvaz);
    await t.ds.query(`DELETE FROM attestations WHERE victim_id = ANY($1::uuid[])`, [
      [inDistrict, inProvince, mover],
    ]);
    await t.ds.query(`DELETE FROM victims WHERE id = ANY($1::uuid[])`, [
      [inDistrict, inProvince, mover],
    ]);
  });

  /** Every page of a query, following the cursor. */
  async function allPages(query: string, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 50; i++) {
      const res = await t
        .http()
        .get(`/api/victims?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      const page = res.body as Page;
      ids.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    return ids;
  }

  /** The same list sorted plainly in SQL: the city and its district, overlapping the window. */
  async function expected(
    from: string | null,
    to: string | null,
    desc: boolean,
  ): Promise<string[]> {
    const dir = desc ? 'DESC' : 'ASC';
    const rows = await t.ds.query<{ id: string }[]>(
      `SELECT v.id FROM victims v JOIN locations l ON l.id = v.location_id
        WHERE l.path @> ARRAY[$1::uuid] AND v.merged_into IS NULL AND v.status <> 'retracted'
          AND ($2::date IS NULL OR v.date_to >= $2::date) AND ($3::date IS NULL OR v.date_from <= $3::date)
        ORDER BY v.date_from ${dir} NULLS LAST, v.id ${dir}`,
      [PLACES.shiraz, from, to],
    );
    return rows.map((r) => r.id);
  }

  it.each([
    ['2019-11-15', '2019-11-17'],
    ['2019-11-18', '2019-11-30'],
    ['2019-12-01', '2020-01-31'],
    ['2019-06-01', '2019-06-30'],
  ])(
    'pages a window %s..%s in date order, span by span, as a plain sort would',
    async (from, to) => {
      const want = await expected(from, to, false);
      expect(want.length).toBeGreaterThan(0);
      for (const limit of [1, 2, 5, 50]) {
        expect(await allPages(`location=Shiraz&from=${from}&to=${to}&sort=date`, limit)).toEqual(
          want,
        );
      }
      expect(await allPages(`location=Shiraz&from=${from}&to=${to}&sort=-date`, 3)).toEqual(
        await expected(from, to, true),
      );
    },
  );

  it('pages the whole city without a window, the undated record last', async () => {
    const want = await expected(null, null, false);
    expect(await allPages(`location=Shiraz&sort=date`, 4)).toEqual(want);
  });
});
