/** What the date reader returns, what it accepts, and how it refuses. */
import type { Calendar } from './calendar.js';

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
