import { hasPersianScript, normalizeText } from '../common/persian.js';
import { consonantKey, keyDistance, strongLength, wordKey } from '../common/transliteration.js';

/**
 * Record linkage, the pure part: how two victim records are compared. The batch job
 * (duplicates.service.ts) blocks the whole database with `blockKeys`, scores each candidate
 * pair with `scorePair` and groups the pairs it keeps into clusters with `clusterPairs`; the
 * labelled set in test/fixtures/linkage measures it (docs/duplicates.md).
 */
export interface LinkRecord {
  id: string;
  names: string[];
  gender: string | null;
  age: number | null;
  ageMin: number | null;
  ageMax: number | null;
  dateFrom: string | null;
  dateTo: string | null;
  /** Place ids from the root of the gazetteer down to the record's place; [] when unknown. */
  placePath: string[];
  sources: string[];
  /** The father's name where known (the usual way Iranian records are told apart). */
  father?: string | null;
  /**
   * How many records of the set being linked carry this record's full name (its commonest
   * reading, nameKeys): 1 when not counted. A common name needs more agreeing evidence.
   */
  nameFrequency?: number;
}

/** A name split into the parts that tell people apart, each word as its transliteration key. */
export interface NameParts {
  /** The given name's words (a compound given name may be one word or two). */
  given: string[];
  /** The family name's words ([] for a name of one word). */
  family: string[];
  /** Whether the name was written in Persian script. */
  persian: boolean;
  /** The normalised words, for an exact comparison within one script. */
  exact: string;
}

// Titles and honorifics that come and go between lists (Seyed Ahmad = احمد).
const HONORIFICS = new Set(
  [
    'seyed',
    'seyyed',
    'sayed',
    'sayyed',
    'sayyid',
    'seyyedeh',
    'seyedeh',
    'sadat',
    'mir',
    'haj',
    'hajj',
    'haji',
    'hajieh',
    'sheikh',
    'shaikh',
    'mirza',
    'mullah',
    'mulla',
    'mr',
    'mrs',
    'ms',
    'سید',
    'سیده',
    'حاج',
    'حاجی',
    'حاجیه',
    'شیخ',
    'میرزا',
    'ملا',
  ].map((w) => normalizeText(w)),
);

const ZWNJ = /\u200c/gu;

/**
 * Every reading of a written name: as written, with a zero-width non-joiner as a space and as
 * a joiner, without honorifics, and with what stands in parentheses (a clan name, another
 * family name, a name the person was known by) taken in place of the word before it, as the
 * family name, or left out.
 */
export function nameReadings(name: string): NameParts[] {
  const texts = new Set<string>();
  const bases = [name, name.replace(ZWNJ, ' ')];
  for (const base of bases) {
    const m = /^(.*?)\(([^)]*)\)(.*)$/u.exec(base);
    if (!m) {
      texts.add(base);
      continue;
    }
    const [, before, inside, after] = m;
    const beforeWords = before.trim().split(/\s+/u).filter(Boolean);
    texts.add(`${before} ${after}`);
    // In place of the word before it: "روح الله (جواد) نظری" is also "جواد نظری".
    if (beforeWords.length) {
      const given = beforeWords.length > 1 && after.trim() !== '' ? [] : beforeWords.slice(0, -1);
      texts.add(`${[...given, inside].join(' ')} ${after}`);
      // As the family name: "Farzad Ansari (Tazmipur)" is also "Farzad Tazmipur".
      texts.add(`${beforeWords[0]} ${inside} ${after}`);
      if (after.trim() !== '') texts.add(`${inside} ${after}`);
    }
  }
  const out: NameParts[] = [];
  const seen = new Set<string>();
  for (const t of texts) {
    const words = normalizeText(t)
      .split(' ')
      .filter((w) => w !== '' && !HONORIFICS.has(w));
    if (!words.length) continue;
    const exact = words.join(' ');
    if (seen.has(exact)) continue;
    seen.add(exact);
    const persian = hasPersianScript(exact);
    const keys = words
      .map((w, i) => wordKey(i > 0 && persian ? stripArticle(w) : w))
      .filter(Boolean);
    if (!keys.length) continue;
    out.push({ given: keys.slice(0, 1), family: keys.slice(1), persian, exact });
    // A compound given name written as two words (محمد رضا احمدی): the first two are the given name.
    if (keys.length >= 3)
      out.push({ given: keys.slice(0, 2), family: keys.slice(2), persian, exact });
  }
  return out;
}

