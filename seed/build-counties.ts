/**
 * The counties (شهرستان) of the national gazetteer, for seed/build-gazetteer.ts, from the npm
 * package iran-cities 0.0.5 (MIT, Patrick Der Avakian; data credited to github.com/ahmadazizi):
 * 31 provinces, 429 counties and 1,246 cities, Persian names only, no coordinates. The package
 * is not a dependency: `npm pack` fetches the pinned version into a temporary folder and its
 * sha512 is checked against the registry's integrity before anything is read.
 *
 * Each county sits under its province (matched by Persian name, ی/ي ک/ك, ZWNJ and spaces
 * folded). Its names are "X County" / "شهرستان X", so that the bare name keeps meaning the city
 * (a county and its seat share a name: "Zahedan" stays the city). X in English is the English
 * name of the county's seat (the gazetteer town of the same Persian name in the province) or,
 * failing one, a romanisation of the Persian name (origin `transliterated`: a derived spelling,
 * not a published one). Its point is the mean of the gazetteer towns matched into it, or its
 * seat's, or the mean of the towns placed in it (seed/county-entries.ts), precision `approximate`.
 * Cities and towns are moved under their county where the package's data place them
 * (seed/place-cities.ts); the others stay under their province. City entries that are the
 * county itself are merged into it (seed/county-entries.ts).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { normalizeText } from '../src/common/persian.js';
import { translitKey } from '../src/common/transliteration.js';
import { looseNameKey } from '../src/locations/location-names.js';
import { stableId } from '../src/common/stable-id.js';
import { placeCitiesInCounties } from './place-cities.js';
import { locateCounties, mergeCountyEntries, type MergedEntry } from './county-entries.js';

export const COUNTIES_PACKAGE = 'iran-cities@0.0.5';
/** The registry's dist.integrity for that version (`npm view iran-cities@0.0.5 dist.integrity`). */
const INTEGRITY =
  'sha512-g3Te52r1IVXObYTEsJCavSa+S7tjvpYPFPpyJD/tkAQDB0GxqrLiYAd4HLnY1VP1YqF+ROaQ6RaeQZzlKJNZzw==';

/** The subset of build-gazetteer's Place that counties need. */
export interface CountyPlace {
  id: string;
  kind: string;
  nameEn: string;
  variantsEn: string[];
  nameFa: string | null;
  variantsFa: string[];
  parentId: string | null;
  lat: number | null;
  lon: number | null;
  origin: Set<string>;
}

/** The package's names, folded the way the ledger compares place names. */
const key = (name: string): string => looseNameKey(normalizeText(name));

const LETTERS: Record<string, string> = {
  ب: 'b',
  پ: 'p',
  ت: 't',
  ث: 's',
  ج: 'j',
  چ: 'ch',
  ح: 'h',
  خ: 'kh',
  د: 'd',
  ذ: 'z',
  ر: 'r',
  ز: 'z',
  ژ: 'zh',
  س: 's',
  ش: 'sh',
  ص: 's',
  ض: 'z',
  ط: 't',
  ظ: 'z',
  ع: '',
  غ: 'gh',
  ف: 'f',
  ق: 'q',
  ک: 'k',
  گ: 'g',
  ل: 'l',
  م: 'm',
  ن: 'n',
  ه: 'h',
  ء: '',
  ئ: 'y',
  أ: 'a',
};

/**
 * A readable romanisation of a Persian place name (short vowels are not written in Persian, so
 * they are mostly absent here too: "کوهرنگ" comes out "Kuhrng"). Only for a county
 * whose seat the gazetteer lacks; marked `transliterated` in the data.
 */
export function romanise(fa: string): string {
  const words = normalizeText(fa).split(' ').filter(Boolean);
  return words
    .map((w) => {
      if (w === 'و') return 'va';
      let out = '';
      const chars = [...w];
      chars.forEach((c, i) => {
        const first = i === 0;
        const last = i === chars.length - 1;
        if (c === 'آ' || c === 'ا' || (c === 'ع' && first)) out += 'a';
        else if (c === 'و') out += first ? 'v' : 'u';
        else if (c === 'ی' || c === 'ي') out += first ? 'y' : last ? 'i' : 'i';
        else if (c === 'ه' && last && i > 0) out += 'eh';
        else out += LETTERS[c] ?? c;
      });
      return out ? out[0].toUpperCase() + out.slice(1) : out;
    })
    .map((w) => (w === 'Va' ? 'va' : w))
    .join(' ');
}

