/**
 * The two calendars' arithmetic: Solar Hijri (Jalali) ↔ Gregorian conversions from jalaali-js
 * (Borkowski's algorithm, exact for -61–3177 SH), with the ledger's own checks in front so that
 * an impossible date or a year out of range is a RangeError that says which part is wrong.
 */
import {
  d2g,
  g2d,
  isLeapJalaaliYear,
  MAX_JALAALI_YEAR,
  MIN_JALAALI_YEAR,
  toGregorian,
  toJalaali,
} from 'jalaali-js';
import { toPersianDigits } from '../text/persian.js';

export type Calendar = 'gregorian' | 'jalali';

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

/** The library's range is checked here so that the message names the ledger's terms. */
function assertJalaliYear(jy: number): void {
  if (!Number.isInteger(jy) || jy < MIN_JALAALI_YEAR || jy > MAX_JALAALI_YEAR) {
    throw new RangeError(
      `Solar Hijri year ${jy} is outside the supported range ${MIN_JALAALI_YEAR}–${MAX_JALAALI_YEAR}`,
    );
  }
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
  assertJalaliYear(jy);
  return isLeapJalaaliYear(jy);
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
  assertJalaliYear(jy);
  return toGregorian(jy, jm, jd);
}

/** Throws RangeError on an impossible date or one outside the Solar Hijri years -61–3177. */
export function gregorianToJalali(
  gy: number,
  gm: number,
  gd: number,
): { jy: number; jm: number; jd: number } {
  assertGregorian(gy, gm, gd);
  // The conversion reads the Solar Hijri year that starts in gy (Borkowski's table).
  assertJalaliYear(gy - 621);
  try {
    return toJalaali(gy, gm, gd);
  } catch (e) {
    // Before Farvardin 1 of -61 SH, the first day the table covers.
    if (!(e instanceof RangeError)) throw e;
    throw new RangeError(
      `${isoOf(gy, gm, gd)} falls outside the supported Solar Hijri years ${MIN_JALAALI_YEAR}–${MAX_JALAALI_YEAR}`,
    );
  }
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const pad4 = (n: number): string => String(n).padStart(4, '0');

/** yyyy-mm-dd of any calendar's year, month and day (no check). */
export function isoOf(y: number, m: number, d: number): string {
  return `${pad4(y)}-${pad2(m)}-${pad2(d)}`;
}

/** The parts of a real Gregorian day written yyyy-mm-dd; RangeError otherwise. */
export function splitIso(iso: string): [number, number, number] {
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
