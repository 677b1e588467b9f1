import type { EntityManager } from 'typeorm';
import type { PlacePrecision } from '../common/domain.js';
import { normalizeText } from '../common/persian.js';
import { looseNameKey, outrankedByMoreExact } from '../locations/location-names.js';
import { editDistance, trigrams, trigramSimilarity } from '../locations/trigram.js';

export interface GazetteerPlace {
  id: string;
  kind: string;
  parentId: string | null;
  /** Ids from the root to the place itself. */
  path: string[];
  depth: number;
  nameEn: string;
  nameFa: string | null;
  namesNorm: string[];
  lat: number | null;
  lon: number | null;
  /** What the coordinates are: exact, approximate, or a centroid (provinces, counties, cities). */
  precision?: string | null;
}

/** A place as an imported row gives it: free text in English and Persian, and a province. */
export interface PlaceText {
  city?: string | null;
  cityVerbatim?: string | null;
  province?: string | null;
  provinceVerbatim?: string | null;
}

export type PlaceOutcome = 'exact' | 'parent' | 'approximate' | 'unresolved';

export interface PlaceMatch {
  locationId: string | null;
  /** What goes in victims.place_precision: null when nothing resolved. */
  precision: PlacePrecision | null;
  outcome: PlaceOutcome;
  /** The text that was matched against, for the report ("Golshahr (Karaj)"). */
  text: string;
  /** For an approximate match: the gazetteer name the text was taken for ("Zahedan"). */
  suggestion?: string;
}

/**
 * A misspelt name is taken for the gazetteer's closest one (precision `approximate`) only when
 * it is this close (pg_trgm similarity, as the resolver's "Did you mean") and clearly closer
 * than any other place; within a known province a little less is needed (fewer places compete).
 */
const FUZZY_MIN = 0.5;
const FUZZY_MIN_IN_PROVINCE = 0.4;
const FUZZY_MARGIN = 0.1;
const FUZZY_MIN_LENGTH = 4;
/**
 * And it must be a slip of a letter or two, not another name that shares a start: "Shush" is
 * not "Shushtar" (one edit per six letters, at least one).
 */
const fuzzyEditsAllowed = (length: number): number => Math.max(1, Math.round(length / 6));

const PROVINCE_WORDS = new Set(['province', 'provinces', 'ostan', 'only', 'استان']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Words that name no place of their own: "Shahrak-e Jarahi" is Jarahi. */
const GENERIC_WORDS = new Set([
  'e',
  'ye',
  'shahrak',
  'shahr',
  'town',
  'city',
  'village',
  'شهرک',
  'شهر',
  'روستا',
  'روستای',
]);

interface Groups {
  /** Alternative names of the place reported: the text outside parentheses, split on / and ,. */
  primary: string[];
  /** Each parenthesised part, split the same way: a containing place, an alias or a detail. */
  inner: string[][];
}

/** "Shahrak-e Jarahi / Chamran (Mahshahr)" → primary [Shahrak-e Jarahi, Chamran], inner [[Mahshahr]]. */
function groupsOf(text: string): Groups {
  const inner: string[] = [];
  const outer = text.replace(/[(（[]([^)）\]]*)[)）\]]/gu, (_, inside: string) => {
    inner.push(inside);
    return ' ';
  });
  const alternatives = (s: string): string[] =>
    s
      .split(/[/،,;|]| - /u)
      .map((x) => x.trim())
      .filter(Boolean);
  return { primary: alternatives(outer), inner: inner.map(alternatives).filter((g) => g.length) };
}

/**
 * The gazetteer in memory, for bulk imports: one query at the start instead of one per row.
 * Matching is on the same normalised names as `location=` (common/persian.ts), so a row's
 * "ماهشهر", "Mahshahr" and "Bandar-e Mahshahr" meet the same place.
 */
export class PlaceMatcher {
  private readonly byName = new Map<string, GazetteerPlace[]>();
  /** The same names with spaces and joining words dropped (location-names.ts looseNameKey). */
  private readonly byLoose = new Map<string, GazetteerPlace[]>();
  private readonly byId = new Map<string, GazetteerPlace>();
  private readonly cache = new Map<string, PlaceMatch>();
  private grams: { place: GazetteerPlace; name: string; grams: Set<string> }[] | null = null;

