// Builds the labelled record-linkage set (test/fixtures/linkage/) from the shared victims list
// seed/data/aban1398-victims.csv, deterministically (a seeded generator):
//
//   list-a.csv  the shared list as it is, plus, for each row whose notes name a PROBABLE match
//               with another record ("PROBABLE match with Boroumand record «…» (…)"), that other
//               record as a row of its own: the list then holds those people twice.
//   list-b.csv  a second list derived from it, as another group would publish it: about 15 %
//               of the people dropped; names respelt (Latin variants), machine-romanised from
//               the Persian (with random short vowels, as romanisations disagree on them) or
//               written in Persian only, with a zero-width non-joiner added or removed in
//               compounds; a third of the dates moved by a day; some places given as the
//               province only; and about 8 % of its people written twice, once in each script.
//
// Every row carries `person`, the row number of the person in the shared list: the truth the
// linkage is measured against (test/unit/linkage-fixture.spec.ts, docs/duplicates.md).
//
//   node scripts/derive-linkage-fixture.mjs
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rows = parse(readFileSync(join(root, 'seed/data/aban1398-victims.csv')), {
  columns: true,
  skip_empty_lines: true,
});

// mulberry32: small, seeded, the same on every machine.
let seed = 20191115;
function rnd() {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const chance = (p) => rnd() < p;
const pick = (list) => list[Math.floor(rnd() * list.length)];

const LATIN_VARIANTS = [
  [/mm/g, 'm'],
  [/ss/g, 's'],
  [/ou/g, 'u'],
  [/oo/g, 'ou'],
  [/ee/g, 'i'],
  [/i$/g, 'y'],
  [/ei/g, 'ey'],
  [/gh/g, 'q'],
  [/eh$/g, 'e'],
  [/Hossein/g, 'Hosein'],
  [/Hossein/g, 'Hussein'],
  [/Mohammad/g, 'Mohamad'],
  [/Mohammad/g, 'Mohammed'],
  [/Mohammad/g, 'Muhammad'],
  [/Ali$/g, 'Aly'],
  [/kh/g, 'kh'],
  [/zadeh/g, ' Zadeh'],
  [/Seyed /g, 'Sayyed '],
];

function respell(name) {
  let out = name;
  let changed = 0;
  for (const [re, to] of LATIN_VARIANTS) {
    if (changed < 2 && re.test(out) && chance(0.5)) {
      out = out.replace(re, to);
      changed++;
    }
  }
  return out;
}

const ROMAN = {
  ب: 'b',
  پ: 'p',
  ت: 't',
  ط: 't',
  ث: 's',
  س: 's',
  ص: 's',
  ج: 'j',
  چ: 'ch',
  ح: 'h',
  خ: 'kh',
  د: 'd',
  ذ: 'z',
  ز: 'z',
  ض: 'z',
  ظ: 'z',
  ر: 'r',
  ژ: 'zh',
  ش: 'sh',
  ف: 'f',
  ک: 'k',
  ك: 'k',
  گ: 'g',
  ل: 'l',
  م: 'm',
  ن: 'n',
  ع: '',
  ء: '',
  آ: 'a',
};

/** A romanisation of a Persian name as a list compiler would make it, vowels guessed. */
function romanise(fa) {
  return fa
    .replace(/\u200c/g, '')
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => {
      const letters = [...word.replace(/[()]/g, '')];
      let out = '';
      letters.forEach((c, i) => {
        const last = i === letters.length - 1;
        if (c === 'ا') out += i === 0 ? pick(['a', 'e']) : pick(['a', 'aa', 'a']);
        else if (c === 'و')
          out += i === 0 || letters[i - 1] === 'ا' ? 'v' : pick(['ou', 'u', 'oo', 'o']);
        else if (c === 'ع') out += i === 0 ? pick(['A', 'E', 'O']) : pick(['', "'", 'a']);
        else if (c === 'ی' || c === 'ي')
          out += last ? pick(['i', 'y', 'ee']) : i === 0 ? 'y' : pick(['i', 'ee', 'y']);
        else if (c === 'ه') out += last ? pick(['eh', 'e', 'ah']) : 'h';
        else if (c === 'غ' || c === 'ق') out += pick(['gh', 'q']);
        else {
          out += ROMAN[c] ?? '';
          // A short vowel after a consonant, as the romaniser hears it (Persian leaves it out).
          // Always between two letters that would read as one (z h is not zh).
          const next = letters[i + 1];
          const digraph = next === 'ه' || next === 'ح';
          if (!last && next && (digraph || (!'اوی'.includes(next) && chance(0.85))))
            out += pick(['a', 'e', 'o']);
        }
      });
      return out.charAt(0).toUpperCase() + out.slice(1);
    })
    .join(' ');
}

