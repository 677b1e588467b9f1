import { recordsById, linkRecord } from '../../src/duplicates/duplicates-scan.js';
import { clusterPairs, conflictFacts, linkInMemory } from '../../src/duplicates/linkage.js';
import { nameSearchText } from '../../src/victims/name-search.js';
import { createSource } from '../factories/index.js';
import { PLACES } from '../factories/counts.js';
import { createTestApp, resetDatabase, type TestApp } from '../setup/app.js';

interface Spec {
  en: string;
  from?: string;
  to?: string;
  place?: string;
  gender?: string;
  age?: number;
  ageMin?: number;
  ageMax?: number;
}

/**
 * The scan leaves out in SQL, before any scoring, the pairs the score would veto whatever their
 * names (duplicates-scan.ts NOT_VETOED). Each case sits on one side of a veto's edge; the scan
 * must keep exactly the pairs the score keeps when the same records are linked in memory.
 */
describe('record linkage: the vetoes applied before the scoring', () => {
  let t: TestApp;
  const ids = new Map<string, string[]>();

  beforeAll(async () => {
    t = await createTestApp();
    await resetDatabase(t.ds);
    const sources = [
      (await createSource(t.ds, { title: 'List A', publisher: 'A' })).id,
      (await createSource(t.ds, { title: 'List B', publisher: 'B' })).id,
    ];
    const month = { from: '2019-11-01', to: '2019-11-30' };
    const cases: Record<string, [Spec, Spec]> = {
      agesFiveApart: [
        { en: 'Kaveh Rostami', age: 30 },
        { en: 'Kaveh Rostami', age: 35 },
      ],
      agesSixApart: [
        { en: 'Omid Karimi', age: 30 },
        { en: 'Omid Karimi', age: 36 },
      ],
      genders: [
        { en: 'Sara Tehrani', gender: 'female' },
        { en: 'Sara Tehrani', gender: 'male' },
      ],
      genderUnknown: [{ en: 'Navid Sadeghi', gender: 'male' }, { en: 'Navid Sadeghi' }],
      ageRangeSixApart: [
        { en: 'Arash Moradi', ageMin: 20, ageMax: 25 },
        { en: 'Arash Moradi', age: 31 },
      ],
      ageRangeFiveApart: [
        { en: 'Babak Nouri', ageMin: 20, ageMax: 25 },
        { en: 'Babak Nouri', age: 30 },
      ],
      aDayApart: [
        { en: 'Reza Jafari', from: '2019-11-16' },
        { en: 'Reza Jafari', from: '2019-11-17' },
      ],
      // A common name (twelve records): the same city and day, ages within two years.
      commonCityAgesTwo: [
        { en: 'Mohammad Ahmadi', age: 30 },
        { en: 'Mohammad Ahmadi', age: 32 },
      ],
      commonCityAgesThree: [
        { en: 'Mohammad Ahmadi', place: PLACES.ahvaz, age: 30 },
        { en: 'Mohammad Ahmadi', place: PLACES.ahvaz, age: 33 },
      ],
      // Placed at a province: ages on both within a year.
      commonProvinceAgesOne: [
        { en: 'Mohammad Ahmadi', place: PLACES.khuzestan, age: 40 },
        { en: 'Mohammad Ahmadi', place: PLACES.khuzestan, age: 41 },
      ],
      commonProvinceAgesTwo: [
        { en: 'Mohammad Ahmadi', place: PLACES.fars, age: 40 },
        { en: 'Mohammad Ahmadi', place: PLACES.fars, age: 42 },
      ],
      // The same month as written: with ages on both, not without.
      commonMonthWithAges: [
        { en: 'Mohammad Ahmadi', place: PLACES.shiraz, ...month, age: 50 },
        { en: 'Mohammad Ahmadi', place: PLACES.shiraz, ...month, age: 51 },
      ],
      commonMonthNoAges: [
        { en: 'Mohammad Ahmadi', place: PLACES.tehranCity, ...month },
        { en: 'Mohammad Ahmadi', place: PLACES.tehranCity, ...month },
      ],
    };
    for (const [label, pair] of Object.entries(cases)) {
      const made: string[] = [];
      for (const [i, v] of pair.entries()) {
        const from = v.from ?? '2019-11-16';
        const [row] = await t.ds.query<{ id: string }[]>(
          `INSERT INTO victims (name_en, name_search, harm, date_from, date_to, date_precision, location_id,
                                status, gender, age, age_min, age_max)
           VALUES ($1, $2, 'killed', $3::date, $4::date, $5, $6::uuid, 'submitted', $7, $8, $9, $10) RETURNING id`,
          [
            v.en,
            nameSearchText([v.en]),
            from,
            v.to ?? from,
            v.to ? 'month' : 'day',
            v.place ?? PLACES.mahshahr,
            v.gender ?? null,
            v.age ?? null,
            v.ageMin ?? null,
            v.ageMax ?? null,
          ],
        );
        await t.ds.query(
          `INSERT INTO attestations (source_id, victim_id, credibility) VALUES ($1, $2, 2)`,
          [sources[i], row.id],
        );
        made.push(row.id);
      }
      ids.set(label, made.sort());
    }
  });

  afterAll(async () => {
    await t.close();
  });

  it('keeps the pairs the score keeps, and only those', async () => {
    const scan = (await t.as('reviewer').post('/api/duplicates/scan').expect(200)).body as {
      pairs: number;
      refused: number;
    };
    const rows = await t.ds.query<{ cluster_id: string; victim_id: string }[]>(
      `SELECT cluster_id, victim_id FROM duplicate_cluster_members ORDER BY victim_id`,
    );
    const byCluster = new Map<string, string[]>();
    for (const r of rows)
      byCluster.set(r.cluster_id, [...(byCluster.get(r.cluster_id) ?? []), r.victim_id]);
    const scanned = [...byCluster.values()].map((m) => m.join(' ')).sort();

    const label = new Map([...ids].map(([k, v]) => [v.join(' '), k]));
    expect(scanned.map((s) => label.get(s) ?? s).sort()).toEqual(
      [
        'genderUnknown',
        'aDayApart',
        'commonCityAgesTwo',
        'commonProvinceAgesOne',
        'commonMonthWithAges',
      ].sort(),
    );

    // The same records linked in memory (every pair of a block scored, nothing left out first).
    const records = (await recordsById(t.ds, [...ids.values()].flat())).map(linkRecord);
    const facts = new Map(records.map((r) => [r.id, conflictFacts(r)]));
    const kept = linkInMemory(records);
    // Ages five years apart are not vetoed by the score: the pairs are kept, and the clustering
    // then refuses them (records more than two years apart are not made one cluster).
    const pairs = kept.map((p) => label.get(`${p.a} ${p.b}`)).sort();
    expect(pairs).toEqual(
      [
        'agesFiveApart',
        'ageRangeFiveApart',
        'genderUnknown',
        'aDayApart',
        'commonCityAgesTwo',
        'commonProvinceAgesOne',
        'commonMonthWithAges',
      ].sort(),
    );
    expect(scan).toMatchObject({ pairs: kept.length, refused: 2 });
    const inMemory = clusterPairs(kept, (id) => facts.get(id))
      .map((c) => c.members.join(' '))
      .sort();
    expect(scanned).toEqual(inMemory);
  });
});
