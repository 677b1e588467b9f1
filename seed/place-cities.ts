/**
 * The parent chain province → county → city for seed/build-counties.ts: each gazetteer city or
 * town goes under the county that the iran-cities package lists it in, when the package's town
 * is found for it with evidence, in this order (each rule within the town's own province):
 *
 * 1. `county-by-fa`: one of its Persian names (ی/ي ک/ك, ZWNJ, spaces, ة folded, as every match
 *    here) is the name of package towns that all lie in one county;
 * 2. `county-by-key`: none of its Persian names does, and one of its English names has the
 *    transliteration key (src/common/transliteration.ts) of package towns that all lie in one
 *    county, no other gazetteer town of the province has that key, and no town of rule 1 took
 *    those package towns. Checked against rule 1 on the towns both rules place (printed);
 * 3. `county-by-seat-name`: neither, and its Persian name (or the key of its English name) is the
 *    name of exactly one county of the province: the town the county is named after, or an entry
 *    of the city list that is the county itself (Dashtestan, Tangestan), which
 *    seed/county-entries.ts then merges into the county.
 *
 * The others stay under their province. A geometric rule (the county whose seat is nearest, in
 * the same province) was measured on the towns placed by rule 1 and 2 and is printed, not used:
 * right for about 7 towns in 10, which a county's records cannot afford.
 */
import { normalizeText } from '../src/common/persian.js';
import { translitKey } from '../src/common/transliteration.js';
import { looseNameKey } from '../src/locations/location-names.js';
import type { CountyPlace } from './build-counties.js';

const key = (name: string): string => looseNameKey(normalizeText(name));

/** "خداجو(خراجو)": a name with another in parentheses is both names. */
const alternatives = (fa: string): string[] =>
  fa
    .split(/[()]/u)
    .map((s) => s.trim())
    .filter(Boolean);

interface Town {
  county: string;
  keys: string[];
  tks: string[];
}

const faKeysOf = (c: CountyPlace): Set<string> =>
  new Set([c.nameFa, ...c.variantsFa].filter((n): n is string => !!n).map(key));
const enKeysOf = (c: CountyPlace): Set<string> =>
  new Set([c.nameEn, ...c.variantsEn].map(translitKey).filter(Boolean));

/** The one county all the given towns lie in, or undefined. */
function oneCounty(towns: Town[]): string | undefined {
  const counties = new Set(towns.map((t) => t.county));
  return counties.size === 1 ? [...counties][0] : undefined;
}

/**
 * Moves the cities of `places` under their counties (their `parentId`, an origin mark each);
 * returns the summary line the build prints. `cityRows` and `countyRows` are the package's
 * city.csv (id, province, county, name) and county.csv (id, province, name).
 */
