/**
 * Dates as researchers meet them: partial (day, month, year, range), Gregorian or Solar Hijri
 * (Jalali), in Latin or Persian digits. Stored as an inclusive ISO Gregorian window
 * [from, to]; every date leaves the system in both calendars.
 */
import { normalizeDigits, normalizeText, toPersianDigits } from './persian.js';

export type Calendar = 'gregorian' | 'jalali';
export type DatePrecision = 'day' | 'month' | 'year' | 'range';

export interface PartialDate {
  /** ISO Gregorian yyyy-mm-dd, first possible day. */
  from: string;
  /** ISO Gregorian yyyy-mm-dd, last possible day (inclusive). */
  to: string;
  precision: DatePrecision;
  /** The calendar the input was written in. */
  calendar: Calendar;
  /** The text exactly as typed. */
  original: string;
}

export class DateParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DateParseError';
  }
}

export const JALALI_MONTHS = [
  'Farvardin',
  'Ordibehesht',
  'Khordad',
  'Tir',
  'Mordad',
  'Shahrivar',
  'Mehr',
  'Aban',
  'Azar',
  'Dey',
  'Bahman',
  'Esfand',
] as const;

export const JALALI_MONTHS_FA = [
  'فروردین',
  'اردیبهشت',
  'خرداد',
  'تیر',
  'مرداد',
  'شهریور',
  'مهر',
  'آبان',
  'آذر',
  'دی',
  'بهمن',
  'اسفند',
] as const;

export const GREGORIAN_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** Years parseDateInput accepts. Below 1800 a "Gregorian" year is almost surely Solar Hijri. */
export const GREGORIAN_YEARS = { min: 1800, max: 2999 } as const;
export const JALALI_YEARS = { min: 1178, max: 1799 } as const;

export const ACCEPTED_DATE_FORMS =
  'Gregorian: 2019-11-16, 2019/11/16, 2019-11, 2019, 16 November 2019, Nov 16, 2019, ' +
  'November 2019; ranges: 2019-11-15/2019-11-19, 2019-11-15..2019-11-19, 2019-11..2019-12, ' +
  '15-19 November 2019, between 15 and 19 November 2019. Solar Hijri with calendar=jalali or ' +
  'a marker: 1398-08-25 SH, jalali:1398/08/25, 1398-08 SH, 1398 SH, 25 Aban 1398, Aban 1398, ' +
  '۲۵ آبان ۱۳۹۸, ۱۳۹۸/۰۸/۲۵ ه.ش, ۲۴ تا ۲۸ آبان ۱۳۹۸. Persian digits are accepted everywhere.';

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic: Borkowski's algorithm as in jalaali-js, through Julian Day Numbers.

// Jalali years at which the 33-year leap pattern shifts; valid for -61 to 3177 SH.
const BREAKS = [
  -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394,
  2456, 3178,
];

// Truncating division: the formulas feed negative numerators and rely on rounding toward zero.
const div = (a: number, b: number): number => Math.trunc(a / b);
const mod = (a: number, b: number): number => a - Math.trunc(a / b) * b;

interface JalCal {
  /** Years since the last leap year; 0 means jy itself is leap. */
  leap: number;
  gy: number;
  /** Day of March (Gregorian year gy) on which Farvardin 1 falls. */
  march: number;
}

function jalCal(jy: number): JalCal {
  if (!Number.isInteger(jy) || jy < BREAKS[0] || jy >= BREAKS[BREAKS.length - 1]) {
    throw new RangeError(
      `Solar Hijri year ${jy} is outside the supported range ${BREAKS[0]}–${BREAKS[BREAKS.length - 1] - 1}`,
    );
  }
  const gy = jy + 621;
  let leapJ = -14;
  let jp = BREAKS[0];
  let jump = 0;
  for (let i = 1; i < BREAKS.length; i++) {
    const jm = BREAKS[i];
    jump = jm - jp;
    if (jy < jm) break;
    leapJ += div(jump, 33) * 8 + div(mod(jump, 33), 4);
    jp = jm;
  }
  let n = jy - jp;
  leapJ += div(n, 33) * 8 + div(mod(n, 33) + 3, 4);
  if (mod(jump, 33) === 4 && jump - n === 4) leapJ += 1;
  const leapG = div(gy, 4) - div((div(gy, 100) + 1) * 3, 4) - 150;
  const march = 20 + leapJ - leapG;
  if (jump - n < 6) n = n - jump + div(jump + 4, 33) * 33;
  let leap = mod(mod(n + 1, 33) - 1, 4);
  if (leap === -1) leap = 4;
  return { leap, gy, march };
}

