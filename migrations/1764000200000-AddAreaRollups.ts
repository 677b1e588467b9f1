import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Compact rollups for the common questions (issue 22): counts by province in a window, and the
 * documented count of the country or a province, with the number of sources and the top 20.
 * The rollups of migration 1764000006000 keep the exact place (581,000 and 2.4 million keys at
 * a million victims); these keep the *area* instead: the province a record's place lies in, or
 * the place itself when it lies above any province (the country), NULL without a place.
 *
 * - `victim_area_rollup`: victim_rollup summed to the area (every key column but the place);
 * - `victim_area_source_rollup`: victim_source_rollup summed to (harm, status, area, known
 *   date range, source): the victims of a key each source attests;
 * - `victim_area_source_total`, `victim_source_total`: the same without the date range, per
 *   area and for all areas: a source's count in any window is at most its total, which bounds
 *   the search for a bucket's top sources (src/counts/area-rollups.ts).
 *
 * They are derived from the place-level rollups, never from the victims: statement-level
 * triggers on victim_rollup and victim_source_rollup apply each statement's change (inserted,
 * updated and deleted keys, from the transition tables) to them. So whatever keeps the
 * place-level rollups exact (the triggers on victims and attestations, victim_rollup_refresh
 * from a bulk import, victim_rollup_rebuild) keeps these exact too, in the same transaction.
 * A place moved to another province moves its keys: the trigger on locations rebuilds the
 * areas (victim_area_rollup_rebuild(), from the place-level rollups; a gazetteer edit is rare).
 * victim_area_rollup_check() compares all four with a recount from the victims themselves.
 */
