/**
 * Text keys for matching names and places written in Persian or in Latin transliteration.
 * Keys are for comparison only: the spelling a researcher entered is always stored as typed.
 */

const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';

// Apostrophe-likes are deleted rather than turned into spaces: inside a transliterated name
// they stand for ع or ء ("Ma'soumeh", "Ja'far"), and variants simply omit them ("Masoumeh").
const APOSTROPHES = /['`´ʹʻʼʽʾʿˈ‘’‛′＇]/gu;

// Folds Arabic letter forms into the Persian ones. آ أ إ ؤ ئ ۀ lose their marks by NFD before
// this runs; آ is folded to ا on purpose, because the madda is routinely dropped in typing
// ("ابان" for "آبان") and transliteration never distinguishes it.
const LETTER_FOLDS: Record<string, string> = {
  ي: 'ی',
  ى: 'ی',
  ې: 'ی',
  ك: 'ک',
  ڪ: 'ک',
  ة: 'ه',
  ە: 'ه',
  ھ: 'ه',
  ٱ: 'ا',
  ٲ: 'ا',
  ٳ: 'ا',
};
const LETTER_FOLD_RE = new RegExp(`[${Object.keys(LETTER_FOLDS).join('')}]`, 'gu');

/** Persian (U+06F0–U+06F9) and Arabic-Indic (U+0660–U+0669) digits to ASCII; nothing else. */
export function normalizeDigits(s: string): string {
  return s.replace(/[\u06F0-\u06F9\u0660-\u0669]/gu, (d) => String(d.charCodeAt(0) & 0xf));
}

/** ASCII digits to Persian digits (for display). */
export function toPersianDigits(s: string): string {
  return s.replace(/[0-9]/g, (d) => PERSIAN_DIGITS[Number(d)]);
}

/** True when the text contains at least one Arabic-script letter (digits alone do not count). */
export function hasPersianScript(s: string): boolean {
  return /(?=\p{Script=Arabic})\p{L}/u.test(s);
}

/**
 * The matching key for names and places in either script:
 * - NFKC (Arabic presentation forms, full-width letters), then NFD and every combining mark
 *   removed: Arabic harakat, superscript alef and Latin accents alike ("Khūzestān" → "khuzestan");
 * - Arabic letter forms folded to Persian (ي ى ئ → ی, ك → ک, ة ۀ → ه, أ إ ٱ آ → ا, ؤ → و),
 *   the bare hamza ء dropped;
 * - tatweel and every format character removed (ZWNJ, ZWJ, ZWSP, BOM, bidi marks), so
 *   "ماه‌شهر" and "ماهشهر" agree;
 * - Persian and Arabic-Indic digits to ASCII; Latin lowercased;
 * - apostrophes deleted; other punctuation and symbols (hyphens, underscores, dots, commas,
 *   parentheses, ، ؛ ؟ « ») become spaces; whitespace collapsed and trimmed.
 */
export function normalizeText(s: string): string {
  return normalizeDigits(
    s
      .replace(APOSTROPHES, '')
      .normalize('NFKC')
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .replace(LETTER_FOLD_RE, (c) => LETTER_FOLDS[c])
      .replace(/[\u0621\u0674\u0640]|\p{Cf}/gu, ''),
  )
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim()
    .normalize('NFC');
}

const EZAFE = new Set(['e', 'ye']);

interface Token {
  text: string;
  vowel: boolean;
}

function isVowelLetter(c: string | undefined): boolean {
  return c !== undefined && 'aeiou'.includes(c);
}

/**
 * A loose key for Latin transliterations of Persian names, so that spelling variants collide
 * (Mohammad / Mohamad / Muhammad / Mohammed, Hosseini / Hoseyni / Husseini, Ghasem / Qasem).
 * It finds candidates for a reviewer; it never decides that two people are the same.
 *
 * After normalizeText:
 * 1. the ezafe words "e" / "ye" are dropped ("Bandar-e Mahshahr" = "Bandar Mahshahr"), and a
 *    final h after a vowel is dropped (Fatemeh = Fatema);
 * 2. words are joined, so compound names agree however they are split (Mohammad Reza,
 *    Mohammad-Reza, Mohammadreza); word order still matters;
 * 3. consonants: kh, sh, ch, zh are single letters, gh and q are one letter (q), w is v, and a
 *    doubled consonant counts once (ss → s, Mashhad = Mashad);
 * 4. y is a vowel except at the start or before a, e, o, u (Hoseyni, Rezayi; but Maryam, Seyed);
 * 5. each run of vowels becomes one letter: i when it holds i, y or "ee" (ei, ey, ai, ee, aei),
 *    else o when it holds o or u (ou, oo, u), else a (a, aa, e). A leading run is o or a only,
 *    so Esmail = Ismail and Ebrahim = Ibrahim.
 * Letters outside a–z pass through unchanged; use persianSkeleton for Persian script.
 */
export function latinSkeleton(s: string): string {
  const words = normalizeText(s)
    .split(' ')
    .filter((w) => w !== '' && !EZAFE.has(w))
    .map((w) => (w.length > 2 && w.endsWith('h') && isVowelLetter(w.at(-2)) ? w.slice(0, -1) : w));
  const text = words.join('').replace(/([b-df-hj-np-tv-z])\1+/g, '$1');

  const tokens: Token[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const next = text[i + 1];
    if (next === 'h' && 'kscz'.includes(c)) {
      tokens.push({ text: c + 'h', vowel: false });
      i++;
    } else if (c === 'g' && next === 'h') {
      tokens.push({ text: 'q', vowel: false });
      i++;
    } else if (c === 'y') {
      const consonant = i === 0 || 'aeou'.includes(next ?? '');
      tokens.push({ text: 'y', vowel: !consonant });
    } else {
      tokens.push({ text: c === 'w' ? 'v' : c, vowel: isVowelLetter(c) });
    }
  }

  let out = '';
  let previous = '';
  for (let i = 0; i < tokens.length;) {
    if (tokens[i].vowel) {
      let run = '';
      while (i < tokens.length && tokens[i].vowel) run += tokens[i++].text;
      const leading = out === '';
      const cls = !leading && /[iy]|ee/.test(run) ? 'i' : /[ou]/.test(run) ? 'o' : 'a';
      out += cls;
      previous = '';
    } else {
      const t = tokens[i++].text;
      if (t !== previous) out += t;
      previous = t;
    }
  }
  return out;
}

/**
 * A loose key for names in Persian script: normalizeText, words joined (as in latinSkeleton),
 * then alef dropped everywhere but the first letter and a doubled letter counted once. Writers
 * differ on the alef ("تک" / "تاک") and on doubling ("داود" / "داوود"), so those collide; و and
 * ی are kept: they tell محمد from محمود and حسن from حسین, which a key that dropped them made one
 * name (a search for محمد returned محمود as an exact match). It finds candidates for a reviewer
 * and never decides a match on its own.
 */
export function persianSkeleton(s: string): string {
  const text = normalizeText(s).replace(/ /g, '');
  return (text.slice(0, 1) + text.slice(1).replace(/ا/gu, '')).replace(/(.)\1+/gu, '$1');
}
