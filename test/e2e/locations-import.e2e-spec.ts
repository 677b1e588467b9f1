import { stringify } from 'csv-stringify/sync';
import { locationSeedId } from '../../seed/gazetteer.js';
import { buildSharedRow, countRows, sharedCsv } from '../factories/imports.js';
import { createTestApp, resetDatabase, type TestApp } from '../setup/app.js';

jest.setTimeout(120_000);

const KHUZESTAN = locationSeedId('province', 'Khuzestan');
const AHVAZ = locationSeedId('city', 'Ahvaz');
/** The two towns called Mahabad (Isfahan province; West Azerbaijan). */
const MAHABADS = ['0212bfbd-3b35-510f-bb20-f181f7f718c2', '7a2257dd-6404-592c-8256-878f104d0fc0'];

const COLUMNS = [
  'external_id',
  'kind',
  'name',
  'name_fa',
  'variants',
  'variants_fa',
  'parent',
  'lat',
  'lon',
];
const placesCsv = (rows: Record<string, string>[]): string =>
  stringify(
    rows.map((r) => COLUMNS.map((c) => r[c] ?? '')),
    { header: true, columns: COLUMNS },
  );

/** A village the national gazetteer lacks, with a Persian name written with a ZWNJ. */
const village = {
  external_id: 'v-1',
  kind: 'village',
  name: 'Deh-e Now-e Kheyrabad',
  name_fa: 'ده‌نو خیرآباد',
  variants: 'Dehnow Kheyrabad',
  parent: 'Khuzestan',
  lat: '31.2',
  lon: '48.9',
};