function fetchPackage(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iran-cities-'));
  execFileSync('npm', ['pack', COUNTIES_PACKAGE, '--silent', '--pack-destination', dir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tgz = path.join(
    dir,
    fs.readdirSync(dir).find((f) => f.endsWith('.tgz'))!,
  );
  const digest = 'sha512-' + createHash('sha512').update(fs.readFileSync(tgz)).digest('base64');
  if (digest !== INTEGRITY)
    throw new Error(`build-counties: ${COUNTIES_PACKAGE} sha512 ${digest}, expected ${INTEGRITY}`);
  execFileSync('tar', ['xzf', tgz, '-C', dir, 'package/csv']);
  return path.join(dir, 'package', 'csv');
}

const rowsOf = (dir: string, file: string): string[][] =>
  parse(fs.readFileSync(path.join(dir, file), 'utf8'), {
    skip_empty_lines: true,
    trim: true,
  }) as string[][];

/**
 * Appends the counties to `places` (after every existing place: no id or row moves), places the
 * towns in them, and merges into its county each city entry that is the county itself (removed
 * from `places`, returned in `merged`).
 */
export function addCounties(
  places: CountyPlace[],
  log: string[],
): { summary: string; merged: MergedEntry[] } {
  const csv = fetchPackage();
  const provinces = places.filter((p) => p.kind === 'province');
  const provinceOf = new Map<string, CountyPlace>();
  for (const [id, fa] of rowsOf(csv, 'province.csv')) {
    const k = key(fa);
    const p = provinces.find((x) => [x.nameFa, ...x.variantsFa].some((n) => n && key(n) === k));
    if (!p) throw new Error(`build-counties: province "${fa}" matches no gazetteer province`);
    provinceOf.set(id, p);
  }
  if (new Set(provinceOf.values()).size !== 31)
    throw new Error(`build-counties: expected 31 provinces, got ${provinceOf.size}`);

  // The package's towns by county, to find the gazetteer towns of each county.
  const townsOfCounty = new Map<string, string[]>();
  for (const [, , countyId, fa] of rowsOf(csv, 'city.csv')) {
    const list = townsOfCounty.get(countyId) ?? [];
    list.push(fa);
    townsOfCounty.set(countyId, list);
  }
  // A gazetteer town is matched into a county only one-to-one: its Persian name (or variant)
  // names exactly one package town of the province and it names exactly one gazetteer town.
  const citiesByKey = new Map<string, Map<string, CountyPlace[]>>();
  for (const c of places.filter((x) => x.kind === 'city')) {
    const byKey = citiesByKey.get(c.parentId!) ?? new Map<string, CountyPlace[]>();
    for (const n of new Set([c.nameFa, ...c.variantsFa].filter(Boolean).map((n) => key(n!)))) {
      byKey.set(n, [...(byKey.get(n) ?? []), c]);
    }
    citiesByKey.set(c.parentId!, byKey);
  }
  const counties = rowsOf(csv, 'county.csv');
  const packageTownsByKey = new Map<string, number>();
  for (const [countyId, provinceId] of counties)
    for (const t of townsOfCounty.get(countyId) ?? [])
      packageTownsByKey.set(
        `${provinceId}/${key(t)}`,
        (packageTownsByKey.get(`${provinceId}/${key(t)}`) ?? 0) + 1,
      );

  const ids = new Set(places.map((p) => p.id));
  let derived = 0;
  let keyed = 0;
  let located = 0;
  let matchedTowns = 0;
  const countyOfPackage = new Map<string, CountyPlace>();
  for (const [countyId, provinceId, fa] of counties) {
    const province = provinceOf.get(provinceId);
    if (!province) throw new Error(`build-counties: county ${fa}: no province ${provinceId}`);
    const cities = citiesByKey.get(province.id) ?? new Map<string, CountyPlace[]>();
    const one = (name: string): CountyPlace | undefined => {
      const hit = cities.get(key(name));
      return hit?.length === 1 && packageTownsByKey.get(`${provinceId}/${key(name)}`) === 1
        ? hit[0]
        : undefined;
    };
    const towns = [
      ...new Set((townsOfCounty.get(countyId) ?? []).map(one).filter((c) => c !== undefined)),
    ];
    const name = fa.trim();
    const byFa = cities.get(key(fa))?.length === 1 ? cities.get(key(fa))![0] : undefined;
    // A seat the gazetteer has in English only: the one town of the province whose English
    // name has the Persian name's transliteration key (طبس and Tabas: "tbs").
    const tk = translitKey(name);
    const byKey = byFa
      ? []
      : places.filter(
          (c) =>
            c.kind === 'city' &&
            c.parentId === province.id &&
            [c.nameEn, ...c.variantsEn].some((n) => translitKey(n) === tk),
        );
    const seat = byFa ?? (byKey.length === 1 ? byKey[0] : undefined);
    if (seat && !byFa) {
      keyed++;
      log.push(
        `county ${province.nameEn}: ${name} named after ${seat.nameEn} (transliteration key)`,
      );
    }
    const en = seat ? seat.nameEn : romanise(name);
    if (!seat) derived++;
    const points = towns.filter((t) => t.lat != null && t.lon != null);
    if (!points.length && seat?.lat != null) points.push(seat);
    matchedTowns += towns.length;
    const mean = (xs: number[]): number =>
      Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 1e4) / 1e4;
    const id = stableId(`location:county:${province.nameEn}/${key(name)}`);
    if (ids.has(id)) {
      log.push(`county ${province.nameEn}: ${name} listed twice in the package, kept once`);
      countyOfPackage.set(
        countyId,
        places.find((p) => p.id === id)!,
      );
      continue;
    }
    ids.add(id);
    if (points.length) located++;
    const county: CountyPlace = {
      id,
      kind: 'county',
      nameEn: `${en} County`,
      variantsEn: seat ? [`Shahrestan-e ${en}`] : [],
      nameFa: `شهرستان ${name}`,
      variantsFa: [],
      parentId: province.id,
      lat: points.length ? mean(points.map((p) => p.lat!)) : null,
      lon: points.length ? mean(points.map((p) => p.lon!)) : null,
      origin: new Set(
        seat
          ? byFa
            ? ['iran-cities']
            : ['iran-cities', 'seat-by-key']
          : ['iran-cities', 'transliterated'],
      ),
    };
    if (points.length) county.origin.add(towns.length ? 'point-mean-of-towns' : 'point-of-seat');
    places.push(county);
    countyOfPackage.set(countyId, county);
  }
  const placed = placeCitiesInCounties(
    places,
    rowsOf(csv, 'city.csv'),
    counties,
    provinceOf,
    countyOfPackage,
  );
  const countyTowns = new Map<CountyPlace, { fa: string; towns: string[] }>();
  for (const [countyId, , fa] of counties) {
    const county = countyOfPackage.get(countyId)!;
    const had = countyTowns.get(county);
    countyTowns.set(county, {
      fa: had?.fa ?? fa,
      towns: [...(had?.towns ?? []), ...(townsOfCounty.get(countyId) ?? [])],
    });
  }
  const merged = mergeCountyEntries(places, countyTowns);
  for (const e of merged) log.push(`merged county entry: ${e.nameEn} → ${e.intoNameEn}`);
  const fromPlaced = locateCounties(places, merged);
  const cities = places.filter((p) => p.kind === 'city');
  const inCounty = cities.filter((c) => places.find((p) => p.id === c.parentId)?.kind === 'county');
  const pointless = places.filter((p) => p.kind === 'county' && p.lat == null);
  const summary =
    `${counties.length} counties from ${COUNTIES_PACKAGE} (MIT): ${counties.length - derived} named after ` +
    `their seat (${keyed} found by transliteration key), ${derived} romanised, ${located} with a point from ${matchedTowns} matched towns, ` +
    `${fromPlaced} more from the towns placed in them or a county entry merged into them, ${pointless.length} without a point${pointless.length ? ` (${pointless.map((p) => p.nameEn).join(', ')})` : ''}; ${placed}; ` +
    `${merged.length} city entries that are their county merged into it; ${inCounty.length} of ${cities.length} cities and towns now under a county`;
  return { summary, merged };
}