function g2d(gy: number, gm: number, gd: number): number {
  const d =
    div((gy + div(gm - 8, 6) + 100100) * 1461, 4) +
    div(153 * mod(gm + 9, 12) + 2, 5) +
    gd -
    34840408;
  return d - div(div(gy + 100100 + div(gm - 8, 6), 100) * 3, 4) + 752;
}

function d2g(jdn: number): { gy: number; gm: number; gd: number } {
  let j = 4 * jdn + 139361631;
  j = j + div(div(4 * jdn + 183187720, 146097) * 3, 4) * 4 - 3908;
  const i = div(mod(j, 1461), 4) * 5 + 308;
  const gd = div(mod(i, 153), 5) + 1;
  const gm = mod(div(i, 153), 12) + 1;
  const gy = div(j, 1461) - 100100 + div(8 - gm, 6);
  return { gy, gm, gd };
}

function j2d(jy: number, jm: number, jd: number): number {
  const r = jalCal(jy);
  return g2d(r.gy, 3, r.march) + (jm - 1) * 31 - div(jm, 7) * (jm - 7) + jd - 1;
}

function d2j(jdn: number): { jy: number; jm: number; jd: number } {
  const { gy } = d2g(jdn);
  let jy = gy - 621;
  const r = jalCal(jy);
  let k = jdn - g2d(gy, 3, r.march);
  if (k >= 0) {
    if (k <= 185) return { jy, jm: 1 + div(k, 31), jd: mod(k, 31) + 1 };
    k -= 186;
  } else {
    jy -= 1;
    k += 179;
    if (r.leap === 1) k += 1;
  }
  return { jy, jm: 7 + div(k, 30), jd: mod(k, 30) + 1 };
}

export function isGregorianLeapYear(gy: number): boolean {
  return (gy % 4 === 0 && gy % 100 !== 0) || gy % 400 === 0;
}

export function gregorianMonthLength(gy: number, gm: number): number {
  if (!Number.isInteger(gm) || gm < 1 || gm > 12) {
    throw new RangeError(`month ${gm} is out of range 1–12`);
  }
  if (gm === 2) return isGregorianLeapYear(gy) ? 29 : 28;
  return [4, 6, 9, 11].includes(gm) ? 30 : 31;
}

export function isJalaliLeapYear(jy: number): boolean {
  return jalCal(jy).leap === 0;
}

export function jalaliMonthLength(jy: number, jm: number): number {
  if (!Number.isInteger(jm) || jm < 1 || jm > 12) {
    throw new RangeError(`month ${jm} is out of range 1–12`);
  }
  if (jm <= 6) return 31;
  if (jm <= 11) return 30;
  return isJalaliLeapYear(jy) ? 30 : 29;
}

function assertGregorian(gy: number, gm: number, gd: number): void {
  if (!Number.isInteger(gy)) throw new RangeError(`year ${gy} is not a whole number`);
  const length = gregorianMonthLength(gy, gm);
  if (!Number.isInteger(gd) || gd < 1 || gd > length) {
    throw new RangeError(`day ${gd} does not exist in ${GREGORIAN_MONTHS[gm - 1]} ${gy}`);
  }
}

function assertJalali(jy: number, jm: number, jd: number): void {
  const length = jalaliMonthLength(jy, jm);
  if (!Number.isInteger(jd) || jd < 1 || jd > length) {
    throw new RangeError(`day ${jd} does not exist in ${JALALI_MONTHS[jm - 1]} ${jy}`);
  }
}

