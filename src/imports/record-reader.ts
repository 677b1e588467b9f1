import type { Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { AppError } from '../common/errors.js';
import { editDistance } from '../locations/trigram.js';
import {
  exceedsJsonDepth,
  findBadInput,
  MAX_JSON_DEPTH,
  NUL_REASON,
  RESERVED_KEYS,
} from '../common/input-guard.js';

export const INPUT_FORMATS = ['csv', 'json'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** One record of an input file, with where it starts, so a reject can name its line. */
export interface InputRecord {
  /** 1-based number of the record (the header does not count). */
  n: number;
  /** 1-based line of the file where the record starts (the CSV header is line 1). */
  line: number;
  values: Record<string, unknown>;
}

/** The file itself is unusable (not CSV, not JSON, unknown columns): nothing is imported. */
export class ImportFileError extends AppError {}

export function fileError(reason: string): ImportFileError {
  return new ImportFileError('validation', `The file cannot be imported: ${reason}`, {
    errors: [{ field: 'file', reason }],
  });
}

/** "nameFa", "Name FA", "dataset_A_source_tags" → name_fa, name_fa, dataset_a_source_tags. */
export function columnKey(k: string): string {
  return k
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toLowerCase();
}

export function formatOf(fileName: string): InputFormat | null {
  const m = /\.(csv|json|jsonl|ndjson)$/i.exec(fileName);
  if (!m) return null;
  return m[1].toLowerCase() === 'csv' ? 'csv' : 'json';
}

/**
 * Streams the records of a CSV file (first line: the column names) or a JSON file (an array
 * of objects, or one object per line), never holding the whole file. `known` lists the
 * columns the importer understands: any other column refuses the file before a row is read,
 * so a misspelt column never silently loses data.
 */
export async function* readRecords(
  input: Readable | AsyncIterable<string | Buffer>,
  format: InputFormat,
  known: ReadonlySet<string>,
  encoding = 'utf-8',
  columns?: ColumnPolicy,
): AsyncGenerator<InputRecord> {
  const text = decodeText(input, encoding);
  if (format === 'csv') yield* readCsv(text, known, columns);
  else yield* readJson(text, known, columns);
}

/**
 * How a file's column names are read beyond the known ones: `aliases` (the names other lists
 * use: date_jalali, sources, city_fa …) become the known column, and an unknown column is either
 * a file error naming the nearest known column (`refuse`) or left out and listed, with it, in
 * `unknown` (the import report shows them).
 */
export interface ColumnPolicy {
  aliases?: Readonly<Record<string, string>>;
  unknown: 'refuse' | 'report';
  /** Filled as columns are met: each unknown column and the known one nearest to it. */
  found?: Map<string, string | null>;
}

/** The known column nearest in spelling to an unknown one ("gendre" → gender), if any is close. */
export function nearestColumn(column: string, known: Iterable<string>): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(column, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== null && bestD <= Math.max(2, Math.floor(column.length / 3)) ? best : null;
}

/**
 * The canonical name of a text encoding given by its label (utf-8, windows-1256, cp1256,
 * iso-8859-6, utf-16le: the WHATWG labels), or a 400 naming `field`.
 */
export function textEncoding(label: string, field: string): string {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    throw AppError.invalid(
      field,
      `"${label}" is not a text encoding this service reads: give utf-8, windows-1256 (what Excel saves Persian text as on Windows), iso-8859-6, utf-16le or another WHATWG encoding label`,
    );
  }
}

/**
 * A file's bytes as text in `encoding`, refusing bytes that are not valid in it. Decoded
 * leniently, a file saved as Windows-1256 and read as UTF-8 would import every Persian name as
 * replacement characters (U+FFFD) without a word; here it stops the import, nothing written,
 * naming the line.
 */
async function* decodeText(
  input: AsyncIterable<string | Buffer>,
  encoding: string,
): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  let line = 1;
  const decode = (chunk?: Buffer): string => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      // Where: the text before the first byte a lenient decoder replaces.
      const loose = chunk ? new TextDecoder(encoding).decode(chunk) : '';
      const at = loose.indexOf('\uFFFD');
      const near = line + countNewlines(at < 0 ? loose : loose.slice(0, at));
      throw fileError(
        `it is not ${decoder.encoding} text (an invalid byte on or near line ${near}): save it as UTF-8, or give its encoding (charset= in the Content-Type; --encoding on the command line), such as windows-1256`,
      );
    }
  };
  for await (const chunk of input) {
    const text = typeof chunk === 'string' ? chunk : decode(chunk);
    line += countNewlines(text);
    if (text) yield text;
  }
  const rest = decode();
  if (rest) yield rest;
}

