import { loadGazetteer } from '../../seed/gazetteer.js';
import { SEED } from '../../seed/seed.js';
import {
  buildLocation,
  countRows,
  createClaim,
  createIncident,
  createLocation,
  PLACES,
} from '../factories/places-claims.js';
import { createTestApp, type TestApp } from '../setup/app.js';

const ZWNJ = '\u200c';
const MISSING = '00000000-0000-4000-8000-000000000000';
const MAHSHAHR_COUNTY = loadGazetteer().find((p) => p.nameEn === 'Bandar-e Mahshahr County')!.id;

type Problem = { field: string; reason: string };
const fields = (body: { errors: Problem[] }): string[] => body.errors.map((e) => e.field);

describe('locations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('resolve', () => {
    it.each([
      ['Mahshahr', PLACES.mahshahr],
      ['Bandar-e Mahshahr', PLACES.mahshahr],
      ['Bandar Mahshahr', PLACES.mahshahr],
      ['bandar-e MAHSHAHR', PLACES.mahshahr],
      ['   Bandar-e    Mahshahr  ', PLACES.mahshahr],
      ['ماهشهر', PLACES.mahshahr],
      ['بندر ماهشهر', PLACES.mahshahr],
      [`ماه${ZWNJ}شهر`, PLACES.mahshahr],
      ['  بندر   ماهشهر ', PLACES.mahshahr],
      ['معشور', PLACES.mahshahr],
      [`اسلام${ZWNJ}شهر`, PLACES.eslamshahr],
      ['اسلامشهر', PLACES.eslamshahr],
      ['Islamshahr', PLACES.eslamshahr],
      ['كرج', PLACES.karaj], // Arabic kaf
      ['شيراز', PLACES.shiraz], // Arabic yeh
      ['Khūzestān', PLACES.khuzestan], // Latin diacritics
      ['خوزِستان', PLACES.khuzestan], // kasra
      [PLACES.mahshahr, PLACES.mahshahr],
    ])('resolves %j', async (name, id) => {
      const res = await t.http().get('/api/locations/resolve').query({ name }).expect(200);
      expect(res.body).toMatchObject({ id });
      expect(res.body.ancestors.map((a: { id: string }) => a.id)).toEqual(
        res.body.path.slice(0, -1),
      );
    });

    it('returns the place with its names, parent and ancestry', async () => {
      const res = await t
        .http()
        .get('/api/locations/resolve')
        .query({ name: 'ماهشهر' })
        .expect(200);
      expect(res.body).toMatchObject({
        id: PLACES.mahshahr,
        kind: 'city',
        nameEn: 'Bandar-e Mahshahr',
        nameFa: 'بندر ماهشهر',
        variantsEn: ['Mahshahr', 'Bandar Mahshahr', "Ma'shour", 'Mashoor'],
        // The town lies in its county, the county in the province (seed/place-cities.ts).
        parent: { id: MAHSHAHR_COUNTY, kind: 'county', nameEn: 'Bandar-e Mahshahr County' },
        ancestors: [
          { id: PLACES.iran, nameEn: 'Iran' },
          { id: PLACES.khuzestan, nameEn: 'Khuzestan' },
          { id: MAHSHAHR_COUNTY, nameEn: 'Bandar-e Mahshahr County' },
        ],
        path: [PLACES.iran, PLACES.khuzestan, MAHSHAHR_COUNTY, PLACES.mahshahr],
        depth: 3,
        lat: 30.5589,
        lon: 49.1981,
        version: 1,
      });
    });

    it('answers an ambiguous Golestan with 400 listing the candidates, their ids and parents', async () => {
      const res = await t
        .http()
        .get('/api/locations/resolve')
        .query({ name: 'Golestan' })
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'ambiguous' });
      expect(res.body.errors[0].field).toBe('name');
      expect(res.body.candidates).toHaveLength(2);
      expect(res.body.candidates).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            id: PLACES.golestanProvince,
            kind: 'province',
            parent: { id: PLACES.iran, nameEn: 'Iran' },
          }),
          expect.objectContaining({
            id: PLACES.baharestan,
            kind: 'city',
            parent: expect.objectContaining({ nameEn: 'Baharestan County' }),
          }),
        ]),
      );
    });

    it.each([
      ['Tehran', PLACES.tehranProvince, PLACES.tehranCity],
      ['تهران', PLACES.tehranProvince, PLACES.tehranCity],
      ['كرمانشاه', PLACES.kermanshahProvince, PLACES.kermanshahCity], // Arabic kaf: same places as کرمانشاه
    ])(
      'resolves %j, a province and its capital, to the province with the city to narrow to',
      async (name, province, city) => {
        const res = await t.http().get('/api/locations/resolve').query({ name }).expect(200);
        expect(res.body).toMatchObject({
          id: province,
          kind: 'province',
          resolvedAs: 'containing',
          alternatives: [{ id: city, kind: 'city' }],
        });
        expect(res.body.note).toContain(city);
      },
    );

    it.each([
      ['Sistan va Baluchestan', 'Sistan and Baluchestan', undefined],
      ['Sistan and Baluchestan', 'Sistan and Baluchestan', undefined],
      ['سیستان‌وبلوچستان', 'Sistan and Baluchestan', undefined],
      ['Kohgiluyeh-o-Boyer Ahmad', 'Kohgiluyeh and Boyer-Ahmad', 'spelling'],
      ['ماه شهر', 'Bandar-e Mahshahr', 'spelling'],
      ['Zahedan', 'Zahedan', undefined],
      ['زاهدان', 'Zahedan', undefined],
      ['Urmia', 'Urmia', undefined],
      ['Orumiyeh', 'Urmia', undefined],
      ['سقز', 'Saqqez', undefined],
    ])('resolves %j through the national gazetteer', async (name, nameEn, resolvedAs) => {
      const res = await t.http().get('/api/locations/resolve').query({ name }).expect(200);
      expect(res.body.nameEn).toBe(nameEn);
      expect(res.body.resolvedAs).toBe(resolvedAs);
    });

    it('gives provinces coordinates (their centroids) and cities their parents', async () => {
      const res = await t
        .http()
        .get('/api/locations/resolve')
        .query({ name: 'Sistan and Baluchestan' })
        .expect(200);
      expect(res.body).toMatchObject({ kind: 'province', precision: 'centroid' });
      expect(res.body.lat).toBeCloseTo(28.13, 1);
      const count = await t.ds.query<{ provinces: number; cities: number }[]>(
        `SELECT count(*) FILTER (WHERE kind = 'province')::int AS provinces,
                count(*) FILTER (WHERE kind = 'city')::int AS cities FROM locations`,
      );
      expect(count[0].provinces).toBe(31);
      expect(count[0].cities).toBeGreaterThan(1700);
    });

    it('answers an unknown place with 400 and suggestions', async () => {
      const res = await t
        .http()
        .get('/api/locations/resolve')
        .query({ name: 'Mahshar' })
        .expect(400);
      expect(res.body).toMatchObject({ code: 'validation', errors: [{ field: 'name' }] });
      expect(res.body.suggestions).toContain('Bandar-e Mahshahr');
      expect(res.body.message).toContain('Bandar-e Mahshahr');
    });

    it('answers an unknown id with 400 and a missing name with 400', async () => {
      const unknown = await t
        .http()
        .get('/api/locations/resolve')
        .query({ name: MISSING })
        .expect(400);
      expect(fields(unknown.body)).toEqual(['name']);
      const missing = await t.http().get('/api/locations/resolve').expect(400);
      expect(fields(missing.body)).toContain('name');
    });
  });

  describe('type-ahead', () => {
    const suggest = async (q: string, extra: Record<string, string> = {}) =>
      (
        await t
          .http()
          .get('/api/locations')
          .query({ q, ...extra })
          .expect(200)
      ).body as {
        total: number;
        items: {
          id: string;
          nameEn: string;
          parent: { nameEn: string } | null;
          ancestors: { nameEn: string }[];
          matched: { name: string; match: string };
        }[];
      };

    it.each([
      ['mahs', 'Mahshahr', 'prefix'],
      ['Mahsh', 'Mahshahr', 'prefix'],
      ['ماه', 'ماهشهر', 'prefix'],
      [`ماه${ZWNJ}ش`, 'ماهشهر', 'prefix'],
      ['ماهشهر', 'ماهشهر', 'exact'],
      ['bandar-e mah', 'Bandar-e Mahshahr', 'prefix'],
    ])('suggests Bandar-e Mahshahr first for %j', async (q, name, match) => {
      const body = await suggest(q);
      expect(body.items[0]).toMatchObject({
        id: PLACES.mahshahr,
        parent: { nameEn: 'Bandar-e Mahshahr County' },
        matched: { name, match },
      });
      expect(body.items[0].ancestors.map((a) => a.nameEn)).toContain('Khuzestan');
    });

    it('suggests every Bandar for "bandar", each with its parent names', async () => {
      const body = await suggest('bandar');
      const names = body.items.map((i) => i.nameEn);
      expect(names).toEqual(
        expect.arrayContaining(['Bandar-e Mahshahr', 'Bandar Abbas', 'Bandar-e Imam Khomeini']),
      );
      const abbas = body.items.find((i) => i.nameEn === 'Bandar Abbas');
      expect(abbas?.parent?.nameEn).toBe('Bandar Abbas County');
      expect(abbas?.ancestors.map((a) => a.nameEn)).toEqual([
        'Iran',
        'Hormozgan',
        'Bandar Abbas County',
      ]);
      expect(body.total).toBe(body.items.length);
    });

    it('ranks the start of a name above the start of a later word', async () => {
      // With the national gazetteer "mah" starts a dozen names (Mahabad, Mahan, Mah Velat …).
      const body = await suggest('mah');
      expect(body.items.map((i) => i.id)).toContain(PLACES.mahshahr);
      const ranks = body.items.map((i) => i.matched.match);
      expect(
        ranks.indexOf('similar') === -1 || ranks.indexOf('similar') > ranks.indexOf('prefix'),
      ).toBe(true);
    });

    it('tolerates a misspelling', async () => {
      const body = await suggest('mahshar');
      expect(body.items.map((i) => i.id)).toContain(PLACES.mahshahr);
    });

    it('narrows by kind: Tehran the province', async () => {
      const body = await suggest('tehran', { kind: 'province' });
      expect(body.items.map((i) => i.id)).toEqual([PLACES.tehranProvince]);
    });

    it('answers a query with no letters with 400', async () => {
      const res = await t.http().get('/api/locations').query({ q: '--' }).expect(400);
      expect(fields(res.body)).toEqual(['q']);
    });
  });

  describe('list', () => {
    it('lists a province’s direct children by parent name, with pagination', async () => {
      const all = await t
        .http()
        .get('/api/locations')
        .query({ parent: 'Khuzestan', limit: 200 })
        .expect(200);
      const [{ n }] = await t.ds.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM locations WHERE parent_id = $1`,
        [PLACES.khuzestan],
      );
      expect(n).toBeGreaterThan(10);
      expect(all.body.total).toBe(n);
      expect(
        all.body.items.every((i: { parent: { id: string } }) => i.parent.id === PLACES.khuzestan),
      ).toBe(true);
      const page = await t
        .http()
        .get('/api/locations')
        .query({ parent: 'Khuzestan', limit: 5, offset: 5 })
        .expect(200);
      expect(page.body).toMatchObject({ total: n, limit: 5, offset: 5 });
      expect(page.body.items.map((i: { id: string }) => i.id)).toEqual(
        all.body.items.slice(5, 10).map((i: { id: string }) => i.id),
      );
    });

    it('lists everything within a place at any depth', async () => {
      const res = await t
        .http()
        .get('/api/locations')
        .query({ within: PLACES.iran, kind: 'province', limit: 200 })
        .expect(200);
      expect(res.body.total).toBe(31);
    });

    it('answers an ambiguous parent with 400 and an unknown kind with 400', async () => {
      const ambiguous = await t
        .http()
        .get('/api/locations')
        .query({ parent: 'Tehran' })
        .expect(400);
      expect(ambiguous.body.code).toBe('ambiguous');
      const kind = await t.http().get('/api/locations').query({ kind: 'hamlet' }).expect(400);
      expect(fields(kind.body)).toEqual(['kind']);
      const limit = await t.http().get('/api/locations').query({ limit: 500 }).expect(400);
      expect(fields(limit.body)).toEqual(['limit']);
    });
  });

  describe('create', () => {
    it('creates a city under a province named in Persian, findable by any of its spellings', async () => {
      const res = await t
        .http()
        .post('/api/locations')
        .send({
          kind: 'city',
          parent: 'خوزستان',
          nameEn: 'Chamran Township',
          nameFa: 'شهرک چمران‌آباد',
          variantsEn: ['Chamranabad '],
          variantsFa: ['چمران آباد'],
          lat: 30.6,
          lon: 49.2,
          precision: 'approximate',
        })
        .expect(201);
      expect(res.body).toMatchObject({
        kind: 'city',
        nameEn: 'Chamran Township',
        variantsEn: ['Chamranabad'],
        parent: { id: PLACES.khuzestan },
        path: [PLACES.iran, PLACES.khuzestan, res.body.id],
        depth: 2,
        lat: 30.6,
        precision: 'approximate',
        version: 1,
      });
      const byArabic = await t
        .http()
        .get('/api/locations/resolve')
        .query({ name: 'شهرك چمرانآباد' })
        .expect(200);
      expect(byArabic.body.id).toBe(res.body.id);
      const typed = await t.http().get('/api/locations').query({ q: 'chamranab' }).expect(200);
      expect(typed.body.items[0].id).toBe(res.body.id);
      const audit = await t.ds.query<object[]>(
        `SELECT action, entity FROM audit_log WHERE entity_id = $1`,
        [res.body.id],
      );
      expect(audit).toEqual([{ action: 'create', entity: 'locations' }]);
    });

    it('lets a city sit straight under a province and a district under a city', async () => {
      const city = await t.http().post('/api/locations').send(buildLocation()).expect(201);
      const district = await t
        .http()
        .post('/api/locations')
        .send({ kind: 'district', parent: city.body.id, nameEn: 'Old quarter' })
        .expect(201);
      expect(district.body.path).toEqual([
        PLACES.iran,
        PLACES.khuzestan,
        city.body.id,
        district.body.id,
      ]);
      expect(district.body.ancestors.map((a: { nameEn: string }) => a.nameEn)).toEqual([
        'Iran',
        'Khuzestan',
        city.body.nameEn,
      ]);
    });

    it.each([
      ['a province under a city', { kind: 'province', parent: PLACES.mahshahr }],
      ['a city under a city', { kind: 'city', parent: PLACES.mahshahr }],
      ['a country under a country', { kind: 'country', parent: PLACES.iran }],
    ])('refuses %s with 422 and writes nothing', async (_name, patch) => {
      const before = await countRows(t.ds, 'locations');
      const res = await t.http().post('/api/locations').send(buildLocation(patch)).expect(422);
      expect(res.body).toMatchObject({ code: 'unprocessable', errors: [{ field: 'parent' }] });
      expect(res.body.errors[0].reason).toContain(
        'country > province > county > city > village > district > site',
      );
      expect(await countRows(t.ds, 'locations')).toBe(before);
    });

    it('requires a parent for every kind but country, and makes a country a root', async () => {
      const res = await t
        .http()
        .post('/api/locations')
        .send(buildLocation({ parent: undefined }))
        .expect(400);
      expect(fields(res.body)).toEqual(['parent']);
      const country = await t
        .http()
        .post('/api/locations')
        .send({ kind: 'country', nameEn: 'Iraq', nameFa: 'عراق' })
        .expect(201);
      expect(country.body).toMatchObject({
        parent: null,
        ancestors: [],
        depth: 0,
        path: [country.body.id],
      });
    });

    describe('bad input', () => {
      it.each([
        ['an unknown kind', { kind: 'hamlet' }, 'kind'],
        ['a wrong type', { nameEn: 42 }, 'nameEn'],
        ['a string for a number', { lat: '30.5', lon: 49 }, 'lat'],
        ['an out-of-range latitude', { lat: 91, lon: 49 }, 'lat'],
        ['an out-of-range longitude', { lat: 30, lon: -181 }, 'lon'],
        ['lat without lon', { lat: 30 }, 'lon'],
        ['a precision without coordinates', { precision: 'exact' }, 'precision'],
        ['an empty name', { nameEn: '  ' }, 'nameEn'],
        ['an empty variant', { variantsEn: ['ok', ''] }, 'variantsEn'],
        ['variants that are not a list', { variantsFa: 'ماهشهر' }, 'variantsFa'],
        ['an unknown field', { population: 100000 }, 'population'],
        ['an unknown parent name', { parent: 'Atlantis' }, 'parent'],
        ['an ambiguous parent name', { parent: 'Tehran' }, 'parent'],
      ])('rejects %s with 400 naming the field and writes nothing', async (_name, patch, field) => {
        const before = await countRows(t.ds, 'locations');
        const res = await t.http().post('/api/locations').send(buildLocation(patch)).expect(400);
        expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
        expect(fields(res.body)).toContain(field);
        expect(await countRows(t.ds, 'locations')).toBe(before);
      });

      it('rejects an unknown parent id with 422', async () => {
        const res = await t
          .http()
          .post('/api/locations')
          .send(buildLocation({ parent: MISSING }))
          .expect(422);
        expect(res.body.errors).toEqual([
          { field: 'parent', reason: `no location with id ${MISSING}` },
        ]);
      });

      it('answers a bad UUID with 400 and an unknown id with 404', async () => {
        const bad = await t.http().get('/api/locations/not-a-uuid').expect(400);
        expect(fields(bad.body)).toEqual(['id']);
        const missing = await t.http().get(`/api/locations/${MISSING}`).expect(404);
        expect(missing.body.code).toBe('not_found');
        await t
          .http()
          .patch(`/api/locations/${MISSING}`)
          .send({ version: 1, nameEn: 'x' })
          .expect(404);
      });
    });
  });

  describe('update', () => {
    it('renames with the current version, recomputes the matching names, and refuses a stale version', async () => {
      const place = await createLocation(t.ds, { nameEn: 'Oldname' });
      const ok = await t
        .http()
        .patch(`/api/locations/${place.id}`)
        .send({ version: 1, nameEn: 'Newname', nameFa: 'نام‌نو' })
        .expect(200);
      expect(ok.body).toMatchObject({ nameEn: 'Newname', nameFa: 'نام‌نو', version: 2 });
      await t.http().get('/api/locations/resolve').query({ name: 'نامنو' }).expect(200);
      await t.http().get('/api/locations/resolve').query({ name: 'Oldname' }).expect(400);
      const stale = await t
        .http()
        .patch(`/api/locations/${place.id}`)
        .send({ version: 1, nameEn: 'Other' })
        .expect(409);
      expect(stale.body).toMatchObject({ code: 'version_conflict', currentVersion: 2 });
      const missing = await t
        .http()
        .patch(`/api/locations/${place.id}`)
        .send({ nameEn: 'Other' })
        .expect(400);
      expect(fields(missing.body)).toContain('version');
    });

    it('moves a place with its whole subtree', async () => {
      const county = await createLocation(t.ds, { kind: 'county', nameEn: 'Test County' });
      const city = await createLocation(t.ds, { nameEn: 'Movedabad' });
      const district = await createLocation(t.ds, {
        kind: 'district',
        parentId: city.id,
        nameEn: 'Moved quarter',
      });
      const site = await createLocation(t.ds, {
        kind: 'site',
        parentId: district.id,
        nameEn: 'Moved square',
      });

      const res = await t
        .http()
        .patch(`/api/locations/${city.id}`)
        .send({ version: 1, parent: county.id })
        .expect(200);
      expect(res.body).toMatchObject({
        parent: { id: county.id },
        depth: 3,
        path: [PLACES.iran, PLACES.khuzestan, county.id, city.id],
      });

      const d = await t.http().get(`/api/locations/${district.id}`).expect(200);
      expect(d.body).toMatchObject({
        depth: 4,
        path: [PLACES.iran, PLACES.khuzestan, county.id, city.id, district.id],
      });
      const s = await t.http().get(`/api/locations/${site.id}`).expect(200);
      expect(s.body).toMatchObject({
        depth: 5,
        path: [PLACES.iran, PLACES.khuzestan, county.id, city.id, district.id, site.id],
      });
      expect(s.body.ancestors.map((a: { nameEn: string }) => a.nameEn)).toEqual([
        'Iran',
        'Khuzestan',
        'Test County',
        'Movedabad',
        'Moved quarter',
      ]);

      const within = await t.http().get('/api/locations').query({ within: county.id }).expect(200);
      expect(within.body.items.map((i: { id: string }) => i.id).sort()).toEqual(
        [city.id, district.id, site.id].sort(),
      );
      const audit = await t.ds.query<{ entity_id: string }[]>(
        `SELECT entity_id, reason FROM audit_log WHERE entity = 'locations' AND action = 'update' AND entity_id = ANY($1::uuid[])`,
        [[city.id, district.id, site.id]],
      );
      expect(audit).toHaveLength(3);
    });

    it('moves a city back up under its province, and its district follows', async () => {
      const county = await createLocation(t.ds, { kind: 'county', nameEn: 'Another County' });
      const city = await createLocation(t.ds, { parentId: county.id, nameEn: 'Upabad' });
      const district = await createLocation(t.ds, { kind: 'district', parentId: city.id });
      await t
        .http()
        .patch(`/api/locations/${city.id}`)
        .send({ version: 1, parent: 'Khuzestan' })
        .expect(200);
      const d = await t.http().get(`/api/locations/${district.id}`).expect(200);
      expect(d.body).toMatchObject({
        depth: 3,
        path: [PLACES.iran, PLACES.khuzestan, city.id, district.id],
      });
    });

    it('refuses to make a place its own parent or its own descendant (422), changing nothing', async () => {
      const city = await createLocation(t.ds, { nameEn: 'Loopabad' });
      const district = await createLocation(t.ds, { kind: 'district', parentId: city.id });
      const site = await createLocation(t.ds, { kind: 'site', parentId: district.id });
      const self = await t
        .http()
        .patch(`/api/locations/${city.id}`)
        .send({ version: 1, parent: city.id })
        .expect(422);
      expect(self.body.errors).toEqual([
        { field: 'parent', reason: 'a place cannot be its own parent' },
      ]);
      const below = await t
        .http()
        .patch(`/api/locations/${district.id}`)
        .send({ version: 1, parent: site.id })
        .expect(422);
      expect(below.body.errors[0]).toMatchObject({ field: 'parent' });
      expect(below.body.errors[0].reason).toContain('own descendant');
      const after = await t.http().get(`/api/locations/${district.id}`).expect(200);
      expect(after.body).toMatchObject({
        version: 1,
        path: [PLACES.iran, PLACES.khuzestan, city.id, district.id],
      });
    });

    it('refuses a kind that no longer sits below its parent or above its children', async () => {
      const city = await createLocation(t.ds, { nameEn: 'Kindabad' });
      await createLocation(t.ds, { kind: 'district', parentId: city.id, nameEn: 'Kind quarter' });
      const up = await t
        .http()
        .patch(`/api/locations/${city.id}`)
        .send({ version: 1, kind: 'province' })
        .expect(422);
      expect(fields(up.body)).toEqual(['parent']);
      const down = await t
        .http()
        .patch(`/api/locations/${city.id}`)
        .send({ version: 1, kind: 'site' })
        .expect(422);
      expect(down.body.errors[0]).toMatchObject({ field: 'kind' });
      expect(down.body.errors[0].reason).toContain('the district Kind quarter');
      const county = await t
        .http()
        .patch(`/api/locations/${city.id}`)
        .send({ version: 1, kind: 'county' })
        .expect(200);
      expect(county.body).toMatchObject({ kind: 'county', version: 2 });
    });

    it('refuses to clear a required name or unpair coordinates', async () => {
      const res = await t
        .http()
        .patch(`/api/locations/${PLACES.mahshahr}`)
        .send({ version: 1, nameEn: null })
        .expect(400);
      expect(fields(res.body)).toEqual(['nameEn']);
      const coords = await t
        .http()
        .patch(`/api/locations/${PLACES.mahshahr}`)
        .send({ version: 1, lat: null })
        .expect(400);
      expect(fields(coords.body)).toEqual(['lat']);
    });
  });

  describe('delete', () => {
    it('deletes an unreferenced place with its version', async () => {
      const place = await createLocation(t.ds);
      const stale = await t.http().delete(`/api/locations/${place.id}?version=2`).expect(409);
      expect(stale.body.code).toBe('version_conflict');
      await t.http().delete(`/api/locations/${place.id}?version=1`).expect(204);
      await t.http().get(`/api/locations/${place.id}`).expect(404);
      const audit = await t.ds.query<object[]>(
        `SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`,
        [place.id],
      );
      expect(audit).toEqual([{ action: 'delete' }]);
    });

    it('refuses while places sit inside it', async () => {
      const city = await createLocation(t.ds);
      await createLocation(t.ds, { kind: 'district', parentId: city.id });
      await createLocation(t.ds, { kind: 'site', parentId: city.id });
      const res = await t.http().delete(`/api/locations/${city.id}?version=1`).expect(409);
      expect(res.body).toMatchObject({
        code: 'conflict',
        references: { children: 2, victims: 0, incidents: 0, claims: 0 },
        errors: [{ field: 'id', reason: 'referenced by 2 children' }],
      });
      expect(res.body.message).toContain('2 place(s) inside it');
    });

    it('refuses while an incident or a claim is about it', async () => {
      const a = await createLocation(t.ds);
      await createIncident(t.ds, { locationId: a.id });
      const byIncident = await t.http().delete(`/api/locations/${a.id}?version=1`).expect(409);
      expect(byIncident.body.references).toMatchObject({ incidents: 1 });
      const b = await createLocation(t.ds);
      await createClaim(t.ds, { locationId: b.id });
      const byClaim = await t.http().delete(`/api/locations/${b.id}?version=1`).expect(409);
      expect(byClaim.body.references).toMatchObject({ claims: 1 });
      expect(byClaim.body.message).toContain('1 claims');
      await t.http().get(`/api/locations/${b.id}`).expect(200);
    });

    it('refuses the country the founding case is scoped to', async () => {
      const res = await t.http().delete(`/api/locations/${SEED.iran}?version=1`).expect(409);
      expect(res.body.references).toMatchObject({ incidents: 1, claims: 3 });
    });

    it('requires the version', async () => {
      const place = await createLocation(t.ds);
      const res = await t.http().delete(`/api/locations/${place.id}`).expect(400);
      expect(fields(res.body)).toContain('version');
    });
  });

  describe('roles', () => {
    it('lets a viewer read and refuses a viewer’s write', async () => {
      await t.as('viewer').get(`/api/locations/${PLACES.mahshahr}`).expect(200);
      await t.as('viewer').post('/api/locations').send(buildLocation()).expect(403);
      await t.as('researcher').post('/api/locations').send(buildLocation()).expect(201);
    });

    it('leaves deleting a place to a reviewer', async () => {
      const place = await createLocation(t.ds);
      const refused = await t
        .as('researcher')
        .delete(`/api/locations/${place.id}?version=1`)
        .expect(403);
      expect(refused.body.requiredRole).toBe('reviewer');
      await t.http().get(`/api/locations/${place.id}`).expect(200);
      await t.as('reviewer').delete(`/api/locations/${place.id}?version=1`).expect(204);
      await t.http().get(`/api/locations/${place.id}`).expect(404);
    });
  });
});
