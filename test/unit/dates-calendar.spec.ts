import { toGregorian, toJalaali } from 'jalaali-js';
import {
  addDays,
  gregorianToJalali,
  isJalaliLeapYear,
  isoToJalali,
  jalaliMonthLength,
  jalaliToGregorian,
  jalaliToIso,
} from '../../src/core/dates/index.js';

// ECMAScript's own Persian calendar (ICU): an oracle independent of jalaali-js. jalaali-js's
// documentation says the two agree from 1800 to 2256; Node 20's ICU (78) parts from Borkowski's
// 33-year arithmetic at 1502 SH (leap for jalaali-js, common for ICU: 2124-03-20 is 30 Esfand 1502
// or 1 Farvardin 1503), so ICU is the oracle up to the end of 1501 SH and jalaali-js after it.
const persian = new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});
function icuJalali(iso: string): string {
  const parts = persian.formatToParts(new Date(`${iso}T00:00:00Z`));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)!.value);
  return `${get('year')}-${String(get('month')).padStart(2, '0')}-${String(get('day')).padStart(2, '0')}`;
}
const daysBetween = (a: string, b: string): number =>
  (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;
const ymd = (y: number, m: number, d: number): string =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

describe('the calendar over jalaali-js', () => {
  it('walks every day from 1 Farvardin 1300 to the last day of 1500 SH in step with ICU and jalaali-js', () => {
    const failures: string[] = [];
    let gregorian = '1921-03-21'; // 1 Farvardin 1300, as ICU and every almanac have it
    let days = 0;
    for (let jy = 1300; jy <= 1500; jy++) {
      let yearDays = 0;
      for (let jm = 1; jm <= 12; jm++) {
        for (let jd = 1; jd <= jalaliMonthLength(jy, jm); jd++) {
          const j = ymd(jy, jm, jd);
          const iso = jalaliToIso(jy, jm, jd);
          const lib = toGregorian(jy, jm, jd);
          const back = isoToJalali(iso);
          if (
            iso !== gregorian ||
            icuJalali(iso) !== j ||
            ymd(lib.gy, lib.gm, lib.gd) !== iso ||
            back !== j
          ) {
            failures.push(`${j} → ${iso} (expected ${gregorian}, ICU ${icuJalali(iso)}) → ${back}`);
          }
          gregorian = addDays(gregorian, 1);
          days++;
          yearDays++;
        }
      }
      if (yearDays !== (isJalaliLeapYear(jy) ? 366 : 365)) failures.push(`${jy}: ${yearDays} days`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(gregorian).toBe(jalaliToIso(1501, 1, 1));
    expect(days).toBe(daysBetween('1921-03-21', gregorian));
  });

  it('reads every Gregorian day from 1800 to 2256 as jalaali-js does, and as ICU does to 1501 SH', () => {
    const failures: string[] = [];
    let days = 0;
    for (let iso = '1800-01-01'; iso <= '2256-12-31'; iso = addDays(iso, 1)) {
      const [gy, gm, gd] = iso.split('-').map(Number);
      const ours = gregorianToJalali(gy, gm, gd);
      const lib = toJalaali(gy, gm, gd);
      const j = ymd(ours.jy, ours.jm, ours.jd);
      const icuDiffers = ours.jy <= 1501 && j !== icuJalali(iso);
      if (icuDiffers || j !== ymd(lib.jy, lib.jm, lib.jd)) {
        failures.push(`${iso} → ${j} (ICU ${icuJalali(iso)}, jalaali-js ${JSON.stringify(lib)})`);
      }
      const there = jalaliToGregorian(ours.jy, ours.jm, ours.jd);
      if (ymd(there.gy, there.gm, there.gd) !== iso) failures.push(`${iso} ↔ ${j} does not return`);
      days++;
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(days).toBe(daysBetween('1800-01-01', '2257-01-01'));
  });

  it('refuses days before the first year of the table in its own words', () => {
    expect(() => gregorianToJalali(560, 3, 1)).toThrow(
      '0560-03-01 falls outside the supported Solar Hijri years -61–3177',
    );
    expect(() => gregorianToJalali(3799, 1, 1)).toThrow('Solar Hijri year 3178 is outside');
    expect(gregorianToJalali(560, 3, 20)).toEqual({ jy: -61, jm: 1, jd: 1 });
    expect(() => gregorianToJalali(560, 3, 19)).toThrow(RangeError);
  });
});
