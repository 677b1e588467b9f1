/**
 * Two finishing steps of the counties for seed/build-counties.ts, after the towns are placed
 * (seed/place-cities.ts):
 *
 * 1. `mergeCountyEntries`: some entries of the city list are not towns but counties
 *    (Dashtestan, Tangestan, Savojbolagh …: the package of input 2 lists a few counties among its
 *    cities). An entry placed by the county's name (`county-by-seat-name`) is taken for the county
 *    itself when the iran-cities package lists no town of that name in that county (its seat has
 *    another name: Dashtestan's is Borazjan); a county whose seat is named after it ("بندردیلم" in
 *    Deylam County, Galugah in Galugah County) keeps its town. Such an entry is merged into its
 *    county: its names become the county's variants (so that "Dashtestan" and "دشتستان" name the
 *    county), its point becomes the county's only when no town placed in the county has one
 *    (a county whose "seat" was the entry is located again), and its id is listed in seed/data/gazetteer-merged.csv, so that a database seeded before it has its records
 *    moved to the county (seed/gazetteer-merges.ts).
 * 2. `locateCounties`: a county that no town matched one-to-one (build-counties.ts) takes the mean
 *    of the towns placed in it, or else the point of the county entry merged into it; every county's point says where it comes from in `origin`
 *    (`point-mean-of-towns`, `point-of-seat`, `point-mean-of-placed-towns`,
 *    `point-of-county-entry`); all are precision `approximate`, none is a surveyed centroid.
 */
import { normalizeText } from '../src/common/persian.js';
import { looseNameKey } from '../src/locations/location-names.js';
import type { CountyPlace } from './build-counties.js';

const key = (name: string): string => looseNameKey(normalizeText(name));

/** A place retired into another by the build: seed/data/gazetteer-merged.csv's rows. */
export interface MergedEntry {
  id: string;
  nameEn: string;
  nameFa: string | null;
  intoId: string;
  intoNameEn: string;
  /** The entry's point: its county's only when no town placed in the county has one. */
  lat?: number | null;
  lon?: number | null;
}

/**
 * Whether a city entry named after its county is the county itself: no town of the county (the
 * package's names, "خداجو(خراجو)" being both) is called by the county's name, nor "Bandar X"
 * (بندر, the port towns of the Persian Gulf: "بندردیلم" is Deylam's town).
 */
export function isCountyEntry(countyFa: string, packageTowns: string[]): boolean {
  const k = key(countyFa);
  const ports = new Set([key(`بندر${countyFa}`), key(`بندر ${countyFa}`)]);
  const towns = packageTowns.flatMap((t) =>
    t
      .split(/[()]/u)
      .map((s) => s.trim())
      .filter(Boolean)
      .map(key),
  );
  return !towns.some((t) => t === k || ports.has(t));
}

function addName(list: string[], main: string | null, name: string | null): void {
  if (!name) return;
  const n = normalizeText(name);
  if ((main && normalizeText(main) === n) || list.some((v) => normalizeText(v) === n)) return;
  list.push(name);
}

/**
 * Merges the county entries of `places` into their counties (removing them from `places`) and
 * returns them. `countyTowns` gives, for each county place, its Persian name in the package and
 * the package's towns in it.
 */
export function mergeCountyEntries(
  places: CountyPlace[],
  countyTowns: Map<CountyPlace, { fa: string; towns: string[] }>,
): MergedEntry[] {
  const byId = new Map(places.map((p) => [p.id, p]));
  const merged: MergedEntry[] = [];
  for (const entry of places.filter(
    (p) => p.kind === 'city' && p.origin.has('county-by-seat-name'),
  )) {
    const county = byId.get(entry.parentId!);
    const pkg = county && countyTowns.get(county);
    if (!county || !pkg || !isCountyEntry(pkg.fa, pkg.towns)) continue;
    if (places.some((p) => p.parentId === entry.id))
      throw new Error(`county-entries: ${entry.nameEn} has places inside it`);
    for (const n of [entry.nameEn, ...entry.variantsEn])
      addName(county.variantsEn, county.nameEn, n);
    for (const n of [entry.nameFa, ...entry.variantsFa])
      addName(county.variantsFa, county.nameFa, n);
    // A county "named after its seat" whose seat was this entry took the entry's point: that is no
    // town's, so the county is located again below (its placed towns first).
    if (
      county.origin.has('point-of-seat') &&
      county.lat === entry.lat &&
      county.lon === entry.lon
    ) {
      county.lat = null;
      county.lon = null;
      county.origin.delete('point-of-seat');
    }
    for (const o of entry.origin)
      if (o === 'countrystatecity' || o === 'project') county.origin.add(o);
    county.origin.add('merged-county-entry');
    merged.push({
      id: entry.id,
      nameEn: entry.nameEn,
      nameFa: entry.nameFa,
      intoId: county.id,
      intoNameEn: county.nameEn,
      lat: entry.lat,
      lon: entry.lon,
    });
    places.splice(places.indexOf(entry), 1);
  }
  return merged;
}

/**
 * Gives each county without a point the mean of the towns placed in it or, failing any, the point
 * of a county entry merged into it; returns how many.
 */
export function locateCounties(places: CountyPlace[], merged: MergedEntry[] = []): number {
  let located = 0;
  for (const county of places.filter((p) => p.kind === 'county' && p.lat == null)) {
    const towns = places.filter(
      (p) => p.kind === 'city' && p.parentId === county.id && p.lat != null && p.lon != null,
    );
    const entry = merged.find((e) => e.intoId === county.id && e.lat != null && e.lon != null);
    if (!towns.length && entry) {
      county.lat = entry.lat!;
      county.lon = entry.lon!;
      county.origin.add('point-of-county-entry');
      located++;
      continue;
    }
    if (!towns.length) continue;
    const mean = (xs: number[]): number =>
      Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 1e4) / 1e4;
    county.lat = mean(towns.map((t) => t.lat!));
    county.lon = mean(towns.map((t) => t.lon!));
    county.origin.add('point-mean-of-placed-towns');
    located++;
  }
  return located;
}
