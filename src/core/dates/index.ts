// Dates as researchers meet them: calendar.ts converts (over jalaali-js); parse.ts reads what was
// typed (side.ts one date or one end of a range, input.ts what it returns and how it refuses);
// format.ts writes both calendars; match.ts compares windows.
export {
  type Calendar,
  GREGORIAN_MONTHS,
  GREGORIAN_YEARS,
  JALALI_MONTHS,
  JALALI_MONTHS_FA,
  JALALI_YEARS,
  addDays,
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
} from './calendar.js';
export {
  ACCEPTED_DATE_FORMS,
  DateParseError,
  type DatePrecision,
  type PartialDate,
} from './input.js';
export { parseDateInput } from './parse.js';
export { type DualDate, toDual } from './format.js';
export { type DateMatch, dateMatch } from './match.js';