/** Throws RangeError on an impossible date or a year outside -61–3177 SH. */
export function jalaliToGregorian(
  jy: number,
  jm: number,
  jd: number,
): { gy: number; gm: number; gd: number } {
  assertJalali(jy, jm, jd);
  return d2g(j2d(jy, jm, jd));
}

/** Throws RangeError on an impossible date or one outside the Solar Hijri years -61–3177. */
export function gregorianToJalali(
  gy: number,
  gm: number,
  gd: number,
): { jy: number; jm: number; jd: number } {
  assertGregorian(gy, gm, gd);
  return d2j(g2d(gy, gm, gd));
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const pad4 = (n: number): string => String(n).padStart(4, '0');

function isoOf(y: number, m: number, d: number): string {
  return `${pad4(y)}-${pad2(m)}-${pad2(d)}`;
}

function splitIso(iso: string): [number, number, number] {
  const m = typeof iso === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  if (m) {
    const parts: [number, number, number] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const [y, mo, d] = parts;
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= gregorianMonthLength(y, mo)) return parts;
  }
  throw new RangeError(`"${String(iso)}" is not a valid ISO date (yyyy-mm-dd)`);
}

/** True for a real calendar day written yyyy-mm-dd. */
export function isIsoDate(s: string): boolean {
  try {
    splitIso(s);
    return true;
  } catch {
    return false;
  }
}

export function jalaliToIso(jy: number, jm: number, jd: number): string {
  const { gy, gm, gd } = jalaliToGregorian(jy, jm, jd);
  return isoOf(gy, gm, gd);
}

/** '2019-11-16' → '1398-08-25'. */
export function isoToJalali(iso: string): string {
  const { jy, jm, jd } = gregorianToJalali(...splitIso(iso));
  return isoOf(jy, jm, jd);
}

/** '2019-11-16' → '۱۳۹۸/۰۸/۲۵'. */
export function isoToJalaliFa(iso: string): string {
  return toPersianDigits(isoToJalali(iso).replace(/-/g, '/'));
}

export function addDays(iso: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`${n} is not a whole number of days`);
  const { gy, gm, gd } = d2g(g2d(...splitIso(iso)) + n);
  return isoOf(gy, gm, gd);
}

// ---------------------------------------------------------------------------------------------
// Parsing

interface MonthName {
  calendar: Calendar;
  month: number;
}

const MONTH_NAMES: ReadonlyMap<string, MonthName> = (() => {
  const names: [Calendar, number, string[]][] = [
    ['jalali', 1, ['Farvardin', 'Farvardeen', 'فروردین']],
    ['jalali', 2, ['Ordibehesht', 'Ordibehesht', 'Ardibehesht', 'اردیبهشت']],
    ['jalali', 3, ['Khordad', 'خرداد']],
    ['jalali', 4, ['Tir', 'Teer', 'تیر']],
    ['jalali', 5, ['Mordad', 'Amordad', 'مرداد', 'امرداد']],
    ['jalali', 6, ['Shahrivar', 'Shahrevar', 'شهریور']],
    ['jalali', 7, ['Mehr', 'مهر']],
    ['jalali', 8, ['Aban', 'Abaan', 'آبان']],
    ['jalali', 9, ['Azar', 'Aazar', 'آذر']],
    ['jalali', 10, ['Dey', 'Dei', 'دی']],
    ['jalali', 11, ['Bahman', 'بهمن']],
    ['jalali', 12, ['Esfand', 'Esfend', 'Isfand', 'اسفند']],
    ['gregorian', 1, ['January', 'Jan', 'ژانویه']],
    ['gregorian', 2, ['February', 'Feb', 'فوریه']],
    ['gregorian', 3, ['March', 'Mar', 'مارس']],
    ['gregorian', 4, ['April', 'Apr', 'آوریل']],
    ['gregorian', 5, ['May', 'مه', 'می']],
    ['gregorian', 6, ['June', 'Jun', 'ژوئن']],
    ['gregorian', 7, ['July', 'Jul', 'ژوئیه', 'جولای']],
    ['gregorian', 8, ['August', 'Aug', 'اوت', 'آگوست']],
    ['gregorian', 9, ['September', 'Sep', 'Sept', 'سپتامبر']],
    ['gregorian', 10, ['October', 'Oct', 'اکتبر']],
    ['gregorian', 11, ['November', 'Nov', 'نوامبر']],
    ['gregorian', 12, ['December', 'Dec', 'دسامبر']],
  ];
  const map = new Map<string, MonthName>();
  for (const [calendar, month, spellings] of names) {
    for (const s of spellings) map.set(normalizeText(s), { calendar, month });
  }
  return map;
})();

