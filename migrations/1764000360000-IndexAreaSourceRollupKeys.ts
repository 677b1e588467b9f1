import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The source bits of the compact rollups (migration 1764000200000) found the keys a change
 * touched by joining victim_area_source_rollup on `IS NOT DISTINCT FROM` (area and dates may be
 * null), which no index serves: the planner merge-joined on (harm, status) alone and filtered
 * every other count, which made each batch of an import's rollups slow (docs/performance.md,
 * "Imports at bulk speed"). Here a key is matched on its columns with the nulls mapped to values
 * no key holds (no location has the nil uuid, no record a date of ±infinity), through an index
 * on exactly that: one index probe per changed key. The functions are otherwise those of
 * 1764000200000, rewritten for INSERT, UPDATE and DELETE.
 */
export class IndexAreaSourceRollupKeys1764000360000 implements MigrationInterface {
  name = 'IndexAreaSourceRollupKeys1764000360000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "ix_victim_area_source_rollup_key" ON "victim_area_source_rollup"
         (source_id, harm, status, ${KEY('area_id', 'date_from', 'date_to')}) INCLUDE (n)`,
    );
    for (const e of EVENTS) await q.query(fn(e, true));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const e of EVENTS) await q.query(fn(e, false));
    await q.query(`DROP INDEX "ix_victim_area_source_rollup_key"`);
  }
}

const NIL = `'00000000-0000-0000-0000-000000000000'::uuid`;
const KEY = (area: string, from: string, to: string): string =>
  `coalesce(${area}, ${NIL}), coalesce(${from}, '-infinity'::date), coalesce(${to}, 'infinity'::date)`;

const CHUNK = 1024;
const ZERO = `repeat('0', ${CHUNK})::bit(${CHUNK})`;
const SOURCE_KEY = 'harm, status, location_id, date_from, date_to, source_id';
const EVENTS = ['INSERT', 'UPDATE', 'DELETE'] as const;

function changes(event: string): string {
  const rows = (t: string, sign: string) => `SELECT ${SOURCE_KEY}, ${sign}n AS d FROM ${t}`;
  if (event === 'INSERT') return rows('new_rows', '');
  if (event === 'DELETE') return rows('old_rows', '-');
  return `${rows('new_rows', '')} UNION ALL ${rows('old_rows', '-')}`;
}

/**
 * The join of a change's keys (ch) to their counts (r): one index probe per key (OFFSET 0 keeps
 * the subquery a probe: flattened, the planner may again merge-join a few thousand changed keys
 * with every count, as it did for the clearing statement), or as 1764000200000 wrote it.
 */
function keyJoin(indexed: boolean): string {
  return indexed
    ? `JOIN LATERAL (SELECT r.n FROM victim_area_source_rollup r
                     WHERE r.source_id = ch.source_id AND r.harm = ch.harm AND r.status = ch.status
                       AND coalesce(r.area_id, ${NIL}) = coalesce(ch.area_id, ${NIL})
                       AND coalesce(r.date_from, '-infinity'::date) = coalesce(ch.date_from, '-infinity'::date)
                       AND coalesce(r.date_to, 'infinity'::date) = coalesce(ch.date_to, 'infinity'::date)
                    OFFSET 0) r ON true`
    : `JOIN victim_area_source_rollup r ON r.harm = ch.harm AND r.status = ch.status AND r.source_id = ch.source_id
           AND r.area_id IS NOT DISTINCT FROM ch.area_id AND r.date_from IS NOT DISTINCT FROM ch.date_from
           AND r.date_to IS NOT DISTINCT FROM ch.date_to`;
}

function bitsApply(event: string, set: boolean, indexed: boolean): string {
  const flips = `SELECT ch.harm, ch.status, ch.area_id, ch.date_from, ch.date_to, sn.no / ${CHUNK} AS chunk,
               bit_or(set_bit(${ZERO}, sn.no % ${CHUNK}, 1)) AS mask
          FROM (SELECT c.harm, c.status, coalesce(l.province_id, l.id) AS area_id, c.date_from, c.date_to, c.source_id, sum(c.d)::int AS d
                  FROM (${changes(event)}) c LEFT JOIN locations l ON l.id = c.location_id
                 GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(c.d) <> 0) ch
          ${keyJoin(indexed)}
          JOIN source_numbers sn ON sn.source_id = ch.source_id
         WHERE ${set ? 'r.n > 0 AND r.n - ch.d <= 0' : 'r.n <= 0 AND r.n - ch.d > 0'}
         GROUP BY 1, 2, 3, 4, 5, 6`;
  return set
    ? `INSERT INTO victim_area_source_bits AS b (harm, status, area_id, date_from, date_to, chunk, bits)
        SELECT * FROM (${flips}) f ORDER BY date_from, date_to, harm, status, area_id, chunk
        ON CONFLICT (harm, date_from, date_to, status, area_id, chunk) DO UPDATE SET bits = b.bits | excluded.bits;`
    : `UPDATE victim_area_source_bits b SET bits = b.bits & ~f.mask FROM (${flips}) f
        WHERE b.harm = f.harm AND b.status = f.status AND b.chunk = f.chunk AND b.area_id IS NOT DISTINCT FROM f.area_id
          AND b.date_from IS NOT DISTINCT FROM f.date_from AND b.date_to IS NOT DISTINCT FROM f.date_to;`;
}

function sourcesApply(event: string, indexed: boolean): string {
  return `WITH ch AS MATERIALIZED (
          SELECT c.harm, c.status, coalesce(l.province_id, l.id) AS area_id, c.date_from, c.date_to, c.source_id, sum(c.d)::int AS d
            FROM (${changes(event)}) c LEFT JOIN locations l ON l.id = c.location_id
           GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(c.d) <> 0
        ),
        keyed AS (
          INSERT INTO victim_area_source_rollup AS r (harm, status, area_id, date_from, date_to, source_id, n)
          SELECT * FROM ch ORDER BY harm, status, area_id, source_id, date_from, date_to
          ON CONFLICT (harm, status, area_id, source_id, date_from, date_to) DO UPDATE SET n = r.n + excluded.n
        ),
        per_area AS (
          INSERT INTO victim_area_source_total AS r (harm, status, area_id, source_id, n)
          SELECT harm, status, area_id, source_id, sum(d)::int FROM ch GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0
           ORDER BY 1, 2, 3, 4
          ON CONFLICT (harm, status, area_id, source_id) DO UPDATE SET n = r.n + excluded.n
        )
        INSERT INTO victim_source_total AS r (harm, status, source_id, n)
        SELECT harm, status, source_id, sum(d)::int FROM ch GROUP BY 1, 2, 3 HAVING sum(d) <> 0
         ORDER BY 1, 2, 3
        ON CONFLICT (harm, status, source_id) DO UPDATE SET n = r.n + excluded.n;
        ${event === 'DELETE' ? '' : 'INSERT INTO source_numbers (source_id) SELECT DISTINCT source_id FROM new_rows ORDER BY 1 ON CONFLICT DO NOTHING;'}
        ${bitsApply(event, true, indexed)}
        ${bitsApply(event, false, indexed)}`;
}

// jit off: the planner guesses transition tables at a thousand rows or more and would compile.
const fn = (event: (typeof EVENTS)[number], indexed: boolean): string =>
  `CREATE OR REPLACE FUNCTION victim_area_rollup_on_sources_${event.toLowerCase()}() RETURNS trigger
     LANGUAGE plpgsql SET jit = off AS $$
      BEGIN
        ${sourcesApply(event, indexed)}
        RETURN NULL;
      END $$`;
