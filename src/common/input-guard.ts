import type { FieldProblem } from './errors.js';

/**
 * Input no route should ever see, refused in one place for every route (src/app.factory.ts,
 * the global InputGuardPipe, the import record reader) before anything else touches it.
 *
 * - NUL (U+0000): PostgreSQL cannot store it in text (SQLSTATE 22021), so it would otherwise
 *   reach the database and come back as a 500.
 * - JSON nested deeper than any of our bodies needs: the validators walk bodies recursively
 *   and a few kilobytes of brackets overflowed the stack.
 * - `__proto__`, `constructor`, `prototype` as keys: never a field of ours; refused like any
 *   unknown field rather than dropped (or, worse, assigned) on the way to the DTO.
 */
export const MAX_JSON_DEPTH = 32;

export const RESERVED_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

export const NUL_REASON = 'must not contain a NUL character (U+0000)';

/** Any UUID in its canonical 8-4-4-4-12 form, either case (what PostgreSQL's uuid accepts). */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Upper-case UUIDs are accepted everywhere and stored, compared and answered in lower case
 * (the form PostgreSQL prints): one id is one string in every set and every comparison.
 */
export function normaliseUuid(value: unknown): unknown {
  return typeof value === 'string' && UUID_RE.test(value) ? value.toLowerCase() : value;
}

/**
 * How deep the JSON text nests, scanning it once without parsing (no recursion, no reviver):
 * the first nesting level beyond `max` stops the scan. Works on UTF-8 bytes or on a string,
 * since every character it looks at is ASCII.
 */
export function exceedsJsonDepth(text: Uint8Array | string, max = MAX_JSON_DEPTH): boolean {
  const at = typeof text === 'string' ? (i: number) => text.charCodeAt(i) : (i: number) => text[i];
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = at(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

const joinField = (prefix: string, key: string | number): string =>
  typeof key === 'number' ? `${prefix}[${key}]` : prefix ? `${prefix}.${key}` : key;

/**
 * The first problem in a parsed value (a JSON body, a query object): a NUL in a string or a
 * key, or a reserved key, named the way validation errors name fields
 * (`attestations[0].excerpt`). Iterative, and bounded by `maxDepth` all the same.
 */
export function findBadInput(
  value: unknown,
  root = '',
  maxDepth = MAX_JSON_DEPTH,
): FieldProblem | null {
  const stack: { v: unknown; field: string; depth: number }[] = [
    { v: value, field: root, depth: 0 },
  ];
  while (stack.length) {
    const { v, field, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\0'))
        return { field: field || 'body', reason: `${field || 'body'} ${NUL_REASON}` };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= maxDepth) {
      return { field: field || 'body', reason: `nested more than ${maxDepth} levels deep` };
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ v: v[i] as unknown, field: joinField(field, i), depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(v);
    for (const k of keys) {
      const f = joinField(field, k);
      if (RESERVED_KEYS.has(k)) return { field: f, reason: `property ${k} should not exist` };
      if (k.includes('\0')) return { field: f, reason: `the name of a property ${NUL_REASON}` };
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      stack.push({
        v: (v as Record<string, unknown>)[keys[i]],
        field: joinField(field, keys[i]),
        depth: depth + 1,
      });
    }
  }
  return null;
}

/**
 * The first problem in a raw query string, read the way URLSearchParams reads it: a NUL
 * (`%00`) in a name or value, or a reserved name at any level (`__proto__`, `a[constructor]`),
 * which the query parser would otherwise drop without a word.
 */
export function findBadQuery(rawQuery: string): FieldProblem | null {
  if (!rawQuery) return null;
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    const name = key.replace(/\0/g, '\\0') || 'query';
    if (key.includes('\0'))
      return { field: name, reason: `the name of a query parameter ${NUL_REASON}` };
    const reserved = key.split(/[[\].]+/).find((seg) => RESERVED_KEYS.has(seg));
    if (reserved) return { field: key, reason: `property ${reserved} should not exist` };
    if (value.includes('\0')) return { field: key, reason: `${key} ${NUL_REASON}` };
  }
  return null;
}

/** A header value with a NUL (Node's parser refuses them; an in-process caller may not). */
export function findBadHeader(
  headers: Record<string, string | string[] | undefined>,
): FieldProblem | null {
  for (const [name, value] of Object.entries(headers)) {
    const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
    if (values.some((v) => v.includes('\0')))
      return { field: name, reason: `${name} ${NUL_REASON}` };
  }
  return null;
}
