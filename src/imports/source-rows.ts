import { RELIABILITIES, SOURCE_INTERESTS, SOURCE_KINDS } from '../common/domain.js';
import { stableId } from '../common/stable-id.js';
import { contentKey, RowFields, URL_RE, UUID_RE, type FieldIssue } from './row-fields.js';

/** A sources file's columns and the reading of one row into a source (sources-import.ts writes them). */

const OWN = [
  'id',
  'kind',
  'title',
  'publisher',
  'author',
  'published',
  'published_calendar',
  'published_from',
  'published_to',
  'published_precision',
  'published_original',
  'language',
  'url',
  'archived_url',
  'sha256',
  'reliability',
  'interest',
  'interest_note',
  'restricted',
  'internal_notes',
  'relays',
  'cites',
] as const;
const DERIVED = [
  'published_label',
  'published_jalali',
  'relayed_by',
  'version',
  'created_at',
  'updated_at',
] as const;

export const SOURCE_COLUMNS: ReadonlySet<string> = new Set<string>([...OWN, ...DERIVED]);
const KEY_IGNORED: ReadonlySet<string> = new Set<string>([...DERIVED, 'id']);

/** A document's publisher, title and date, without case or spacing: "the same paper". */
export const PAPER_KEY_SQL = (publisher: string, title: string, date: string) =>
  `lower(regexp_replace(btrim(${publisher}), '[[:space:]]+', ' ', 'g')) || '|' || lower(regexp_replace(btrim(${title}), '[[:space:]]+', ' ', 'g')) || '|' || ${date}`;

export function paperKey(r: Pick<SourceRow, 'publisher' | 'title' | 'publishedFrom'>): string {
  const norm = (t: string) => t.trim().replace(/\s+/g, ' ').toLowerCase();
  return `${norm(r.publisher ?? '')}|${norm(r.title)}|${r.publishedFrom ?? ''}`;
}

export interface SourceRow {
  id: string;
  /** The id came from the file (kept) rather than from the row's content. */
  givenId: boolean;
  kind: string;
  title: string;
  publisher: string | null;
  author: string | null;
  publishedFrom: string | null;
  publishedTo: string | null;
  publishedPrecision: string | null;
  publishedOriginal: string | null;
  language: string | null;
  url: string | null;
  archivedUrl: string | null;
  sha256: string | null;
  reliability: string;
  interest: string | null;
  interestNote: string | null;
  restricted: boolean;
  internalNotes: string | null;
  relays: string[];
  cites: string[];
}

function problemRow(values: Record<string, unknown>, f: RowFields): boolean {
  if (values.__fieldCount !== undefined) {
    f.problem(
      'row',
      'the row has the wrong number of fields',
      `${values.__fieldCount as number} fields, the header has ${values.__expectedFieldCount as number}`,
    );
    return true;
  }
  return false;
}

/** One row of a sources file (the columns of POST /api/sources, in snake_case), checked as the API checks it. */
export function readSourceRow(
  values: Record<string, unknown>,
): { ok: true; row: SourceRow } | { ok: false; issues: FieldIssue[] } {
  const f = new RowFields(values);
  if (problemRow(values, f)) return { ok: false, issues: f.issues };
  const id = f.uuid('id');
  const kind = f.oneOf('kind', SOURCE_KINDS);
  if (!kind && !f.has('kind'))
    f.problem('kind', 'kind is missing', `one of ${SOURCE_KINDS.join(', ')}`);
  const title = f.text('title', 1000);
  if (!title && !f.has('title')) f.problem('title', 'title is missing');
  const published =
    f.storedDate('published') ??
    f.date(
      'published',
      (f.oneOf('published_calendar', ['gregorian', 'jalali']) ?? undefined) as
        'gregorian' | 'jalali' | undefined,
    );
  const language = f.text('language', 20);
  if (language !== null && !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)) {
    f.problem('language', 'language is not a language tag', `got "${language}" (en, fa, ar …)`);
  }
  const url = f.text('url', 2000);
  if (url !== null && !URL_RE.test(url))
    f.problem('url', 'url is not an http(s) URL', `got "${url}"`);
  const archivedUrl = f.text('archived_url', 2000);
  if (archivedUrl !== null && !URL_RE.test(archivedUrl))
    f.problem('archived_url', 'archived_url is not an http(s) URL', `got "${archivedUrl}"`);
  const sha = f.text('sha256', 64);
  if (sha !== null && !/^[0-9a-fA-F]{64}$/.test(sha))
    f.problem('sha256', 'sha256 is not 64 hexadecimal characters');
  const reliabilityText = f.text('reliability', 5);
  const reliability = reliabilityText === null ? 'F' : reliabilityText.toUpperCase();
  if (!(RELIABILITIES as readonly string[]).includes(reliability)) {
    f.problem('reliability', 'reliability is not A–F', `got "${reliabilityText}"`);
  }
  const links = (field: 'relays' | 'cites'): string[] => {
    const list = f.list(field);
    const bad = list.filter((x) => !UUID_RE.test(x));
    if (bad.length)
      f.problem(
        field,
        `${field} holds a value that is not a source id`,
        `got ${bad.map((b) => `"${b}"`).join(', ')}`,
      );
    return [...new Set(list.filter((x) => UUID_RE.test(x)).map((x) => x.toLowerCase()))];
  };
  const row: SourceRow = {
    id: id ?? stableId(`source-import:${contentKey('source', values, KEY_IGNORED)}`),
    givenId: id !== null,
    kind: kind ?? 'report',
    title: title ?? '',
    publisher: f.text('publisher', 500),
    author: f.text('author', 500),
    publishedFrom: published?.from ?? null,
    publishedTo: published?.to ?? null,
    publishedPrecision: published?.precision ?? null,
    publishedOriginal: published?.original ?? null,
    language,
    url,
    archivedUrl,
    sha256: sha?.toLowerCase() ?? null,
    reliability,
    interest: f.oneOf('interest', SOURCE_INTERESTS),
    interestNote: f.text('interest_note', 2000),
    restricted: f.bool('restricted') ?? false,
    internalNotes: f.text('internal_notes'),
    relays: links('relays'),
    cites: links('cites'),
  };
  for (const field of ['relays', 'cites'] as const) {
    if (row[field].includes(row.id)) f.problem(field, 'a source cannot relay or cite itself');
  }
  return f.issues.length ? { ok: false, issues: f.issues } : { ok: true, row };
}