/** ال at the start of a family name (السواری = سواری): Arabic article, not part of the name. */
function stripArticle(w: string): string {
  return w.length >= 5 && w.startsWith('ال') ? w.slice(2) : w;
}

/**
 * Similarity of two keys, 0–1, strict on purpose: one letter apart in a short name (Hossein /
 * Hassan, محمود / محمد) is a different name, not a spelling.
 */
export function keySimilarity(a: string, b: string): number {
  if (!a || !b) return 0;
  const d = keyDistance(a, b);
  if (d === 0) return 1;
  const len = Math.max(strongLength(a), strongLength(b), 1);
  return Math.max(0, 1 - (3 * d) / len);
}

export interface NameEvidence {
  score: number;
  given: number;
  family: number | null;
  /** The two readings compared (normalised). */
  compared: [string, string];
}

/** How alike two names are: the given name and the family name, compared apart and joined. */
export function nameSimilarity(a: NameParts, b: NameParts): NameEvidence {
  const compared: [string, string] = [a.exact, b.exact];
  if (a.persian === b.persian && a.exact === b.exact && a.family.length) {
    return { score: 1, given: 1, family: 1, compared };
  }
  const given = keySimilarity(a.given.join(''), b.given.join(''));
  if (!a.family.length || !b.family.length) {
    // A name of one word is weak evidence on its own, however well it matches.
    return { score: 0.6 * given, given, family: null, compared };
  }
  const joined = keySimilarity(a.family.join(''), b.family.join(''));
  // A family name of several words may be given in part (انصاری فر / Ansari).
  const partial =
    0.9 *
    Math.max(
      keySimilarity(a.family[0], b.family[0]),
      keySimilarity(a.family.at(-1)!, b.family.at(-1)!),
    );
  const family = Math.max(joined, partial);
  return { score: 0.45 * given + 0.55 * family, given, family, compared };
}

/** The best name evidence over every reading of every name of both records. */
export function bestNames(a: NameParts[], b: NameParts[]): NameEvidence {
  let best: NameEvidence = { score: 0, given: 0, family: null, compared: ['', ''] };
  for (const x of a) {
    for (const y of b) {
      const e = nameSimilarity(x, y);
      if (e.score > best.score) best = e;
      if (best.score === 1) return best;
    }
  }
  return best;
}

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** Date of harm: the same day 1, a day apart 0.8, overlapping ranges 0.6, unknown 0.5. */
export function dateSimilarity(a: LinkRecord, b: LinkRecord): number {
  if (!a.dateFrom || !b.dateFrom || !a.dateTo || !b.dateTo) return 0.5;
  const [af, at, bf, bt] = [a.dateFrom, a.dateTo, b.dateFrom, b.dateTo].map(dayNumber);
  const exactA = af === at;
  const exactB = bf === bt;
  if (exactA && exactB) {
    const gap = Math.abs(af - bf);
    return gap === 0 ? 1 : gap === 1 ? 0.8 : gap <= 3 ? 0.3 : 0;
  }
  const gap = Math.max(af, bf) - Math.min(at, bt);
  return gap <= 0 ? 0.6 : gap <= 1 ? 0.4 : 0;
}

/** Place: the same 1, one inside the other (a district of the city) 0.8, the same province 0.4. */
export function placeSimilarity(a: LinkRecord, b: LinkRecord): number {
  if (!a.placePath.length || !b.placePath.length) return 0.5;
  const la = a.placePath.at(-1)!;
  const lb = b.placePath.at(-1)!;
  if (la === lb) return 1;
  if (a.placePath.includes(lb) || b.placePath.includes(la)) {
    // Inside the country or a province only says little.
    return Math.min(a.placePath.length, b.placePath.length) >= 3 ? 0.8 : 0.5;
  }
  if (a.placePath.length >= 2 && b.placePath.length >= 2 && a.placePath[1] === b.placePath[1])
    return 0.4;
  return 0;
}

