/**
 * Builds seed/data/gazetteer-iran.csv, the national gazetteer the seed loads, from:
 * - seed/data/places-iran.csv: the founding case's 75 places (their names and fixed ids win);
 * - the npm package @countrystatecity/countries (ODbL 1.0, a pinned devDependency): Iran's 31
 *   provinces with Persian names and coordinates, and its ~1,850 cities with coordinates;
 * - seed/data/places-fa-project.csv: the Persian names (and English variants) of cities the
 *   project adds itself, because the package has none for cities;
 * - the npm package iran-cities (MIT, fetched by `npm pack` and sha512-checked, never a
 *   dependency): Iran's counties, appended under their provinces (seed/build-counties.ts).
 * Run it only when one of those changes (`npm run gazetteer:build`); the output is committed,
 * so the package is never needed at run time. Deterministic: same inputs, same file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { hasPersianScript, latinSkeleton, normalizeText } from '../src/common/persian.js';
import { stableId } from '../src/common/stable-id.js';
import { projectRoot } from '../src/common/project-root.js';
import { addCounties } from './build-counties.js';
import { MERGED_FILE } from './gazetteer.js';

const PACKAGE = '@countrystatecity/countries';

interface Place {
  id: string;
  kind: 'country' | 'province' | 'county' | 'city';
  nameEn: string;
  variantsEn: string[];
  nameFa: string | null;
  variantsFa: string[];
  parentId: string | null;
  lat: number | null;
  lon: number | null;
  origin: Set<string>;
}

/** The founding seed's id rule (seed/gazetteer.ts locationSeedId): kept for its 75 places. */
const foundingId = (kind: string, nameEn: string): string => stableId(`location:${kind}:${nameEn}`);

/** New cities are named within their province: two provinces have a Mahabad. */
const cityId = (province: string, nameEn: string): string =>
  stableId(`location:city:${province}/${nameEn}`);

/** Spellings of provinces seen in real lists, beyond the founding file's. */
const PROVINCE_VARIANTS: Record<string, { en?: string[]; fa?: string[] }> = {
  'Sistan and Baluchestan': {
    en: [
      'Sistan va Baluchestan',
      'Sistan-Baluchestan',
      'Sistan & Baluchestan',
      'Sistan o Baluchestan',
    ],
    fa: ['سیستان‌وبلوچستان', 'سیستان بلوچستان'],
  },
  'Kohgiluyeh and Boyer-Ahmad': {
    en: ['Kohgiluyeh and Boyer Ahmad', 'Kohkiluyeh and Buyer Ahmad', 'Kohgiluyeh'],
    fa: ['کهگیلویه‌وبویراحمد'],
  },
  'Chaharmahal and Bakhtiari': {
    en: ['Chaharmahal va Bakhtiari', 'Chahar Mahaal and Bakhtiari'],
    fa: ['چهارمحال‌وبختیاری', 'چهارمحال بختیاری'],
  },
  'West Azerbaijan': { en: ['West Azarbaijan', 'Western Azerbaijan', 'Azerbaijan-e Gharbi'] },
  'East Azerbaijan': { en: ['East Azarbaijan', 'Eastern Azerbaijan', 'Azerbaijan-e Sharqi'] },
  'Razavi Khorasan': { en: ['Khorasan Razavi', 'Khorasan-Razavi'] },
  'North Khorasan': { en: ['Khorasan-e Shomali', 'Northern Khorasan'] },
  'South Khorasan': { en: ['Khorasan-e Jonubi', 'Southern Khorasan'] },
  Kurdistan: { en: ['Kurdestan'] },
  Gilan: { en: ['Guilan'] },
  Hamadan: { en: ['Hamedan'] },
  Lorestan: { en: ['Luristan'] },
  Qazvin: { en: ['Ghazvin'] },
  Qom: { en: ['Ghom'] },
  Ardabil: { en: ['Ardebil'] },
  Khuzestan: { en: ['Khouzestan'] },
  Kermanshah: { en: ['Kermashan'] },
};

/**
 * Package entries that are another spelling of a town already listed in the same province
 * (checked one by one; latinSkeleton equality catches most others, and every merge is
 * printed by the build). `alias → canonical`.
 */
