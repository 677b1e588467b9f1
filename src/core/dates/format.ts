/** Dates leave the ledger in both calendars, labelled as a reader of either expects. */
import { toPersianDigits } from '../text/persian.js';
import {
  gregorianMonthLength,
  gregorianToJalali,
  isoOf,
  JALALI_MONTHS,
  JALALI_MONTHS_FA,
  jalaliMonthLength,
  splitIso,
} from './calendar.js';
import type { DatePrecision } from './input.js';

export interface DualDate {
  precision: DatePrecision;
  gregorian: { from: string; to: string; label: string };
  jalali: { from: string; to: string; label: string; labelFa: string };
  original?: string;
}

const PRECISIONS: readonly string[] = ['day', 'month', 'year', 'range'];

interface Ymd {
  y: number;
  m: number;
  d: number;
}

/** 'day', 'month' or 'year' when [a, b] is exactly one such unit of the calendar, else null. */
function wholeUnit(a: Ymd, b: Ymd, monthLength: (y: number, m: number) => number): string | null {
  if (a.y === b.y && a.m === b.m && a.d === b.d) return 'day';
  if (a.y !== b.y || a.d !== 1) return null;
  if (a.m === b.m && b.d === monthLength(b.y, b.m)) return 'month';
  if (a.m === 1 && b.m === 12 && b.d === monthLength(b.y, 12)) return 'year';
  return null;
}

/**
 * A stored date window in both calendars, with labels. A label names the whole unit when the
 * window is exactly one day, month or year of that calendar ("2019-11", "Aban 1398",
 * "آبان ۱۳۹۸"); otherwise it is the range ("1398-08-10 – 1398-09-09"), since a Gregorian month
 * is not a Jalali month. A missing end is taken to equal the other; no dates at all → null.
 */
export function toDual(
  from: string | null,
  to: string | null,
  precision: DatePrecision | null,
  original?: string | null,
): DualDate | null {
  const f = from ?? to;
  if (f == null) return null;
  const t = to ?? f;
  const ymd = ([y, m, d]: [number, number, number]): Ymd => ({ y, m, d });
  const g1 = ymd(splitIso(f));
  const g2 = ymd(splitIso(t));
  const jalali = (g: Ymd): Ymd => {
    const { jy, jm, jd } = gregorianToJalali(g.y, g.m, g.d);
    return { y: jy, m: jm, d: jd };
  };
  const j1 = jalali(g1);
  const j2 = jalali(g2);
  const jf = isoOf(j1.y, j1.m, j1.d);
  const jt = isoOf(j2.y, j2.m, j2.d);
  const fa = (s: string): string => toPersianDigits(s.replace(/-/g, '/'));

  let gLabel: string;
  switch (wholeUnit(g1, g2, gregorianMonthLength)) {
    case 'day':
      gLabel = f;
      break;
    case 'month':
      gLabel = f.slice(0, 7);
      break;
    case 'year':
      gLabel = f.slice(0, 4);
      break;
    default:
      gLabel = `${f} – ${t}`;
  }

  let jLabel: string;
  let jLabelFa: string;
  switch (wholeUnit(j1, j2, jalaliMonthLength)) {
    case 'day':
      jLabel = jf;
      jLabelFa = fa(jf);
      break;
    case 'month':
      jLabel = `${JALALI_MONTHS[j1.m - 1]} ${j1.y}`;
      jLabelFa = `${JALALI_MONTHS_FA[j1.m - 1]} ${toPersianDigits(String(j1.y))}`;
      break;
    case 'year':
      jLabel = String(j1.y);
      jLabelFa = toPersianDigits(jLabel);
      break;
    default:
      jLabel = `${jf} – ${jt}`;
      jLabelFa = `${fa(jf)} تا ${fa(jt)}`;
  }

  const p: DatePrecision =
    precision != null && PRECISIONS.includes(precision) ? precision : f === t ? 'day' : 'range';
  return {
    precision: p,
    gregorian: { from: f, to: t, label: gLabel },
    jalali: { from: jf, to: jt, label: jLabel, labelFa: jLabelFa },
    ...(original != null ? { original } : {}),
  };
}