function lookupMonth(token: string): MonthName | undefined {
  const key = normalizeText(token);
  // "آبان‌ماه" is written with the word for month attached.
  return MONTH_NAMES.get(key) ?? MONTH_NAMES.get(key.replace(/ ?ماه$/u, ''));
}

/** One side of a range, or a whole single date, as written: any part may be missing. */
interface Side {
  year?: number;
  month?: number;
  day?: number;
  monthCalendar?: Calendar;
  /** Written as digits with separators (2019-11-16); such a side never borrows parts. */
  numeric?: boolean;
}

// Words that carry no date information: "16th of November", "آبان ماه", "سال ۱۳۹۸".
const FILLER = new Set(['of', 'the', 'st', 'nd', 'rd', 'th', 'ماه', 'سال', 'روز']);

const TOKEN_SHAPES: Record<string, (keyof Side)[]> = {
  y: ['year'],
  my: ['month', 'year'],
  dmy: ['day', 'month', 'year'],
  mdy: ['month', 'day', 'year'],
  dm: ['day', 'month'],
  md: ['month', 'day'],
  m: ['month'],
  d: ['day'],
  dy: ['day', 'year'],
};

/** Reads the shape of a side; null when the text is not a date shape at all. */
function parseSide(raw: string, quoted: string): Side | null {
  const text = raw
    .trim()
    .replace(/^,+|,+$/g, '')
    .trim();
  if (text === '') return null;

  const iso = /^(\d{4})([-/.])(\d{1,2})(?:\2(\d{1,2}))?$/.exec(text);
  if (iso) {
    return {
      numeric: true,
      year: Number(iso[1]),
      month: Number(iso[3]),
      ...(iso[4] !== undefined ? { day: Number(iso[4]) } : {}),
    };
  }
  const dmy = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$/.exec(text);
  if (dmy) {
    // A number above 12 can only be the day, so 18/12/1401 and 12/18/1401 say one date each;
    // 05/11/2019 could be either, and is refused. The same day twice is no ambiguity either.
    const [a, b] = [Number(dmy[1]), Number(dmy[3])];
    if (a > 12 && b <= 12) return { numeric: true, year: Number(dmy[4]), month: b, day: a };
    if (b > 12 && a <= 12) return { numeric: true, year: Number(dmy[4]), month: a, day: b };
    if (a === b) return { numeric: true, year: Number(dmy[4]), month: a, day: b };
  }
  if (/^\d{1,2}([-/.])\d{1,2}\1\d{4}$/.test(text)) {
    throw new DateParseError(
      `${quoted}: day-first and month-first numeric dates are ambiguous; write the year first ` +
        `(2019-11-16) or the month as a word (16 November 2019)`,
    );
  }
  if (/^\d{1,2}[-/.]\d{4}$/.test(text)) {
    throw new DateParseError(`${quoted}: write the year first (2019-11), or the month as a word`);
  }

  const tokens = text
    .replace(/,/g, ' ')
    .replace(/(\d)(\p{L})/gu, '$1 $2')
    .replace(/(\p{L})(\d)/gu, '$1 $2')
    .split(/\s+/)
    .filter((t) => t !== '' && !FILLER.has(t));
  let shape = '';
  const values: number[] = [];
  let monthName: MonthName | undefined;
  for (const t of tokens) {
    if (/^\d{1,2}$/.test(t)) {
      shape += 'd';
      values.push(Number(t));
    } else if (/^\d{4}$/.test(t)) {
      shape += 'y';
      values.push(Number(t));
    } else {
      const m = monthName ? undefined : lookupMonth(t);
      if (!m) return null;
      monthName = m;
      shape += 'm';
      values.push(m.month);
    }
  }
  const fields = TOKEN_SHAPES[shape];
  if (!fields) return null;
  const side: Side = {};
  fields.forEach((f, i) => {
    if (f === 'year' || f === 'month' || f === 'day') side[f] = values[i];
  });
  if (monthName) side.monthCalendar = monthName.calendar;
  return side;
}

