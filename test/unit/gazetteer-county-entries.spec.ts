import type { CountyPlace } from '../../seed/build-counties.js';
import { isCountyEntry, locateCounties, mergeCountyEntries } from '../../seed/county-entries.js';
import { loadGazetteer, loadMergedPlaces } from '../../seed/gazetteer.js';

const place = (
  p: Partial<CountyPlace> & Pick<CountyPlace, 'id' | 'kind' | 'nameEn'>,
): CountyPlace => ({
  variantsEn: [],
  nameFa: null,
  variantsFa: [],
  parentId: null,
  lat: null,
  lon: null,
  origin: new Set(),
  ...p,
});

describe('isCountyEntry: a city entry named after its county is the county unless a town bears the name', () => {
  it.each([
    // iran-cities' towns of the county; the county's seat has another name.
    ['دشتستان', ['برازجان', 'آب پخش', 'دالکی', 'سعدآباد'], true],
    ['تنگستان', ['اهرم', 'دلوار', 'آباد'], true],
    ['ساوجبلاغ', ['چهارباغ', 'شهرجدیدهشتگرد', 'کوهسار', 'گلسار', 'هشتگرد'], true],
    ['کوثر', ['گیوی'], true],
    ['دشتی', ['بادوله', 'خورموج', 'شنبه', 'کاکی'], true],
    // A port town called Bandar X, written joined or apart.
    ['دیلم', ['امام حسن', 'بندردیلم'], false],
    ['گناوه', ['بندرریگ', 'بندرگناوه'], false],
    ['جاسک', ['بندر جاسک'], false],
    // The seat bears the county's name.
    ['گلوگاه', ['گلوگاه'], false],
    ['زاهدان', ['زاهدان', 'نصرت آباد'], false],
    // Spelling variants the ledger folds (ی/ي, ک/ك, ZWNJ, spaces).
    ['کنگان', ['بندركنگان', 'بنک'], false],
    ['خرم‌بید', ['صفاشهر', 'قادرآباد'], true],
    ['خرم‌بید', ['خرم بید'], false],
    // "خداجو(خراجو)": a town with two names is both.
    ['خراجو', ['خداجو(خراجو)'], false],
    // A county with no town listed at all is its own entry.
    ['میاندورود', [], true],
  ])('%s with towns %j → %s', (county, towns, expected) => {
    expect(isCountyEntry(county, towns)).toBe(expected);
  });
});

describe('mergeCountyEntries', () => {
  const build = () => {
    const province = place({ id: 'p', kind: 'province', nameEn: 'Bushehr' });
    const county = place({
      id: 'c',
      kind: 'county',
      nameEn: 'Dashtestan County',
      nameFa: 'شهرستان دشتستان',
      variantsEn: ['Shahrestan-e Dashtestan'],
      parentId: 'p',
      origin: new Set(['iran-cities']),
    });
    const entry = place({
      id: 'x',
      kind: 'city',
      nameEn: 'Dashtestan',
      nameFa: 'دشتستان',
      variantsEn: ['Dashtistan'],
      parentId: 'c',
      lat: 29.28,
      lon: 51.2,
      origin: new Set(['countrystatecity', 'county-by-seat-name', 'project']),
    });
    const seat = place({
      id: 's',
      kind: 'city',
      nameEn: 'Borazjan',
      nameFa: 'برازجان',
      parentId: 'c',
      lat: 29.27,
      lon: 51.22,
      origin: new Set(['countrystatecity', 'county-by-fa']),
    });
    const deylamCounty = place({ id: 'd', kind: 'county', nameEn: 'Deylam County', parentId: 'p' });
    const deylam = place({
      id: 'y',
      kind: 'city',
      nameEn: 'Deylam',
      nameFa: 'دیلم',
      parentId: 'd',
      origin: new Set(['countrystatecity', 'county-by-seat-name']),
    });
    const places = [province, county, entry, seat, deylamCounty, deylam];
    const towns = new Map([
      [county, { fa: 'دشتستان', towns: ['برازجان', 'دالکی'] }],
      [deylamCounty, { fa: 'دیلم', towns: ['امام حسن', 'بندردیلم'] }],
    ]);
    return { places, towns, county, entry, deylam };
  };

  it('merges the entry into its county: its names become variants, its id is returned', () => {
    const { places, towns, county, deylam } = build();
    const merged = mergeCountyEntries(places, towns);
    expect(merged).toEqual([
      {
        id: 'x',
        nameEn: 'Dashtestan',
        nameFa: 'دشتستان',
        intoId: 'c',
        intoNameEn: 'Dashtestan County',
        lat: 29.28,
        lon: 51.2,
      },
    ]);
    expect(places.map((p) => p.id)).toEqual(['p', 'c', 's', 'd', 'y']);
    expect(county.variantsEn).toEqual(['Shahrestan-e Dashtestan', 'Dashtestan', 'Dashtistan']);
    expect(county.variantsFa).toEqual(['دشتستان']);
    expect([...county.origin].sort()).toEqual(
      ['countrystatecity', 'iran-cities', 'merged-county-entry', 'project'].sort(),
    );
    // The entry's point is kept for a county that no placed town locates (locateCounties).
    expect(merged[0]).toMatchObject({ lat: 29.28, lon: 51.2 });
    expect(places).toContain(deylam);
  });

  it("keeps a county's own point, but not one it took from the entry as its seat", () => {
    const { places, towns, county } = build();
    county.lat = 29.3;
    county.lon = 51.3;
    county.origin.add('point-mean-of-towns');
    mergeCountyEntries(places, towns);
    expect([county.lat, county.lon]).toEqual([29.3, 51.3]);
    const again = build();
    again.county.lat = 29.28;
    again.county.lon = 51.2;
    again.county.origin.add('point-of-seat');
    const merged = mergeCountyEntries(again.places, again.towns);
    expect([again.county.lat, again.county.origin.has('point-of-seat')]).toEqual([null, false]);
    // Located again: from the towns placed in it (Borazjan) before the entry's point.
    expect(locateCounties(again.places, merged)).toBe(1);
    expect([again.county.lat, again.county.lon]).toEqual([29.27, 51.22]);
    expect(again.county.origin.has('point-mean-of-placed-towns')).toBe(true);
    const alone = build();
    alone.places.splice(alone.places.indexOf(alone.places.find((p) => p.id === 's')!), 1);
    const m2 = mergeCountyEntries(alone.places, alone.towns);
    expect(locateCounties(alone.places, m2)).toBe(1);
    expect([alone.county.lat, alone.county.lon]).toEqual([29.28, 51.2]);
    expect(alone.county.origin.has('point-of-county-entry')).toBe(true);
  });

  it('leaves a town placed by other evidence, and refuses an entry with places inside it', () => {
    const { places, towns, entry } = build();
    entry.origin.delete('county-by-seat-name');
    expect(mergeCountyEntries([...places], towns)).toEqual([]);
    entry.origin.add('county-by-seat-name');
    places.push(place({ id: 'z', kind: 'district', nameEn: 'Bazaar', parentId: 'x' }));
    expect(() => mergeCountyEntries(places, towns)).toThrow(/has places inside it/);
  });
});

