import { LOCATION_KINDS, type LocationKind } from '../common/domain.js';
import { normalizeText } from '../common/persian.js';

export interface PlaceNames {
  nameEn: string;
  variantsEn: string[];
  nameFa: string | null;
  variantsFa: string[];
}

/**
 * Every name of a place, normalised and de-duplicated: what `location=` and `q=` match.
 * The seed (seed/gazetteer.ts) uses it too, so that seeded and entered places agree.
 */
export function locationNamesNorm(p: PlaceNames): string[] {
  const all = [p.nameEn, ...p.variantsEn, ...(p.nameFa ? [p.nameFa] : []), ...p.variantsFa];
  return [...new Set(all.map(normalizeText).filter(Boolean))];
}

/** country 0 … site 5: a child's rank must be greater than its parent's. */
export function kindRank(kind: string): number {
  return LOCATION_KINDS.indexOf(kind as LocationKind);
}

/** A city may sit under a county or straight under a province; nothing sits under its own rank. */
export function kindMaySitUnder(child: string, parent: string): boolean {
  return kindRank(child) > kindRank(parent);
}

export type NameMatch = 'exact' | 'prefix' | 'word_prefix' | 'similar';

const MATCH_ORDER: NameMatch[] = ['exact', 'prefix', 'word_prefix', 'similar'];

/**
 * Which of a place's names (as entered) a type-ahead query hits best, and how. The query is
 * already normalised. Used to show the researcher why a place was suggested ("ماهشهر").
 */
export function bestNameMatch(
  p: PlaceNames,
  normalizedQuery: string,
): { name: string; match: NameMatch } {
  const names = [p.nameEn, ...(p.nameFa ? [p.nameFa] : []), ...p.variantsEn, ...p.variantsFa];
  let best: { name: string; match: NameMatch } = { name: p.nameEn, match: 'similar' };
  for (const name of names) {
    const n = normalizeText(name);
    const match: NameMatch | null =
      n === normalizedQuery
        ? 'exact'
        : n.startsWith(normalizedQuery)
          ? 'prefix'
          : n.includes(` ${normalizedQuery}`)
            ? 'word_prefix'
            : null;
    if (match && MATCH_ORDER.indexOf(match) < MATCH_ORDER.indexOf(best.match))
      best = { name, match };
  }
  return best;
}
