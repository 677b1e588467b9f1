import { createHash } from 'node:crypto';
import { DateParseError, isIsoDate, parseDateInput, type Calendar } from '../common/dates.js';
import { columnsOf } from '../common/date-columns.js';
import { CALENDARS, DATE_PRECISIONS } from '../common/domain.js';
import { boundedMemo } from '../common/memo.js';
import { normalizeDigits } from '../common/persian.js';

export interface FieldIssue {
  field: string;
  rule: string;
  reason: string;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const URL_RE = /^https?:\/\/\S+$/i;

const MAX_TEXT = 10_000;

function show(v: unknown): string {
  const s = JSON.stringify(typeof v === 'string' && v.length > 80 ? `${v.slice(0, 77)}…` : v);
  return s.length > 100 ? `${s.slice(0, 97)}…` : s;
}

export interface DateFields {
  from: string | null;
  to: string | null;
  precision: string | null;
  calendar: string | null;
  original: string | null;
}

/**
 * Reads one row's values (CSV strings or JSON values alike) and collects every problem, so a
 * rejected row names all that is wrong with it at once.
 */
export class RowFields {
  readonly issues: FieldIssue[] = [];

  constructor(readonly values: Record<string, unknown>) {}

  has(field: string): boolean {
    const v = this.values[field];
    return v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
  }

  problem(field: string, rule: string, detail?: string): void {
    this.issues.push({ field, rule, reason: detail ? `${rule}: ${detail}` : rule });
  }

  text(field: string, max = MAX_TEXT): string | null {
    const v = this.values[field];
    if (v === undefined || v === null) return null;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (typeof v !== 'string') {
      this.problem(field, `${field} must be text`, `got ${show(v)}`);
      return null;
    }
    const t = v.trim();
    if (t === '') return null;
    if (t.length > max) {
      this.problem(field, `${field} is too long`, `${t.length} characters, at most ${max}`);
      return null;
    }
    return t;
  }

  /** A whole number given as a number or as digits (Persian digits too). */
  int(field: string, min: number, max: number): number | null {
    const v = this.values[field];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return null;
    const s =
      typeof v === 'number' ? String(v) : typeof v === 'string' ? normalizeDigits(v.trim()) : null;
    if (s === null || !/^-?\d+$/.test(s)) {
      this.problem(field, `${field} is not a whole number`, `got ${show(v)}`);
      return null;
    }
    const n = Number(s);
    if (n < min || n > max) {
      this.problem(field, `${field} is out of range`, `${n} is not within ${min}–${max}`);
      return null;
    }
    return n;
  }

  bool(field: string): boolean | null {
    const v = this.values[field];
    if (v === undefined || v === null || v === '') return null;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string') {
      if (/^(true|yes|1)$/i.test(v.trim())) return true;
      if (/^(false|no|0)$/i.test(v.trim())) return false;
    }
    this.problem(field, `${field} must be true or false`, `got ${show(v)}`);
    return null;
  }

  oneOf(field: string, allowed: readonly string[]): string | null {
    const t = this.text(field, 200);
    if (t === null) return null;
    const lower = t.toLowerCase();
    if (!allowed.includes(lower)) {
      this.problem(
        field,
        `${field} is not one of the allowed values`,
        `got ${show(t)}; allowed: ${allowed.join(', ')}`,
      );
      return null;
    }
    return lower;
  }

  uuid(field: string): string | null {
    const t = this.text(field, 100);
    if (t === null) return null;
    if (!UUID_RE.test(t)) {
      this.problem(field, `${field} is not a UUID`, `got ${show(t)}`);
      return null;
    }
    return t.toLowerCase();
  }

  url(field: string, value: string): string | null {
    if (!URL_RE.test(value) || value.length > 2000) {
      this.problem(field, `${field} is not an http(s) URL`, `got ${show(value)}`);
      return null;
    }
    return value;
  }