/** The columns as the importer reads them: aliases resolved, unknown ones '' when reported. */
function applyPolicy(cols: string[], known: ReadonlySet<string>, p?: ColumnPolicy): string[] {
  if (!p) return cols;
  const named = cols.map((c) => p.aliases?.[c] ?? c);
  if (p.unknown === 'refuse') return named;
  return named.map((c) => {
    if (c === '' || known.has(c)) return c;
    if (!p.found?.has(c)) p.found?.set(c, nearestColumn(c, known));
    return '';
  });
}

function checkColumns(cols: string[], known: ReadonlySet<string>): void {
  const unknown = cols.filter((c) => c !== '' && !known.has(c));
  if (unknown.length) {
    throw new ImportFileError(
      'validation',
      `The file cannot be imported: unknown column(s) ${unknown.join(', ')}`,
      {
        errors: unknown.map((c) => {
          const near = nearestColumn(c, known);
          return {
            field: c,
            reason: `unknown column${near ? ` (did you mean ${near}?)` : ''}; known columns: ${[...known].join(', ')}`,
          };
        }),
      },
    );
  }
}

async function* readCsv(
  input: AsyncIterable<string>,
  known: ReadonlySet<string>,
  policy?: ColumnPolicy,
): AsyncGenerator<InputRecord> {
  const parser = parse({ bom: true, relax_column_count: true, raw: true, skip_empty_lines: false });
  // The parser stops for good on a malformed line (or when the reading below stops early): the
  // pump then stops too, instead of waiting for a 'drain' that never comes.
  const stopped = new Promise<void>((r) => parser.once('close', r));
  const pump = (async () => {
    try {
      for await (const chunk of input) {
        if (parser.destroyed) break;
        if (!parser.write(chunk)) {
          await Promise.race([new Promise((r) => parser.once('drain', r)), stopped]);
        }
      }
      if (!parser.destroyed) parser.end();
    } catch (e) {
      parser.destroy(e as Error);
    }
  })();
  let header: string[] | null = null;
  let newlines = 0;
  let n = 0;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      const line = newlines + 1;
      newlines += countNewlines(item.raw);
      const rec = item.record;
      if (rec.length === 1 && rec[0].trim() === '') continue;
      const nul = rec.findIndex((cell) => cell.includes('\0'));
      if (nul !== -1) {
        const column = header ? (header[nul] ?? `column ${nul + 1}`) : `column ${nul + 1}`;
        throw nulError(header ? column : 'header', line);
      }
      if (!header) {
        header = applyPolicy(rec.map(columnKey), known, policy);
        const dup = header.find((c, i) => c !== '' && header!.indexOf(c) !== i);
        if (dup) throw fileError(`the column ${dup} appears twice (or under another of its names)`);
        checkColumns(header, known);
        continue;
      }
      n++;
      const values: Record<string, unknown> = {};
      const cols = header;
      for (let i = 0; i < cols.length && i < rec.length; i++)
        if (cols[i] !== '') values[cols[i]] = rec[i];
      if (rec.length !== cols.length) {
        // Kept as a record: the importer rejects it with its line, the rest of the file goes on.
        values.__fieldCount = rec.length;
        values.__expectedFieldCount = cols.length;
      }
      yield { n, line, values };
    }
  } catch (e) {
    if (e instanceof CsvError) {
      // The parser reads ahead of the records handed out: its own count is where the fault is.
      const at = typeof e.lines === 'number' && e.lines > 0 ? e.lines : newlines + 1;
      throw fileError(`malformed CSV at line ${at}: ${e.message}`);
    }
    throw e;
  } finally {
    // Read to the end, failed or left early: either way the pump must not wait on the parser.
    if (!parser.writableFinished) parser.destroy();
    await pump;
  }
  if (!header) throw fileError('it is empty: a CSV file starts with a line of column names');
  if (n === 0) throw noRows('CSV file has its line of column names and no row after it');
}

/** A file that holds no record is refused (nothing written), not imported as "0 rows". */
function noRows(what: string): ImportFileError {
  return fileError(`it holds no rows: the ${what}`);
}

/** A NUL in a cell: PostgreSQL cannot store it; the file is refused naming the column and line. */
function nulError(field: string, line: number): ImportFileError {
  return new ImportFileError(
    'validation',
    `The file cannot be imported: ${field} on line ${line} ${NUL_REASON}`,
    { errors: [{ field, reason: `${NUL_REASON} (line ${line})` }] },
  );
}

