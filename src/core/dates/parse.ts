/**
 * Reads dates as researchers write them: partial (day, month, year, range), Gregorian or Solar
 * Hijri (Jalali), in Latin or Persian digits, into an inclusive ISO Gregorian window [from, to].
 * No library reads these forms; the calendar arithmetic is calendar.ts.
 */
import { normalizeDigits, normalizeText } from '../text/persian.js';
import {
  type Calendar,
  GREGORIAN_MONTHS,
  GREGORIAN_YEARS,
  gregorianMonthLength,
  isoOf,
  JALALI_MONTHS,
  JALALI_YEARS,
  jalaliMonthLength,
  jalaliToIso,
} from './calendar.js';

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

export const ACCEPTED_DATE_FORMS =
  'Gregorian: 2019-11-16, 2019/11/16, 2019-11, 2019, 16 November 2019, Nov 16, 2019, ' +
  'November 2019; ranges: 2019-11-15/2019-11-19, 2019-11-15..2019-11-19, 2019-11..2019-12, ' +
  '15-19 November 2019, between 15 and 19 November 2019. Solar Hijri with calendar=jalali or ' +
  'a marker: 1398-08-25 SH, jalali:1398/08/25, 1398-08 SH, 1398 SH, 25 Aban 1398, Aban 1398, ' +
  '۲۵ آبان ۱۳۹۸, ۱۳۹۸/۰۸/۲۵ ه.ش, ۲۴ تا ۲۸ آبان ۱۳۹۸. Persian digits are accepted everywhere.';

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