const SAME_TOWN: Record<string, Record<string, string>> = {
  Khuzestan: { 'Chamran Town': 'Shahrak-e Chamran' },
  Tehran: { 'Shahr-e-Rey': 'Rey' },
  Bushehr: {
    'Bandar Bushehr': 'Bushehr',
    'Bandar Ganaveh': 'Genaveh',
    'Bandar Deylam': 'Deylam',
    'Bandar-e Kangan': 'Kangan',
    Khark: 'Kharg',
  },
  Hormozgan: {
    'Bandar-e-Jask': 'Jask',
    Khamir: 'Bandar Khamir',
    Abumusa: 'Abu Musa',
    'Haji Abad': 'Hajjiabad',
  },
  Golestan: { Torkaman: 'Bandar Torkaman', 'Gomish Tepe': 'Gomishan', Maraveh: 'Maraveh Tappeh' },
  Fars: {
    'City Kazeroon': 'Kazerun',
    Arsenjan: 'Arsanjan',
    Kherameh: 'Kharameh',
    سروستان: 'Sarvestan',
  },
  Isfahan: {
    Esfahan: 'Isfahan',
    Khansar: 'Khvansar',
    Naein: 'Nain',
    Fereydunshahr: 'Fereydun Shahr',
    Fareydunshahr: 'Fereydun Shahr',
    'Zarrin Shahr': 'Zarinshahr',
    Ghahderijan: 'Qahderijan',
    Dehaghan: 'Dehaqan',
    'Kelishad and Soderjaan': 'Kelishad va Sudarjan',
  },
  Markazi: { Khomein: 'Khomeyn', Mahalat: 'Mahallat' },
  'Razavi Khorasan': { Khvaf: 'Khaf', Firouzeh: 'Firuzeh', Rashtkhar: 'Roshtkhvar' },
  'South Khorasan': { Ghayen: 'Qaen', Boshrouyeh: 'Boshruyeh', Sarbishe: 'Sarbisheh' },
  Semnan: { Shahroud: 'Shahrud' },
  'Sistan and Baluchestan': { Fanouj: 'Fanuj', Zehak: 'Zahak' },
  Ilam: { Bedreh: 'Badreh' },
  'Chaharmahal and Bakhtiari': { Boroujen: 'Borujen', Chelgard: 'Chelgerd' },
  'Kohgiluyeh and Boyer-Ahmad': { Lendeh: 'Landeh', Choram: 'Charam' },
  Lorestan: { 'Pol Dokhtar': 'Pol-e Dokhtar' },
  'North Khorasan': { Farooj: 'Faruj' },
  Ardabil: { Sarein: 'Sareyn' },
  'East Azerbaijan': { Hashtrood: 'Hashtrud', Varzeqān: 'Varzaqan' },
  'West Azerbaijan': { Khowy: 'Khoy', Oshnaviyeh: 'Oshnavieh' },
  Kerman: { Kahnooj: 'Kahnuj', Manoojan: 'Manujan', Orzueeyeh: 'Orzuiyeh' },
  Yazd: { Abarkooh: 'Abarkuh', Bafgh: 'Bafq', Bahabad: 'Behabad' },
  Hamadan: { Hamedan: 'Hamadan', Kaboodrahang: 'Kabudrahang' },
  Mazandaran: { 'Kalar Dasht': 'Kelardasht' },
};

const split = (s: string | undefined): string[] =>
  (s ?? '')
    .split('|')
    .map((v) => v.trim())
    .filter(Boolean);

const readCsv = (file: string): Record<string, string>[] =>
  parse(fs.readFileSync(file, 'utf8'), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  }) as Record<string, string>[];

/** "astara" → "Astara": the package spells a few names in lower case. */
const titled = (s: string): string => (/^[a-z]/.test(s) ? s[0].toUpperCase() + s.slice(1) : s);

function addVariant(list: string[], main: string | null, name: string): void {
  const n = normalizeText(name);
  if (!n) return;
  if (main && normalizeText(main) === n) return;
  if (list.some((v) => normalizeText(v) === n)) return;
  list.push(name);
}

function namesOf(p: Place): string[] {
  return [p.nameEn, ...p.variantsEn];
}

