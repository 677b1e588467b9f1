import {
  DateParseError,
  parseDateInput,
  toDual,
  type DualDate,
  type PartialDate,
} from './dates.js';
import { AppError } from './errors.js';
import { boundedMemo } from './memo.js';

export interface DateColumns {
  from: string | null;
  to: string | null;
  precision: string | null;
  calendar: string | null;
  original: string | null;
}

export const NO_DATE: DateColumns = {
  from: null,
  to: null,
  precision: null,
  calendar: null,
  original: null,
};

/** A parsed date as the stored columns hold it. */
export function columnsOf(d: PartialDate): DateColumns {
  return {
    from: d.from,
    to: d.to,
    precision: d.precision,
    calendar: d.calendar,
    original: d.original,
  };
}

/** Parses a date as typed into the stored columns, or a 400 naming the field. */
export function dateColumns(
  field: string,
  text: string | null | undefined,
  calendar?: string | null,
): DateColumns {
  if (text === undefined || text === null || text === '') return NO_DATE;
  try {
    return columnsOf(
      parseDateInput(text, (calendar ?? undefined) as 'gregorian' | 'jalali' | undefined),
    );
  } catch (e) {
    if (e instanceof DateParseError) throw AppError.invalid(field, e.message);
    throw e;
  }
}

/**
 * Every date leaves the API in both calendars, with the text as it was typed. A page of records
 * repeats the same few dates: each is converted once and handed out frozen (shared, never
 * mutated).
 */
export function dualDate(
  from: string | null,
  to: string | null,
  precision: string | null,
  original?: string | null,
): DualDate | null {
  // The typed text comes last, marked, so no text can make two keys alike.
  const key = `${from}|${to}|${precision}|${original == null ? '-' : `+${original}`}`;
  return dualMemo(key, () => deepFreeze(toDual(from, to, precision as never, original ?? null)));
}

const dualMemo = boundedMemo<DualDate | null>(10_000);

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
