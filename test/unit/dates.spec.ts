import {
  addDays,
  type Calendar,
  dateMatch,
  type DateMatch,
  DateParseError,
  gregorianMonthLength,
  gregorianToJalali,
  isGregorianLeapYear,
  isIsoDate,
  isJalaliLeapYear,
  isoToJalali,
  isoToJalaliFa,
  jalaliMonthLength,
  jalaliToGregorian,
  jalaliToIso,
  parseDateInput,
  toDual,
} from '../../src/common/dates.js';
import { dualDate } from '../../src/common/date-columns.js';
import { dateSpan } from '../../src/reconciliation/scope.js';

const iso = (y: number, m: number, d: number): string =>
  `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

function parseError(text: string, calendar?: Calendar): DateParseError {
  try {
    parseDateInput(text, calendar);
  } catch (e) {
    if (e instanceof DateParseError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('Jalali ↔ Gregorian conversion', () => {
  // [Jalali, Gregorian, what happened]
  const known: [string, string, string][] = [
    ['1398-08-24', '2019-11-15', 'petrol price rise announced'],
    ['1398-08-25', '2019-11-16', 'first day of killings'],
    ['1398-08-28', '2019-11-19', ''],
    ['1398-08-01', '2019-10-23', 'first day of Aban 1398'],
    ['1398-08-30', '2019-11-21', 'last day of Aban 1398'],
    ['1398-07-30', '2019-10-22', 'day before Aban 1398'],
    ['1398-09-01', '2019-11-22', 'day after Aban 1398'],
    ['1398-01-01', '2019-03-21', 'Nowruz 1398'],
    ['1399-01-01', '2020-03-20', 'Nowruz 1399'],
    ['1398-12-29', '2020-03-19', 'last day of 1398 (not leap)'],
    ['1399-12-30', '2021-03-20', 'leap day of 1399'],
    ['1400-01-01', '2021-03-21', 'Nowruz 1400'],
    ['1403-12-30', '2025-03-20', 'leap day of 1403'],
    ['1404-01-01', '2025-03-21', 'Nowruz 1404'],
    ['1357-11-22', '1979-02-11', 'revolution'],
    ['1359-06-31', '1980-09-22', 'Iran–Iraq war begins'],
    ['1378-04-18', '1999-07-09', '18 Tir'],
    ['1388-03-22', '2009-06-12', 'presidential election'],
    ['1396-10-07', '2017-12-28', 'Dey protests begin'],
    ['1398-10-18', '2020-01-08', 'flight PS752'],
    ['1401-06-25', '2022-09-16', 'Mahsa (Jina) Amini dies'],
    ['1397-10-11', '2019-01-01', 'Gregorian new year 2019'],
    ['1398-10-10', '2019-12-31', 'Gregorian year end 2019'],
    ['1378-12-10', '2000-02-29', 'Gregorian leap day 2000'],
    ['1300-01-01', '1921-03-21', 'Nowruz 1300'],
    ['1500-01-01', '2121-03-21', 'Nowruz 1500'],
  ];

  it.each(known)('%s SH = %s (%s)', (j, g) => {
    const [jy, jm, jd] = j.split('-').map(Number);
    const [gy, gm, gd] = g.split('-').map(Number);
    expect(jalaliToGregorian(jy, jm, jd)).toEqual({ gy, gm, gd });
    expect(gregorianToJalali(gy, gm, gd)).toEqual({ jy, jm, jd });
    expect(jalaliToIso(jy, jm, jd)).toBe(g);
    expect(isoToJalali(g)).toBe(j);
  });

  // Day of March on which 1 Farvardin falls, minus 19, for 1300..1500 SH, taken from ICU 78's
  // Persian calendar (an independent implementation of the same calendar).
  const NOWRUZ =
    '2332233222322232223222322232223222322232222222222222222222222222222' +
    '2222222212221222122212221222122212221222112211221122112211221122112' +
    '2112211121112111211121112111211121112111111112222222222222222222222';

  it('puts every Nowruz from 1300 to 1500 SH on the reference day', () => {
    expect(NOWRUZ).toHaveLength(201);
    for (let jy = 1300; jy <= 1500; jy++) {
      expect([jy, jalaliToGregorian(jy, 1, 1)]).toEqual([
        jy,
        { gy: jy + 621, gm: 3, gd: 19 + Number(NOWRUZ[jy - 1300]) },
      ]);
    }
  });

  it('makes a year leap exactly when the next Nowruz is 366 days later (1300–1499 SH)', () => {
    for (let jy = 1300; jy < 1500; jy++) {
      const next = addDays(jalaliToIso(jy, 1, 1), isJalaliLeapYear(jy) ? 366 : 365);
      expect([jy, next]).toEqual([jy, jalaliToIso(jy + 1, 1, 1)]);
    }
  });

  it('round-trips every day from 1 Farvardin 1300 to the end of 1500 SH, one day at a time', () => {
    let expected = jalaliToIso(1300, 1, 1);
    let days = 0;
    const failures: string[] = [];
    for (let jy = 1300; jy <= 1500; jy++) {
      for (let jm = 1; jm <= 12; jm++) {
        const length = jalaliMonthLength(jy, jm);
        for (let jd = 1; jd <= length; jd++) {
          const { gy, gm, gd } = jalaliToGregorian(jy, jm, jd);
          const g = iso(gy, gm, gd);
          const back = gregorianToJalali(gy, gm, gd);
          if (g !== expected || back.jy !== jy || back.jm !== jm || back.jd !== jd) {
            failures.push(
              `${jy}-${jm}-${jd} → ${g} (expected ${expected}) → ${JSON.stringify(back)}`,
            );
          }
          expected = addDays(g, 1);
          days++;
        }
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(days).toBe(addDaysBetween(jalaliToIso(1300, 1, 1), jalaliToIso(1501, 1, 1)));
  });

  function addDaysBetween(a: string, b: string): number {
    return (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;
  }

  it.each([
    [1398, 1, 1],
    [1398, 12, 29],
    [1399, 12, 30],
    [1, 1, 1],
    [-61, 1, 1],
    [3177, 1, 1],
  ])('round-trips %i-%i-%i at the edges of the table', (jy, jm, jd) => {
    const { gy, gm, gd } = jalaliToGregorian(jy, jm, jd);
    expect(gregorianToJalali(gy, gm, gd)).toEqual({ jy, jm, jd });
  });

  it.each([
    ['month 13', () => jalaliToGregorian(1398, 13, 1), /month 13/],
    ['month 0', () => jalaliToGregorian(1398, 0, 1), /month 0/],
    ['Esfand 30 in a common year', () => jalaliToGregorian(1398, 12, 30), /day 30/],
    ['Mehr 31', () => jalaliToGregorian(1398, 7, 31), /day 31/],
    ['day 0', () => jalaliToGregorian(1398, 1, 0), /day 0/],
    ['fractional day', () => jalaliToGregorian(1398, 1, 1.5), /day 1.5/],
    ['year past the table', () => jalaliToGregorian(3178, 1, 1), /outside the supported range/],
    ['year before the table', () => jalaliToGregorian(-62, 1, 1), /outside the supported range/],
    ['29 February 2019', () => gregorianToJalali(2019, 2, 29), /day 29/],
    ['31 April', () => gregorianToJalali(2019, 4, 31), /day 31/],
    ['Gregorian month 13', () => gregorianToJalali(2019, 13, 1), /month 13/],
    ['fractional Gregorian year', () => gregorianToJalali(2019.5, 1, 1), /year 2019.5/],
  ])('rejects %s with a RangeError', (_case, call, message) => {
    expect(call).toThrow(RangeError);
    expect(call).toThrow(message);
  });
});

describe('leap years and month lengths', () => {
  it.each([
    [2000, true],
    [1900, false],
    [2100, false],
    [2024, true],
    [2020, true],
    [2019, false],
    [2023, false],
    [1600, true],
  ])('Gregorian %i leap: %s', (gy, leap) => {
    expect(isGregorianLeapYear(gy)).toBe(leap);
    expect(gregorianMonthLength(gy, 2)).toBe(leap ? 29 : 28);
  });

  it.each([
    [1370, true],
    [1375, true],
    [1379, true],
    [1383, true],
    [1387, true],
    [1391, true],
    [1395, true],
    [1396, false],
    [1397, false],
    [1398, false],
    [1399, true],
    [1400, false],
    [1401, false],
    [1402, false],
    [1403, true],
    [1404, false],
    [1405, false],
    [1406, false],
    [1407, false],
    [1408, true],
    [1412, true],
  ])('Solar Hijri %i leap: %s', (jy, leap) => {
    expect(isJalaliLeapYear(jy)).toBe(leap);
    expect(jalaliMonthLength(jy, 12)).toBe(leap ? 30 : 29);
  });

  it('gives Farvardin–Shahrivar 31 days and Mehr–Bahman 30', () => {
    expect([...Array(12).keys()].map((i) => jalaliMonthLength(1398, i + 1))).toEqual([
      31, 31, 31, 31, 31, 31, 30, 30, 30, 30, 30, 29,
    ]);
    expect(jalaliMonthLength(1399, 12)).toBe(30);
  });

  it('gives Gregorian month lengths', () => {
    expect([...Array(12).keys()].map((i) => gregorianMonthLength(2019, i + 1))).toEqual([
      31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]);
  });

  it.each([0, 13, 1.5])('rejects month %s', (m) => {
    expect(() => jalaliMonthLength(1398, m)).toThrow(RangeError);
    expect(() => gregorianMonthLength(2019, m)).toThrow(RangeError);
  });
});

describe('ISO helpers', () => {
  it.each([
    ['2019-11-16', '1398-08-25', '۱۳۹۸/۰۸/۲۵'],
    ['2019-10-23', '1398-08-01', '۱۳۹۸/۰۸/۰۱'],
    ['2019-11-21', '1398-08-30', '۱۳۹۸/۰۸/۳۰'],
    ['2021-03-20', '1399-12-30', '۱۳۹۹/۱۲/۳۰'],
    ['1979-02-11', '1357-11-22', '۱۳۵۷/۱۱/۲۲'],
  ])('%s → %s / %s', (g, j, fa) => {
    expect(isoToJalali(g)).toBe(j);
    expect(isoToJalaliFa(g)).toBe(fa);
  });

  it.each([
    ['2019-11-16', 0, '2019-11-16'],
    ['2019-11-16', 1, '2019-11-17'],
    ['2019-11-16', -1, '2019-11-15'],
    ['2019-11-30', 1, '2019-12-01'],
    ['2019-12-31', 1, '2020-01-01'],
    ['2020-01-01', -1, '2019-12-31'],
    ['2020-02-28', 1, '2020-02-29'],
    ['2019-02-28', 1, '2019-03-01'],
    ['2000-02-28', 1, '2000-02-29'],
    ['1900-02-28', 1, '1900-03-01'],
    ['2019-11-16', 365, '2020-11-15'],
    ['2019-11-16', -3650, '2009-11-18'],
  ])('addDays(%s, %i) = %s', (from, n, expected) => {
    expect(addDays(from, n)).toBe(expected);
  });

  it.each(['2019-13-01', '2019-02-29', '2019-11-16T00:00:00Z', '16/11/2019', '2019-1-1', '', 'x'])(
    'rejects the malformed ISO date %j',
    (bad) => {
      expect(isIsoDate(bad)).toBe(false);
      expect(() => isoToJalali(bad)).toThrow(RangeError);
      expect(() => addDays(bad, 1)).toThrow(RangeError);
    },
  );

  it('rejects a fractional number of days', () => {
    expect(() => addDays('2019-11-16', 0.5)).toThrow(RangeError);
  });

  it.each(['2019-11-16', '2020-02-29', '2000-02-29'])('accepts %s as ISO', (good) => {
    expect(isIsoDate(good)).toBe(true);
  });
});

describe('parseDateInput: accepted forms', () => {
  type Row = [string, Calendar | undefined, string, string, string, Calendar];
  const rows: Row[] = [
    // ISO Gregorian
    ['2019-11-16', undefined, '2019-11-16', '2019-11-16', 'day', 'gregorian'],
    ['2019/11/16', undefined, '2019-11-16', '2019-11-16', 'day', 'gregorian'],
    ['2019.11.16', undefined, '2019-11-16', '2019-11-16', 'day', 'gregorian'],
    ['2019-11-6', undefined, '2019-11-06', '2019-11-06', 'day', 'gregorian'],
    ['2019-11', undefined, '2019-11-01', '2019-11-30', 'month', 'gregorian'],
    ['2019/11', undefined, '2019-11-01', '2019-11-30', 'month', 'gregorian'],
    ['2020-02', undefined, '2020-02-01', '2020-02-29', 'month', 'gregorian'],
    ['2019', undefined, '2019-01-01', '2019-12-31', 'year', 'gregorian'],
    ['2000-02-29', undefined, '2000-02-29', '2000-02-29', 'day', 'gregorian'],
    ['2024-02-29', undefined, '2024-02-29', '2024-02-29', 'day', 'gregorian'],
    ['  2019-11-16  ', undefined, '2019-11-16', '2019-11-16', 'day', 'gregorian'],
    ['2019-11-16', 'gregorian', '2019-11-16', '2019-11-16', 'day', 'gregorian'],
    ['۲۰۱۹-۱۱-۱۶', undefined, '2019-11-16', '2019-11-16', 'day', 'gregorian'],
    ['٢٠١٩/١١/١٦', undefined, '2019-11-16', '2019-11-16', 'day', 'gregorian'],
    ['2019-11-16 AD', undefined, '2019-11-16', '2019-11-16', 'day', 'gregorian'],
    ['gregorian:2019-11-16', 'jalali', '2019-11-16', '2019-11-16', 'day', 'gregorian'],
    // Gregorian ranges
    ['2019-11-15/2019-11-19', undefined, '2019-11-15', '2019-11-19', 'range', 'gregorian'],
    ['2019-11-15..2019-11-19', undefined, '2019-11-15', '2019-11-19', 'range', 'gregorian'],
    ['2019-11-15 .. 2019-11-19', undefined, '2019-11-15', '2019-11-19', 'range', 'gregorian'],
    ['2019-11-15 – 2019-11-19', undefined, '2019-11-15', '2019-11-19', 'range', 'gregorian'],
    ['2019-11-15 - 2019-11-19', undefined, '2019-11-15', '2019-11-19', 'range', 'gregorian'],
    ['2019-11-15 to 2019-11-19', undefined, '2019-11-15', '2019-11-19', 'range', 'gregorian'],
    ['2019/11/15/2019/11/19', undefined, '2019-11-15', '2019-11-19', 'range', 'gregorian'],
    ['2019-11..2019-12', undefined, '2019-11-01', '2019-12-31', 'range', 'gregorian'],
    ['2019..2020', undefined, '2019-01-01', '2020-12-31', 'range', 'gregorian'],
    ['2019-11-16..2019-11-16', undefined, '2019-11-16', '2019-11-16', 'range', 'gregorian'],
    // Gregorian month names
    ['16 November 2019', undefined, '2019-11-16', '2019-11-16', 'day', 'gregorian'],
    ['16 november 2019', undefined, '2019-11-16', '2019-11-16', 'day', 'gregorian'],
    ['16 NOV 2019', undefined, '2019-11-16', '2019-11-16', 'day', 'gregorian'],
    ['16th of November 2019', undefined, '2019-11-16', '2019-11-16', 'day', 'gregorian'],
    ['November 2019', undefined, '2019-11-01', '2019-11-30', 'month', 'gregorian'],
    ['Feb 2020', undefined, '2020-02-01', '2020-02-29', 'month', 'gregorian'],
    ['Nov 16, 2019', undefined, '2019-11-16', '2019-11-16', 'day', 'gregorian'],
    ['Nov. 16, 2019', undefined, '2019-11-16', '2019-11-16', 'day', 'gregorian'],
    ['November 16 2019', undefined, '2019-11-16', '2019-11-16', 'day', 'gregorian'],
    ['Sept 1, 2019', undefined, '2019-09-01', '2019-09-01', 'day', 'gregorian'],
    ['16 November 2019', 'jalali', '2019-11-16', '2019-11-16', 'day', 'gregorian'],
    ['۱۶ نوامبر ۲۰۱۹', undefined, '2019-11-16', '2019-11-16', 'day', 'gregorian'],
    ['نوامبر ۲۰۱۹', undefined, '2019-11-01', '2019-11-30', 'month', 'gregorian'],
    [
      'between 15 and 19 November 2019',
      undefined,
      '2019-11-15',
      '2019-11-19',
      'range',
      'gregorian',
    ],
    ['Between 15 and 19 Nov 2019', undefined, '2019-11-15', '2019-11-19', 'range', 'gregorian'],
    ['15-19 November 2019', undefined, '2019-11-15', '2019-11-19', 'range', 'gregorian'],
    ['15–19 November 2019', undefined, '2019-11-15', '2019-11-19', 'range', 'gregorian'],
    ['from 15 to 19 November 2019', undefined, '2019-11-15', '2019-11-19', 'range', 'gregorian'],
    ['November 15-19, 2019', undefined, '2019-11-15', '2019-11-19', 'range', 'gregorian'],
    ['28 October – 3 November 2019', undefined, '2019-10-28', '2019-11-03', 'range', 'gregorian'],
    [
      '15 November 2019 to 19 November 2019',
      undefined,
      '2019-11-15',
      '2019-11-19',
      'range',
      'gregorian',
    ],
    ['November..December 2019', undefined, '2019-11-01', '2019-12-31', 'range', 'gregorian'],
    // Solar Hijri, numeric, with the calendar argument
    ['1398-08-25', 'jalali', '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['1398/08/25', 'jalali', '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['1398/8/25', 'jalali', '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['۱۳۹۸/۰۸/۲۵', 'jalali', '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['١٣٩٨/٠٨/٢٥', 'jalali', '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['1398-08', 'jalali', '2019-10-23', '2019-11-21', 'month', 'jalali'],
    ['1398', 'jalali', '2019-03-21', '2020-03-19', 'year', 'jalali'],
    ['1399', 'jalali', '2020-03-20', '2021-03-20', 'year', 'jalali'],
    ['1399-12', 'jalali', '2021-02-19', '2021-03-20', 'month', 'jalali'],
    ['1399-12-30', 'jalali', '2021-03-20', '2021-03-20', 'day', 'jalali'],
    ['1403-12-30', 'jalali', '2025-03-20', '2025-03-20', 'day', 'jalali'],
    ['1398-08-24/1398-08-28', 'jalali', '2019-11-15', '2019-11-19', 'range', 'jalali'],
    ['1398-08..1398-09', 'jalali', '2019-10-23', '2019-12-21', 'range', 'jalali'],
    // Solar Hijri, numeric, with a marker
    ['1398-08-25 SH', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['1398-08-25 sh', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['1398-08-25SH', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['1398-08-25 AP', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['jalali:1398-08-25', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['Jalali: 1398/08/25', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['sh:1398-08-25', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['sh:1398-08-25', 'gregorian', '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['۱۳۹۸/۰۸/۲۵ ش', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['۱۳۹۸/۰۸/۲۵ ه.ش', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['۱۳۹۸/۰۸/۲۵ ه.ش.', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['۱۳۹۸/۰۸/۲۵ هـ.ش', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['۱۳۹۸/۰۸/۲۵ هجری شمسی', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['\u200f۱۳۹۸/۰۸/۲۵\u200f', 'jalali', '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['1398-08 SH', undefined, '2019-10-23', '2019-11-21', 'month', 'jalali'],
    ['1398 SH', undefined, '2019-03-21', '2020-03-19', 'year', 'jalali'],
    ['1398-08-24..1398-08-28 SH', undefined, '2019-11-15', '2019-11-19', 'range', 'jalali'],
    ['1357-11-22 SH', undefined, '1979-02-11', '1979-02-11', 'day', 'jalali'],
    // Solar Hijri month names
    ['25 Aban 1398', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['25 aban 1398', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['25 Ābān 1398', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['25 Abaan 1398', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['Aban 25, 1398', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['25 Aban 1398', 'gregorian', '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['25 Aban 1398 SH', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['Aban 1398', undefined, '2019-10-23', '2019-11-21', 'month', 'jalali'],
    ['۲۵ آبان ۱۳۹۸', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['25 آبان 1398', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['۲۵آبان۱۳۹۸', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['۲۵ ابان ۱۳۹۸', undefined, '2019-11-16', '2019-11-16', 'day', 'jalali'],
    ['آبان ۱۳۹۸', undefined, '2019-10-23', '2019-11-21', 'month', 'jalali'],
    ['آبان ماه ۱۳۹۸', undefined, '2019-10-23', '2019-11-21', 'month', 'jalali'],
    ['آبان‌ماه ۱۳۹۸', undefined, '2019-10-23', '2019-11-21', 'month', 'jalali'],
    ['آبان سال ۱۳۹۸', undefined, '2019-10-23', '2019-11-21', 'month', 'jalali'],
    ['۲۴ تا ۲۸ آبان ۱۳۹۸', undefined, '2019-11-15', '2019-11-19', 'range', 'jalali'],
    ['از ۲۴ تا ۲۸ آبان ۱۳۹۸', undefined, '2019-11-15', '2019-11-19', 'range', 'jalali'],
    ['بین ۲۴ و ۲۸ آبان ۱۳۹۸', undefined, '2019-11-15', '2019-11-19', 'range', 'jalali'],
    ['24-28 Aban 1398', undefined, '2019-11-15', '2019-11-19', 'range', 'jalali'],
    ['between 24 and 28 Aban 1398', undefined, '2019-11-15', '2019-11-19', 'range', 'jalali'],
    ['Aban..Azar 1398', undefined, '2019-10-23', '2019-12-21', 'range', 'jalali'],
    ['Esfand 1398..Farvardin 1399', undefined, '2020-02-20', '2020-04-19', 'range', 'jalali'],
    ['۱ فروردین ۱۳۹۹', undefined, '2020-03-20', '2020-03-20', 'day', 'jalali'],
    ['۱ فروردين ۱۳۹۹', undefined, '2020-03-20', '2020-03-20', 'day', 'jalali'],
    ['۱ Farvardin 1398', undefined, '2019-03-21', '2019-03-21', 'day', 'jalali'],
    ['۳۱ ارديبهشت ۱۳۹۸', undefined, '2019-05-21', '2019-05-21', 'day', 'jalali'],
    ['Ordibehesht 1398', undefined, '2019-04-21', '2019-05-21', 'month', 'jalali'],
    ['Khordad 1398', undefined, '2019-05-22', '2019-06-21', 'month', 'jalali'],
    ['Tir 1378', undefined, '1999-06-22', '1999-07-22', 'month', 'jalali'],
    ['18 تير 1378', undefined, '1999-07-09', '1999-07-09', 'day', 'jalali'],
    ['Mordad 1398', undefined, '2019-07-23', '2019-08-22', 'month', 'jalali'],
    ['Amordad 1398', undefined, '2019-07-23', '2019-08-22', 'month', 'jalali'],
    ['۲۵ شهريور ۱۴۰۱', undefined, '2022-09-16', '2022-09-16', 'day', 'jalali'],
    ['Shahrivar 1401', undefined, '2022-08-23', '2022-09-22', 'month', 'jalali'],
    ['Mehr 1398', undefined, '2019-09-23', '2019-10-22', 'month', 'jalali'],
    ['Azar 1398', undefined, '2019-11-22', '2019-12-21', 'month', 'jalali'],
    ['آذر ۱۳۹۸', undefined, '2019-11-22', '2019-12-21', 'month', 'jalali'],
    ['Dey 1398', undefined, '2019-12-22', '2020-01-20', 'month', 'jalali'],
    ['18 Dei 1398', undefined, '2020-01-08', '2020-01-08', 'day', 'jalali'],
    ['۱۸ دي ۱۳۹۸', undefined, '2020-01-08', '2020-01-08', 'day', 'jalali'],
    ['22 Bahman 1357', undefined, '1979-02-11', '1979-02-11', 'day', 'jalali'],
    ['Esfand 1398', undefined, '2020-02-20', '2020-03-19', 'month', 'jalali'],
    ['Isfand 1399', undefined, '2021-02-19', '2021-03-20', 'month', 'jalali'],
    ['30 اسفند ۱۳۹۹', undefined, '2021-03-20', '2021-03-20', 'day', 'jalali'],
    // A number above 12 can only be the day: day-first and month-first numeric dates alike.
    ['16/11/2019', undefined, '2019-11-16', '2019-11-16', 'day', 'gregorian'],
    ['11/16/2019', undefined, '2019-11-16', '2019-11-16', 'day', 'gregorian'],
    ['16.11.2019', undefined, '2019-11-16', '2019-11-16', 'day', 'gregorian'],
    ['07/07/2019', undefined, '2019-07-07', '2019-07-07', 'day', 'gregorian'],
    ['۱۸/۱۲/۱۴۰۱', 'jalali', '2023-03-09', '2023-03-09', 'day', 'jalali'],
    ['21/09/2022', undefined, '2022-09-21', '2022-09-21', 'day', 'gregorian'],
  ];

  it.each(rows)(
    '%j (calendar %s) → %s … %s, %s, %s',
    (text, cal, from, to, precision, calendar) => {
      expect(parseDateInput(text, cal)).toEqual({ from, to, precision, calendar, original: text });
    },
  );

  it('keeps the original text exactly as typed', () => {
    const typed = '  ۲۵ آبان‌ماه ۱۳۹۸ ';
    expect(parseDateInput(typed).original).toBe(typed);
  });
});

describe('parseDateInput: rejections', () => {
  it.each([
    ['', undefined, ['empty', 'Accepted forms', '2019-11-16', '1398-08-25 SH']],
    ['   ', undefined, ['empty', 'Accepted forms']],
    ['garbage', undefined, ['"garbage" is not a date', 'Accepted forms', '25 Aban 1398']],
    ['yesterday', undefined, ['not a date', 'Accepted forms']],
    ['2019-11-16T10:00:00Z', undefined, ['not a date', 'Accepted forms']],
    ['between 2019-11-15', undefined, ['not a date', 'Accepted forms']],
    ['2019-11/15', undefined, ['not a date']],
    ['2019-11..15', undefined, ['not a date']],
    ['2019-11-15-2019-11-19', undefined, ['not a date']],
    ['15 Brumaire 1398', undefined, ['not a date']],
    // The calendar is never guessed from the digits.
    [
      '1398-08-25',
      undefined,
      ['year 1398 looks Solar Hijri', 'calendar=jalali', '"1398-08-25 SH"'],
    ],
    ['۱۳۹۸/۰۸/۲۵', undefined, ['year 1398 looks Solar Hijri', '"1398/08/25 SH"']],
    ['1398-08', undefined, ['year 1398 looks Solar Hijri', '"1398-08 SH"']],
    ['1398', undefined, ['year 1398 looks Solar Hijri']],
    ['1398-08-24..1398-08-28', undefined, ['looks Solar Hijri', '"1398-08-24..1398-08-28 SH"']],
    ['1398-08-25', 'gregorian', ['year 1398 looks Solar Hijri']],
    ['1799-01-01', undefined, ['year 1799 looks Solar Hijri']],
    ['2019-11-16', 'jalali', ['year 2019 looks Gregorian']],
    ['25 Aban 2019', undefined, ['year 2019 looks Gregorian']],
    ['2019-11-16 SH', undefined, ['year 2019 looks Gregorian']],
    ['1100 SH', undefined, ['Solar Hijri year 1100 is out of range 1178–1799']],
    ['1000-01-01', undefined, ['year 1000 is out of range 1800–2999']],
    ['3000-01-01', undefined, ['year 3000 is out of range 1800–2999']],
    // Impossible dates
    ['1398-13-40', 'jalali', ['month 13 is out of range 1–12']],
    ['1398-13-40 SH', undefined, ['month 13 is out of range 1–12']],
    ['1398-00-10', 'jalali', ['month 0 is out of range 1–12']],
    ['2019-13-01', undefined, ['month 13 is out of range 1–12']],
    ['1398-12-30', 'jalali', ['day 30 does not exist in Esfand 1398 (29 days)']],
    ['30 Esfand 1398', undefined, ['day 30 does not exist in Esfand 1398 (29 days)']],
    ['1398-07-31', 'jalali', ['day 31 does not exist in Mehr 1398 (30 days)']],
    ['1398-08-40', 'jalali', ['day 40 does not exist in Aban 1398 (30 days)']],
    ['۳۲ فروردین ۱۳۹۸', undefined, ['day 32 does not exist in Farvardin 1398 (31 days)']],
    ['1404-12-30', 'jalali', ['day 30 does not exist in Esfand 1404 (29 days)']],
    ['2019-02-30', undefined, ['day 30 does not exist in February 2019 (28 days)']],
    ['2019-02-29', undefined, ['day 29 does not exist in February 2019 (28 days)']],
    ['1900-02-29', undefined, ['day 29 does not exist in February 1900 (28 days)']],
    ['2019-04-31', undefined, ['day 31 does not exist in April 2019 (30 days)']],
    ['2019-11-00', undefined, ['day 0 does not exist in November 2019 (30 days)']],
    ['31 November 2019', undefined, ['day 31 does not exist in November 2019']],
    ['2019-11-15..2019-11-31', undefined, ['day 31 does not exist in November 2019']],
    // Ranges
    [
      '2019-11-19..2019-11-15',
      undefined,
      ['ends before it starts', '2019-11-19 is after 2019-11-15'],
    ],
    ['2019-12..2019-11', undefined, ['ends before it starts']],
    ['28 تا ۲۴ آبان ۱۳۹۸', undefined, ['ends before it starts']],
    ['Aban 1398 – November 2019', undefined, ['mixes Solar Hijri and Gregorian month names']],
    // Missing parts and ambiguous forms
    ['16 November', undefined, ['the year is missing', 'Accepted forms']],
    ['November', undefined, ['the year is missing']],
    ['16', undefined, ['the year is missing']],
    ['16 2019', undefined, ['the month is missing']],
    ['05/11/2019', undefined, ['ambiguous', 'write the year first (2019-11-16)']],
    ['11/05/2019', undefined, ['ambiguous']],
    ['05.11.2019', undefined, ['ambiguous']],
    ['05-11-2019', undefined, ['ambiguous']],
    ['۰۵/۱۱/۱۴۰۱', 'jalali', ['ambiguous']],
    ['18/13/2019', undefined, ['ambiguous']],
    ['11/2019', undefined, ['write the year first (2019-11)']],
    // Calendars
    ['1441 AH', undefined, ['lunar Hijri', 'not supported']],
    ['۱۴۴۱ ه.ق', undefined, ['lunar Hijri']],
    ['۱۴۴۱ هجری قمری', undefined, ['lunar Hijri']],
    ['jalali: 16 November 2019', undefined, ['month name is Gregorian', 'marked Solar Hijri']],
    ['۲۵ آبان ۱۳۹۸ میلادی', undefined, ['month name is Solar Hijri', 'marked Gregorian']],
    ['jalali:2019-11-16 AD', undefined, ['marked both Solar Hijri and Gregorian']],
  ] as [string, Calendar | undefined, string[]][])(
    '%j (calendar %s) is rejected',
    (text, cal, fragments) => {
      const error = parseError(text, cal);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('DateParseError');
      for (const f of fragments) expect(error.message).toContain(f);
    },
  );

  it('rejects a value that is not text', () => {
    expect(parseError(20191116 as unknown as string).message).toContain('a date must be text');
  });

  it('rejects an unknown calendar argument', () => {
    expect(parseError('2019-11-16', 'lunar' as Calendar).message).toContain(
      'calendar must be "gregorian" or "jalali"',
    );
  });

  it('quotes the input in the message', () => {
    expect(parseError('1398-12-30', 'jalali').message).toMatch(/^"1398-12-30": /);
  });
});

describe('toDual', () => {
  it('returns null when there is no date', () => {
    expect(toDual(null, null, null)).toBeNull();
    expect(toDual(null, null, 'day', 'unknown')).toBeNull();
  });

  it('gives a day in both calendars', () => {
    expect(toDual('2019-11-16', '2019-11-16', 'day', '25 Aban 1398')).toEqual({
      precision: 'day',
      gregorian: { from: '2019-11-16', to: '2019-11-16', label: '2019-11-16' },
      jalali: { from: '1398-08-25', to: '1398-08-25', label: '1398-08-25', labelFa: '۱۳۹۸/۰۸/۲۵' },
      original: '25 Aban 1398',
    });
  });

  it('labels a Gregorian month as a Jalali range, since it spans two Jalali months', () => {
    expect(toDual('2019-11-01', '2019-11-30', 'month', 'November 2019')).toEqual({
      precision: 'month',
      gregorian: { from: '2019-11-01', to: '2019-11-30', label: '2019-11' },
      jalali: {
        from: '1398-08-10',
        to: '1398-09-09',
        label: '1398-08-10 – 1398-09-09',
        labelFa: '۱۳۹۸/۰۸/۱۰ تا ۱۳۹۸/۰۹/۰۹',
      },
      original: 'November 2019',
    });
  });

  it('labels a Jalali month by name, and the Gregorian side as a range', () => {
    expect(toDual('2019-10-23', '2019-11-21', 'month')).toEqual({
      precision: 'month',
      gregorian: { from: '2019-10-23', to: '2019-11-21', label: '2019-10-23 – 2019-11-21' },
      jalali: { from: '1398-08-01', to: '1398-08-30', label: 'Aban 1398', labelFa: 'آبان ۱۳۹۸' },
    });
  });

  it('labels the leap Esfand of 1399 by name', () => {
    const d = toDual('2021-02-19', '2021-03-20', 'month');
    expect(d?.jalali).toEqual({
      from: '1399-12-01',
      to: '1399-12-30',
      label: 'Esfand 1399',
      labelFa: 'اسفند ۱۳۹۹',
    });
  });

  it('labels years', () => {
    expect(toDual('2019-01-01', '2019-12-31', 'year')).toMatchObject({
      gregorian: { label: '2019' },
      jalali: { from: '1397-10-11', to: '1398-10-10', label: '1397-10-11 – 1398-10-10' },
    });
    expect(toDual('2019-03-21', '2020-03-19', 'year')).toMatchObject({
      gregorian: { label: '2019-03-21 – 2020-03-19' },
      jalali: { from: '1398-01-01', to: '1398-12-29', label: '1398', labelFa: '۱۳۹۸' },
    });
  });

  it('labels ranges', () => {
    expect(toDual('2019-11-15', '2019-11-19', 'range', '۲۴ تا ۲۸ آبان ۱۳۹۸')).toEqual({
      precision: 'range',
      gregorian: { from: '2019-11-15', to: '2019-11-19', label: '2019-11-15 – 2019-11-19' },
      jalali: {
        from: '1398-08-24',
        to: '1398-08-28',
        label: '1398-08-24 – 1398-08-28',
        labelFa: '۱۳۹۸/۰۸/۲۴ تا ۱۳۹۸/۰۸/۲۸',
      },
      original: '۲۴ تا ۲۸ آبان ۱۳۹۸',
    });
  });

  it('leaves out original when none is given', () => {
    expect(toDual('2019-11-16', '2019-11-16', 'day')).not.toHaveProperty('original');
    expect(toDual('2019-11-16', '2019-11-16', 'day', null)).not.toHaveProperty('original');
  });

  it('infers the precision when it is missing or unknown', () => {
    expect(toDual('2019-11-16', '2019-11-16', null)?.precision).toBe('day');
    expect(toDual('2019-11-15', '2019-11-19', null)?.precision).toBe('range');
    expect(toDual('2019-11-15', '2019-11-19', 'fortnight' as never)?.precision).toBe('range');
  });

  it('takes a missing end to equal the other', () => {
    expect(toDual('2019-11-16', null, 'day')?.gregorian).toEqual({
      from: '2019-11-16',
      to: '2019-11-16',
      label: '2019-11-16',
    });
    expect(toDual(null, '2019-11-16', 'day')?.jalali.from).toBe('1398-08-25');
  });

  it('rejects malformed ISO dates', () => {
    expect(() => toDual('16/11/2019', '16/11/2019', 'day')).toThrow(RangeError);
  });

  it.each(['25 Aban 1398', 'November 2019', '۲۴ تا ۲۸ آبان ۱۳۹۸', 'Aban 1398', '1398 SH', '2019'])(
    'carries %j from parseDateInput through to both calendars',
    (text) => {
      const p = parseDateInput(text);
      const d = toDual(p.from, p.to, p.precision, p.original);
      expect(d?.gregorian.from).toBe(p.from);
      expect(d?.gregorian.to).toBe(p.to);
      expect(d?.jalali.from).toBe(isoToJalali(p.from));
      expect(d?.jalali.to).toBe(isoToJalali(p.to));
      expect(d?.original).toBe(text);
    },
  );
});

describe('dateMatch', () => {
  it.each([
    // [record from, record to, query from, query to, expected, why]
    ['2019-11-16', '2019-11-16', '2019-11-16', '2019-11-16', 'certain', 'same day'],
    ['2019-11-01', '2019-11-30', '2019-11-16', '2019-11-16', 'possible', 'November vs 16 Nov'],
    ['2019-11-15', '2019-11-19', '2019-11-15', '2019-11-19', 'certain', 'same range'],
    ['2019-11-16', '2019-11-16', '2019-11-15', '2019-11-19', 'certain', 'day inside window'],
    ['2019-11-15', '2019-11-19', '2019-11-01', '2019-11-30', 'certain', 'range inside month'],
    ['2019-11-15', '2019-11-19', '2019-11-17', '2019-11-30', 'possible', 'range overlaps end'],
    ['2019-11-15', '2019-11-19', '2019-11-01', '2019-11-15', 'possible', 'touches one day'],
    ['2019-10-23', '2019-11-21', '2019-11-01', '2019-11-30', 'possible', 'Aban vs November'],
    ['2019-11-16', '2019-11-16', '2019-11-17', '2019-11-20', 'none', 'day before window'],
    ['2019-11-21', '2019-11-21', '2019-11-17', '2019-11-20', 'none', 'day after window'],
    ['2019-11-01', '2019-11-30', '2019-12-01', '2019-12-31', 'none', 'adjacent months'],
    ['2019-01-01', '2019-12-31', '2019-11-16', '2019-11-16', 'possible', 'year vs day'],
    // open-ended windows
    ['2019-11-16', '2019-11-16', '2019-11-15', null, 'certain', 'after a day'],
    ['2019-11-01', '2019-11-30', '2019-11-15', null, 'possible', 'November, from 15 Nov'],
    ['2019-10-01', '2019-10-31', '2019-11-15', null, 'none', 'October, from 15 Nov'],
    ['2019-11-16', '2019-11-16', null, '2019-11-20', 'certain', 'until a day'],
    ['2019-11-01', '2019-11-30', null, '2019-11-20', 'possible', 'November, until 20 Nov'],
    ['2019-12-01', '2019-12-31', null, '2019-11-20', 'none', 'December, until 20 Nov'],
    // no window, undated and open-ended records
    ['2019-11-16', '2019-11-16', null, null, 'certain', 'no window'],
    [null, null, null, null, 'certain', 'undated, no window'],
    [null, null, '2019-11-16', '2019-11-16', 'possible', 'undated record'],
    [null, null, '2019-11-15', null, 'possible', 'undated record, open window'],
    [null, '2019-11-20', '2019-11-15', '2019-11-19', 'possible', 'record open at start'],
    [null, '2019-11-20', '2019-11-21', null, 'none', 'record ends before window'],
    ['2019-11-15', null, null, '2019-11-14', 'none', 'record starts after window'],
    ['2019-11-15', null, '2019-11-01', null, 'certain', 'both open at the end'],
    // an empty window matches nothing
    ['2019-11-16', '2019-11-16', '2019-11-20', '2019-11-10', 'none', 'inverted window'],
  ] as [string | null, string | null, string | null, string | null, DateMatch, string][])(
    '%s…%s vs %s…%s → %s (%s)',
    (rf, rt, qf, qt, expected) => {
      expect(dateMatch(rf, rt, qf, qt)).toBe(expected);
    },
  );

  it('finds a victim known only as "November 2019" as possible on 16 Nov, certain for the month', () => {
    const victim = parseDateInput('November 2019');
    const day = parseDateInput('25 Aban 1398');
    const month = parseDateInput('2019-11');
    expect(dateMatch(victim.from, victim.to, day.from, day.to)).toBe('possible');
    expect(dateMatch(victim.from, victim.to, month.from, month.to)).toBe('certain');
  });

  it('rejects malformed ISO dates', () => {
    expect(() => dateMatch('2019-11-16', '2019-11-16', '16/11/2019', null)).toThrow(RangeError);
  });
});

describe('dualDate and dateSpan: remembered conversions read as fresh ones', () => {
  it('gives the same date in both calendars the first time and after, and nobody can change it', () => {
    const fresh = toDual('2019-11-01', '2019-11-30', 'month', 'آبان ۱۳۹۸');
    const first = dualDate('2019-11-01', '2019-11-30', 'month', 'آبان ۱۳۹۸');
    const again = dualDate('2019-11-01', '2019-11-30', 'month', 'آبان ۱۳۹۸');
    expect(first).toEqual(fresh);
    expect(again).toBe(first);
    expect(() => {
      (again as { jalali: { label: string } }).jalali.label = 'changed';
    }).toThrow(TypeError);
    expect(dualDate('2019-11-01', '2019-11-30', 'month', 'آبان ۱۳۹۸')).toEqual(fresh);
  });

  it('keeps dates that differ only in their typed text apart', () => {
    const none = dualDate('2019-11-16', '2019-11-16', 'day', null);
    const empty = dualDate('2019-11-16', '2019-11-16', 'day', '');
    const typed = dualDate('2019-11-16', '2019-11-16', 'day', '25 Aban 1398');
    const piped = dualDate('2019-11-16', '2019-11-16', 'day', 'x|day|y');
    expect(none).toEqual(toDual('2019-11-16', '2019-11-16', 'day', null));
    expect(empty).toEqual(toDual('2019-11-16', '2019-11-16', 'day', ''));
    expect(typed?.original).toBe('25 Aban 1398');
    expect(piped?.original).toBe('x|day|y');
    expect(dualDate(null, null, null)).toBeNull();
  });

  it('works out a partial date once, and refuses an impossible one every time', () => {
    expect(dateSpan('2019-02')).toEqual({ start: '2019-02-01', end: '2019-02-28' });
    expect(dateSpan('2019-02')).toBe(dateSpan('2019-02'));
    expect(dateSpan('2020-02').end).toBe('2020-02-29');
    expect(dateSpan('2019')).toEqual({ start: '2019-01-01', end: '2019-12-31' });
    for (let i = 0; i < 2; i++) {
      expect(() => dateSpan('2019-02-30', 'scope.dateFrom')).toThrow(/not a calendar date/);
    }
  });
});