/** A side that lacks its outer parts takes them from the other side: "15–19 November 2019". */
function borrow(side: Side, other: Side): Side {
  const r = { ...side };
  const takeMonth = (): void => {
    if (r.month === undefined && other.month !== undefined) {
      r.month = other.month;
      r.monthCalendar = other.monthCalendar;
    }
  };
  if (r.year === undefined) {
    if (r.day !== undefined) takeMonth();
    r.year = other.year;
  } else if (r.day !== undefined) {
    takeMonth();
  }
  return r;
}

interface Resolved {
  from: string;
  to: string;
  precision: Exclude<DatePrecision, 'range'>;
}

function monthLabel(calendar: Calendar, year: number, month: number): string {
  return `${(calendar === 'jalali' ? JALALI_MONTHS : GREGORIAN_MONTHS)[month - 1]} ${year}`;
}

function resolveSide(side: Side, calendar: Calendar, quoted: string, hint: string): Resolved {
  const { year, month, day } = side;
  if (year === undefined) {
    throw new DateParseError(
      `${quoted}: the year is missing. Accepted forms: ${ACCEPTED_DATE_FORMS}`,
    );
  }
  if (month === undefined && day !== undefined) {
    throw new DateParseError(
      `${quoted}: the month is missing. Accepted forms: ${ACCEPTED_DATE_FORMS}`,
    );
  }
  if (calendar === 'gregorian') {
    if (year < GREGORIAN_YEARS.min && year >= JALALI_YEARS.min) {
      throw new DateParseError(
        `${quoted}: year ${year} looks Solar Hijri (Jalali), and the calendar is never guessed: ` +
          `pass calendar=jalali or write "${hint} SH"`,
      );
    }
    if (year < GREGORIAN_YEARS.min || year > GREGORIAN_YEARS.max) {
      throw new DateParseError(
        `${quoted}: year ${year} is out of range ${GREGORIAN_YEARS.min}–${GREGORIAN_YEARS.max} ` +
          `(Gregorian) or ${JALALI_YEARS.min}–${JALALI_YEARS.max} (Solar Hijri)`,
      );
    }
  } else if (year > JALALI_YEARS.max) {
    throw new DateParseError(
      `${quoted}: year ${year} looks Gregorian, but the date is read as Solar Hijri ` +
        `(years ${JALALI_YEARS.min}–${JALALI_YEARS.max}): drop the Solar Hijri marker or pass ` +
        `calendar=gregorian`,
    );
  } else if (year < JALALI_YEARS.min) {
    throw new DateParseError(
      `${quoted}: Solar Hijri year ${year} is out of range ${JALALI_YEARS.min}–${JALALI_YEARS.max}`,
    );
  }
  if (month !== undefined && (month < 1 || month > 12)) {
    throw new DateParseError(`${quoted}: month ${month} is out of range 1–12`);
  }
  const length = calendar === 'jalali' ? jalaliMonthLength : gregorianMonthLength;
  const toIso = calendar === 'jalali' ? jalaliToIso : isoOf;
  if (month === undefined) {
    return { from: toIso(year, 1, 1), to: toIso(year, 12, length(year, 12)), precision: 'year' };
  }
  const days = length(year, month);
  if (day === undefined) {
    return { from: toIso(year, month, 1), to: toIso(year, month, days), precision: 'month' };
  }
  if (day < 1 || day > days) {
    throw new DateParseError(
      `${quoted}: day ${day} does not exist in ${monthLabel(calendar, year, month)} (${days} days)`,
    );
  }
  const iso = toIso(year, month, day);
  return { from: iso, to: iso, precision: 'day' };
}