/** Line breaks in a record as read: CRLF, LF or a lone CR each count once. */
function countNewlines(s: string): number {
  let c = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 10 || (ch === 13 && s.charCodeAt(i + 1) !== 10)) c++;
  }
  return c;
}

function recordOf(
  text: string,
  line: number,
  n: number,
  known: ReadonlySet<string>,
  policy?: ColumnPolicy,
): InputRecord {
  // Checked on the text, before JSON.parse or anything recursive reads it.
  if (exceedsJsonDepth(text)) {
    throw fileError(
      `the record starting on line ${line} nests more than ${MAX_JSON_DEPTH} levels deep`,
    );
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw fileError(`invalid JSON in the record starting on line ${line}: ${(e as Error).message}`);
  }
  // A plain object without a prototype: a "__proto__" key is an own key here, refused below,
  // never assigned as the prototype.
  const values = Object.create(null) as Record<string, unknown>;
  const keys = Object.keys(v as Record<string, unknown>);
  for (const k of keys) {
    const key = columnKey(k);
    if (RESERVED_KEYS.has(key)) {
      throw new ImportFileError(
        'validation',
        `The file cannot be imported: unknown column ${key}`,
        {
          errors: [{ field: key, reason: `property ${key} should not exist (line ${line})` }],
        },
      );
    }
  }
  const named = applyPolicy(keys.map(columnKey), known, policy);
  keys.forEach((k, i) => {
    if (named[i] !== '') values[named[i]] = (v as Record<string, unknown>)[k];
  });
  const bad = findBadInput(values);
  if (bad) {
    throw new ImportFileError(
      'validation',
      `The file cannot be imported: ${bad.field} on line ${line}: ${bad.reason}`,
      { errors: [{ field: bad.field, reason: `${bad.reason} (line ${line})` }] },
    );
  }
  checkColumns(Object.keys(values), known);
  return { n, line, values: { ...values } };
}

/**
 * A streaming splitter for a JSON array of records (or JSON Lines): it tracks nesting and
 * strings to find where each top-level object ends, and parses one object at a time.
 */
async function* readJson(
  input: AsyncIterable<string>,
  known: ReadonlySet<string>,
  policy?: ColumnPolicy,
): AsyncGenerator<InputRecord> {
  let mode: 'start' | 'array' | 'lines' | 'done' = 'start';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let buf = '';
  let start = -1;
  let startLine = 0;
  let line = 1;
  let n = 0;
  // Inside the array: has a record been read since the last comma (or the opening bracket)?
  let sawRecord = false;
  let sawComma = false;

  for await (const chunk of input) {
    const offset = buf.length;
    buf += mode === 'start' && offset === 0 ? chunk.replace(/^\uFEFF/, '') : chunk;
    for (let i = offset; i < buf.length; i++) {
      const c = buf[i];
      if (c === '\n') line++;
      if (start !== -1) {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === '\\') escaped = true;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '{' || c === '[') depth++;
        else if (c === '}' || c === ']') {
          depth--;
          if (depth === 0) {
            n++;
            yield recordOf(buf.slice(start, i + 1), startLine, n, known, policy);
            start = -1;
            sawRecord = true;
            sawComma = false;
          }
        }
        continue;
      }
      if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
      if (mode === 'done') throw fileError(`unexpected text after the closing ] on line ${line}`);
      if (mode === 'start') {
        if (c === '[') {
          mode = 'array';
          continue;
        }
        if (c !== '{')
          throw fileError('a JSON import is an array of objects ([{…}, …]) or one object per line');
        mode = 'lines';
      }
      if (mode === 'array' && c === ']') {
        if (sawComma) throw fileError(`a comma without a record after it on line ${line}`);
        mode = 'done';
        continue;
      }
      if (mode === 'array' && c === ',') {
        if (!sawRecord) throw fileError(`a comma without a record before it on line ${line}`);
        sawRecord = false;
        sawComma = true;
        continue;
      }
      if (c !== '{') throw fileError(`record ${n + 1} (line ${line}) is not an object`);
      if (mode === 'array' && sawRecord)
        throw fileError(`a comma is missing before the record on line ${line}`);
      start = i;
      startLine = line;
      depth = 1;
    }
    // Keep only the unfinished record.
    if (start !== -1) {
      buf = buf.slice(start);
      start = 0;
    } else buf = '';
  }
  if (mode === 'start') throw fileError('it is empty: a JSON import is an array of objects');
  if (start !== -1)
    throw fileError(`the JSON ends in the middle of the record starting on line ${startLine}`);
  if (mode === 'array') throw fileError('the JSON array is not closed with ]');
  if (n === 0) throw noRows('JSON array is empty');
}
