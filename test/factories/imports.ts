import fs from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { DataSource } from 'typeorm';
import { seedFile } from '../../src/common/project-root.js';
import { SHARED_VICTIM_COLUMNS } from '../../src/imports/victim-rows.js';

export type SharedRow = Record<(typeof SHARED_VICTIM_COLUMNS)[number], string>;

/** A row of the shared victims file's shape; override what the test cares about. */
export function buildSharedRow(overrides: Partial<SharedRow> = {}): SharedRow {
  const row = Object.fromEntries(SHARED_VICTIM_COLUMNS.map((c) => [c, ''])) as SharedRow;
  return {
    ...row,
    name_fa: 'نام آزمایشی',
    city: 'Ahvaz',
    province: 'Khuzestan',
    source_url: 'https://example.org/list/1',
    ...overrides,
  };
}

/** The shared file's header (dataset_A_source_tags keeps its capital, as in the real file). */
const HEADER = SHARED_VICTIM_COLUMNS.map((c) =>
  c === 'dataset_a_source_tags' ? 'dataset_A_source_tags' : c,
);

export function sharedCsv(rows: Partial<SharedRow>[]): string {
  return stringify(
    rows.map((r) => SHARED_VICTIM_COLUMNS.map((c) => r[c] ?? '')),
    { header: true, columns: HEADER },
  );
}

let realRows: SharedRow[] | null = null;

/** The 562 real rows of seed/data/aban1398-victims.csv. */
export function realSharedRows(): SharedRow[] {
  realRows ??= (
    parse(fs.readFileSync(seedFile('aban1398-victims.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[]
  ).map((r) => {
    const out = {} as SharedRow;
    for (const c of SHARED_VICTIM_COLUMNS)
      out[c] = r[c === 'dataset_a_source_tags' ? 'dataset_A_source_tags' : c] ?? '';
    return out;
  });
  return realRows;
}

/**
 * `count` distinct victims rows in the shared file's shape, made from the real rows (places,
 * dates and ages as messy as the real ones); one row in ten cites a source of its own.
 * Streamed, so a large file never sits in memory.
 */
export function generatedVictimsCsv(count: number, seed = 1): Readable {
  const base = realSharedRows();
  let i = 0;
  return Readable.from(
    (function* () {
      yield stringify([HEADER]);
      for (; i < count; i += 500) {
        const rows: string[][] = [];
        for (let j = i; j < Math.min(count, i + 500); j++) {
          const r = base[(j * 7 + seed) % base.length];
          const own = j % 10 === 0 ? ` ; https://example.org/generated/${seed}/${j}` : '';
          rows.push(
            SHARED_VICTIM_COLUMNS.map((c) =>
              c === 'name_fa'
                ? `${r.name_fa} ${seed}-${j}`
                : c === 'source_url'
                  ? `${r.source_url.split(' ; ')[0]}${own}`
                  : r[c],
            ),
          );
        }
        yield stringify(rows);
      }
    })(),
  );
}

export async function writeGeneratedVictims(file: string, count: number, seed = 1): Promise<void> {
  const out = fs.createWriteStream(file);
  for await (const chunk of generatedVictimsCsv(count, seed)) {
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((e?: Error | null) => (e ? reject(e) : resolve())),
  );
}

export async function countRows(ds: DataSource, table: string): Promise<number> {
  const [{ n }] = await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`);
  return n;
}

/** A victim in the shape of our own JSON export (what POST /api/imports reads back); override what matters. */
export function buildOwnVictim(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name_fa: 'نام',
    harm: 'killed',
    status: 'verified',
    attestations: [{ source_url: 'https://example.org/public-list', credibility: 2 }],
    ...overrides,
  };
}

/** A restricted source (a confidential witness) as our export embeds it in an attestation. */
export function restrictedSource(id: string): Record<string, unknown> {
  return {
    id,
    kind: 'testimony',
    title: 'Confidential witness W-17',
    url: 'https://restricted.example.org/w17',
    reliability: 'B',
    restricted: true,
  };
}

/** A place without coordinates under Karaj: drawn at Karaj's coordinates by a GeoJSON export. */
export async function createDistrict(
  ds: DataSource,
  parentId: string,
  nameEn: string,
): Promise<string> {
  const [row] = await ds.query<{ id: string }[]>(
    `INSERT INTO locations (kind, parent_id, name_en, names_norm, path, depth)
     SELECT 'district', p.id, $2, ARRAY[lower($2)], p.path, p.depth + 1 FROM locations p WHERE p.id = $1
     RETURNING id`,
    [parentId, nameEn],
  );
  await ds.query(`UPDATE locations SET path = path || id WHERE id = $1`, [row.id]);
  return row.id;
}

/**
 * `text` in Windows-1256, the code page Excel saves Persian text in on Windows (Node encodes
 * no legacy code page, so the table is the decoder's, inverted). The code page has no Persian
 * yeh: ی is written as the Arabic ي, as Persian Windows does. Throws on a character the code
 * page does not have.
 */
export function windows1256(text: string): Buffer {
  const decoder = new TextDecoder('windows-1256');
  const byChar = new Map<string, number>();
  for (let b = 0; b < 256; b++) byChar.set(decoder.decode(Uint8Array.of(b)), b);
  return Buffer.from(
    [...text.replace(/ی/g, 'ي')].map((c) => {
      const b = byChar.get(c);
      if (b === undefined) throw new Error(`${c} is not in Windows-1256`);
      return b;
    }),
  );
}