const CALENDAR_PREFIX = /^(jalali|shamsi|sh|gregorian|greg)\s*:\s*/u;
const BOUNDARY = String.raw`(?:\s+|(?<=\d))`;
const JALALI_SUFFIX = new RegExp(
  `${BOUNDARY}(?:s\\.?h|a\\.?p|ه\\s*\\.?\\s*ش|هجری\\s+شمسی|شمسی|ش)\\.?$`,
  'u',
);
const GREGORIAN_SUFFIX = new RegExp(`${BOUNDARY}(?:a\\.?d|c\\.?e|میلادی|م)\\.?$`, 'u');
const LUNAR_SUFFIX = new RegExp(
  `${BOUNDARY}(?:a\\.?h|ه\\s*\\.?\\s*ق|هجری\\s+قمری|قمری|ق)\\.?$`,
  'u',
);

// Tried in order; "/" and "-" come last because they also separate the parts of one date.
const RANGE_SEPARATORS = [
  /\s*\.\.\s*/g,
  /\s*–\s*/g,
  /\s+to\s+/g,
  /\s+and\s+/g,
  /\s+-\s+/g,
  /\s*تا\s*/gu,
  /\s+و\s+/gu,
  /\s*\/\s*/g,
  /(?<=(?:^|[\s\p{L}])\d{1,2})-/gu,
];
const RANGE_LEAD = /^(?:between|from|بین|از)\s+/u;

