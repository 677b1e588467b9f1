import { loadGazetteer, locationSeedId } from '../../seed/gazetteer.js';
import { PlaceMatcher, type PlaceText } from '../../src/imports/place-matcher.js';
import { placeTextOf } from '../../src/imports/replace-places.js';
import { outrankedByMoreExact } from '../../src/locations/location-names.js';

const places = new PlaceMatcher(loadGazetteer().map((p) => ({ ...p })));
const city = (name: string): string => locationSeedId('city', name);
const province = (name: string): string => locationSeedId('province', name);

describe('PlaceMatcher.resolve: free text from the shared lists', () => {
  it.each<[string, PlaceText, string, 'exact' | 'parent']>([
    [
      'a city by its English name',
      { city: 'Ahvaz', province: 'Khuzestan' },
      city('Ahvaz'),
      'exact',
    ],
    [
      'a city by a variant, in any case',
      { city: 'AHWAZ', province: 'Khuzestan' },
      city('Ahvaz'),
      'exact',
    ],
    [
      'a city by its Persian name with Arabic letters and a ZWNJ',
      { cityVerbatim: 'اسلام‌شهر', province: 'تهران' },
      city('Eslamshahr'),
      'exact',
    ],
    [
      'a city named like its province: the city',
      { city: 'Tehran', province: 'Tehran' },
      city('Tehran'),
      'exact',
    ],
    [
      'a variant in parentheses',
      { city: 'Mahshahr (Bandar-e Mahshahr)', province: 'Khuzestan' },
      city('Bandar-e Mahshahr'),
      'exact',
    ],
    [
      'a place and the city containing it, both known',
      { city: 'Fardis (Karaj)', province: 'Alborz' },
      city('Fardis'),
      'exact',
    ],
    [
      'an alias in parentheses',
      { city: 'Shahr-e Qods (Qaleh Hasan Khan)', province: 'Tehran' },
      city('Shahr-e Qods'),
      'exact',
    ],
    [
      'a generic word around a known name',
      { city: 'Shahrak-e Jarahi / Chamran (Mahshahr)', province: 'Khuzestan' },
      city('Shahrak-e Chamran'),
      'exact',
    ],
    [
      'only a province, marked so',
      {
        city: 'Kermanshah (province only)',
        cityVerbatim: 'Kermanshah Province',
        province: 'Kermanshah',
      },
      province('Kermanshah'),
      'exact',
    ],
    ['only a province column', { province: 'Lorestan' }, province('Lorestan'), 'exact'],
    [
      'a neighbourhood in parentheses after a known city',
      { city: 'Isfahan (Zajan)', province: 'Isfahan' },
      city('Isfahan'),
      'parent',
    ],
    [
      'a suburb attached to the city in parentheses',
      { city: 'Golshahr (Karaj)', cityVerbatim: 'گلشهر کرج', province: 'Alborz' },
      city('Karaj'),
      'parent',
    ],
    [
      'a suburb attached through the words of its Persian text',
      { city: 'Andisheh', cityVerbatim: 'شهرک اندیشه کرج', province: 'Alborz' },
      city('Karaj'),
      'parent',
    ],
    [
      'a road attached to the town it starts from',
      { city: 'Malard–Karaj road', province: 'Tehran' },
      city('Malard'),
      'parent',
    ],
    [
      'a square attached to the town its name contains',
      { city: 'Jarahi Sq., opposite the Hamidi reed-bed', province: 'Khuzestan' },
      city('Shahrak-e Chamran'),
      'parent',
    ],
    [
      'a province appended to a Persian address: the province',
      { city: 'Kuhrang', cityVerbatim: 'کوهرنگ اصفهان', province: 'Isfahan' },
      province('Isfahan'),
      'parent',
    ],
    [
      'a town unknown to the gazetteer: its province',
      { city: 'Badrlu', cityVerbatim: 'بدرلو', province: 'Alborz' },
      province('Alborz'),
      'parent',
    ],
    [
      'not a place at all: the province',
      { cityVerbatim: '۱۷ ساله', province: 'Khuzestan' },
      province('Khuzestan'),
      'parent',
    ],
    [
      'a name shared by a province and a town, settled by the province',
      { city: 'Golestan (Baharestan)', province: 'Tehran' },
      city('Baharestan'),
      'exact',
    ],
  ])('%s', (_name, text, id, precision) => {
    const m = places.resolve(text);
    expect(m).toMatchObject({ locationId: id, precision, outcome: precision });
  });

  it('leaves unresolved what neither the text nor the province names, keeping the text', () => {
    expect(places.resolve({ city: 'Atlantis', province: 'Nowhere' })).toEqual({
      locationId: null,
      precision: null,
      outcome: 'unresolved',
      text: 'Atlantis',
    });
    expect(places.resolve({})).toMatchObject({ locationId: null, outcome: 'unresolved', text: '' });
  });

  it('will not choose between two unrelated places of one name', () => {
    // Golestan is a province and, as a variant, a town of Tehran province.
    expect(places.byIdOrName('Golestan')).toBeNull();
    expect(places.byIdOrName('Tehran')?.id).toBe(city('Tehran'));
    expect(places.byIdOrName(province('Fars'))?.nameEn).toBe('Fars');
  });

  it('finds coordinates on the place or its nearest ancestor that has them', () => {
    expect(places.coordinatesOf(city('Karaj'))).toMatchObject({
      lat: 35.8355,
      lon: 51.0103,
      place: { nameEn: 'Karaj' },
    });
    // Fardis had none in the founding file; the national gazetteer gives it its own.
    expect(places.coordinatesOf(city('Fardis'))).toMatchObject({ place: { nameEn: 'Fardis' } });
    // A place without coordinates takes its nearest ancestor's: a district of Fardis.
    const district = new PlaceMatcher([
      ...loadGazetteer(),
      {
        ...loadGazetteer().find((p) => p.id === city('Fardis'))!,
        id: '00000000-0000-4000-8000-00000000000d',
        kind: 'district',
        lat: null,
        lon: null,
        path: [
          ...loadGazetteer().find((p) => p.id === city('Fardis'))!.path,
          '00000000-0000-4000-8000-00000000000d',
        ],
      },
    ]);
    expect(district.coordinatesOf('00000000-0000-4000-8000-00000000000d')).toMatchObject({
      place: { nameEn: 'Fardis' },
    });
    // Provinces have their centroids now: a record placed in a province gets a point.
    expect(places.coordinatesOf(province('Sistan and Baluchestan'))).toMatchObject({
      place: { kind: 'province' },
    });
    expect(places.coordinatesOf('00000000-0000-4000-8000-000000000000')).toBeNull();
  });
});

