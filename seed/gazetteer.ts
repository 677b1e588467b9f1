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
}

interface Row {
  kind: string;
  name_en: string;
  variants_en: string;
  name_fa: string;
  parent_en: string;
  lat: string;
  lon: string;
}

const PARENT_KIND: Record<string, string> = {
  province: 'country',
  county: 'province',
  city: 'province',
};

const split = (s: string): string[] =>
  s
    .split('|')
    .map((v) => v.trim())
    .filter(Boolean);

/** Every name of a place, normalised: the same rule as places entered through the API. */
export const namesNormOf = locationNamesNorm;

export function locationSeedId(kind: string, nameEn: string): string {
  return stableId(`location:${kind}:${nameEn}`);
}

/** The gazetteer (seed/data/places-iran.csv) as a tree, parents before children, fixed ids. */
export function loadGazetteer(): GazetteerPlace[] {
  const rows = parse(fs.readFileSync(seedFile('places-iran.csv'), 'utf8'), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  }) as Row[];
  const byKey = new Map<string, GazetteerPlace>();
  const out: GazetteerPlace[] = [];
  for (const r of rows) {
    const id = locationSeedId(r.kind, r.name_en);
    let parent: GazetteerPlace | null = null;
    if (r.parent_en) {
      parent = byKey.get(`${PARENT_KIND[r.kind] ?? 'province'}:${r.parent_en}`) ?? null;
      if (!parent)
        throw new Error(`gazetteer: parent "${r.parent_en}" of ${r.name_en} not found above it`);
    }
    const fa = split(r.name_fa);
    const place: GazetteerPlace = {
      id,
      kind: r.kind,
      nameEn: r.name_en,
      variantsEn: split(r.variants_en),
      nameFa: fa[0] ?? null,
      variantsFa: fa.slice(1),
      parentId: parent?.id ?? null,
      path: [...(parent?.path ?? []), id],
      depth: parent ? parent.depth + 1 : 0,
      lat: r.lat ? Number(r.lat) : null,
      lon: r.lon ? Number(r.lon) : null,
      precision: r.lat ? 'centroid' : null,
      namesNorm: [],
    };
    place.namesNorm = namesNormOf(place);
    byKey.set(`${r.kind}:${r.name_en}`, place);
    out.push(place);
  }
  return out;
}