function clean(text: string): string {
  return normalizeDigits(text.normalize('NFKC'))
    .replace(/\u0640|\p{Cf}/gu, '')
    .replace(/[\u2010\u2011]/g, '-')
    .replace(/[\u2012-\u2015\u2212]/g, '–')
    .replace(/،/g, ',')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

function takeCalendarMarkers(s: string, quoted: string): { rest: string; marked?: Calendar } {
  let rest = s;
  const marks: Calendar[] = [];
  const prefix = CALENDAR_PREFIX.exec(rest);
  if (prefix) {
    marks.push(prefix[1].startsWith('g') ? 'gregorian' : 'jalali');
    rest = rest.slice(prefix[0].length);
  }
  if (LUNAR_SUFFIX.test(rest)) {
    throw new DateParseError(
      `${quoted}: lunar Hijri (AH, ه.ق) dates are not supported; give the date in the Solar ` +
        `Hijri (SH) or Gregorian calendar`,
    );
  }
  for (const [re, cal] of [
    [JALALI_SUFFIX, 'jalali'],
    [GREGORIAN_SUFFIX, 'gregorian'],
  ] as const) {
    const m = re.exec(rest);
    if (m) {
      marks.push(cal);
      rest = rest.slice(0, m.index);
      break;
    }
  }
  if (marks.length === 2 && marks[0] !== marks[1]) {
    throw new DateParseError(`${quoted}: the calendar is marked both Solar Hijri and Gregorian`);
  }
  return { rest: rest.trim(), marked: marks[0] };
}

function findRange(s: string, quoted: string): [Side, Side] | null {
  for (const separator of RANGE_SEPARATORS) {
    for (const m of s.matchAll(separator)) {
      const left = parseSide(s.slice(0, m.index), quoted);
      const right = left && parseSide(s.slice(m.index + m[0].length), quoted);
      if (!left || !right) continue;
      // "2019-11/15" is not 1–15 November: a numeric date stands on its own.
      const partial = left.year === undefined || right.year === undefined;
      if (partial && (left.numeric || right.numeric)) continue;
      return [borrow(left, right), borrow(right, left)];
    }
  }
  return null;
}

function chooseCalendar(
  sides: Side[],
  marked: Calendar | undefined,
  given: Calendar | undefined,
  quoted: string,
): Calendar {
  const named = [...new Set(sides.map((s) => s.monthCalendar).filter((c) => c !== undefined))];
  if (named.length > 1) {
    throw new DateParseError(`${quoted}: mixes Solar Hijri and Gregorian month names`);
  }
  const [byName] = named;
  if (byName && marked && byName !== marked) {
    throw new DateParseError(
      `${quoted}: the month name is ${byName === 'jalali' ? 'Solar Hijri' : 'Gregorian'} but the ` +
        `text is marked ${marked === 'jalali' ? 'Solar Hijri' : 'Gregorian'}`,
    );
  }
  // Written evidence (a month name, a marker) outranks the caller's default calendar.
  return byName ?? marked ?? given ?? 'gregorian';
}

/**
 * Reads a date as a researcher typed it (see ACCEPTED_DATE_FORMS). With no calendar argument
 * and no marker in the text the date is Gregorian: a Solar Hijri date must say so, by the
 * argument, a marker (jalali:, sh:, SH, AP, ش, ه.ش, هجری شمسی) or a Jalali month name.
 */
export function parseDateInput(text: string, calendar?: Calendar): PartialDate {
  if (typeof text !== 'string') {
    throw new DateParseError(`a date must be text. Accepted forms: ${ACCEPTED_DATE_FORMS}`);
  }
  if (text.trim() === '') {
    throw new DateParseError(`the date is empty. Accepted forms: ${ACCEPTED_DATE_FORMS}`);
  }
  if (calendar !== undefined && calendar !== 'gregorian' && calendar !== 'jalali') {
    throw new DateParseError(`calendar must be "gregorian" or "jalali", not "${String(calendar)}"`);
  }
  const quoted = JSON.stringify(text.trim());
  const cleaned = clean(text);
  const { rest, marked } = takeCalendarMarkers(cleaned, quoted);
  const hint = normalizeDigits(text.replace(/\p{Cf}/gu, '').trim());

  const lead = RANGE_LEAD.exec(rest);
  const single = lead ? null : parseSide(rest, quoted);
  if (single) {
    const cal = chooseCalendar([single], marked, calendar, quoted);
    const r = resolveSide(single, cal, quoted, hint);
    return { ...r, calendar: cal, original: text };
  }

  const range = findRange(lead ? rest.slice(lead[0].length) : rest, quoted);
  if (!range) {
    throw new DateParseError(
      `${quoted} is not a date this ledger can read. Accepted forms: ${ACCEPTED_DATE_FORMS}`,
    );
  }
  const cal = chooseCalendar(range, marked, calendar, quoted);
  const start = resolveSide(range[0], cal, quoted, hint);
  const end = resolveSide(range[1], cal, quoted, hint);
  if (start.from > end.to) {
    throw new DateParseError(
      `${quoted}: the range ends before it starts (${start.from} is after ${end.to})`,
    );
  }
  return { from: start.from, to: end.to, precision: 'range', calendar: cal, original: text };
}

// ---------------------------------------------------------------------------------------------
// Output in both calendars

export interface DualDate {
  precision: DatePrecision;
  gregorian: { from: string; to: string; label: string };
  jalali: { from: string; to: string; label: string; labelFa: string };
  original?: string;
}

const PRECISIONS: readonly string[] = ['day', 'month', 'year', 'range'];

interface Ymd {
  y: number;
  m: number;
  d: number;
}

/** 'day', 'month' or 'year' when [a, b] is exactly one such unit of the calendar, else null. */
function wholeUnit(a: Ymd, b: Ymd, monthLength: (y: number, m: number) => number): string | null {
  if (a.y === b.y && a.m === b.m && a.d === b.d) return 'day';
  if (a.y !== b.y || a.d !== 1) return null;
  if (a.m === b.m && b.d === monthLength(b.y, b.m)) return 'month';
  if (a.m === 1 && b.m === 12 && b.d === monthLength(b.y, 12)) return 'year';
  return null;
}

/**
 * A stored date window in both calendars, with labels. A label names the whole unit when the
 * window is exactly one day, month or year of that calendar ("2019-11", "Aban 1398",
 * "آبان ۱۳۹۸"); otherwise it is the range ("1398-08-10 – 1398-09-09"), since a Gregorian month
 * is not a Jalali month. A missing end is taken to equal the other; no dates at all → null.
 */
export function toDual(
  from: string | null,
  to: string | null,
  precision: DatePrecision | null,
  original?: string | null,
): DualDate | null {
  const f = from ?? to;
  if (f == null) return null;
  const t = to ?? f;
  const ymd = ([y, m, d]: [number, number, number]): Ymd => ({ y, m, d });
  const g1 = ymd(splitIso(f));
  const g2 = ymd(splitIso(t));
  const jalali = (g: Ymd): Ymd => {
    const { jy, jm, jd } = gregorianToJalali(g.y, g.m, g.d);
    return { y: jy, m: jm, d: jd };
  };
  const j1 = jalali(g1);
  const j2 = jalali(g2);
  const jf = isoOf(j1.y, j1.m, j1.d);
  const jt = isoOf(j2.y, j2.m, j2.d);
  const fa = (s: string): string => toPersianDigits(s.replace(/-/g, '/'));

  let gLabel: string;
  switch (wholeUnit(g1, g2, gregorianMonthLength)) {
    case 'day':
      gLabel = f;
      break;
    case 'month':
      gLabel = f.slice(0, 7);
      break;
    case 'year':
      gLabel = f.slice(0, 4);
      break;
    default:
      gLabel = `${f} – ${t}`;
  }

  let jLabel: string;
  let jLabelFa: string;
  switch (wholeUnit(j1, j2, jalaliMonthLength)) {
    case 'day':
      jLabel = jf;
      jLabelFa = fa(jf);
      break;
    case 'month':
      jLabel = `${JALALI_MONTHS[j1.m - 1]} ${j1.y}`;
      jLabelFa = `${JALALI_MONTHS_FA[j1.m - 1]} ${toPersianDigits(String(j1.y))}`;
      break;
    case 'year':
      jLabel = String(j1.y);
      jLabelFa = toPersianDigits(jLabel);
      break;
    default:
      jLabel = `${jf} – ${jt}`;
      jLabelFa = `${fa(jf)} تا ${fa(jt)}`;
  }

  const p: DatePrecision =
    precision != null && PRECISIONS.includes(precision) ? precision : f === t ? 'day' : 'range';
  return {
    precision: p,
    gregorian: { from: f, to: t, label: gLabel },
    jalali: { from: jf, to: jt, label: jLabel, labelFa: jLabelFa },
    ...(original != null ? { original } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Matching

export type DateMatch = 'certain' | 'possible' | 'none';

// Sentinels that sort before and after every ISO date, standing for an open end.
const BEFORE_ALL = '0000-00-00';
const AFTER_ALL = '9999-99-99';

/**
 * How a record's date window [recFrom, recTo] stands against a query window [qFrom, qTo].
 * A null end is open. 'certain' when the record lies wholly inside the window, 'possible' when
 * they overlap only in part (a record of "November 2019" against 16 Nov; an undated record
 * against any window), 'none' when disjoint or the window is empty (qFrom after qTo). With no
 * window at all every record is 'certain'.
 */
export function dateMatch(
  recFrom: string | null,
  recTo: string | null,
  qFrom: string | null,
  qTo: string | null,
): DateMatch {
  for (const d of [recFrom, recTo, qFrom, qTo]) if (d != null) splitIso(d);
  const rf = recFrom ?? BEFORE_ALL;
  const rt = recTo ?? AFTER_ALL;
  const qf = qFrom ?? BEFORE_ALL;
  const qt = qTo ?? AFTER_ALL;
  if (qf > qt || rf > qt || rt < qf) return 'none';
  return rf >= qf && rt <= qt ? 'certain' : 'possible';
}