describe('locateCounties', () => {
  it('gives a county without a point the mean of the towns placed in it, and no other', () => {
    const county = place({ id: 'c', kind: 'county', nameEn: 'Tavalesh County' });
    const located = place({
      id: 'k',
      kind: 'county',
      nameEn: 'Rasht County',
      lat: 37.2,
      lon: 49.6,
    });
    const empty = place({ id: 'e', kind: 'county', nameEn: 'Empty County' });
    const towns = [
      place({ id: 't1', kind: 'city', nameEn: 'Talesh', parentId: 'c', lat: 37.9, lon: 48.7833 }),
      place({ id: 't2', kind: 'city', nameEn: 'Hashtpar', parentId: 'c', lat: 37.7966, lon: 48.9 }),
      place({ id: 't3', kind: 'city', nameEn: 'Asalem', parentId: 'c' }),
      place({ id: 't4', kind: 'city', nameEn: 'Rasht', parentId: 'k', lat: 37.28, lon: 49.58 }),
    ];
    expect(locateCounties([county, located, empty, ...towns])).toBe(1);
    expect([county.lat, county.lon]).toEqual([37.8483, 48.8417]);
    expect(county.origin.has('point-mean-of-placed-towns')).toBe(true);
    expect([located.lat, located.lon]).toEqual([37.2, 49.6]);
    expect(empty.lat).toBeNull();
  });
});

describe('the committed gazetteer', () => {
  const places = loadGazetteer();
  const byId = new Map(places.map((p) => [p.id, p]));

  it('gives every county a point, precision approximate, its source named in origin', () => {
    const counties = places.filter((p) => p.kind === 'county');
    expect(counties.length).toBe(429);
    for (const c of counties) {
      expect([c.nameEn, c.lat != null, c.precision]).toEqual([c.nameEn, true, 'approximate']);
      expect([c.nameEn, /point-/.test(c.origin)]).toEqual([c.nameEn, true]);
    }
  });

  it('lists no merged id, and names each merged entry by its county', () => {
    const merged = loadMergedPlaces();
    expect(merged.length).toBe(58);
    for (const e of merged) {
      expect(byId.has(e.id)).toBe(false);
      const county = byId.get(e.intoId)!;
      expect(county.kind).toBe('county');
      expect(county.nameEn).toBe(e.intoNameEn);
      expect(county.variantsEn).toContain(e.nameEn);
      if (e.nameFa) expect(county.variantsFa).toContain(e.nameFa);
    }
  });
});