function ageRange(r: LinkRecord): [number, number] | null {
  if (r.age !== null) return [r.age, r.age];
  if (r.ageMin !== null || r.ageMax !== null) return [r.ageMin ?? 0, r.ageMax ?? 130];
  return null;
}

/** Age: within a year 1, within three 0.6, further 0; unknown 0.5. */
export function ageSimilarity(a: LinkRecord, b: LinkRecord): number {
  const x = ageRange(a);
  const y = ageRange(b);
  if (!x || !y) return 0.5;
  const gap = Math.max(x[0], y[0]) - Math.min(x[1], y[1]);
  return gap <= 1 ? 1 : gap <= 3 ? 0.6 : 0;
}

export interface PairEvidence {
  score: number;
  name: NameEvidence;
  date: number;
  place: number;
  age: number;
  gender: number;
  /** 1 when the records come from different sources (two lists), 0.5 when they share one. */
  sources: number;
  /** The fathers' names, 0–1, null when either record has none. */
  father: number | null;
  /** Records in the set bearing the commoner of the two full names. */
  frequency: number;
  /** Why the pair is held below the threshold whatever else agrees, if it is. */
  veto: string | null;
}

/** Scores below this are not proposed. Set on the labelled set (docs/duplicates.md). */
export const PAIR_THRESHOLD = 0.78;

/**
 * A full name carried by at least this many records of the set is common: several different
 * people bear it (Mohammad Ahmadi), and the name alone says little. A real person appears in
 * two or three lists, once or twice in each (the labelled set has at most four records of one
 * person), so five records of one name are more than one person's.
 */
export const COMMON_NAME_RECORDS = 5;

/** Father's names: alike (the same name in two spellings or scripts) from this similarity. */
const FATHER_ALIKE = 0.8;

/** The father's names of two records, 0–1, or null when either is unknown. */
export function fatherSimilarity(a: LinkRecord, b: LinkRecord): number | null {
  if (!a.father || !b.father) return null;
  let best = 0;
  for (const x of fatherKeys(a.father))
    for (const y of fatherKeys(b.father)) best = Math.max(best, keySimilarity(x, y));
  return best;
}

function fatherKeys(name: string): string[] {
  const out = new Set<string>();
  for (const p of nameReadings(name)) {
    out.add([...p.given, ...p.family].join(''));
    if (p.given.length) out.add(p.given.join(''));
  }
  return [...out];
}

/**
 * How likely two records are one person, 0–1, with the evidence. The name weighs most; a
 * different gender, ages more than five years apart, dates more than three days apart or
 * different fathers' names veto the pair, whatever the names say; the same father's name
 * raises it. A common full name (COMMON_NAME_RECORDS) counts only with the same day, the same
 * city and, when both ages are known, ages within two years.
 */
export function scorePair(
  a: LinkRecord,
  b: LinkRecord,
  readings: (r: LinkRecord) => NameParts[] = recordReadings,
): PairEvidence {
  const name = bestNames(readings(a), readings(b));
  const date = dateSimilarity(a, b);
  const place = placeSimilarity(a, b);
  const age = ageSimilarity(a, b);
  const gender = !a.gender || !b.gender ? 0.5 : a.gender === b.gender ? 1 : 0;
  const shared = a.sources.some((s) => b.sources.includes(s));
  const sources = shared ? 0.5 : 1;
  const father = fatherSimilarity(a, b);
  const frequency = Math.max(a.nameFrequency ?? 1, b.nameFrequency ?? 1);
  const common = frequency >= COMMON_NAME_RECORDS;
  let veto: string | null = null;
  // Different given names with the same family name are brothers, cousins, neighbours:
  // Hossein and Hassan Ahmadi, محمود and محمد رضایی.
  if (name.family !== null && name.given < 0.5) veto = 'different given names';
  else if (gender === 0) veto = 'different gender';
  else if (father !== null && father < FATHER_ALIKE) veto = "different fathers' names";
  else if (age === 0 && gapOver(a, b, 5)) veto = 'ages more than five years apart';
  else if (date === 0) veto = 'dates of harm more than three days apart';
  else if (place === 0) veto = 'places in different provinces';
  else if (common && !commonNameHolds(a, b, date))
    veto = 'a common name without the same day and city';
  else if (common && gapOver(a, b, 2)) veto = 'a common name with ages more than two years apart';
  const raw =
    0.55 * name.score +
    0.2 * date +
    0.13 * place +
    0.04 * age +
    0.04 * gender +
    0.04 * sources +
    (father !== null ? 0.08 : 0);
  const score = Math.round(Math.min(raw, veto ? PAIR_THRESHOLD - 0.01 : 1) * 1000) / 1000;
  return { score, name, date, place, age, gender, sources, father, frequency, veto };
}