describe('places import (POST /api/imports?kind=locations) and re-placing (POST /api/locations/replace)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => resetDatabase(t.ds));

  const importPlaces = (query: string, csv: string, role: 'admin' | 'reviewer' = 'reviewer') =>
    t
      .as(role)
      .post(`/api/imports?kind=locations&${query}`)
      .set('Content-Type', 'text/csv')
      .send(csv);
  const importVictims = (query: string, csv: string) =>
    t.http().post(`/api/imports?kind=victims&${query}`).set('Content-Type', 'text/csv').send(csv);
  const placeOf = async (name: string) =>
    (
      await t.ds.query<
        {
          id: string;
          location_id: string | null;
          place_precision: string | null;
          version: number;
        }[]
      >(`SELECT id, location_id, place_precision, version FROM victims WHERE name_fa = $1`, [name])
    )[0];

  it('imports places, accounts for every row, and refuses each bad one with its line and reason', async () => {
    const csv = placesCsv([
      village,
      // Its parent is the row below it.
      { external_id: 's-1', kind: 'site', name: 'Kheyrabad Bridge', parent: 'c-1' },
      {
        external_id: 'c-1',
        kind: 'county',
        name: 'Kheyrabad County',
        name_fa: 'شهرستان خیرآباد',
        parent: KHUZESTAN,
      },
      // Ahvaz is there: a new variant is learned (updated), the same row again is present.
      { kind: 'city', name: 'Ahvaz', variants: 'Ahwaz-e Bozorg', parent: 'Khuzestan' },
      { kind: 'city', name: 'Ahvaz', parent: 'Khuzestan' },
      { kind: 'country', name: 'Iraq', name_fa: 'عراق', lat: '33.2', lon: '43.7' },
      { kind: 'hamlet', name: 'Nowhere', parent: 'Khuzestan' },
      { kind: 'village', name: 'Two Mahabads', parent: 'Mahabad' },
      { kind: 'village', name: 'Half a point', parent: 'Khuzestan', lat: '31.1' },
      { kind: 'province', name: 'Under a city', parent: AHVAZ },
    ]);
    const before = await countRows(t.ds, 'locations');
    const res = await importPlaces('mode=skip-invalid', csv);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'locations',
      written: true,
      read: 10,
      imported: 4,
      updated: 1,
      alreadyPresent: 1,
      rejected: 4,
    });
    expect(res.body.read).toBe(
      res.body.imported + res.body.updated + res.body.alreadyPresent + res.body.rejected,
    );
    const rejects = res.body.rejects as { line: number; field: string; reason: string }[];
    expect(rejects.map((r) => [r.line, r.field])).toEqual([
      [8, 'kind'],
      [9, 'parent'],
      [10, 'lon'],
      [11, 'kind'],
    ]);
    // The ambiguous parent lists both candidates with their ids.
    for (const id of MAHABADS) expect(rejects[1].reason).toContain(id);
    expect(await countRows(t.ds, 'locations')).toBe(before + 4);

    // The village sits in Khuzestan, and every spelling finds it: with or without the ZWNJ.
    for (const name of ['ده‌نو خیرآباد', 'ده نو خیرآباد', 'دهنو خیرآباد', 'Dehnow Kheyrabad']) {
      const found = await t.http().get('/api/locations/resolve').query({ name }).expect(200);
      expect(found.body).toMatchObject({
        kind: 'village',
        nameEn: 'Deh-e Now-e Kheyrabad',
        parent: { id: KHUZESTAN },
        lat: 31.2,
        lon: 48.9,
      });
    }
    const bridge = await t
      .http()
      .get('/api/locations/resolve')
      .query({ name: 'Kheyrabad Bridge' })
      .expect(200);
    expect(bridge.body.ancestors.map((a: { nameEn: string }) => a.nameEn)).toEqual([
      'Iran',
      'Khuzestan',
      'Kheyrabad County',
    ]);
    const ahvaz = await t.http().get(`/api/locations/${AHVAZ}`).expect(200);
    expect(ahvaz.body.variantsEn).toContain('Ahwaz-e Bozorg');
    expect(ahvaz.body.version).toBe(2);

    // Audited: a create per new place, an update for the learned variant, the import itself.
    const audit = await t.ds.query<{ action: string; entity: string; n: number }[]>(
      `SELECT action, entity, count(*)::int AS n FROM audit_log
        WHERE (entity = 'locations' AND reason LIKE $1) OR (entity = 'imports' AND entity_id = $2)
        GROUP BY action, entity ORDER BY action, entity`,
      [`import ${res.body.importId as string}%`, res.body.importId],
    );
    expect(audit).toEqual([
      { action: 'create', entity: 'locations', n: 4 },
      { action: 'import', entity: 'imports', n: 1 },
      { action: 'update', entity: 'locations', n: 1 },
    ]);

    // The same file again: every row already present (its own ids find the places it made).
    const again = await importPlaces('mode=skip-invalid', csv);
    expect(again.body).toMatchObject({
      read: 10,
      imported: 0,
      updated: 0,
      alreadyPresent: 6,
      rejected: 4,
    });
    expect(await countRows(t.ds, 'locations')).toBe(before + 4);
  });

  it('reads JSON too: lists as arrays, Persian digits, aliases; an unknown column is reported with the nearest', async () => {
    const res = await t
      .as('reviewer')
      .post('/api/imports?kind=locations&idScope=villages-1403')
      .set('Content-Type', 'application/json')
      .send([
        {
          type: 'village',
          name: 'Qaleh Now-e Jadid',
          nameFa: 'قلعه‌نو جدید',
          variantsFa: ['قلعه نو جدید', 'قلعه‌نوی جدید'],
          parent: 'خوزستان',
          latitude: '۳۱٫۵',
          longitude: '۴۸٫۲',
          externalId: 'QN-1',
          parnet: 'oops',
        },
      ]);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ read: 1, imported: 1, rejected: 0 });
    expect(res.body.unknownColumns).toEqual([{ column: 'parnet', nearest: 'parent' }]);
    const found = await t
      .http()
      .get('/api/locations/resolve')
      .query({ name: 'قلعه نوی جدید' })
      .expect(200);
    expect(found.body).toMatchObject({
      kind: 'village',
      nameFa: 'قلعه‌نو جدید',
      lat: 31.5,
      lon: 48.2,
      parent: { id: KHUZESTAN },
    });
    const [ext] = await t.ds.query<{ scope: string; location_id: string }[]>(
      `SELECT scope, location_id FROM location_external_ids WHERE external_id = 'QN-1'`,
    );
    expect(ext).toEqual({ scope: 'villages-1403', location_id: found.body.id });
  });

  it('all-or-nothing writes nothing when a row is rejected; a dry run reports the same and writes nothing', async () => {
    const before = await countRows(t.ds, 'locations');
    const audits = await countRows(t.ds, 'audit_log');
    const bad = placesCsv([village, { kind: 'village', name: 'Orphan', parent: 'Atlantis' }]);
    const refused = await importPlaces('', bad);
    expect(refused.status).toBe(422);
    expect(refused.body.report).toMatchObject({
      read: 2,
      imported: 1,
      rejected: 1,
      written: false,
    });
    expect(refused.body.errors[0]).toMatchObject({ field: 'parent', line: 3 });
    expect(refused.body.errors[0].reason).toContain('Atlantis');

    const good = placesCsv([village]);
    const dry = await importPlaces('dryRun=true', good);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ read: 1, imported: 1, written: false, dryRun: true });
    expect(await countRows(t.ds, 'locations')).toBe(before);
    expect(await countRows(t.ds, 'audit_log')).toBe(audits);
    const real = await importPlaces('', good);
    expect(real.status).toBe(201);
    expect(real.body).toMatchObject({ read: 1, imported: dry.body.imported, written: true });
  });

  it('needs a reviewer: a researcher gets 403 naming the role, and nothing is written', async () => {
    const before = await countRows(t.ds, 'locations');
    const res = await t
      .as('researcher')
      .post('/api/imports?kind=locations')
      .set('Content-Type', 'text/csv')
      .send(placesCsv([village]));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ requiredRole: 'reviewer' });
    await t.as('researcher').post('/api/locations/replace').expect(403);
    expect(await countRows(t.ds, 'locations')).toBe(before);
  });

  it('re-places the records whose kept text now resolves, audited and version-bumped, with rollups exact', async () => {
    const victims = sharedCsv([
      buildSharedRow({ name_fa: 'الف', city: 'Dehnow Kheyrabad', province: 'Khuzestan' }),
      buildSharedRow({
        name_fa: 'ب',
        city: 'Deh-e Now-e Kheyrabad',
        province: 'Khuzestan',
        source_url: 'https://example.org/list/2',
      }),
      buildSharedRow({
        name_fa: 'پ',
        city: 'Mahabad',
        province: '',
        source_url: 'https://example.org/list/3',
      }),
      buildSharedRow({
        name_fa: 'ت',
        city: 'Qarqarabad',
        province: '',
        source_url: 'https://example.org/list/4',
      }),
    ]);
    const first = await importVictims('mode=skip-invalid', victims);
    expect(first.body.places).toMatchObject({ exact: 0, parent: 2, unresolved: 2 });
    // The import says which names are ambiguous, with the candidates' ids.
    expect(first.body.places.ambiguous).toEqual([
      {
        text: 'Mahabad',
        rows: 1,
        candidates: expect.arrayContaining(
          MAHABADS.map((id): unknown =>
            expect.objectContaining({ id, kind: 'city', nameEn: 'Mahabad' }),
          ),
        ),
      },
    ]);
    expect(first.body.summary.join('\n')).toContain(MAHABADS[1]);
    expect(await placeOf('الف')).toMatchObject({
      location_id: KHUZESTAN,
      place_precision: 'parent',
      version: 1,
    });
    // A reviewer verified one of them: a re-placing leaves it to them.
    await t.ds.query(`UPDATE victims SET status = 'verified' WHERE name_fa = 'ب'`);

    const res = await importPlaces('', placesCsv([village]));
    expect(res.status).toBe(201);
    const r = res.body.replaced;
    expect(r).toMatchObject({ replaced: 1, byPrecision: { exact: 1 }, heldForReview: 1 });
    expect(r.considered).toBe(r.replaced + r.heldForReview + r.unchanged);
    const placed = await placeOf('الف');
    const villageId = r.records[0].to.locationId as string;
    expect(placed).toMatchObject({ location_id: villageId, place_precision: 'exact', version: 2 });
    expect(r.records[0]).toMatchObject({
      victimId: placed.id,
      from: { locationId: KHUZESTAN, precision: 'parent' },
      to: { nameEn: 'Deh-e Now-e Kheyrabad', precision: 'exact' },
    });
    expect(r.held[0].victimId).toBe((await placeOf('ب')).id);
    expect(await placeOf('ب')).toMatchObject({ location_id: KHUZESTAN, version: 1 });
    // Still ambiguous: both Mahabads with their ids; still unresolved: with suggestions.
    const mahabad = (r.ambiguous as { text: string; candidates: { id: string }[] }[]).find(
      (a) => a.text === 'Mahabad',
    );
    expect(mahabad?.candidates.map((c) => c.id).sort()).toEqual([...MAHABADS].sort());
    expect((r.stillUnresolved as { text: string }[]).map((u) => u.text)).toContain('Qarqarabad');
    expect(res.body.summary.join('\n')).toContain('1 re-placed');

    const [audit] = await t.ds.query<{ before: unknown; after: unknown; reason: string }[]>(
      `SELECT before, after, reason FROM audit_log WHERE entity = 'victims' AND action = 'update' AND entity_id = $1`,
      [placed.id],
    );
    expect(audit).toMatchObject({
      before: { locationId: KHUZESTAN, placePrecision: 'parent', version: 1 },
      after: { locationId: villageId, placePrecision: 'exact', version: 2 },
    });
    expect(audit.reason).toContain('Dehnow Kheyrabad');
    expect(await t.ds.query(`SELECT * FROM victim_rollup_check()`)).toEqual([]);
    const byPlace = await t
      .http()
      .get('/api/victims')
      .query({ location: 'ده‌نو خیرآباد' })
      .expect(200);
    expect(byPlace.body.items.map((i: { id: string }) => i.id)).toEqual([placed.id]);
  });

  it('re-places after a variant is learned, on POST /api/locations/replace: dry run first, then once', async () => {
    await importVictims(
      '',
      sharedCsv([buildSharedRow({ name_fa: 'ج', city: 'Oxdarab', province: 'Khuzestan' })]),
    ).expect(201);
    expect(await placeOf('ج')).toMatchObject({ location_id: KHUZESTAN, place_precision: 'parent' });
    const ahvaz = await t.http().get(`/api/locations/${AHVAZ}`).expect(200);
    await t
      .http()
      .patch(`/api/locations/${AHVAZ}`)
      .send({ version: ahvaz.body.version, variantsEn: [...ahvaz.body.variantsEn, 'Oxdarab'] })
      .expect(200);

    const audits = await countRows(t.ds, 'audit_log');
    const dry = await t.as('reviewer').post('/api/locations/replace?dryRun=true').expect(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      written: false,
      replaced: 1,
      byPrecision: { exact: 1 },
    });
    expect(await placeOf('ج')).toMatchObject({ location_id: KHUZESTAN, version: 1 });
    expect(await countRows(t.ds, 'audit_log')).toBe(audits);

    const real = await t.as('reviewer').post('/api/locations/replace').expect(200);
    expect(real.body).toMatchObject({ written: true, replaced: 1 });
    expect(real.body.records).toEqual(dry.body.records);
    expect(await placeOf('ج')).toMatchObject({
      location_id: AHVAZ,
      place_precision: 'exact',
      version: 2,
    });
    const again = await t.as('reviewer').post('/api/locations/replace').expect(200);
    expect(again.body).toMatchObject({ replaced: 0, written: false });
  });

  it('a victims dry run reports every row placed as the import stores it, row by row, re-imports included', async () => {
    const rows = [
      buildSharedRow({ name_fa: 'یک', city: 'Ahvaz', province: 'Khuzestan' }),
      buildSharedRow({
        name_fa: 'دو',
        city: 'Dehnow Kheyrabad',
        province: 'Khuzestan',
        source_url: 'https://example.org/l/2',
      }),
      buildSharedRow({
        name_fa: 'سه',
        city: 'Qarqarabad',
        province: '',
        source_url: 'https://example.org/l/3',
      }),
      buildSharedRow({
        name_fa: 'چهار',
        city: 'Zahidan',
        province: '',
        source_url: 'https://example.org/l/4',
      }),
    ];
    const file = sharedCsv(rows);
    const stored = async () =>
      Object.fromEntries(
        (
          await t.ds.query<
            { name_fa: string; location_id: string | null; place_precision: string | null }[]
          >(`SELECT name_fa, location_id, place_precision FROM victims WHERE name_fa = ANY($1)`, [
            rows.map((r) => r.name_fa),
          ])
        ).map((v) => [
          v.name_fa,
          { locationId: v.location_id, precision: v.location_id ? v.place_precision : null },
        ]),
      );
    const rowsOf = (body: {
      places: { rows: { record: number; locationId: string; precision: string }[] };
    }) =>
      Object.fromEntries(
        body.places.rows.map((p) => [
          rows[p.record - 1].name_fa,
          { locationId: p.locationId, precision: p.precision },
        ]),
      );

    const dry = await importVictims('placeRows=true&dryRun=true', file).expect(200);
    const real = await importVictims('placeRows=true', file).expect(201);
    expect(dry.body.places.rows).toEqual(real.body.places.rows);
    expect(rowsOf(real.body)).toEqual(await stored());
    expect(rowsOf(real.body)['دو']).toEqual({ locationId: KHUZESTAN, precision: 'parent' });

    // The village is added without re-placing: a re-import finds the rows present and reports the
    // places their records hold (not what the text would resolve to now), in a dry run too.
    await importPlaces('replace=false', placesCsv([village])).expect(201);
    const dryAgain = await importVictims('placeRows=true&dryRun=true', file).expect(200);
    const again = await importVictims('placeRows=true', file).expect(201);
    expect(again.body).toMatchObject({ imported: 0, alreadyPresent: 4 });
    expect(dryAgain.body.places.rows).toEqual(again.body.places.rows);
    expect(rowsOf(again.body)).toEqual(await stored());
    expect(again.body.places).toMatchObject({ replaceable: 1, parent: 1 });
    expect(again.body.summary.join('\n')).toContain('locations replace');
  });
});
