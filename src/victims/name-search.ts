import {
  hasPersianScript,
  latinSkeleton,
  normalizeText,
  persianSkeleton,
} from '../common/persian.js';
import { boundedMemo } from '../common/memo.js';
import { translitKey, wordKey } from '../common/transliteration.js';

// Bulk imports compute keys for hundreds of thousands of names made of far fewer distinct
// words and names: both are remembered, at most 50,000 of each, so memory stays flat.
const skeletons = boundedMemo<string>(50_000);
const keysByName = boundedMemo<string[]>(50_000);

function skeleton(text: string): string {
  return skeletons(text, () =>
    hasPersianScript(text) ? persianSkeleton(text) : latinSkeleton(text),
  );
}

/**
 * The keys one name is matched by: its normalised form, the skeleton of each word, and the
 * skeleton of the whole name with its words joined. Skeletons make spelling variants collide
 * (Mohammad / Muhammad, Hosseini / Hoseyni, تک / تاک); the joined one makes "Mohammadreza" meet
 * "Mohammad Reza". Trigram similarity then tolerates what the skeletons leave apart.
 */
export function nameKeys(name: string | null | undefined): string[] {
  if (!name) return [];
  // A copy: callers may change the list they get.
  return keysByName(name, () => computeKeys(name)).slice();
}

function computeKeys(name: string): string[] {
  const norm = normalizeText(name);
  if (!norm) return [];
  return unique([norm, skeletonWords(norm).join(' '), skeleton(norm)]);
}

/** The skeleton of each word of a normalised name. */
function skeletonWords(norm: string): string[] {
  return norm
    .split(' ')
    .map(skeleton)
    .filter((w) => w !== '');
}

/**
 * Keys that cross scripts: the transliteration key (src/common/transliteration.ts) of each word
 * and of the words joined, marked with the script they come from ("~" Persian, "^" Latin) so
 * that they never meet a written word, and so that only a query in the other script asks for
 * them: "Ali" asks for ~li, which "علی" holds; "علی" asks for ^li, which "Ali" holds. Within
 * one script the key is too loose (it makes ح and ه one letter): the written words and their
 * skeletons decide there, as before.
 */
export function scriptKeys(name: string | null | undefined, mark = scriptMark(name)): string[] {
  if (!name) return [];
  const words = translitKey(name).split(' ').filter(Boolean);
  return unique([...words, words.join('')].map((k) => (k ? `${mark}${k}` : '')));
}

/** The mark of a name's cross-script keys; a query asks for the other script's (`otherMark`). */
export function scriptMark(text: string | null | undefined): string {
  return text && hasPersianScript(text) ? PERSIAN_MARK : LATIN_MARK;
}

function otherMark(text: string): string {
  return hasPersianScript(text) ? LATIN_MARK : PERSIAN_MARK;
}

/** Cross-script key marks (no normalised name holds them: normalizeText makes them spaces). */
export const PERSIAN_MARK = '~';
export const LATIN_MARK = '^';

/** What victims.name_search holds: every key of every name, once each, space-separated. */
export function nameSearchText(names: (string | null | undefined)[]): string {
  return unique([...names.flatMap(nameKeys), ...names.flatMap((n) => scriptKeys(n))]).join(' ');
}

export interface NameQuery {
  /**
   * Keys of the whole query: what results are ranked by. Not a key whose skeletons fold two
   * words into one.
   */
  whole: string[];
  /** Keys of each word: every word must match one of its keys. */
  words: string[][];
  /**
   * The query as a name's keys hold it, as consecutive words: first its normalised words (the
   * name asked for), then their skeletons (the same name in another spelling), when they differ.
   * A name holding one ranks above every other match: trigram similarity compares pieces of
   * words, and may score a name that only shares them as high as the name itself.
   */
  phrases: string[][];
}

/**
 * A name search: every word of the query must appear in the name (in any of its spellings,
 * fuzzily), so that "Mehran Tak" does not bring every Mehran; results rank by how well the
 * whole query matches. Null when the text holds nothing to search for.
 */
export function nameQuery(q: string): NameQuery | null {
  const norm = normalizeText(q);
  // A key whose skeletons fold two of the query's words into one (محمد محمدی → محمد محمد) has
  // the trigrams of that one word alone, and would rank every name holding it at 1.
  const own = nameKeys(q).filter((k, i) => i === 0 || !repeatsWords(k) || repeatsWords(norm));
  if (!own.length) return null;
  // The cross-script keys rank a record in the other script as the same name in another spelling.
  const whole = unique([...own, scriptKeys(q, otherMark(q)).join(' ')]);
  // Each word also matches its transliteration key: a Latin query finds Persian records.
  const words = unique(norm.split(' '))
    .map((w) => {
      const keys = nameKeys(w);
      const cross = wordKey(w);
      return keys.length && cross ? unique([...keys, `${otherMark(w)}${cross}`]) : keys;
    })
    .filter((k) => k.length > 0);
  const exact = norm.split(' ');
  const spelling = skeletonWords(norm);
  const phrases = !spelling.length || spelling.join(' ') === norm ? [exact] : [exact, spelling];
  return { whole, words, phrases };
}

function repeatsWords(key: string): boolean {
  const words = key.split(' ');
  return new Set(words).size < words.length;
}

function unique(keys: string[]): string[] {
  return [...new Set(keys.filter((k) => k !== ''))];
}

/**
 * A query without its cross-script keys: what the per-record duplicate finder asks (a Latin
 * "Halali" is حلالی and هلالی alike; the batch linkage, src/duplicates, weighs that).
 */
export function withoutScriptKeys(q: NameQuery): NameQuery {
  const own = (k: string) => !k.startsWith(PERSIAN_MARK) && !k.startsWith(LATIN_MARK);
  return { ...q, whole: q.whole.filter(own), words: q.words.map((w) => w.filter(own)) };
}
