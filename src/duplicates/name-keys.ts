import type { DataSource, EntityManager } from 'typeorm';
import { blockStems, nameKeys, type LinkRecord } from './linkage.js';

/**
 * The linkage's name keys, kept with each record in victim_name_keys (migration 1764000180000):
 * its blocking keys without the province (linkage.ts blockStems) and its full names as keys
 * (nameKeys), with the fingerprint of the names they came from. They depend on the names only,
 * which the transliteration reads in JavaScript; the scan builds its blocks from them in SQL.
 *
 * They are brought up to date before each scan (`refreshNameKeys`): a record whose fingerprint
 * differs from the one stored (its names changed, whatever wrote them: the API, an import, a
 * COPY, a migration), or that has no row yet, has its keys computed again; the others are not
 * read. Raise NAME_KEYS_VERSION when blockStems or nameKeys change: every row is then stale.
 */
export const NAME_KEYS_VERSION = 1;

/** The fingerprint of a record's names, in SQL (the victims row is `v`). */
export const NAME_FINGERPRINT = `md5('${NAME_KEYS_VERSION}' || chr(30) || array_to_string(ARRAY[v.name_en, v.name_fa] || coalesce(v.name_variants, '{}'), chr(31)))`;

const PAGE = 5_000;
const ZERO = '00000000-0000-0000-0000-000000000000';

const STALE = `(k.victim_id IS NULL OR k.fingerprint <> ${NAME_FINGERPRINT})`;

/**
 * Computes the keys of every record matching `where` (SQL over `v`, the victims row; parameters
 * from $2 on) whose keys are missing or stale; the number written. They are counted first (one
 * pass); a few are read directly, page by page; many (the first scan of a database) by walking
 * the records in id order a page at a time, so that each page reads only its own records.
 */
export async function refreshNameKeys(
  m: DataSource | EntityManager,
  where = 'true',
  params: unknown[] = [],
  onPage?: (written: number, stale: number) => void,
): Promise<number> {
  const [{ n: stale }] = await m.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM victims v LEFT JOIN victim_name_keys k ON k.victim_id = v.id
      WHERE v.id > $1 AND (${where}) AND ${STALE}`,
    [ZERO, ...params],
  );
  if (!stale) return 0;
  const walk = stale > 4 * PAGE;
  const read = (after: string): Promise<NameRow[]> =>
    m.query<NameRow[]>(
      walk
        ? `SELECT v.id, v.name_en, v.name_fa, v.name_variants, ${NAME_FINGERPRINT} AS fp, ${STALE} AS stale
             FROM (SELECT * FROM victims v WHERE v.id > $1 AND (${where}) ORDER BY v.id LIMIT ${PAGE}) v
             LEFT JOIN victim_name_keys k ON k.victim_id = v.id ORDER BY v.id`
        : `SELECT v.id, v.name_en, v.name_fa, v.name_variants, ${NAME_FINGERPRINT} AS fp, true AS stale
             FROM victims v LEFT JOIN victim_name_keys k ON k.victim_id = v.id
            WHERE v.id > $1 AND (${where}) AND ${STALE} ORDER BY v.id LIMIT ${PAGE}`,
      [after, ...params],
    );
  let written = 0;
  // The next page is read while this one's keys are computed and written: the engine and the
  // transliteration each have a core.
  let next: Promise<NameRow[]> | null = read(ZERO);
  while (next) {
    const page: NameRow[] = await next;
    if (!page.length) break;
    next = page.length < PAGE ? null : read(page[page.length - 1].id);
    const rows = page.filter((r) => r.stale);
    if (!rows.length) continue;
    await writeKeys(m, rows);
    written += rows.length;
    onPage?.(written, stale);
  }
  return written;
}

interface NameRow {
  id: string;
  name_en: string | null;
  name_fa: string | null;
  name_variants: string[] | null;
  fp: string;
  stale: boolean;
}

async function writeKeys(m: DataSource | EntityManager, page: NameRow[]): Promise<void> {
  const cols: [string[], string[], string[], string[]] = [[], [], [], []];
  for (const [i, r] of page.entries()) {
    // Now and then the statements under way (the next page's) are let through.
    if (i % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
    const rec: LinkRecord = {
      id: r.id,
      names: [r.name_en, r.name_fa, ...(r.name_variants ?? [])].filter((n): n is string => !!n),
      gender: null,
      age: null,
      ageMin: null,
      ageMax: null,
      dateFrom: null,
      dateTo: null,
      placePath: [],
      sources: [],
    };
    cols[0].push(r.id);
    cols[1].push(r.fp);
    cols[2].push(blockStems(rec).join('\x1f'));
    cols[3].push(nameKeys(rec).join('\x1f'));
  }
  await m.query(
    `INSERT INTO victim_name_keys (victim_id, fingerprint, blocks, names)
     SELECT v, f, CASE WHEN b = '' THEN '{}' ELSE string_to_array(b, E'\\x1f') END,
            CASE WHEN n = '' THEN '{}' ELSE string_to_array(n, E'\\x1f') END
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS x(v, f, b, n)
     ON CONFLICT (victim_id) DO UPDATE
        SET fingerprint = excluded.fingerprint, blocks = excluded.blocks, names = excluded.names`,
    cols,
  );
}
