import {
  gregorianMonthLength,
  gregorianToJalali,
  jalaliMonthLength,
  jalaliToGregorian,
} from '../../src/common/dates.js';
import {
  dayNumber,
  fromDayNumber,
  monthLength,
  supportedYear,
  weekday,
} from '../../web/src/calendar.js';

/**
 * The web date picker keeps its own copy of the calendar arithmetic (the interface is built
 * apart from the service): it must agree with the API's, day by day, or a day picked in the
 * grid would be stored as another. Pure logic; it needs no browser and no database.
 */
describe('the date picker’s calendar agrees with the API’s', () => {
  it('every Solar Hijri month 1300–1500: its length, its first day in Gregorian, its weekday', () => {
    const wrong: string[] = [];
    for (let y = 1300; y <= 1500; y++) {
      for (let m = 1; m <= 12; m++) {
        if (monthLength('jalali', y, m) !== jalaliMonthLength(y, m)) wrong.push(`length ${y}-${m}`);
        const g = jalaliToGregorian(y, m, 1);
        const jdn = dayNumber('jalali', y, m, 1);
        const back = fromDayNumber('gregorian', jdn);
        if (back.y !== g.gy || back.m !== g.gm || back.d !== g.gd) wrong.push(`date ${y}-${m}-1`);
        // Monday = 0, as the grid reads it; Date's getUTCDay has Sunday = 0.
        const utc = new Date(Date.UTC(g.gy, g.gm - 1, g.gd)).getUTCDay();
        if (weekday(jdn) !== (utc + 6) % 7) wrong.push(`weekday ${y}-${m}-1`);
        const round = fromDayNumber('jalali', jdn + monthLength('jalali', y, m) - 1);
        if (round.y !== y || round.m !== m || round.d !== jalaliMonthLength(y, m)) {
          wrong.push(`last day ${y}-${m}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('every Gregorian month 1900–2100 and the founding day both ways', () => {
    const wrong: string[] = [];
    for (let y = 1900; y <= 2100; y++) {
      for (let m = 1; m <= 12; m++) {
        if (monthLength('gregorian', y, m) !== gregorianMonthLength(y, m)) {
          wrong.push(`length ${y}-${m}`);
        }
        const j = gregorianToJalali(y, m, 15);
        const back = fromDayNumber('jalali', dayNumber('gregorian', y, m, 15));
        if (back.y !== j.jy || back.m !== j.jm || back.d !== j.jd) wrong.push(`date ${y}-${m}-15`);
      }
    }
    expect(wrong).toEqual([]);
    // 25 Aban 1398 = 16 November 2019, a Saturday (5 counting from Monday).
    const aban25 = dayNumber('jalali', 1398, 8, 25);
    expect(fromDayNumber('gregorian', aban25)).toEqual({ y: 2019, m: 11, d: 16 });
    expect(weekday(aban25)).toBe(5);
    // Esfand has 30 days in a leap year (1399) and 29 otherwise (1398).
    expect([monthLength('jalali', 1399, 12), monthLength('jalali', 1398, 12)]).toEqual([30, 29]);
    expect([supportedYear('jalali', 1398), supportedYear('jalali', 3200)]).toEqual([true, false]);
  });
});