function main(): void {
  const root = projectRoot();
  const data = path.join(root, 'seed', 'data');
  const pkgDir = path.join(root, 'node_modules', ...PACKAGE.split('/'));
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as {
    version: string;
    license: string;
  };
  const iranDir = path.join(pkgDir, 'dist', 'data', 'Iran-IR');
  const states = JSON.parse(fs.readFileSync(path.join(iranDir, 'states.json'), 'utf8')) as {
    name: string;
    iso2: string;
    native: string | null;
    latitude: string | null;
    longitude: string | null;
  }[];

  const places: Place[] = [];
  const byFounding = new Map<string, Place>();
  for (const r of readCsv(path.join(data, 'places-iran.csv'))) {
    const kind = r.kind as Place['kind'];
    const parent = r.parent_en
      ? byFounding.get(`${kind === 'province' ? 'country' : 'province'}:${r.parent_en}`)
      : undefined;
    const fa = split(r.name_fa);
    const p: Place = {
      id: foundingId(kind, r.name_en),
      kind,
      nameEn: r.name_en,
      variantsEn: split(r.variants_en),
      nameFa: fa[0] ?? null,
      variantsFa: fa.slice(1),
      parentId: parent?.id ?? null,
      lat: r.lat ? Number(r.lat) : null,
      lon: r.lon ? Number(r.lon) : null,
      origin: new Set(['founding']),
    };
    byFounding.set(`${kind}:${r.name_en}`, p);
    places.push(p);
  }
  const provinces = places.filter((p) => p.kind === 'province');
  const log: string[] = [];

  // Provinces: the package's coordinates and spelling; the founding names stay the names.
  const provinceOfState = new Map<string, Place>();
  for (const s of states) {
    const key = latinSkeleton(s.name);
    const p = provinces.find((x) => namesOf(x).some((n) => latinSkeleton(n) === key));
    if (!p) throw new Error(`build-gazetteer: province "${s.name}" matches no founding province`);
    provinceOfState.set(s.iso2, p);
    addVariant(p.variantsEn, p.nameEn, s.name);
    if (s.native && p.nameFa !== s.native) addVariant(p.variantsFa, p.nameFa, s.native);
    if (s.latitude && s.longitude && p.lat == null) {
      p.lat = Number(s.latitude);
      p.lon = Number(s.longitude);
    }
    p.origin.add('countrystatecity');
    const extra = PROVINCE_VARIANTS[p.nameEn];
    for (const v of extra?.en ?? []) addVariant(p.variantsEn, p.nameEn, v);
    for (const v of extra?.fa ?? []) addVariant(p.variantsFa, p.nameFa, v);
  }
  if (provinceOfState.size !== 31)
    throw new Error(`expected 31 provinces, got ${provinceOfState.size}`);

  const citiesIn = (province: Place): Place[] =>
    places.filter((p) => p.kind === 'city' && p.parentId === province.id);

  const findCity = (province: Place, name: string): Place | undefined => {
    const n = normalizeText(name);
    const k = latinSkeleton(name);
    const cities = citiesIn(province);
    return (
      cities.find((c) => namesOf(c).some((x) => normalizeText(x) === n)) ??
      (hasPersianScript(name) ? undefined : cities.find((c) => latinSkeleton(c.nameEn) === k))
    );
  };

  // Cities, one state at a time in the package's order of ids (stable between versions).
  const stateDirs = fs
    .readdirSync(iranDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  let packageCities = 0;
  for (const dir of stateDirs) {
    const code = dir.slice(dir.lastIndexOf('-') + 1);
    const province = provinceOfState.get(code);
    if (!province) throw new Error(`build-gazetteer: no province for ${dir}`);
    const cities = (
      JSON.parse(fs.readFileSync(path.join(iranDir, dir, 'cities.json'), 'utf8')) as {
        id: number;
        name: string;
        latitude: string | null;
        longitude: string | null;
      }[]
    ).sort((a, b) => a.id - b.id);
    const aliases = SAME_TOWN[province.nameEn] ?? {};
    // Canonical names first, so that an alias finds its town whatever the package's order.
    const ordered = [
      ...cities.filter((c) => !(c.name in aliases)),
      ...cities.filter((c) => c.name in aliases),
    ];
    for (const c of ordered) {
      packageCities++;
      const name = titled(c.name.trim());
      const lat = c.latitude ? Number(c.latitude) : null;
      const lon = c.longitude ? Number(c.longitude) : null;
      const target = aliases[c.name]
        ? findCity(province, aliases[c.name])
        : findCity(province, name);
      if (aliases[c.name] && !target)
        throw new Error(`build-gazetteer: ${c.name} → ${aliases[c.name]}: no such town`);
      if (target) {
        if (hasPersianScript(name)) addVariant(target.variantsFa, target.nameFa, name);
        else addVariant(target.variantsEn, target.nameEn, name);
        if (target.lat == null && lat != null) {
          target.lat = lat;
          target.lon = lon;
        }
        target.origin.add('countrystatecity');
        if (normalizeText(target.nameEn) !== normalizeText(name))
          log.push(`merged ${province.nameEn}: ${name} → ${target.nameEn}`);
        continue;
      }
      places.push({
        id: cityId(province.nameEn, name),
        kind: 'city',
        nameEn: name,
        variantsEn: [],
        nameFa: null,
        variantsFa: [],
        parentId: province.id,
        lat,
        lon,
        origin: new Set(['countrystatecity']),
      });
    }
  }

  // The project's Persian names: each must name a town already listed (nothing invented).
  let persian = 0;
  for (const r of readCsv(path.join(data, 'places-fa-project.csv'))) {
    const province = provinces.find((p) => p.nameEn === r.province);
    if (!province) throw new Error(`places-fa-project.csv: no province "${r.province}"`);
    const city = findCity(province, r.name_en);
    if (!city) throw new Error(`places-fa-project.csv: no town "${r.name_en}" in ${r.province}`);
    const fa = split(r.name_fa);
    for (const f of fa) {
      if (!city.nameFa) city.nameFa = f;
      else addVariant(city.variantsFa, city.nameFa, f);
    }
    for (const v of split(r.variants_en)) addVariant(city.variantsEn, city.nameEn, v);
    city.origin.add('project');
    persian++;
  }

  const { summary: counties, merged } = addCounties(places, log);

  const ids = new Set<string>();
  for (const p of places) {
    if (ids.has(p.id)) throw new Error(`build-gazetteer: duplicate id for ${p.nameEn}`);
    ids.add(p.id);
  }
  const rows = places.map((p) => ({
    id: p.id,
    kind: p.kind,
    name_en: p.nameEn,
    variants_en: p.variantsEn.join(' | '),
    name_fa: p.nameFa ?? '',
    variants_fa: p.variantsFa.join(' | '),
    parent_id: p.parentId ?? '',
    lat: p.lat == null ? '' : p.lat.toFixed(4),
    lon: p.lon == null ? '' : p.lon.toFixed(4),
    // A county's point is a mean of towns or a town's (seed/county-entries.ts), never a surveyed
    // centroid; a province's and a town's come from the package as points of the place.
    precision: p.lat == null ? '' : p.kind === 'county' ? 'approximate' : 'centroid',
    origin: [...p.origin].sort().join('+'),
  }));
  const out = path.join(data, 'gazetteer-iran.csv');
  fs.writeFileSync(
    out,
    stringify(rows, {
      header: true,
      columns: [
        'id',
        'kind',
        'name_en',
        'variants_en',
        'name_fa',
        'variants_fa',
        'parent_id',
        'lat',
        'lon',
        'precision',
        'origin',
      ],
    }),
  );
  // The ids the build no longer lists, and the place each now is (seed/gazetteer-merges.ts).
  fs.writeFileSync(
    path.join(data, MERGED_FILE),
    stringify(
      merged.map((e) => ({
        id: e.id,
        name_en: e.nameEn,
        name_fa: e.nameFa ?? '',
        into_id: e.intoId,
        into_name_en: e.intoNameEn,
        reason: 'county-entry',
      })),
      {
        header: true,
        columns: ['id', 'name_en', 'name_fa', 'into_id', 'into_name_en', 'reason'],
      },
    ),
  );
  for (const l of log) console.log(l);
  const cities = places.filter((p) => p.kind === 'city');
  console.log(
    `${path.relative(root, out)}: ${places.length} places (31 provinces, ${cities.length} cities and towns ` +
      `from ${packageCities} package entries, ${cities.filter((c) => c.nameFa).length} with a Persian name, ` +
      `${persian} Persian names added by the project), from ${PACKAGE}@${pkg.version} (${pkg.license}); ${counties}`,
  );
}

main();
