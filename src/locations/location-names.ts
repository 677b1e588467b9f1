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

/** Joining words that spellings of one name add or leave out: "Sistan va/and/-o Baluchestan". */
const JOINING_WORDS = ['and', 'va', 'o', 'wa', 'e', 'ye', 'و'];

/**
 * A looser key of an already normalised name: joining words (and, va, -o-, ezafe -e/-ye, و) and
 * spaces dropped, so "sistan va baluchestan", "sistan and baluchestan", "sistan baluchestan" and
 * "سیستان و بلوچستان" / "سیستان بلوچستان" meet, as do "ماه شهر" and "ماهشهر" (a ZWNJ typed as a
 * space). Used only when the exact normalised name matches nothing.
 */
export function looseNameKey(norm: string): string {
  return norm
    .split(' ')
    .filter((w) => w && !JOINING_WORDS.includes(w))
    .join('');
}

/** looseNameKey in SQL, on a normalised name column or expression (the same words). */
export const LOOSE_SQL = (column: string): string =>
  `replace(regexp_replace(' ' || ${column} || ' ', ' (${JOINING_WORDS.join('|')})(?= )', '', 'g'), ' ', '')`;

/**
 * Among places a misspelt text is near (with their similarity), those a more exact kind ties
 * with or beats: when a city or town scores at least as well as a county, a province or a
 * country (kindRank: country < province < county < city < village < district < site), the text
 * is taken to name the more exact place, so the less exact one neither wins nor makes it a tie.
 * "Zaahedan" stays the city Zahedan, not Zahedan County (whose name holds the city's); "Tehrann"
 * is the city, not the province of the same name; a text nearer the county ("Zahedan Countyy")
 * keeps the county. A fuzzy match and a suggestion both rank so.
 */
export function outrankedByMoreExact(
  near: readonly { place: { id: string; kind: string }; sim: number }[],
): Set<string> {
  // The best score of any place more exact than each rank: one pass, not one per pair.
  const best = new Map<number, number>();
  for (const n of near) {
    const r = kindRank(n.place.kind);
    best.set(r, Math.max(best.get(r) ?? -1, n.sim));
  }
  const ranks = [...best.keys()].sort((a, b) => b - a);
  const above = new Map<number, number>();
  let max = -1;
  for (const r of ranks) {
    above.set(r, max);
    max = Math.max(max, best.get(r)!);
  }
  return new Set(
    near.filter((n) => above.get(kindRank(n.place.kind))! >= n.sim).map((n) => n.place.id),
  );
}