/**
 * The same day of harm, or the same short span of days (at most four, as a list writes "15–19
 * November"): a month or a year shared says nothing of one person.
 */
function sameDates(a: LinkRecord, b: LinkRecord, date: number): boolean {
  if (date === 1) return true;
  if (!a.dateFrom || !a.dateTo || a.dateFrom !== b.dateFrom || a.dateTo !== b.dateTo) return false;
  return dayNumber(a.dateTo) - dayNumber(a.dateFrom) <= 4;
}

/**
 * The same date of harm as written (a month, a span), with ages known on both sides and within
 * two years: agreeing evidence enough in place of the day.
 */
function sameDateAndAge(a: LinkRecord, b: LinkRecord): boolean {
  if (!a.dateFrom || a.dateFrom !== b.dateFrom || a.dateTo !== b.dateTo) return false;
  return closeAges(a, b);
}

/**
 * What a common name needs to be proposed: the same city (or a place below it) and the same
 * day (or short span), or the same date as written with ages on both; or, where the place is
 * known only as a province (or a county), the same place, the same day and ages on both
 * within a year.
 */
function commonNameHolds(a: LinkRecord, b: LinkRecord, date: number): boolean {
  if (sameCity(a, b)) return sameDates(a, b, date) || sameDateAndAge(a, b);
  return samePlace(a, b) && sameDates(a, b, date) && closeAges(a, b, 1);
}

/** The same place, whatever its level. */
function samePlace(a: LinkRecord, b: LinkRecord): boolean {
  return a.placePath.length > 0 && a.placePath.at(-1) === b.placePath.at(-1);
}

/** Ages known on both sides, each to within `years`, and within `years` of each other. */
function closeAges(a: LinkRecord, b: LinkRecord, years = 2): boolean {
  const x = ageRange(a);
  const y = ageRange(b);
  return !!x && !!y && x[1] - x[0] <= years && y[1] - y[0] <= years && !gapOver(a, b, years);
}

/** The same place, a city or below (a province named alone is no city). */
function sameCity(a: LinkRecord, b: LinkRecord): boolean {
  return (
    a.placePath.length >= 3 && b.placePath.length >= 3 && a.placePath.at(-1) === b.placePath.at(-1)
  );
}

function gapOver(a: LinkRecord, b: LinkRecord, years: number): boolean {
  const x = ageRange(a);
  const y = ageRange(b);
  return !!x && !!y && Math.max(x[0], y[0]) - Math.min(x[1], y[1]) > years;
}

const readingsCache = new WeakMap<LinkRecord, NameParts[]>();

/** Every reading of every name of a record (remembered per record object). */
export function recordReadings(r: LinkRecord): NameParts[] {
  let out = readingsCache.get(r);
  if (!out) {
    out = r.names.filter(Boolean).flatMap(nameReadings);
    readingsCache.set(r, out);
  }
  return out;
}

/**
 * Blocking keys: records are compared only with records sharing one of these (and a date of
 * harm within a day, see the scan). The family name's consonants with the given name's first
 * two, and the given name's consonants with the family name's first two: a misspelt family
 * name still meets its record through the given name, and the other way round. Each key holds
 * the province when the record has one: records in different provinces are never the same
 * person by the score's rules (a veto), and common names would otherwise make blocks of
 * thousands. A record without a place meets only records without one.
 */
export function blockKeys(r: LinkRecord): string[] {
  const province = r.placePath.length >= 2 ? `@${r.placePath[1]}` : '@';
  return blockStems(r).map((s) => s + province);
}

