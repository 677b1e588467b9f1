/**
 * Calendar arithmetic for the date picker: day numbers (Julian Day Numbers) for Solar Hijri and
 * Gregorian dates, month lengths, weekdays, through jalaali-js (MIT), the library the API's own
 * conversions use (src/core/dates/calendar.ts).
 */
import {
  d2g,
  d2j,
  g2d,
  j2d,
  jalaaliMonthLength,
  MAX_JALAALI_YEAR,
  MIN_JALAALI_YEAR,
} from 'jalaali-js';

export type Calendar = 'jalali' | 'gregorian';

const mod = (a: number, b: number): number => a - Math.trunc(a / b) * b;

/** The day number of a date in either calendar. */
export function dayNumber(cal: Calendar, y: number, m: number, d: number): number {
  return cal === 'jalali' ? j2d(y, m, d) : g2d(y, m, d);
}

/** The date of a day number in either calendar. */
export function fromDayNumber(cal: Calendar, jdn: number): { y: number; m: number; d: number } {
  if (cal === 'jalali') {
    const r = d2j(jdn);
    return { y: r.jy, m: r.jm, d: r.jd };
  }
  const r = d2g(jdn);
  return { y: r.gy, m: r.gm, d: r.gd };
}

export function monthLength(cal: Calendar, y: number, m: number): number {
  if (cal === 'gregorian') {
    if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
    return [4, 6, 9, 11].includes(m) ? 30 : 31;
  }
  return jalaaliMonthLength(y, m);
}

/** 0 = Monday … 6 = Sunday (day number 0 was a Monday). */
export function weekday(jdn: number): number {
  return mod(jdn, 7);
}

/** Whether the year is one the arithmetic covers (the API's range). */
export function supportedYear(cal: Calendar, y: number): boolean {
  const jy = cal === 'jalali' ? y : y - 621;
  return Number.isInteger(y) && jy > MIN_JALAALI_YEAR && jy < MAX_JALAALI_YEAR;
}
