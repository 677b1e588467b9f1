import { hasPersianScript, normalizeText } from './persian.js';

/**
 * A key that a Persian-script name and its Latin romanisations share, so that records of one
 * person written in two scripts can be compared (`Milad Zare` and `میلاد زارع` both give
 * `mild zr`). Persian writes consonants and the long vowels و and ی, and leaves the short
 * vowels out; romanisations write every vowel and disagree on most of them. The key keeps what
 * both scripts write:
 *
 * - consonants, folded to one letter per sound: ت ط t, ث س ص s, ذ ز ض ظ z, ح ه h, غ ق q
 *   (gh, q), خ x (kh), ش S (sh), چ C (ch), ژ Z (zh); ع, ء and ا are dropped (Ali = علی,
 *   Abbas = عباس, Zare = زارع), and a doubled letter counts once (Mohammad = محمد);
 * - و and ی as u and i: in Latin ou, oo, v and w are u; i, y, ee, ei, ey, ai are i (Hossein,
 *   Hosein, Hoseyn = حسین; Davood = داوود; Rezaei, Rezaee, Rezai = رضایی);
 * - a single Latin u is weak (`U`): short in Muhammad, long in Mahmud; a word's first vowel
 *   is weak too (Iman = ایمان, Ebrahim = Ibrahim = ابراهیم). A weak letter may be absent from
 *   the other key without counting as a difference (see keyDistance);
 * - a, e, o and a final silent -eh / ه (Fatemeh = فاطمه, Kaveh = کاوه) are dropped.
 *
 * It finds candidates and scores them; it never decides that two names are the same. Hossein
 * (hsin) and Hassan (hsn), محمود (mhmud) and محمد (mhmd) differ.
 */
export function translitKey(name: string): string {
  return normalizeText(name)
    .split(' ')
    .filter((w) => w !== '' && !EZAFE.has(w))
    .map(wordKey)
    .filter((k) => k !== '')
    .join(' ');
}

/** The key of one word (a word of a normalised name). */
export function wordKey(word: string): string {
  const raw = hasPersianScript(word) ? persianWordKey(word) : latinWordKey(word);
  return raw.replace(/(.)\1+/gu, '$1');
}

/** The consonants of a key only (u and i, strong or weak, dropped): a loose blocking key. */
export function consonantKey(key: string): string {
  return key.replace(/[iuIU ]/g, '');
}

const EZAFE = new Set(['e', 'ye']);

const PERSIAN: Record<string, string> = {
  ب: 'b',
  پ: 'p',
  ت: 't',
  ط: 't',
  ث: 's',
  س: 's',
  ص: 's',
  ج: 'j',
  چ: 'C',
  ح: 'h',
  ه: 'h',
  خ: 'x',
  د: 'd',
  ذ: 'z',
  ز: 'z',
  ض: 'z',
  ظ: 'z',
  ر: 'r',
  ژ: 'Z',
  ش: 'S',
  غ: 'q',
  ق: 'q',
  ف: 'f',
  ک: 'k',
  گ: 'g',
  ل: 'l',
  م: 'm',
  ن: 'n',
  و: 'u',
  ی: 'i',
  ع: '',
  ا: '',
};

function persianWordKey(w: string): string {
  const letters = [...w];
  let out = '';
  for (let i = 0; i < letters.length; i++) {
    const c = letters[i];
    if (i === 0 && c === 'ا' && (letters[1] === 'ی' || letters[1] === 'و')) {
      // ای / او at the start of a word: the word's first vowel, weak as in Latin.
      out += letters[1] === 'ی' ? 'I' : 'U';
      i++;
    } else if (c === 'ه' && i === letters.length - 1 && i >= 2) {
      // A final ه is the silent -e/-eh (فاطمه, زاده, کاوه), but after ا it is a consonant (شاه).
      if (letters[i - 1] === 'ا') out += 'h';
    } else {
      // Letters outside the table (digits, other scripts) pass through.
      out += PERSIAN[c] ?? c;
    }
  }
  return out;
}

const VOWELS = 'aeiouy';

function latinWordKey(input: string): string {
  let w = input.toLowerCase();
  // A final -eh is silent (Fatemeh, Zadeh, Kaveh), as the final ه is; -ah is not (Shah).
  if (w.length > 2 && w.endsWith('eh')) w = w.slice(0, -1);
  let out = '';
  let i = 0;
  while (i < w.length) {
    const c = w[i];
    const next = w[i + 1];
    // A y starting a word before a vowel is a consonant (Yousef); elsewhere it joins the
    // vowels around it (Seyed, Maryam, Rezayi), which it makes i.
    const consonantY = c === 'y' && i === 0 && next !== undefined && 'aeiou'.includes(next);
    if (VOWELS.includes(c) && !consonantY) {
      let run = '';
      while (i < w.length && VOWELS.includes(w[i])) run += w[i++];
      out += vowelClass(run, out === '');
      continue;
    }
    if (next === 'h' && 'kgszc'.includes(c)) {
      out += { k: 'x', g: 'q', s: 'S', z: 'Z', c: 'C' }[c];
      i += 2;
      continue;
    }
    if (c === 'y') out += 'i';
    else if (c === 'w' || c === 'v') out += 'u';
    else if (c === 'q') out += 'q';
    else if (c === 'c') out += 'k';
    else out += c;
    i++;
  }
  return out;
}

/**
 * A run of Latin vowels as the long vowels it writes: i for i, y, ee (and ei, ey, ai, which
 * hold them), u for ou, oo, uu, ow; a weak U for a single u; nothing for a, e, o. A run may
 * write two (Ayoubi: a-you → i, u). The first vowel of a word is weak.
 */
function vowelClass(run: string, leading: boolean): string {
  let out = '';
  for (const part of run.match(/ee|ou|oo|uu|ow|[iy]|u|[aeo]/g) ?? []) {
    const c = /^(ee|[iy])$/.test(part)
      ? 'i'
      : /^(ou|oo|uu|ow)$/.test(part)
        ? 'u'
        : part === 'u'
          ? 'U'
          : '';
    if (c && !out.toLowerCase().endsWith(c.toLowerCase())) out += c;
  }
  if (leading) out = out.toUpperCase();
  return out;
}

/**
 * Edit distance between two keys in which a weak letter (U, I) may be left out at no cost and
 * matches its strong letter (u, i) at no cost; any other difference costs 1.
 */
export function keyDistance(a: string, b: string): number {
  const weak = (c: string) => c === 'U' || c === 'I';
  const same = (x: string, y: string) => x.toLowerCase() === y.toLowerCase();
  const prev = new Array<number>(b.length + 1);
  const cur = new Array<number>(b.length + 1);
  prev[0] = 0;
  for (let j = 1; j <= b.length; j++) prev[j] = prev[j - 1] + (weak(b[j - 1]) ? 0 : 1);
  for (let i = 1; i <= a.length; i++) {
    const ca = a[i - 1];
    cur[0] = prev[0] + (weak(ca) ? 0 : 1);
    for (let j = 1; j <= b.length; j++) {
      const cb = b[j - 1];
      cur[j] = Math.min(
        prev[j] + (weak(ca) ? 0 : 1),
        cur[j - 1] + (weak(cb) ? 0 : 1),
        prev[j - 1] + (same(ca, cb) ? 0 : 1),
      );
    }
    for (let j = 0; j <= b.length; j++) prev[j] = cur[j];
  }
  return prev[b.length];
}

/** Letters of a key that count (weak ones do not). */
export function strongLength(key: string): number {
  return key.replace(/[UI ]/g, '').length;
}