/**
 * The blocking keys without the province (which the scan adds from the record's place as it
 * runs): they depend on the names only, so they are kept with the record (victim_name_keys)
 * and computed again only when its names change.
 */
export function blockStems(r: LinkRecord): string[] {
  const keys = new Set<string>();
  for (const p of recordReadings(r)) {
    if (p.given.length > 1) continue;
    const given = consonantKey(p.given.join(''));
    if (!p.family.length) {
      if (given) keys.add(`g:${given}:`);
      continue;
    }
    const family = consonantKey(p.family.join(''));
    const last = consonantKey(p.family.at(-1)!);
    if (family) keys.add(`f:${family}:${given.slice(0, 2)}`);
    if (last && last !== family) keys.add(`f:${last}:${given.slice(0, 2)}`);
    if (given) keys.add(`g:${given}:${consonantKey(p.family[0]).slice(0, 2)}`);
  }
  return [...keys];
}

/**
 * The full names of a record as keys (given and family name, each as its transliteration key:
 * `Mohammad Ahmadi` and `محمد احمدی` give one), for counting how common a name is.
 */
export function nameKeys(r: LinkRecord): string[] {
  const keys = new Set<string>();
  for (const p of recordReadings(r)) {
    if (p.given.length > 1) continue;
    keys.add(p.family.length ? `${p.given.join('')} ${p.family.join('')}` : p.given.join(''));
  }
  return [...keys];
}

/** Sets each record's nameFrequency from the records given (a labelled set, one file). */
export function countNames(records: LinkRecord[]): void {
  const counts = new Map<string, number>();
  const keysOf = records.map((r) => nameKeys(r));
  for (const keys of keysOf) for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  records.forEach((r, i) => {
    r.nameFrequency = Math.max(1, ...keysOf[i].map((k) => counts.get(k) ?? 1));
  });
}

/** What clustering needs of a record to see that two records of a cluster conflict. */
export interface ConflictFacts {
  dayFrom: number | null;
  dayTo: number | null;
  age: [number, number] | null;
  father: string | null;
  gender: string | null;
}

export function conflictFacts(r: LinkRecord): ConflictFacts {
  return {
    dayFrom: r.dateFrom ? dayNumber(r.dateFrom) : null,
    dayTo: r.dateTo ? dayNumber(r.dateTo) : null,
    age: ageRange(r),
    father: r.father ?? null,
    gender: r.gender,
  };
}

/**
 * Whether two records cannot be one person whatever links them through others: exact dates of
 * harm more than a day apart, ages more than two years apart, different genders or different
 * fathers' names. A~B and B~C do not make A~C when A and C conflict.
 */
export function conflicting(x: ConflictFacts, y: ConflictFacts): string | null {
  if (x.gender && y.gender && x.gender !== y.gender) return 'different gender';
  if (
    x.dayFrom !== null &&
    y.dayFrom !== null &&
    x.dayFrom === x.dayTo &&
    y.dayFrom === y.dayTo &&
    Math.abs(x.dayFrom - y.dayFrom) > 1
  )
    return 'different days';
  if (x.age && y.age && Math.max(x.age[0], y.age[0]) - Math.min(x.age[1], y.age[1]) > 2)
    return 'different ages';
  if (x.father && y.father) {
    const a: LinkRecord = { ...EMPTY, father: x.father };
    const b: LinkRecord = { ...EMPTY, father: y.father };
    if ((fatherSimilarity(a, b) ?? 1) < FATHER_ALIKE) return "different fathers' names";
  }
  return null;
}

const EMPTY: LinkRecord = {
  id: '',
  names: [],
  gender: null,
  age: null,
  ageMin: null,
  ageMax: null,
  dateFrom: null,
  dateTo: null,
  placePath: [],
  sources: [],
};

/** Clusters larger than this are not grown further: a chain, not a person. */
export const MAX_CLUSTER = 12;

/**
 * Pairs grouped into clusters (connected records), each with its best pair score. Pairs are
 * taken best first; a pair that would join two clusters holding records that conflict
 * (`conflicting`, when `facts` knows them) or make one larger than MAX_CLUSTER is left out of
 * every cluster, and counted in `refused`.
 */
