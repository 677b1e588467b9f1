import { AppError } from '../common/errors.js';

export const VICTIM_SORTS = [
  'date',
  '-date',
  'name',
  '-name',
  'created',
  '-created',
  'relevance',
] as const;
export type VictimSort = (typeof VICTIM_SORTS)[number];

/** Where a page ended: the sort key of its last row (as PostgreSQL prints it) and its id. */
export interface VictimCursor {
  sort: VictimSort;
  key: string | null;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY_SHAPES: Record<string, RegExp> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  created: /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/,
  relevance: /^\d+(\.\d+)?(e-?\d+)?$/,
  name: /^[\s\S]{0,2000}$/,
};

function sortKeyKind(sort: VictimSort): string {
  return sort.replace(/^-/, '');
}

/** Opaque to clients: base64url of the JSON [sort, key, id]. */
export function encodeCursor(c: VictimCursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.key, c.id]), 'utf8').toString('base64url');
}

/** Reads a cursor made by encodeCursor for the same sort, or a 400 naming `cursor`. */
export function decodeCursor(raw: string, sort: VictimSort): VictimCursor {
  const bad = (reason: string): AppError => AppError.invalid('cursor', reason);
  if (!/^[A-Za-z0-9_-]+$/.test(raw))
    throw bad('is not a cursor returned by this API (not base64url)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw bad('is not a cursor returned by this API');
  }
  if (!Array.isArray(parsed) || parsed.length !== 3)
    throw bad('is not a cursor returned by this API');
  const [s, key, id] = parsed as unknown[];
  if (typeof s !== 'string' || !(VICTIM_SORTS as readonly string[]).includes(s)) {
    throw bad('is not a cursor returned by this API');
  }
  if (s !== sort)
    throw bad(`was made for sort=${s}, not sort=${sort}: start again without a cursor`);
  if (typeof id !== 'string' || !UUID.test(id)) throw bad('is not a cursor returned by this API');
  const kind = sortKeyKind(sort);
  const nullable = kind === 'date';
  if (key === null ? !nullable : typeof key !== 'string' || !KEY_SHAPES[kind].test(key)) {
    throw bad('is not a cursor returned by this API');
  }
  return { sort, key: key as string | null, id };
}