describe('PlaceMatcher.resolve: the national gazetteer', () => {
  const inProvince = (name: string, prov: string): string =>
    loadGazetteer().find(
      (p) => p.nameEn === name && p.path.includes(province(prov)) && p.kind === 'city',
    )!.id;

  it.each<[string, PlaceText, string, string]>([
    [
      'a city of the later crackdown',
      { city: 'Zahedan', province: 'Sistan va Baluchestan' },
      'Zahedan',
      'exact',
    ],
    [
      'its Persian name',
      { cityVerbatim: 'زاهدان', provinceVerbatim: 'سیستان و بلوچستان' },
      'Zahedan',
      'exact',
    ],
    [
      'a province spelt with va',
      { province: 'Sistan va Baluchestan' },
      'Sistan and Baluchestan',
      'exact',
    ],
    [
      'a province with ZWNJ and و joined',
      { provinceVerbatim: 'سیستان‌وبلوچستان' },
      'Sistan and Baluchestan',
      'exact',
    ],
    [
      'a Persian name typed with a space for the ZWNJ',
      { cityVerbatim: 'ماه شهر', province: 'Khuzestan' },
      'Bandar-e Mahshahr',
      'exact',
    ],
    ['Saqqez', { city: 'Saqqez', province: 'Kurdistan' }, 'Saqqez', 'exact'],
    ['Saqqez in Persian', { cityVerbatim: 'سقز' }, 'Saqqez', 'exact'],
    ['Urmia by an older spelling', { city: 'Orumiyeh' }, 'Urmia', 'exact'],
    ['Piranshahr', { cityVerbatim: 'پیرانشهر', province: 'آذربایجان غربی' }, 'Piranshahr', 'exact'],
    ['Mashhad', { city: 'Mashhad' }, 'Mashhad', 'exact'],
    ['Rasht', { cityVerbatim: 'رشت' }, 'Rasht', 'exact'],
    ['Khash', { city: 'Khash', province: 'Sistan and Baluchestan' }, 'Khash', 'exact'],
    [
      'a misspelling within its province: the closest name',
      { city: 'Zahidan', province: 'Sistan and Baluchestan' },
      'Zahedan',
      'approximate',
    ],
    ['a misspelling anywhere', { city: 'Piranshar' }, 'Piranshahr', 'approximate'],
  ])('%s', (_, text, nameEn, outcome) => {
    const m = places.resolve(text);
    expect(m.outcome).toBe(outcome);
    expect(places.get(m.locationId!)?.nameEn).toBe(nameEn);
    if (outcome === 'approximate') {
      expect(m.precision).toBe('approximate');
      expect(m.suggestion).toBe(nameEn);
    }
  });

  it('tells the two Mahabads apart by the province, and takes neither without one', () => {
    expect(places.resolve({ city: 'Mahabad', province: 'West Azerbaijan' }).locationId).toBe(
      inProvince('Mahabad', 'West Azerbaijan'),
    );
    expect(places.resolve({ city: 'Mahabad', province: 'Isfahan' }).locationId).toBe(
      inProvince('Mahabad', 'Isfahan'),
    );
    expect(places.resolve({ city: 'Mahabad' })).toMatchObject({
      locationId: null,
      outcome: 'unresolved',
    });
  });

  it('takes no other name that shares a start for a misspelling: Shush is not Shushtar', () => {
    const founding = new PlaceMatcher(loadGazetteer().filter((p) => p.nameEn !== 'Shush'));
    expect(founding.resolve({ city: 'Shush', province: 'Khuzestan' })).toMatchObject({
      locationId: province('Khuzestan'),
      outcome: 'parent',
    });
  });

  it('takes no distant guess: a text unlike any name stays unresolved', () => {
    expect(places.resolve({ city: 'Qwertyuiop' })).toMatchObject({ outcome: 'unresolved' });
  });
});

