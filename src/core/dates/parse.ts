/**
 * Reads dates as researchers write them: partial (day, month, year, range), Gregorian or Solar
 * Hijri (Jalali), in Latin or Persian digits, into an inclusive ISO Gregorian window [from, to].
 * No library reads these forms; the calendar arithmetic is calendar.ts.
 */
import { normalizeDigits } from '../text/persian.js';
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
import {
  ACCEPTED_DATE_FORMS,
  DateParseError,
  type DatePrecision,
  type PartialDate,
} from './input.js';
import { borrow, parseSide, type Side } from './side.js';

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