/** Persian as another list writes it: a compound joined, split or with a non-joiner. */
function rewritePersian(fa) {
  let out = fa;
  if (chance(0.3)) out = out.replace(/\u200c/g, chance(0.5) ? ' ' : '');
  if (chance(0.3))
    out = out.replace(/(محمد|علی|امیر|حسین|ابو)\s?(رضا|حسین|علی|اصغر|الفضل|مهدی)/g, `$1\u200c$2`);
  if (chance(0.2)) out = out.replace(/ی/g, 'ي');
  return out;
}

function shiftDay(date) {
  if (!date || !chance(1 / 3)) return date;
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + (chance(0.5) ? 1 : -1));
  return d.toISOString().slice(0, 10);
}

const named = (r) => (r.name_en || r.name_fa) && !/unnamed/i.test(r.notes);
const listA = [];
const listB = [];
rows.forEach((r, i) => {
  if (!named(r)) return;
  const person = i + 1;
  const base = {
    person,
    gender: r.gender,
    age: r.age,
    city: r.city,
    province: r.province,
  };
  const probable = /PROBABLE match with Boroumand record "([^"]+)" \((.+?)\) - /.exec(r.notes);
  // The row joins two records: dataset A's (its Persian name) and Boroumand's (named in the
  // notes). Split again, the list holds the person twice.
  listA.push({
    ...base,
    id: `a${person}`,
    name_en: probable ? '' : r.name_en,
    name_fa: r.name_fa,
    date: r.date_of_death,
  });
  if (probable) {
    listA.push({
      ...base,
      id: `a${person}b`,
      name_en: probable[2],
      name_fa: probable[1],
      date: r.date_of_death,
    });
  }
  if (chance(0.15)) return;
  const date = shiftDay(r.date_of_death);
  const place = chance(0.1)
    ? { city: '', province: r.province }
    : { city: r.city, province: r.province };
  const latin = () =>
    r.name_en && chance(0.6)
      ? respell(r.name_en)
      : r.name_fa
        ? romanise(r.name_fa)
        : respell(r.name_en);
  const persian = () => (r.name_fa ? rewritePersian(r.name_fa) : '');
  const mode = rnd();
  const b = { ...base, ...place, date, age: chance(0.7) ? r.age : '' };
  if (mode < 0.4) listB.push({ ...b, id: `b${person}`, name_en: latin(), name_fa: '' });
  else if (mode < 0.75)
    listB.push({
      ...b,
      id: `b${person}`,
      name_en: '',
      name_fa: persian() || '',
      ...(r.name_fa ? {} : { name_en: latin() }),
    });
  else listB.push({ ...b, id: `b${person}`, name_en: latin(), name_fa: persian() });
  // The same person twice in one list, once in each script.
  if (r.name_fa && chance(0.08)) {
    listB.push({ ...b, id: `b${person}x`, name_en: '', name_fa: persian() });
    listB.push({ ...b, id: `b${person}y`, name_en: latin(), name_fa: '' });
  }
});

const out = join(root, 'test/fixtures/linkage');
mkdirSync(out, { recursive: true });
const columns = ['id', 'person', 'name_en', 'name_fa', 'gender', 'age', 'date', 'city', 'province'];
writeFileSync(join(out, 'list-a.csv'), stringify(listA, { header: true, columns }));
writeFileSync(join(out, 'list-b.csv'), stringify(listB, { header: true, columns }));
console.log(`list-a.csv: ${listA.length} rows; list-b.csv: ${listB.length} rows`);