describe('re-placing: the kept place text read back, ambiguity and suggestions', () => {
  it.each<[string, string, PlaceText]>([
    [
      'city and province, as the importer keeps them',
      'Golshahr (Karaj) / گلشهر کرج, Alborz',
      { city: 'Golshahr (Karaj) / گلشهر کرج', province: 'Alborz' },
    ],
    [
      'a Persian province after the comma',
      'زاهدان, سیستان و بلوچستان',
      { city: 'زاهدان', province: 'سیستان و بلوچستان' },
    ],
    ['a comma inside the city text, no province', 'Golshahr, Karaj', { city: 'Golshahr, Karaj' }],
    ['no comma', 'Mahabad', { city: 'Mahabad' }],
  ])('reads %s', (_name, kept, expected) => {
    expect(placeTextOf(kept, places)).toEqual(expected);
  });

  it('resolves the kept text of an import as the import did', () => {
    const row = { city: 'Fardis (Karaj)', cityVerbatim: 'فردیس کرج', province: 'Alborz' };
    const kept = 'Fardis (Karaj) / فردیس کرج, Alborz';
    expect(places.resolve(placeTextOf(kept, places)).locationId).toBe(
      places.resolve(row).locationId,
    );
    expect(places.resolve(placeTextOf(kept, places)).locationId).toBe(city('Fardis'));
  });

  it('lists the candidates of a name several unrelated places share, and none for a chain', () => {
    const mahabads = places.candidatesFor({ city: 'Mahabad' });
    expect(mahabads.map((p) => p.nameEn)).toEqual(['Mahabad', 'Mahabad']);
    expect(new Set(mahabads.map((p) => p.id)).size).toBe(2);
    // Within a province only one is left: not ambiguous.
    expect(places.candidatesFor({ city: 'Mahabad', province: 'West Azerbaijan' })).toEqual([]);
    // Tehran the province holds Tehran the city: one reading, not a choice.
    expect(places.candidatesFor({ city: 'Tehran' })).toEqual([]);
    expect(places.candidatesFor({ city: 'Ahvaz' })).toEqual([]);
  });

  it('suggests the nearest names for a text that resolves to nothing', () => {
    const near = places.suggestionsFor({ city: 'Zaahedan' });
    expect(near.map((p) => [p.kind, p.nameEn])).toEqual([['city', 'Zahedan']]);
    expect(places.suggestionsFor({ city: 'qqqqqq' })).toEqual([]);
  });

  it('reads a county by its name, and never lets a county tie with its seat', () => {
    const county = loadGazetteer().find((p) => p.nameEn === 'Zahedan County')!;
    const zahedan = loadGazetteer().find((p) => p.nameEn === 'Zahedan' && p.kind === 'city')!;
    expect(places.resolve({ city: 'Zahedan County' })).toMatchObject({
      locationId: county.id,
      outcome: 'exact',
    });
    expect(places.resolve({ city: 'شهرستان زاهدان' }).locationId).toBe(county.id);
    expect(places.resolve({ city: 'Zahedan' }).locationId).toBe(zahedan.id);
    expect(places.resolve({ city: 'Zahedann' })).toMatchObject({
      locationId: zahedan.id,
      outcome: 'approximate',
    });
    expect(places.suggestionsFor({ city: 'Zahedan Countyy' })[0].id).toBe(county.id);
  });

  it('on a fuzzy tie takes the more exact kind, whatever the kinds', () => {
    // A province and its capital share every name: "Tehrann" is as near to both.
    expect(places.resolve({ city: 'Tehrann' })).toMatchObject({
      locationId: city('Tehran'),
      outcome: 'approximate',
    });
    expect(places.resolve({ city: 'Kermanshahh' }).locationId).toBe(city('Kermanshah'));
    expect(places.suggestionsFor({ city: 'Tehrann' }).map((p) => [p.kind, p.nameEn])).toEqual([
      ['city', 'Tehran'],
    ]);
    // A district named like its city, a site like its district: the deeper one.
    const karaj = places.get(city('Karaj'))!;
    const district = { ...karaj, id: '00000000-0000-4000-8000-00000000d001', kind: 'district' };
    const nested = new PlaceMatcher([
      ...loadGazetteer().map((p) => ({ ...p })),
      { ...district, parentId: karaj.id, path: [...karaj.path, district.id], depth: 4 },
    ]);
    expect(nested.resolve({ city: 'Karajj' }).locationId).toBe(district.id);
  });
});

