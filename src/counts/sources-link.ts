/**
 * Links to GET /api/counts/sources: every source behind a number, a page at a time. A count's
 * bucket and a reconciliation's documented set list their top sources; the link pages the rest.
 */

const PAGE_PATH = '/api/counts/sources';

/** A page's cursor: the last source listed before it, as (victims, id), base64url JSON. */
export function encodeSourceCursor(victims: number, id: string): string {
  return Buffer.from(JSON.stringify([victims, id])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The (victims, id) a cursor holds, or null when it is not one this service wrote. */
export function decodeSourceCursor(raw: string): { victims: number; id: string } | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      Number.isInteger(v[0]) &&
      (v[0] as number) >= 0 &&
      typeof v[1] === 'string' &&
      UUID.test(v[1])
    )
      return { victims: v[0] as number, id: v[1].toLowerCase() };
  } catch {
    // not base64url JSON
  }
  return null;
}

/** The link: the query's own filters, the bucket's keys, and where the page starts. */
export function sourcesLink(
  filters: Record<string, string | number | undefined | null>,
  page: { bucket?: string[]; cursor?: string },
): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(filters))
    if (v !== undefined && v !== null) u.set(k, String(v));
  if (page.bucket?.length) u.set('bucket', page.bucket.join(','));
  if (page.cursor) u.set('cursor', page.cursor);
  return `${PAGE_PATH}?${u.toString()}`;
}

/**
 * The next link after `listed` sources of `all` (listed: the first ones by victims, then id),
 * or null when they are all of them.
 */
export function nextSourcesLink(
  filters: Record<string, string | number | undefined | null>,
  bucket: string[],
  listed: { id: string; victims: number }[],
  all: number,
): string | null {
  if (!listed.length || listed.length >= all) return null;
  const last = [...listed].sort((a, b) => a.victims - b.victims || (a.id < b.id ? 1 : -1))[0];
  return sourcesLink(filters, { bucket, cursor: encodeSourceCursor(last.victims, last.id) });
}

/** Parameters of a sources page that are not filters of the count. */
const PAGE_PARAMS = new Set(['bucket', 'cursor', 'limit', 'sourcesPerBucket']);

/** The filters of a count's query, as the parameters of its sources links. */
export function filtersOf(q: object): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(q))
    if (!PAGE_PARAMS.has(k) && (typeof v === 'string' || typeof v === 'number')) out[k] = v;
  return out;
}