  /** A list: a JSON array, or text with items separated by ";" (" ; " in the shared files). */
  list(field: string): string[] {
    const v = this.values[field];
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) {
      const out: string[] = [];
      for (const item of v) {
        if (typeof item === 'string' && item.trim()) out.push(item.trim());
        else if (typeof item !== 'string')
          this.problem(field, `${field} must be a list of text`, `got ${show(item)}`);
      }
      return out;
    }
    if (typeof v !== 'string') {
      this.problem(field, `${field} must be a list`, `got ${show(v)}`);
      return [];
    }
    return v
      .split(/\s*[;|]\s*/)
      .map((s) => s.trim())
      .filter(Boolean);
  }

  /** Structured JSON: an array given as JSON, or as JSON text in a CSV cell. */
  json(field: string): unknown {
    const v = this.values[field];
    if (v === undefined || v === null || v === '') return null;
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      this.problem(field, `${field} is not valid JSON`, `got ${show(v)}`);
      return null;
    }
  }

  /** A date as typed (ISO, partial, range, Solar Hijri with its calendar). */
  date(field: string, calendar?: Calendar): DateFields | null {
    const t = this.text(field, 100);
    if (t === null) return null;
    const d = parsedDate(t, calendar);
    if (typeof d === 'string') {
      this.problem(field, `${field} is not a date`, d);
      return null;
    }
    return { ...d };
  }

  /** The stored form of our own exports: date_from, date_to, date_precision, date_calendar. */
  storedDate(prefix: string): DateFields | null {
    const fromF = `${prefix}_from`;
    const toF = `${prefix}_to`;
    if (!this.has(fromF) && !this.has(toF)) return null;
    const from = this.text(fromF, 20);
    const to = this.text(toF, 20);
    let ok = true;
    for (const [f, v] of [
      [fromF, from],
      [toF, to],
    ] as const) {
      if (v === null) {
        this.problem(f, `${f} is missing`, `${fromF} and ${toF} go together`);
        ok = false;
      } else if (!isIsoDate(v)) {
        this.problem(f, `${f} is not an ISO date (yyyy-mm-dd)`, `got ${show(v)}`);
        ok = false;
      }
    }
    if (ok && from! > to!) {
      this.problem(toF, `${toF} is before ${fromF}`, `${to} is before ${from}`);
      ok = false;
    }
    const precision = this.oneOf(`${prefix}_precision`, DATE_PRECISIONS);
    const calendar = this.oneOf(`${prefix}_calendar`, CALENDARS);
    if (!ok) return null;
    return {
      from,
      to,
      precision: precision ?? (from === to ? 'day' : 'range'),
      calendar: calendar ?? 'gregorian',
      original: this.text(`${prefix}_original`, 200),
    };
  }
}

/** A light, stable normal form for content keys: cheap enough for 100,000 rows a second. */
export function keyText(s: string): string {
  return s
    .normalize('NFC')
    .replace(/[\u200b-\u200f\u0640]/g, '')
    .replace(/[يى]/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** A stable key of a row's content (not its position), so re-importing a file adds nothing. */
export function contentKey(
  kind: string,
  values: Record<string, unknown>,
  ignore: ReadonlySet<string>,
): string {
  const parts: string[] = [];
  for (const k of Object.keys(values).sort()) {
    if (ignore.has(k) || k.startsWith('__')) continue;
    const v = values[k];
    if (v === undefined || v === null || v === '') continue;
    let s: string;
    if (typeof v === 'string') {
      s = v.includes(';') ? v.split(';').map(keyText).filter(Boolean).sort().join(';') : keyText(v);
    } else s = JSON.stringify(v);
    if (s !== '') parts.push(`${k}=${s}`);
  }
  return `${kind}:${createHash('sha256').update(parts.join('\u0001')).digest('base64url').slice(0, 32)}`;
}

/**
 * parseDateInput for a file's cells, remembered: a list of a hundred thousand rows holds a few
 * hundred distinct dates, and parsing is the costliest check of a row. Pure, so remembering
 * changes nothing but the time; bounded, so a file of all-different dates cannot grow it.
 * A string is the reason a text is not a date.
 */
const parsedDates = boundedMemo<DateFields | string>(20_000);

export function parsedDate(text: string, calendar?: Calendar): DateFields | string {
  return parsedDates(`${calendar ?? ''}\u0001${text}`, () => {
    try {
      return columnsOf(parseDateInput(text, calendar));
    } catch (e) {
      if (!(e instanceof DateParseError)) throw e;
      return e.message.length > 200 ? `${e.message.slice(0, 197)}…` : e.message;
    }
  });
}