describe('outrankedByMoreExact', () => {
  const near = (kind: string, sim: number, id = kind) => ({ place: { id, kind }, sim });
  it('drops a less exact place that a more exact one ties or beats, and only that', () => {
    expect(outrankedByMoreExact([near('county', 0.5), near('city', 0.5)])).toEqual(
      new Set(['county']),
    );
    expect(outrankedByMoreExact([near('county', 0.8), near('city', 0.45)])).toEqual(new Set());
    expect(
      outrankedByMoreExact([
        near('country', 0.4),
        near('province', 0.6),
        near('county', 0.6),
        near('district', 0.55),
        near('site', 0.3),
      ]),
    ).toEqual(new Set(['country', 'province']));
    expect(outrankedByMoreExact([near('city', 0.6, 'a'), near('city', 0.6, 'b')])).toEqual(
      new Set(),
    );
  });
});

describe('a parenthesised place inside the one named', () => {
  it('is the place reported once the gazetteer knows it ("Isfahan (Zajan)")', () => {
    const isfahan = places.resolve({ city: 'Isfahan', province: 'Isfahan' }).locationId!;
    const before = new PlaceMatcher(loadGazetteer().map((p) => ({ ...p })));
    expect(before.resolve({ city: 'Isfahan (Zajan)', province: 'Isfahan' })).toMatchObject({
      locationId: isfahan,
      precision: 'parent',
    });
    const zajan = {
      ...before.get(isfahan)!,
      id: '00000000-0000-4000-8000-00000000aaaa',
      kind: 'district',
      parentId: isfahan,
      path: [...before.get(isfahan)!.path, '00000000-0000-4000-8000-00000000aaaa'],
      depth: before.get(isfahan)!.depth + 1,
      nameEn: 'Zajan',
      nameFa: null,
      namesNorm: ['zajan'],
    };
    const after = new PlaceMatcher([...loadGazetteer().map((p) => ({ ...p })), zajan]);
    expect(after.resolve({ city: 'Isfahan (Zajan)', province: 'Isfahan' })).toMatchObject({
      locationId: zajan.id,
      precision: 'exact',
    });
    // A parenthesised containing city still reads as before: Fardis (Karaj) is Fardis.
    expect(after.resolve({ city: 'Fardis (Karaj)', province: 'Alborz' }).locationId).toBe(
      city('Fardis'),
    );
  });
});
