import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { seedFile } from '../src/common/project-root.js';
import { locationNamesNorm } from '../src/locations/location-names.js';
import { stableId } from '../src/common/stable-id.js';

export interface GazetteerPlace {
  id: string;
  kind: string;
  nameEn: string;
  variantsEn: string[];
  nameFa: string | null;
  variantsFa: string[];
  parentId: string | null;
  path: string[];
  depth: number;
  lat: number | null;
  lon: number | null;
  precision: string | null;
  namesNorm: string[];
  /** Where the place comes from: `founding`, `countrystatecity`, `project`, joined by `+`. */
  origin: string;
}

interface Row {
  id: string;
  kind: string;
  name_en: string;
  variants_en: string;
  name_fa: string;
  variants_fa: string;
  parent_id: string;
  lat: string;
  lon: string;
  /** `approximate` for a county (a mean of towns, or a town's point), `centroid` otherwise. */
  precision?: string;
  origin: string;
}

/** The national gazetteer, built by seed/build-gazetteer.ts (see seed/data/LICENSE-gazetteer.md). */
export const GAZETTEER_FILE = 'gazetteer-iran.csv';

/** Places an earlier gazetteer listed and the build has since merged into another (their ids). */
export const MERGED_FILE = 'gazetteer-merged.csv';

/** A place the gazetteer no longer lists: a city entry that was its county (seed/county-entries.ts). */
export interface MergedPlace {
  id: string;
  nameEn: string;
  nameFa: string | null;
  intoId: string;
  intoNameEn: string;
  reason: string;
}

/** seed/data/gazetteer-merged.csv: each retired id and the place it now is. */
export function loadMergedPlaces(): MergedPlace[] {
  const rows = parse(fs.readFileSync(seedFile(MERGED_FILE), 'utf8'), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  }) as Record<string, string>[];
  return rows.map((r) => ({
    id: r.id,
    nameEn: r.name_en,
    nameFa: r.name_fa || null,
    intoId: r.into_id,
    intoNameEn: r.into_name_en,
    reason: r.reason,
  }));
}

const split = (s: string): string[] =>
  s
    .split('|')
    .map((v) => v.trim())
    .filter(Boolean);

/** Every name of a place, normalised: the same rule as places entered through the API. */
export const namesNormOf = locationNamesNorm;

/**
 * The fixed id of a place of the founding file (seed/data/places-iran.csv): the 75 places of
 * November 2019 keep the ids they were first seeded with. The other places' ids are in the
 * gazetteer file itself (a city's id is named within its province: two provinces have a Mahabad).
 */
export function locationSeedId(kind: string, nameEn: string): string {
  return stableId(`location:${kind}:${nameEn}`);
}

let cached: GazetteerPlace[] | null = null;

/** The gazetteer in the file's order, each place with its parent chain (path, depth), fixed ids. */
export function loadGazetteer(): GazetteerPlace[] {
  if (cached) return cached.map((p) => ({ ...p }));
  const rows = parse(fs.readFileSync(seedFile(GAZETTEER_FILE), 'utf8'), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  }) as Row[];
  // A city is listed before the county it lies in (the counties were appended to the file
  // after every other place, so that no row moved): parents are found wherever they are.
  const rowOf = new Map(rows.map((r) => [r.id, r]));
  const byId = new Map<string, GazetteerPlace>();
  const placeOf = (r: Row, seen: Set<string>): GazetteerPlace => {
    const done = byId.get(r.id);
    if (done) return done;
    if (seen.has(r.id)) throw new Error(`gazetteer: ${r.name_en} lies inside itself`);
    seen.add(r.id);
    let parent: GazetteerPlace | null = null;
    if (r.parent_id) {
      const pr = rowOf.get(r.parent_id);
      if (!pr) throw new Error(`gazetteer: parent ${r.parent_id} of ${r.name_en} not in the file`);
      parent = placeOf(pr, seen);
    }
    const place: GazetteerPlace = {
      id: r.id,
      kind: r.kind,
      nameEn: r.name_en,
      variantsEn: split(r.variants_en),
      nameFa: r.name_fa || null,
      variantsFa: split(r.variants_fa),
      parentId: parent?.id ?? null,
      path: [...(parent?.path ?? []), r.id],
      depth: parent ? parent.depth + 1 : 0,
      lat: r.lat ? Number(r.lat) : null,
      lon: r.lon ? Number(r.lon) : null,
      // The file says how exact each point is (a county's is approximate: seed/county-entries.ts).
      precision: r.lat ? r.precision || (r.kind === 'county' ? 'approximate' : 'centroid') : null,
      namesNorm: [],
      origin: r.origin,
    };
    place.namesNorm = namesNormOf(place);
    byId.set(r.id, place);
    return place;
  };
  const out = rows.map((r) => placeOf(r, new Set()));
  cached = out;
  return out.map((p) => ({ ...p }));
}