export function placeCitiesInCounties(
  places: CountyPlace[],
  cityRows: string[][],
  countyRows: string[][],
  provinceOf: Map<string, CountyPlace>,
  countyOfPackage: Map<string, CountyPlace>,
): string {
  const townsIn = new Map<string, Town[]>();
  for (const [, provinceId, countyId, fa] of cityRows) {
    const province = provinceOf.get(provinceId);
    if (!province || !countyOfPackage.has(countyId)) continue;
    const list = townsIn.get(province.id) ?? [];
    const names = alternatives(fa);
    list.push({ county: countyId, keys: names.map(key), tks: names.map(translitKey) });
    townsIn.set(province.id, list);
  }
  const countiesIn = new Map<string, { county: string; key: string; tk: string }[]>();
  for (const [countyId, provinceId, fa] of countyRows) {
    const province = provinceOf.get(provinceId);
    if (!province || !countyOfPackage.has(countyId)) continue;
    const list = countiesIn.get(province.id) ?? [];
    list.push({ county: countyId, key: key(fa), tk: translitKey(fa) });
    countiesIn.set(province.id, list);
  }

  const counts = { fa: 0, key: 0, seat: 0, left: 0, keyAgrees: 0, keyChecked: 0 };
  const placed = new Map<CountyPlace, string>();
  const provinces = new Map(places.filter((p) => p.kind === 'province').map((p) => [p.id, p]));
  const cities = places.filter((p) => p.kind === 'city' && provinces.has(p.parentId ?? ''));
  for (const province of provinces.values()) {
    const towns = townsIn.get(province.id) ?? [];
    const mine = cities.filter((c) => c.parentId === province.id);
    const byFa = new Map<CountyPlace, string>();
    const taken = new Set<Town>();
    for (const c of mine) {
      const fa = faKeysOf(c);
      const hits = towns.filter((t) => t.keys.some((k) => fa.has(k)));
      const county = oneCounty(hits);
      if (county) {
        byFa.set(c, county);
        hits.forEach((t) => taken.add(t));
      }
    }
    const byKey = new Map<CountyPlace, string>();
    for (const c of mine) {
      const en = enKeysOf(c);
      const hits = towns.filter((t) => t.tks.some((k) => en.has(k)));
      const shared = hits.some((t) =>
        mine.some((o) => o !== c && t.tks.some((k) => enKeysOf(o).has(k))),
      );
      const county = shared ? undefined : oneCounty(hits);
      if (!county) continue;
      if (byFa.has(c)) {
        counts.keyChecked++;
        if (byFa.get(c) === county) counts.keyAgrees++;
      } else if (!hits.some((t) => taken.has(t))) byKey.set(c, county);
    }
    for (const c of mine) {
      let county = byFa.get(c);
      let how = 'county-by-fa';
      if (!county) {
        county = byKey.get(c);
        how = 'county-by-key';
      }
      if (!county) {
        const fa = faKeysOf(c);
        const en = enKeysOf(c);
        const named = (countiesIn.get(province.id) ?? []).filter(
          (k) => fa.has(k.key) || (!fa.size && en.has(k.tk)),
        );
        county = named.length === 1 ? named[0].county : undefined;
        how = 'county-by-seat-name';
      }
      if (!county) {
        counts.left++;
        continue;
      }
      counts[how === 'county-by-fa' ? 'fa' : how === 'county-by-key' ? 'key' : 'seat']++;
      c.parentId = countyOfPackage.get(county)!.id;
      c.origin.add(how);
      placed.set(c, county);
    }
  }
  const nearest = nearestSeatAccuracy(places, placed, countyOfPackage);
  return (
    `${placed.size} of ${cities.length} cities and towns placed in their county (${counts.fa} by Persian name, ` +
    `${counts.key} by transliteration key (which agrees with the Persian name on ${counts.keyAgrees} of the ` +
    `${counts.keyChecked} towns both place), ${counts.seat} named after their county), ${counts.left} left under ` +
    `their province; the nearest county seat of the province (not used) would be right for ` +
    `${nearest.right} of ${nearest.tried} placed towns`
  );
}

/** How often "the county whose seat is nearest, in the same province" names a placed town's county. */
function nearestSeatAccuracy(
  places: CountyPlace[],
  placed: Map<CountyPlace, string>,
  countyOfPackage: Map<string, CountyPlace>,
): { right: number; tried: number } {
  const byId = new Map(places.map((p) => [p.id, p]));
  const seats = new Map<string, CountyPlace>();
  for (const [pkg, county] of countyOfPackage) {
    const name = county.nameEn.replace(/ County$/, '');
    const seat = [...placed.keys()].find(
      (c) => c.nameEn === name && placed.get(c) === pkg && c.lat != null,
    );
    if (seat) seats.set(pkg, seat);
  }
  const seatSet = new Set(seats.values());
  let right = 0;
  let tried = 0;
  for (const [c, county] of placed) {
    if (seatSet.has(c) || c.lat == null || c.lon == null) continue;
    const province = byId.get(countyOfPackage.get(county)!.parentId!)!;
    let best: { pkg: string; d: number } | null = null;
    for (const [pkg, seat] of seats) {
      if (countyOfPackage.get(pkg)!.parentId !== province.id) continue;
      const d = Math.hypot(
        seat.lat! - c.lat,
        (seat.lon! - c.lon) * Math.cos((c.lat * Math.PI) / 180),
      );
      if (!best || d < best.d) best = { pkg, d };
    }
    if (!best) continue;
    tried++;
    if (best.pkg === county) right++;
  }
  return { right, tried };
}
