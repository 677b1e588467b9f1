/**
 * One side of a date as written (a whole date, or one end of a range): its year, month and day,
 * any of them missing, with the calendar its month name belongs to.
 */
import { normalizeText } from '../text/persian.js';
import type { Calendar } from './calendar.js';
import { DateParseError } from './input.js';

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
export interface Side {
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
export function parseSide(raw: string, quoted: string): Side | null {
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
export function borrow(side: Side, other: Side): Side {
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