export class AddAreaRollups1764000200000 implements MigrationInterface {
  name = 'AddAreaRollups1764000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE victim_area_rollup (
      harm text NOT NULL, status text NOT NULL, confidence text NOT NULL, public_confidence text NOT NULL,
      area_id uuid, date_from date, date_to date, public boolean NOT NULL, n integer NOT NULL,
      CONSTRAINT ux_victim_area_rollup UNIQUE NULLS NOT DISTINCT
        (harm, date_from, date_to, status, confidence, public_confidence, area_id, public) INCLUDE (n)
    )`);
    await q.query(`CREATE TABLE victim_area_source_rollup (
      harm text NOT NULL, status text NOT NULL, area_id uuid, date_from date, date_to date,
      source_id uuid NOT NULL, n integer NOT NULL,
      CONSTRAINT ux_victim_area_source_rollup UNIQUE NULLS NOT DISTINCT
        (harm, status, area_id, source_id, date_from, date_to) INCLUDE (n)
    )`);
    // The windowed read of every source of every area (a bucket's source count).
    await q.query(`CREATE INDEX ix_victim_area_source_rollup_window ON victim_area_source_rollup
      (harm, date_from, date_to, status, area_id, source_id) INCLUDE (n)`);
    await q.query(`CREATE TABLE victim_area_source_total (
      harm text NOT NULL, status text NOT NULL, area_id uuid, source_id uuid NOT NULL, n integer NOT NULL,
      CONSTRAINT ux_victim_area_source_total UNIQUE NULLS NOT DISTINCT (harm, status, area_id, source_id) INCLUDE (n)
    )`);
    // Sources numbered densely for the bitmaps: source no lies in chunk no / 1024, bit no % 1024.
    await q.query(`CREATE TABLE source_numbers (
      source_id uuid PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
      no integer GENERATED ALWAYS AS IDENTITY (MINVALUE 0 START WITH 0) UNIQUE
    )`);
    // Per key of victim_area_source_rollup without the source: which sources it has (n > 0), a
    // bit each, 1,024 to a row. The number of distinct sources of any set of keys is the count
    // of the bits of their OR, whatever the window: no (key, source) pair is read.
    await q.query(`CREATE TABLE victim_area_source_bits (
      harm text NOT NULL, status text NOT NULL, area_id uuid, date_from date, date_to date,
      chunk integer NOT NULL, bits bit(${CHUNK}) NOT NULL,
      CONSTRAINT ux_victim_area_source_bits UNIQUE NULLS NOT DISTINCT
        (harm, date_from, date_to, status, area_id, chunk) INCLUDE (bits)
    )`);
    await q.query(`CREATE TABLE victim_source_total (
      harm text NOT NULL, status text NOT NULL, source_id uuid NOT NULL, n integer NOT NULL,
      CONSTRAINT ux_victim_source_total UNIQUE (harm, status, source_id) INCLUDE (n)
    )`);
    // The largest sources first, for the bound.
    await q.query(
      `CREATE INDEX ix_victim_area_source_total_rank ON victim_area_source_total (harm, status, area_id, n DESC, source_id)`,
    );
    await q.query(
      `CREATE INDEX ix_victim_source_total_rank ON victim_source_total (harm, status, n DESC, source_id)`,
    );

    for (const sql of TRIGGER_FUNCTIONS) await q.query(sql);
    for (const [table, event, fn] of TRIGGERS) {
      const refs =
        event === 'INSERT'
          ? 'REFERENCING NEW TABLE AS new_rows'
          : event === 'DELETE'
            ? 'REFERENCING OLD TABLE AS old_rows'
            : event === 'UPDATE'
              ? 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
              : '';
      await q.query(
        `CREATE TRIGGER ${fn} AFTER ${event} ON "${table}" ${refs}
         FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
      );
    }
    await q.query(CHECK);
    await q.query(REBUILD);
    await q.query(`SELECT victim_area_rollup_rebuild()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, , fn] of [...TRIGGERS].reverse()) {
      await q.query(`DROP TRIGGER ${fn} ON "${table}"`);
      await q.query(`DROP FUNCTION ${fn}()`);
    }
    await q.query(`DROP FUNCTION victim_area_rollup_rebuild()`);
    await q.query(`DROP FUNCTION victim_area_rollup_check()`);
    for (const t of [
      'victim_area_source_bits',
      'source_numbers',
      'victim_source_total',
      'victim_area_source_total',
      'victim_area_source_rollup',
      'victim_area_rollup',
    ])
      await q.query(`DROP TABLE ${t}`);
  }
}

/** Sources per row of victim_area_source_bits. */
export const CHUNK = 1024;
const ZERO = `repeat('0', ${CHUNK})::bit(${CHUNK})`;

const COUNT_KEY =
  'harm, status, confidence, public_confidence, location_id, date_from, date_to, public';
const SOURCE_KEY = 'harm, status, location_id, date_from, date_to, source_id';

/** A statement's change to a place-level rollup, as rows of its key columns and d. */
function changes(event: string, key: string): string {
  const rows = (t: string, sign: string) => `SELECT ${key}, ${sign}n AS d FROM ${t}`;
  if (event === 'INSERT') return rows('new_rows', '');
  if (event === 'DELETE') return rows('old_rows', '-');
  return `${rows('new_rows', '')} UNION ALL ${rows('old_rows', '-')}`;
}

// jit off: the planner guesses transition tables at a thousand rows or more and would compile.
function countsApply(event: string): string {
  return `INSERT INTO victim_area_rollup AS r (harm, status, confidence, public_confidence, area_id, date_from, date_to, public, n)
        SELECT c.harm, c.status, c.confidence, c.public_confidence, coalesce(l.province_id, l.id), c.date_from, c.date_to, c.public, sum(c.d)::int
          FROM (${changes(event, COUNT_KEY)}) c LEFT JOIN locations l ON l.id = c.location_id
         GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(c.d) <> 0
         ORDER BY 6, 7, 1, 2, 3, 4, 5, 8
        ON CONFLICT (harm, date_from, date_to, status, confidence, public_confidence, area_id, public)
        DO UPDATE SET n = r.n + excluded.n;`;
}

function sourcesApply(event: string): string {
  return `WITH ch AS MATERIALIZED (
          SELECT c.harm, c.status, coalesce(l.province_id, l.id) AS area_id, c.date_from, c.date_to, c.source_id, sum(c.d)::int AS d
            FROM (${changes(event, SOURCE_KEY)}) c LEFT JOIN locations l ON l.id = c.location_id
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
        ${bitsApply(event, true)}
        ${bitsApply(event, false)}`;
}

/**
 * The bits of the sources whose keys this change brought from 0 to more (set) or back to 0
 * (cleared): their counts were just updated, so a source's count before is the one now less the
 * change. Two statements, as one would change the same row twice; each row is changed by one
 * atomic upsert or update (concurrent changes to other sources of a key add up).
 */
function bitsApply(event: string, set: boolean): string {
  const flips = `SELECT ch.harm, ch.status, ch.area_id, ch.date_from, ch.date_to, sn.no / ${CHUNK} AS chunk,
               bit_or(set_bit(${ZERO}, sn.no % ${CHUNK}, 1)) AS mask
          FROM (SELECT c.harm, c.status, coalesce(l.province_id, l.id) AS area_id, c.date_from, c.date_to, c.source_id, sum(c.d)::int AS d
                  FROM (${changes(event, SOURCE_KEY)}) c LEFT JOIN locations l ON l.id = c.location_id
                 GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(c.d) <> 0) ch
          JOIN victim_area_source_rollup r ON r.harm = ch.harm AND r.status = ch.status AND r.source_id = ch.source_id
           AND r.area_id IS NOT DISTINCT FROM ch.area_id AND r.date_from IS NOT DISTINCT FROM ch.date_from
           AND r.date_to IS NOT DISTINCT FROM ch.date_to
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

const EVENTS = ['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'] as const;

const TRIGGERS: [string, (typeof EVENTS)[number], string][] = [
  ...EVENTS.map((e): [string, (typeof EVENTS)[number], string] => [
    'victim_rollup',
    e,
    `victim_area_rollup_on_counts_${e.toLowerCase()}`,
  ]),
  ...EVENTS.map((e): [string, (typeof EVENTS)[number], string] => [
    'victim_source_rollup',
    e,
    `victim_area_rollup_on_sources_${e.toLowerCase()}`,
  ]),
  ['locations', 'UPDATE', 'victim_area_rollup_on_locations_update'],
];

const fn = (name: string, body: string) =>
  `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
      BEGIN
        ${body}
        RETURN NULL;
      END $$`;

const TRIGGER_FUNCTIONS = [
  ...EVENTS.map((e) =>
    fn(
      `victim_area_rollup_on_counts_${e.toLowerCase()}`,
      e === 'TRUNCATE' ? 'DELETE FROM victim_area_rollup;' : countsApply(e),
    ),
  ),
  ...EVENTS.map((e) =>
    fn(
      `victim_area_rollup_on_sources_${e.toLowerCase()}`,
      e === 'TRUNCATE'
        ? 'DELETE FROM victim_area_source_rollup; DELETE FROM victim_area_source_total; DELETE FROM victim_source_total; DELETE FROM victim_area_source_bits;'
        : sourcesApply(e),
    ),
  ),
  // A place whose area changes (moved to another province) moves every key under it.
  fn(
    'victim_area_rollup_on_locations_update',
    `IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
                  WHERE coalesce(o.province_id, o.id) IS DISTINCT FROM coalesce(n.province_id, n.id)) THEN
          PERFORM victim_area_rollup_rebuild();
        END IF;`,
  ),
];

/** The compact rollups again, from the place-level ones (which victim_rollup_check checks). */
const REBUILD = `CREATE FUNCTION victim_area_rollup_rebuild() RETURNS void LANGUAGE plpgsql SET jit = off AS $$
  BEGIN
    DELETE FROM victim_area_rollup;
    DELETE FROM victim_area_source_rollup;
    DELETE FROM victim_area_source_total;
    DELETE FROM victim_source_total;
    INSERT INTO victim_area_rollup (harm, status, confidence, public_confidence, area_id, date_from, date_to, public, n)
      SELECT r.harm, r.status, r.confidence, r.public_confidence, coalesce(l.province_id, l.id), r.date_from, r.date_to, r.public, sum(r.n)
        FROM victim_rollup r LEFT JOIN locations l ON l.id = r.location_id
       WHERE r.n <> 0 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
    INSERT INTO victim_area_source_rollup (harm, status, area_id, date_from, date_to, source_id, n)
      SELECT r.harm, r.status, coalesce(l.province_id, l.id), r.date_from, r.date_to, r.source_id, sum(r.n)
        FROM victim_source_rollup r LEFT JOIN locations l ON l.id = r.location_id
       WHERE r.n <> 0 GROUP BY 1, 2, 3, 4, 5, 6;
    INSERT INTO victim_area_source_total (harm, status, area_id, source_id, n)
      SELECT harm, status, area_id, source_id, sum(n) FROM victim_area_source_rollup GROUP BY 1, 2, 3, 4;
    INSERT INTO victim_source_total (harm, status, source_id, n)
      SELECT harm, status, source_id, sum(n) FROM victim_area_source_total GROUP BY 1, 2, 3;
    DELETE FROM victim_area_source_bits;
    INSERT INTO source_numbers (source_id)
      SELECT DISTINCT source_id FROM victim_area_source_total ORDER BY 1 ON CONFLICT DO NOTHING;
    INSERT INTO victim_area_source_bits (harm, status, area_id, date_from, date_to, chunk, bits)
      SELECT r.harm, r.status, r.area_id, r.date_from, r.date_to, sn.no / ${CHUNK}, bit_or(set_bit(${ZERO}, sn.no % ${CHUNK}, 1))
        FROM victim_area_source_rollup r JOIN source_numbers sn ON sn.source_id = r.source_id
       WHERE r.n > 0 GROUP BY 1, 2, 3, 4, 5, 6;
  END $$`;

/**
 * Every compact key whose kept count differs from a recount of the victims themselves
 * (victim_rollup_recount: each counted record with its sources, merged duplicates folded).
 */
const CHECK = `CREATE FUNCTION victim_area_rollup_check() RETURNS TABLE (what text, key text, n integer)
  LANGUAGE sql STABLE AS $$
    WITH m AS MATERIALIZED (
      SELECT r.*, coalesce(l.province_id, l.id) AS area_id
        FROM victim_rollup_recount r LEFT JOIN locations l ON l.id = r.location_id
    ),
    s AS MATERIALIZED (SELECT m.*, x.source_id FROM m, unnest(m.sources) AS x(source_id)),
    counts AS (
      (SELECT 'area counts kept' AS what, concat_ws('|', harm, status, confidence, public_confidence, area_id, date_from, date_to, public) AS key, n
         FROM victim_area_rollup WHERE n <> 0
       EXCEPT
       SELECT 'area counts kept', concat_ws('|', harm, status, confidence, public_confidence, area_id, date_from, date_to, public), count(*)::int
         FROM m GROUP BY harm, status, confidence, public_confidence, area_id, date_from, date_to, public)
      UNION ALL
      (SELECT 'area counts recounted', concat_ws('|', harm, status, confidence, public_confidence, area_id, date_from, date_to, public), count(*)::int
         FROM m GROUP BY harm, status, confidence, public_confidence, area_id, date_from, date_to, public
       EXCEPT
       SELECT 'area counts recounted', concat_ws('|', harm, status, confidence, public_confidence, area_id, date_from, date_to, public), n
         FROM victim_area_rollup WHERE n <> 0)
    ),
    sources AS (
      (SELECT 'area sources kept' AS what, concat_ws('|', harm, status, area_id, date_from, date_to, source_id) AS key, n
         FROM victim_area_source_rollup WHERE n <> 0
       EXCEPT
       SELECT 'area sources kept', concat_ws('|', harm, status, area_id, date_from, date_to, source_id), count(*)::int
         FROM s GROUP BY harm, status, area_id, date_from, date_to, source_id)
      UNION ALL
      (SELECT 'area sources recounted', concat_ws('|', harm, status, area_id, date_from, date_to, source_id), count(*)::int
         FROM s GROUP BY harm, status, area_id, date_from, date_to, source_id
       EXCEPT
       SELECT 'area sources recounted', concat_ws('|', harm, status, area_id, date_from, date_to, source_id), n
         FROM victim_area_source_rollup WHERE n <> 0)
    ),
    totals AS (
      (SELECT 'area totals kept' AS what, concat_ws('|', harm, status, area_id, source_id) AS key, n
         FROM victim_area_source_total WHERE n <> 0
       EXCEPT
       SELECT 'area totals kept', concat_ws('|', harm, status, area_id, source_id), count(*)::int
         FROM s GROUP BY harm, status, area_id, source_id)
      UNION ALL
      (SELECT 'area totals recounted', concat_ws('|', harm, status, area_id, source_id), count(*)::int
         FROM s GROUP BY harm, status, area_id, source_id
       EXCEPT
       SELECT 'area totals recounted', concat_ws('|', harm, status, area_id, source_id), n
         FROM victim_area_source_total WHERE n <> 0)
      UNION ALL
      (SELECT 'source totals kept', concat_ws('|', harm, status, source_id), n
         FROM victim_source_total WHERE n <> 0
       EXCEPT
       SELECT 'source totals kept', concat_ws('|', harm, status, source_id), count(*)::int
         FROM s GROUP BY harm, status, source_id)
      UNION ALL
      (SELECT 'source totals recounted', concat_ws('|', harm, status, source_id), count(*)::int
         FROM s GROUP BY harm, status, source_id
       EXCEPT
       SELECT 'source totals recounted', concat_ws('|', harm, status, source_id), n
         FROM victim_source_total WHERE n <> 0)
    ),
    bits AS (
      SELECT s.harm, s.status, s.area_id, s.date_from, s.date_to, sn.no / ${CHUNK} AS chunk,
             bit_or(set_bit(${ZERO}, sn.no % ${CHUNK}, 1))::text AS bits
        FROM s JOIN source_numbers sn ON sn.source_id = s.source_id GROUP BY 1, 2, 3, 4, 5, 6
    ),
    kept_bits AS (
      SELECT harm, status, area_id, date_from, date_to, chunk, bits::text FROM victim_area_source_bits
       WHERE bits <> ${ZERO}
    ),
    bdiff AS (
      (SELECT 'area bits kept' AS what, concat_ws('|', harm, status, area_id, date_from, date_to, chunk, bits) AS key, 1 AS n
         FROM (SELECT * FROM kept_bits EXCEPT SELECT * FROM bits) k)
      UNION ALL
      (SELECT 'area bits recounted', concat_ws('|', harm, status, area_id, date_from, date_to, chunk, bits), 1
         FROM (SELECT * FROM bits EXCEPT SELECT * FROM kept_bits) f)
    )
    SELECT * FROM counts UNION ALL SELECT * FROM sources UNION ALL SELECT * FROM totals
    UNION ALL SELECT * FROM bdiff
  $$`;