  constructor(places: GazetteerPlace[]) {
    const add = (map: Map<string, GazetteerPlace[]>, key: string, p: GazetteerPlace): void => {
      const list = map.get(key);
      if (!list) map.set(key, [p]);
      else if (!list.includes(p)) list.push(p);
    };
    for (const p of places) {
      this.byId.set(p.id, p);
      for (const n of p.namesNorm) {
        add(this.byName, n, p);
        const loose = looseNameKey(n);
        if (loose) add(this.byLoose, loose, p);
      }
    }
  }

  static async load(m: EntityManager): Promise<PlaceMatcher> {
    const rows = await m.query<
      {
        id: string;
        kind: string;
        parent_id: string | null;
        path: string[];
        depth: number;
        name_en: string;
        name_fa: string | null;
        names_norm: string[];
        lat: number | null;
        lon: number | null;
        precision: string | null;
      }[]
    >(
      `SELECT id, kind, parent_id, path, depth, name_en, name_fa, names_norm, lat, lon, precision FROM locations`,
    );
    return new PlaceMatcher(
      rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        parentId: r.parent_id,
        path: r.path,
        depth: r.depth,
        nameEn: r.name_en,
        nameFa: r.name_fa,
        namesNorm: r.names_norm,
        lat: r.lat,
        lon: r.lon,
        precision: r.precision,
      })),
    );
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  get(id: string): GazetteerPlace | undefined {
    return this.byId.get(id);
  }

  /** The place itself or its nearest ancestor with coordinates. */
  coordinatesOf(id: string): { place: GazetteerPlace; lat: number; lon: number } | null {
    const p = this.byId.get(id);
    if (!p) return null;
    for (let i = p.path.length - 1; i >= 0; i--) {
      const a = this.byId.get(p.path[i]);
      if (a && a.lat != null && a.lon != null) return { place: a, lat: a.lat, lon: a.lon };
    }
    return null;
  }

  /**
   * One place for a name, or null when none or several fit. A name shared by a place and one
   * of its ancestors (Tehran the city and the province) means the deeper one, unless
   * `preferAncestor` (a province named again at the end of a Persian address).
   */
  private pick(norm: string, scope: string | null, preferAncestor = false): GazetteerPlace | null {
    const all = this.byName.get(norm) ?? this.byLoose.get(looseNameKey(norm));
    if (!all) return null;
    const found = scope ? all.filter((p) => p.path.includes(scope)) : all;
    if (!found.length) return null;
    if (found.length === 1) return found[0];
    const sorted = [...found].sort((a, b) => a.depth - b.depth);
    const top = sorted[0];
    const deepest = sorted[sorted.length - 1];
    // Only a chain of ancestors (each in the next one's path) is unambiguous.
    const chain = sorted.every((p, i) => i === 0 || p.path.includes(sorted[i - 1].id));
    if (!chain) return null;
    return preferAncestor ? top : deepest;
  }

  /** A place by id or by a name fitting exactly one place (used for `location` columns). */
  byIdOrName(text: string): GazetteerPlace | null {
    const t = text.trim();
    if (UUID.test(t)) return this.byId.get(t.toLowerCase()) ?? null;
    return this.pick(normalizeText(t), null);
  }

  private province(text: string | null | undefined): GazetteerPlace | null {
    if (!text?.trim()) return null;
    const words = normalizeText(text)
      .split(' ')
      .filter((w) => w && !PROVINCE_WORDS.has(w));
    const hit = (this.byName.get(words.join(' ')) ?? []).filter((p) => p.kind === 'province');
    return hit.length === 1 ? hit[0] : null;
  }

  /**
   * The longest run of words of a text naming one place: "شهرک اندیشه کرج" → کرج. `generic`
   * says whether every other word is generic (so the text names that very place).
   */
  private byWords(
    text: string,
    scope: string | null,
    preferAncestor: boolean,
  ): { place: GazetteerPlace; generic: boolean } | null {
    const words = normalizeText(text).split(' ').filter(Boolean);
    for (let size = words.length; size >= 1; size--) {
      for (let i = 0; i + size <= words.length; i++) {
        const place = this.pick(words.slice(i, i + size).join(' '), scope, preferAncestor);
        if (place) {
          const rest = [...words.slice(0, i), ...words.slice(i + size)];
          return { place, generic: rest.every((w) => GENERIC_WORDS.has(w)) };
        }
      }
    }
    return null;
  }

  /**
   * Resolves a row's place. Tries, in order: the whole English text, the whole Persian text,
   * the parts of the English text (outside the parentheses first, then inside, then its
   * words), the parts and words of the Persian text, and last the province. Whatever is
   * matched on less than the whole text is a place *containing* the one reported: it is
   * attached there with precision 'parent'.
   */
  resolve(t: PlaceText): PlaceMatch {
    const city = (t.city ?? '').trim();
    const cityFa = (t.cityVerbatim ?? '').trim();
    const key = [city, cityFa, t.province ?? '', t.provinceVerbatim ?? ''].join('\u0001');
    const hit = this.cache.get(key);
    if (hit) return hit;
    const out = this.compute(city, cityFa, t);
    this.cache.set(key, out);
    return out;
  }

  private compute(city: string, cityFa: string, t: PlaceText): PlaceMatch {
    const province = this.province(t.province) ?? this.province(t.provinceVerbatim);
    const scope = province?.id ?? null;
    const text = city || cityFa || (t.province ?? '').trim() || (t.provinceVerbatim ?? '').trim();
    const found = (p: GazetteerPlace, precision: PlacePrecision): PlaceMatch => ({
      locationId: p.id,
      precision,
      outcome: precision === 'exact' ? 'exact' : 'parent',
      text,
    });

    if (!city && !cityFa) {
      // Only a province was given: the row is placed exactly as reported.
      return province
        ? found(province, 'exact')
        : { locationId: null, precision: null, outcome: 'unresolved', text };
    }
    for (const s of [city, cityFa]) {
      if (!s) continue;
      const words = normalizeText(s).split(' ');
      if (words.some((w) => PROVINCE_WORDS.has(w))) {
        const p = this.province(s);
        if (p) return found(p, 'exact');
      }
    }
    for (const s of [city, cityFa]) {
      const p = s ? this.pick(normalizeText(s), scope) : null;
      if (p) return found(p, 'exact');
    }
    for (const s of [city, cityFa]) {
      if (!s) continue;
      const g = groupsOf(s);
      const whole = (alts: string[]): GazetteerPlace | null => {
        for (const a of alts) {
          const p = this.pick(normalizeText(a), scope);
          if (p) return p;
        }
        return null;
      };
      // "Fardis (Karaj)", "Shahr-e Qods (Qaleh Hasan Khan)": exact when what is in parentheses
      // is a known place too (the containing city, or another name); "Isfahan (Zajan)" is not.
      const innerKnown = g.inner.every((alts) => whole(alts) !== null);
      const named = whole(g.primary);
      if (named) {
        // "Isfahan (Zajan)": a parenthesised place inside the one named is the place reported.
        for (const alts of g.inner) {
          const p = whole(alts);
          if (p && p.id !== named.id && p.path.includes(named.id)) return found(p, 'exact');
        }
        return found(named, innerKnown ? 'exact' : 'parent');
      }
      for (const a of g.primary) {
        // A name shared by a province and its capital, inside longer text, is most often the
        // province appended to an address ("کوهرنگ اصفهان"): keep the province then.
        const w = this.byWords(a, scope, province !== null);
        if (w) return found(w.place, w.generic && innerKnown ? 'exact' : 'parent');
      }
      for (const alts of g.inner) {
        const p = whole(alts);
        if (p) return found(p, 'parent');
        for (const a of alts) {
          const w = this.byWords(a, scope, province !== null);
          if (w) return found(w.place, 'parent');
        }
      }
    }
    // A misspelling: the closest name, if clearly the closest ("Zahidan" → Zahedan).
    for (const s of [city, cityFa]) {
      if (!s) continue;
      for (const a of groupsOf(s).primary) {
        const near = this.nearest(normalizeText(a), scope);
        if (near)
          return {
            locationId: near.place.id,
            precision: 'approximate',
            outcome: 'approximate',
            text,
            suggestion: near.place.nameEn,
          };
      }
    }
    if (province) return found(province, 'parent');
    return { locationId: null, precision: null, outcome: 'unresolved', text };
  }

  /** The place whose name is closest to a text by trigram similarity, when clearly so. */
  private nearest(norm: string, scope: string | null): { place: GazetteerPlace } | null {
    if ([...norm.replace(/ /g, '')].length < FUZZY_MIN_LENGTH) return null;
    this.grams ??= [...this.byId.values()].flatMap((place) =>
      place.namesNorm.map((name) => ({ place, name, grams: trigrams(name) })),
    );
    const q = trigrams(norm);
    const best = new Map<string, { sim: number; name: string }>();
    for (const g of this.grams) {
      if (scope && !g.place.path.includes(scope)) continue;
      const sim = trigramSimilarity(q, g.grams);
      if (sim > (best.get(g.place.id)?.sim ?? 0)) best.set(g.place.id, { sim, name: g.name });
    }
    const echo = outrankedByMoreExact(
      [...best].map(([id, b]) => ({ place: this.byId.get(id)!, sim: b.sim })),
    );
    const ranked = [...best].filter(([id]) => !echo.has(id)).sort((a, b) => b[1].sim - a[1].sim);
    if (!ranked.length) return null;
    const [first, second] = ranked;
    const min = scope ? FUZZY_MIN_IN_PROVINCE : FUZZY_MIN;
    if (first[1].sim < min) return null;
    if (second && first[1].sim - second[1].sim < FUZZY_MARGIN) return null;
    const compact = (t: string): string => t.replace(/ /g, '');
    const edits = editDistance(compact(norm), compact(first[1].name));
    if (edits > fuzzyEditsAllowed([...compact(norm)].length)) return null;
    return { place: this.byId.get(first[0])! };
  }

  /** Does a text name exactly one province ("Sistan and Baluchestan", "استان فارس")? */
  isProvinceName(text: string): boolean {
    return this.province(text) !== null;
  }

  /**
   * The places a row's text names when it names several unrelated ones (two towns called
   * Mahabad, in two provinces): what a report lists, with their ids, for a person to choose.
   * Empty when the text names one place, a chain (Tehran the province and the city), or none.
   */
  candidatesFor(t: PlaceText): GazetteerPlace[] {
    const province = this.province(t.province) ?? this.province(t.provinceVerbatim);
    for (const s of [(t.city ?? '').trim(), (t.cityVerbatim ?? '').trim()]) {
      if (!s) continue;
      for (const a of [s, ...groupsOf(s).primary]) {
        const norm = normalizeText(a);
        const all = this.byName.get(norm) ?? this.byLoose.get(looseNameKey(norm)) ?? [];
        const found = province ? all.filter((p) => p.path.includes(province.id)) : all;
        if (found.length < 2) continue;
        const sorted = [...found].sort((x, y) => x.depth - y.depth);
        const chain = sorted.every((p, i) => i === 0 || p.path.includes(sorted[i - 1].id));
        if (!chain) return sorted;
      }
    }
    return [];
  }

  /** The places whose names are most like a text (trigram similarity above 0.3), best first. */
  suggestionsFor(t: PlaceText, n = 3): GazetteerPlace[] {
    const text = (t.city ?? '').trim() || (t.cityVerbatim ?? '').trim();
    const norm = normalizeText(groupsOf(text).primary[0] ?? text);
    if (!norm) return [];
    this.grams ??= [...this.byId.values()].flatMap((place) =>
      place.namesNorm.map((name) => ({ place, name, grams: trigrams(name) })),
    );
    const q = trigrams(norm);
    const best = new Map<string, number>();
    for (const g of this.grams) {
      const sim = trigramSimilarity(q, g.grams);
      if (sim > 0.3 && sim > (best.get(g.place.id) ?? 0)) best.set(g.place.id, sim);
    }
    const echo = outrankedByMoreExact(
      [...best].map(([id, sim]) => ({ place: this.byId.get(id)!, sim })),
    );
    return [...best]
      .filter(([id]) => !echo.has(id))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([id]) => this.byId.get(id)!);
  }
}
