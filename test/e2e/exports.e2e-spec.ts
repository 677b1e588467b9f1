import { parse } from 'csv-parse/sync';
import { SEED } from '../../seed/seed.js';
import { locationSeedId } from '../../seed/gazetteer.js';
import { buildOwnVictim, createDistrict, restrictedSource } from '../factories/imports.js';
import { createTestApp, resetDatabase, type TestApp } from '../setup/app.js';

// Imports of hundreds of rows on the embedded engine, on a busy machine, take seconds.
jest.setTimeout(120_000);

const karaj = locationSeedId('city', 'Karaj');
// A province: it has its centroid (the national gazetteer's), where its records are drawn.
const khuzestan = locationSeedId('province', 'Khuzestan');
const SECRET_SOURCE = '7f1c1d0e-95b1-4c8a-9a0e-1d5d8f7e2a01';
const RESTRICTED_TEXT = [
  'Confidential witness W-17',
  'restricted.example.org',
  SECRET_SOURCE,
  'Witness Ali',
  '+98 912',
  'Call back Tuesday',
];

interface Victim {
  id: string;
  name_fa: string;
  attestations: { source_id: string }[];
  [k: string]: unknown;
}

describe('exports', () => {
  let t: TestApp;
  let district: string;
  beforeAll(async () => {
    t = await createTestApp();
    await resetDatabase(t.ds);
    district = await createDistrict(t.ds, karaj, 'Mehrshahr');
    const victims = [
      buildOwnVictim({
        name_fa: 'یک',
        location_id: karaj,
        date_from: '2019-11-16',
        date_to: '2019-11-16',
        witness_names: 'Witness Ali',
        family_contact: '+98 912 000 0000',
        internal_notes: 'Call back Tuesday',
        attestations: [
          { source_url: 'https://example.org/public-list', credibility: 2 },
          { source_id: SECRET_SOURCE, source: restrictedSource(SECRET_SOURCE), credibility: 2 },
        ],
      }),
      buildOwnVictim({
        name_fa: 'دو',
        location_id: district,
        attestations: [{ source_id: SECRET_SOURCE, source: restrictedSource(SECRET_SOURCE) }],
      }),
      buildOwnVictim({
        name_fa: 'سه',
        status: 'draft',
        location_id: khuzestan,
        date_from: '2019-11-18',
        date_to: '2019-11-18',
      }),
      buildOwnVictim({ name_fa: 'چهار', location_id: district }),
      buildOwnVictim({ name_fa: 'پنج' }),
    ];
    await t.http().post('/api/imports?kind=victims').send(victims).expect(201);
    await t
      .http()
      .post('/api/imports?kind=claims')
      .set('Content-Type', 'text/csv')
      .send(
        `source_id,category,qualifier,low,basis,status,location\n${SECRET_SOURCE},killed,at_least,40,leak,verified,Karaj\n`,
      )
      .expect(201);
    // Verified as a reviewer would: an import never verifies (its status column is ignored).
    await t.ds.query(`UPDATE victims SET status = 'verified' WHERE name_fa <> 'سه'`);
    await t.ds.query(`UPDATE count_claims SET status = 'verified' WHERE low = 40`);
  });
  afterAll(() => t.close());

  const json = async (path: string, agent = t.http()): Promise<Victim[]> => {
    const res = await agent.get(path).expect(200);
    return JSON.parse(res.text) as Victim[];
  };

  it('exports every record with restricted fields and sources to those who may see them', async () => {
    const res = await t.http().get('/api/exports/victims?format=json').expect(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="victims-\d{4}-\d{2}-\d{2}\.json"/,
    );
    const rows = JSON.parse(res.text) as Victim[];
    expect(rows.map((r) => r.name_fa).sort()).toEqual(['پنج', 'چهار', 'دو', 'سه', 'یک'].sort());
    const one = rows.find((r) => r.name_fa === 'یک')!;
    expect(one).toMatchObject({
      witness_names: 'Witness Ali',
      internal_notes: 'Call back Tuesday',
      date_label: '2019-11-16',
      date_jalali: '1398-08-25',
      location_name: 'Karaj',
      location_path: 'Iran > Alborz > Karaj County > Karaj',
      // One origin graded B/2 (the restricted witness); the new list source is F, cannot be judged.
      confidence: 'probable',
    });
    expect(one.attestations.map((a) => a.source_id)).toContain(SECRET_SOURCE);
  });

  it.each([
    ['public=true, even for an admin', '/api/exports/victims?format=json&public=true', 'admin'],
    ['a viewer, who may not see restricted data', '/api/exports/victims?format=json', 'viewer'],
  ] as const)(
    'gives %s verified records only, with no restricted field or source',
    async (_name, path, role) => {
      const res = await t.as(role).get(path).expect(200);
      for (const text of RESTRICTED_TEXT) expect(res.text).not.toContain(text);
      const rows = JSON.parse(res.text) as Victim[];
      // دو rests only on the restricted source; سه is a draft.
      expect(rows.map((r) => r.name_fa).sort()).toEqual(['پنج', 'چهار', 'یک'].sort());
      for (const r of rows) {
        for (const f of ['witness_names', 'family_contact', 'internal_notes'])
          expect(r).not.toHaveProperty(f);
      }
      // Confidence is the record's, derived from every attestation, as the API shows it.
      expect(rows.find((r) => r.name_fa === 'یک')!.attestations).toHaveLength(1);
    },
  );

  it('streams CSV with a header; the public one has no restricted column', async () => {
    const full = await t.http().get('/api/exports/victims').expect(200);
    expect(full.headers['content-type']).toContain('text/csv');
    // A UTF-8 byte-order mark first, so that a spreadsheet shows the Persian names.
    expect(full.text.startsWith('\uFEFFid,')).toBe(true);
    const noBom = await t.http().get('/api/exports/victims?bom=false').expect(200);
    expect(noBom.text.startsWith('id,')).toBe(true);
    expect(noBom.text).toBe(full.text.slice(1));
    const fullRows = parse(full.text, { columns: true, bom: true }) as Record<string, string>[];
    expect(fullRows).toHaveLength(5);
    expect(Object.keys(fullRows[0])).toEqual(
      expect.arrayContaining(['witness_names', 'family_contact', 'internal_notes']),
    );

    const pub = await t.http().get('/api/exports/victims?format=csv&public=true').expect(200);
    const [header] = parse(pub.text, { to_line: 1, bom: true }) as string[][];
    expect(header).not.toEqual(expect.arrayContaining(['witness_names']));
    expect(header).toEqual(
      expect.arrayContaining(['id', 'name_fa', 'date_jalali', 'source_url', 'attestations']),
    );
    expect(parse(pub.text, { columns: true, bom: true })).toHaveLength(3);
    for (const text of RESTRICTED_TEXT) expect(pub.text).not.toContain(text);
  });

  it('places GeoJSON features at their place or its nearest ancestor with coordinates, and lists the rest', async () => {
    const res = await t.http().get('/api/exports/victims?format=geojson').expect(200);
    expect(res.headers['content-type']).toContain('application/geo+json');
    const doc = JSON.parse(res.text) as {
      type: string;
      features: { geometry: { coordinates: number[] }; properties: Victim }[];
      unlocated: { records: { name_fa: string; reason: string }[]; count: number };
    };
    expect(doc.type).toBe('FeatureCollection');
    const byName = new Map(doc.features.map((f) => [f.properties.name_fa, f]));
    expect([...byName.keys()].sort()).toEqual(['چهار', 'دو', 'سه', 'یک'].sort());
    expect(byName.get('یک')!.geometry.coordinates).toEqual([51.0103, 35.8355]);
    expect(byName.get('یک')!.properties.coordinates_from).toEqual({
      location_id: karaj,
      name: 'Karaj',
      level: 'self',
      kind: 'city',
      precision: 'centroid',
    });
    expect(byName.get('چهار')!.geometry.coordinates).toEqual([51.0103, 35.8355]);
    expect(byName.get('چهار')!.properties.coordinates_from).toEqual({
      location_id: karaj,
      name: 'Karaj',
      level: 'ancestor',
      kind: 'city',
      precision: 'centroid',
    });
    // A province-level record at the province's centroid, the precision in the properties.
    expect(byName.get('سه')!.geometry.coordinates).toEqual([49.0059, 31.5563]);
    expect(byName.get('سه')!.properties).toMatchObject({
      place_precision: 'exact',
      coordinates_from: {
        location_id: khuzestan,
        level: 'self',
        kind: 'province',
        precision: 'centroid',
      },
    });
    expect(doc.unlocated.count).toBe(1);
    expect(doc.unlocated.records.map((r) => [r.name_fa, r.reason])).toEqual([
      ['پنج', 'no place resolved'],
    ]);
  });

  it('applies the victim filters: a place includes what lies inside it; a date window', async () => {
    const karajRows = await json('/api/exports/victims?format=json&location=Karaj');
    expect(karajRows.map((r) => r.name_fa).sort()).toEqual(['چهار', 'دو', 'یک'].sort());
    const window = await json(
      '/api/exports/victims?format=json&from=1398-08-27%20SH&to=2019-11-30',
    );
    expect(window.map((r) => r.name_fa)).toEqual(['سه']);
    const status = await json('/api/exports/victims?format=json&status=draft');
    expect(status.map((r) => r.name_fa)).toEqual(['سه']);
  });

  it('exports sources and claims, leaving out restricted sources and the claims resting on them in public', async () => {
    const full = JSON.parse(
      (await t.http().get('/api/exports/sources?format=json').expect(200)).text,
    ) as { id: string; internal_notes?: unknown }[];
    expect(full.map((s) => s.id)).toContain(SECRET_SOURCE);
    const pub = await t.http().get('/api/exports/sources?format=json&public=true').expect(200);
    for (const text of RESTRICTED_TEXT) expect(pub.text).not.toContain(text);
    const pubRows = JSON.parse(pub.text) as Record<string, unknown>[];
    expect(pubRows.map((s) => s.id)).toEqual(
      expect.arrayContaining([SEED.sources.amnesty, SEED.sources.reuters]),
    );
    expect(pubRows[0]).not.toHaveProperty('internal_notes');

    const claims = JSON.parse(
      (await t.http().get('/api/exports/claims?format=json').expect(200)).text,
    ) as { source_id: string; figure: string }[];
    expect(claims.find((c) => c.source_id === SECRET_SOURCE)).toMatchObject({
      figure: 'at least 40',
    });
    const pubClaims = await t.anon().get('/api/exports/claims?format=json').expect(401);
    expect(pubClaims.body.statusCode).toBe(401);
    const viewerClaims = await t.as('viewer').get('/api/exports/claims?format=csv').expect(200);
    expect(viewerClaims.text).not.toContain(SECRET_SOURCE);
  });

  it('exports incidents; GeoJSON lists those whose place has no coordinates', async () => {
    const res = await t.http().get('/api/exports/incidents?format=geojson').expect(200);
    const doc = JSON.parse(res.text) as {
      features: unknown[];
      unlocated: { records: { id: string }[]; count: number };
    };
    expect(doc.features).toEqual([]);
    expect(doc.unlocated.records.map((r) => r.id)).toEqual([SEED.incident]);
    const csv = await t.http().get('/api/exports/incidents').expect(200);
    expect(parse(csv.text, { columns: true, bom: true })).toEqual([
      expect.objectContaining({ id: SEED.incident, date_jalali: '1398-08-25 – 1398-08-28' }),
    ]);
  });

  describe('bad input', () => {
    it.each([
      ['an unknown format', '/api/exports/victims?format=xml', 'format'],
      ['a wrong type', '/api/exports/victims?ageMin=old', 'ageMin'],
      ['an out-of-range value', '/api/exports/victims?ageMax=500', 'ageMax'],
      ['an unknown field', '/api/exports/victims?colour=red', 'colour'],
      ['an inverted window', '/api/exports/victims?from=2019-11-19&to=2019-11-15', 'to'],
      ['an unknown place', '/api/exports/victims?location=Atlantis', 'location'],
      ['a bad incident UUID', '/api/exports/victims?incident=42', 'incident'],
      ['a bad public flag', '/api/exports/sources?public=yes', 'public'],
      ['GeoJSON of sources', '/api/exports/sources?format=geojson', 'format'],
      ['a victim filter on claims', '/api/exports/claims?location=Karaj', 'location'],
    ])('answers %s with 400 naming the field', async (_name, path, field) => {
      const res = await t.http().get(path).expect(400);
      expect(res.body.statusCode).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });
});
