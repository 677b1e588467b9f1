/**
 * Calendar arithmetic for the date picker: day numbers (Julian Day Numbers) for Solar Hijri and
 * Gregorian dates, month lengths, weekdays. The algorithm is the one the API uses
 * (src/common/dates.ts, after jalaali-js by Behrang Noruzi Niya, MIT); the interface is built
 * apart from the service, so it keeps its own copy of these few lines.
 */
export type Calendar = 'jalali' | 'gregorian';

const BREAKS = [
  -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394,
  2456, 3178,
];

// Truncating division: the formulas feed negative numerators and rely on rounding toward zero.
const div = (a: number, b: number): number => Math.trunc(a / b);
const mod = (a: number, b: number): number => a - Math.trunc(a / b) * b;

interface JalCal {
  /** Years since the last leap year; 0 means jy itself is leap. */
  leap: number;
  gy: number;
  /** Day of March (Gregorian year gy) on which Farvardin 1 falls. */
  march: number;
}

function jalCal(jy: number): JalCal {
  if (!Number.isInteger(jy) || jy < BREAKS[0] || jy >= BREAKS[BREAKS.length - 1]) {
    throw new RangeError(
      `Solar Hijri year ${jy} is outside the supported range ${BREAKS[0]}–${BREAKS[BREAKS.length - 1] - 1}`,
    );
  }
  const gy = jy + 621;
  let leapJ = -14;
  let jp = BREAKS[0];
  let jump = 0;
  for (let i = 1; i < BREAKS.length; i++) {
    const jm = BREAKS[i];
    jump = jm - jp;
    if (jy < jm) break;
    leapJ += div(jump, 33) * 8 + div(mod(jump, 33), 4);
    jp = jm;
  }
  let n = jy - jp;
  leapJ += div(n, 33) * 8 + div(mod(n, 33) + 3, 4);
  if (mod(jump, 33) === 4 && jump - n === 4) leapJ += 1;
  const leapG = div(gy, 4) - div((div(gy, 100) + 1) * 3, 4) - 150;
  const march = 20 + leapJ - leapG;
  if (jump - n < 6) n = n - jump + div(jump + 4, 33) * 33;
  let leap = mod(mod(n + 1, 33) - 1, 4);
  if (leap === -1) leap = 4;
  return { leap, gy, march };
}

function g2d(gy: number, gm: number, gd: number): number {
  const d =
    div((gy + div(gm - 8, 6) + 100100) * 1461, 4) +
    div(153 * mod(gm + 9, 12) + 2, 5) +
    gd -
    34840408;
  return d - div(div(gy + 100100 + div(gm - 8, 6), 100) * 3, 4) + 752;
}

function d2g(jdn: number): { gy: number; gm: number; gd: number } {
  let j = 4 * jdn + 139361631;
  j = j + div(div(4 * jdn + 183187720, 146097) * 3, 4) * 4 - 3908;
  const i = div(mod(j, 1461), 4) * 5 + 308;
  const gd = div(mod(i, 153), 5) + 1;
  const gm = mod(div(i, 153), 12) + 1;
  const gy = div(j, 1461) - 100100 + div(8 - gm, 6);
  return { gy, gm, gd };
}

function j2d(jy: number, jm: number, jd: number): number {
  const r = jalCal(jy);
  return g2d(r.gy, 3, r.march) + (jm - 1) * 31 - div(jm, 7) * (jm - 7) + jd - 1;
}

function d2j(jdn: number): { jy: number; jm: number; jd: number } {
  const { gy } = d2g(jdn);
  let jy = gy - 621;
  const r = jalCal(jy);
  let k = jdn - g2d(gy, 3, r.march);
  if (k >= 0) {
    if (k <= 185) return { jy, jm: 1 + div(k, 31), jd: mod(k, 31) + 1 };
    k -= 186;
  } else {
    jy -= 1;
    k += 179;
    if (r.leap === 1) k += 1;
  }
  return { jy, jm: 7 + div(k, 30), jd: mod(k, 30) + 1 };
}

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
  if (m <= 6) return 31;
  if (m <= 11) return 30;
  return jalCal(y).leap === 0 ? 30 : 29;
}

/** 0 = Monday … 6 = Sunday (day number 0 was a Monday). */
export function weekday(jdn: number): number {
  return mod(jdn, 7);
}

/** Whether the year is one the arithmetic covers (the API's range). */
export function supportedYear(cal: Calendar, y: number): boolean {
  const jy = cal === 'jalali' ? y : y - 621;
  return Number.isInteger(y) && jy > BREAKS[0] && jy < BREAKS[BREAKS.length - 1] - 1;
}