export function clusterPairs<P extends { a: string; b: string; score: number }>(
  pairs: P[],
  facts?: (id: string) => ConflictFacts | undefined,
): { members: string[]; pairs: P[]; score: number }[] & { refused?: number } {
  const parent = new Map<string, string>();
  const members = new Map<string, string[]>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== undefined && parent.get(r) !== r) r = parent.get(r)!;
    let c = x;
    while (c !== r) {
      const n = parent.get(c)!;
      parent.set(c, r);
      c = n;
    }
    return r;
  };
  const sorted = [...pairs].sort(
    (x, y) => y.score - x.score || x.a.localeCompare(y.a) || x.b.localeCompare(y.b),
  );
  const accepted: P[] = [];
  let refused = 0;
  for (const p of sorted) {
    for (const v of [p.a, p.b]) {
      if (!parent.has(v)) {
        parent.set(v, v);
        members.set(v, [v]);
      }
    }
    const ra = find(p.a);
    const rb = find(p.b);
    if (ra !== rb) {
      const ma = members.get(ra)!;
      const mb = members.get(rb)!;
      if (ma.length + mb.length > MAX_CLUSTER || (facts && clash(ma, mb, facts))) {
        refused++;
        continue;
      }
      const [root, other] = ra < rb ? [ra, rb] : [rb, ra];
      parent.set(other, root);
      members.set(root, [...ma, ...mb]);
      members.delete(other);
    }
    accepted.push(p);
  }
  const groups = new Map<string, { members: Set<string>; pairs: P[]; score: number }>();
  for (const p of accepted) {
    const r = find(p.a);
    const g = groups.get(r) ?? { members: new Set<string>(), pairs: [], score: 0 };
    g.members.add(p.a).add(p.b);
    g.pairs.push(p);
    g.score = Math.max(g.score, p.score);
    groups.set(r, g);
  }
  const out: { members: string[]; pairs: P[]; score: number }[] & { refused?: number } = [
    ...groups.values(),
  ]
    .map((g) => ({ members: [...g.members].sort(), pairs: g.pairs, score: g.score }))
    .sort((x, y) => y.score - x.score || x.members[0].localeCompare(y.members[0]));
  out.refused = refused;
  return out;
}

function clash(
  a: string[],
  b: string[],
  facts: (id: string) => ConflictFacts | undefined,
): boolean {
  for (const x of a) {
    const fx = facts(x);
    if (!fx) continue;
    for (const y of b) {
      const fy = facts(y);
      if (fy && conflicting(fx, fy)) return true;
    }
  }
  return false;
}

/** Whether two records' first known days are within `days` of each other (or either undated). */
export function withinDays(a: LinkRecord, b: LinkRecord, days: number): boolean {
  if (!a.dateFrom || !b.dateFrom) return true;
  return Math.abs(dayNumber(a.dateFrom) - dayNumber(b.dateFrom)) <= days;
}

/** The scan's blocking window: candidates share a block key and lie within a day. */
export const BLOCK_WINDOW_DAYS = 1;

/**
 * Candidate pairs of a set of records held in memory (a labelled set, one import's records):
 * the same blocking as the database scan, then scored; pairs at or above the threshold.
 */
export function linkInMemory(
  records: LinkRecord[],
  threshold = PAIR_THRESHOLD,
): { a: string; b: string; score: number; evidence: PairEvidence }[] {
  countNames(records);
  const blocks = new Map<string, LinkRecord[]>();
  for (const r of records) {
    for (const k of blockKeys(r)) {
      const list = blocks.get(k) ?? [];
      list.push(r);
      blocks.set(k, list);
    }
  }
  const seen = new Set<string>();
  const out: { a: string; b: string; score: number; evidence: PairEvidence }[] = [];
  for (const list of blocks.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const [x, y] = list[i].id < list[j].id ? [list[i], list[j]] : [list[j], list[i]];
        if (x.id === y.id || !withinDays(x, y, BLOCK_WINDOW_DAYS)) continue;
        const key = `${x.id}\u0000${y.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const evidence = scorePair(x, y);
        if (evidence.score >= threshold)
          out.push({ a: x.id, b: y.id, score: evidence.score, evidence });
      }
    }
  }
  return out;
}
