import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pre-aggregated counts of victims, kept in step with every write by triggers, so that counts
 * and reconciliation over hundreds of thousands of records read a few thousand rows instead
 * (docs/performance.md):
 *
 * - `victim_rollup`: how many counted records (merged duplicates folded into the record they
 *   were merged into) share a harm, workflow status, confidence, place and known date range,
 *   and whether a source that is not restricted attests them (`public`: a reader who may not
 *   see restricted data counts only those);
 * - `victim_source_rollup`: the same keys (without `public`) per attesting source: how many of
 *   those records the source attests, their merged duplicates' attestations included. A record
 *   lies under exactly one key, so the counts of any set of keys add up exactly.
 * - `victim_rollup_members`: what each counted record contributes now (its key and its
 *   sources), so that a change subtracts exactly what the record added before.
 *
 * The triggers are statement-level (a bulk import of thousands of rows refreshes them in one
 * pass) and refresh every record a statement touched, the record it is merged into, and the
 * records merged into it: on victims (insert, delete, a change of any counted column or of a
 * merge), attestations (any change) and sources (a change of `restricted`). A refresh locks the
 * victims it refreshes, so two transactions changing the same record's attestations take turns
 * rather than both subtract the same old contribution. Keys whose count falls to 0 stay with
 * n = 0 and are skipped by readers (a CHECK on n would refuse the negative change an upsert
 * proposes before it meets the row it adds to). No entity maps these tables: only raw SQL reads them
 * (src/counts/rollup-sql.ts), and `rollup_check()` compares them with a full recount.
 */
export class AddVictimRollups1764000006000 implements MigrationInterface {
  name = 'AddVictimRollups1764000006000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE victim_rollup (
      harm text NOT NULL, status text NOT NULL, confidence text NOT NULL,
      location_id uuid, date_from date, date_to date, public boolean NOT NULL,
      n integer NOT NULL,
      CONSTRAINT ux_victim_rollup UNIQUE NULLS NOT DISTINCT (harm, status, confidence, location_id, date_from, date_to, public)
    )`);
    await q.query(`CREATE TABLE victim_source_rollup (
      harm text NOT NULL, status text NOT NULL, confidence text NOT NULL,
      location_id uuid, date_from date, date_to date, source_id uuid NOT NULL,
      n integer NOT NULL,
      CONSTRAINT ux_victim_source_rollup UNIQUE NULLS NOT DISTINCT (harm, status, confidence, location_id, date_from, date_to, source_id)
    )`);
    // Covering indexes in the order a windowed count asks (harm, then the window): the counts
    // read them alone, without the table (index-only scans, in parallel at a million).
    await q.query(
      `CREATE INDEX ix_victim_rollup_window ON victim_rollup
         (harm, date_from, date_to, status, confidence, location_id, public) INCLUDE (n)`,
    );
    await q.query(
      `CREATE INDEX ix_victim_source_rollup_window ON victim_source_rollup
         (harm, date_from, date_to, status, confidence, location_id, source_id) INCLUDE (n)`,
    );
    await q.query(`CREATE TABLE victim_rollup_members (
      victim_id uuid PRIMARY KEY,
      harm text NOT NULL, status text NOT NULL, confidence text NOT NULL,
      location_id uuid, date_from date, date_to date, public boolean NOT NULL,
      sources uuid[] NOT NULL
    )`);

    // What a set of counted records contributes now (a record merged into another contributes
    // nothing; its attestations count for the record it was merged into).
    await q.query(`CREATE FUNCTION victim_rollup_contribution(ids uuid[])
      RETURNS TABLE (victim_id uuid, harm text, status text, confidence text, location_id uuid,
                     date_from date, date_to date, public boolean, sources uuid[])
      LANGUAGE sql STABLE AS $$
        WITH RECURSIVE down(root, id) AS (
          SELECT v.id, v.id FROM victims v WHERE v.id = ANY(ids) AND v.merged_into IS NULL
          UNION
          SELECT d.root, c.id FROM down d JOIN victims c ON c.merged_into = d.id
        ),
        -- LATERAL ... OFFSET 0 (not pulled up into a join): a few records' attestations by
        -- index. As a join the planner, which cannot tell how many records the recursion
        -- yields, hashes all of attestations (seconds at a million).
        att AS (
          SELECT d.root, array_agg(DISTINCT a.source_id ORDER BY a.source_id) AS sources,
                 bool_or(NOT s.restricted) AS public
            FROM down d
           CROSS JOIN LATERAL (SELECT a.source_id FROM attestations a WHERE a.victim_id = d.id OFFSET 0) a
           CROSS JOIN LATERAL (SELECT s.restricted FROM sources s WHERE s.id = a.source_id OFFSET 0) s
           GROUP BY d.root
        )
        SELECT v.id, v.harm, v.status, v.confidence, v.location_id, v.date_from, v.date_to,
               coalesce(att.public, false), coalesce(att.sources, '{}')
          FROM victims v LEFT JOIN att ON att.root = v.id
         WHERE v.id = ANY(ids) AND v.merged_into IS NULL
      $$`);

    // The same for every counted record at once, written independently of the function above
    // (set-based: the merged records' roots first, then every attestation once): the rebuild
    // uses it, and the check compares what the triggers kept with it.
    await q.query(`CREATE VIEW victim_rollup_recount AS
      WITH RECURSIVE merged(id, root) AS (
        SELECT id, merged_into FROM victims WHERE merged_into IS NOT NULL
        UNION
        SELECT merged.id, v.merged_into FROM merged JOIN victims v ON v.id = merged.root
         WHERE v.merged_into IS NOT NULL
      ),
      roots AS (
        SELECT m.id, m.root FROM merged m JOIN victims r ON r.id = m.root AND r.merged_into IS NULL
      ),
      att AS (
        SELECT coalesce(roots.root, a.victim_id) AS root,
               array_agg(DISTINCT a.source_id ORDER BY a.source_id) AS sources,
               bool_or(NOT s.restricted) AS public
          FROM attestations a JOIN sources s ON s.id = a.source_id
          LEFT JOIN roots ON roots.id = a.victim_id
         WHERE a.victim_id IS NOT NULL
         GROUP BY 1
      )
      SELECT v.id AS victim_id, v.harm, v.status, v.confidence, v.location_id, v.date_from, v.date_to,
             coalesce(att.public, false) AS public, coalesce(att.sources, '{}') AS sources
        FROM victims v LEFT JOIN att ON att.root = v.id
       WHERE v.merged_into IS NULL`);

    // jit off: the planner cannot tell how many records the merge recursion yields, estimates
    // it at a hundred thousand, and JIT-compiles a plan that runs in milliseconds (seconds).
    // Custom plans: a cached generic plan, made while the tables were small (the first batches
    // of an import into a new database), would scan them whole once they are large.
    await q.query(`CREATE FUNCTION victim_rollup_refresh(touched uuid[]) RETURNS void
      LANGUAGE plpgsql SET jit = off SET plan_cache_mode = force_custom_plan AS $$
      DECLARE
        targets uuid[];
      BEGIN
        -- The records touched and what they are merged into (to the end of a chain): every
        -- record whose contribution may have changed (a record's contribution takes in what is
        -- merged into it).
        WITH RECURSIVE up(id) AS (
          SELECT DISTINCT t FROM unnest(touched) t WHERE t IS NOT NULL
          UNION
          SELECT v.merged_into FROM up JOIN victims v ON v.id = up.id WHERE v.merged_into IS NOT NULL
        )
        SELECT array_agg(id ORDER BY id) INTO targets FROM up;
        IF targets IS NULL THEN RETURN; END IF;
        -- Take turns with any other transaction refreshing the same records.
        PERFORM 1 FROM victims WHERE id = ANY(targets) ORDER BY id FOR NO KEY UPDATE;

        WITH old AS (
          SELECT * FROM victim_rollup_members WHERE victim_id = ANY(targets)
        ),
        new AS (
          SELECT * FROM victim_rollup_contribution(targets)
        ),
        gone AS (
          DELETE FROM victim_rollup_members m WHERE m.victim_id = ANY(targets)
             AND NOT EXISTS (SELECT 1 FROM new WHERE new.victim_id = m.victim_id)
        ),
        kept AS (
          INSERT INTO victim_rollup_members SELECT * FROM new
          ON CONFLICT (victim_id) DO UPDATE SET harm = excluded.harm, status = excluded.status,
            confidence = excluded.confidence, location_id = excluded.location_id,
            date_from = excluded.date_from, date_to = excluded.date_to, public = excluded.public,
            sources = excluded.sources
        ),
        delta AS (
          SELECT harm, status, confidence, location_id, date_from, date_to, public, sum(d)::int AS d
            FROM (SELECT harm, status, confidence, location_id, date_from, date_to, public, -1 AS d FROM old
                  UNION ALL
                  SELECT harm, status, confidence, location_id, date_from, date_to, public, 1 FROM new) x
           GROUP BY harm, status, confidence, location_id, date_from, date_to, public
          HAVING sum(d) <> 0
        ),
        counted AS (
          INSERT INTO victim_rollup AS r (harm, status, confidence, location_id, date_from, date_to, public, n)
          SELECT * FROM delta ORDER BY harm, status, confidence, location_id, date_from, date_to, public
          ON CONFLICT (harm, status, confidence, location_id, date_from, date_to, public)
          DO UPDATE SET n = r.n + excluded.n
        ),
        sdelta AS (
          SELECT harm, status, confidence, location_id, date_from, date_to, source_id, sum(d)::int AS d
            FROM (SELECT harm, status, confidence, location_id, date_from, date_to, unnest(sources) AS source_id, -1 AS d FROM old
                  UNION ALL
                  SELECT harm, status, confidence, location_id, date_from, date_to, unnest(sources), 1 FROM new) x
           GROUP BY harm, status, confidence, location_id, date_from, date_to, source_id
          HAVING sum(d) <> 0
        )
        INSERT INTO victim_source_rollup AS r (harm, status, confidence, location_id, date_from, date_to, source_id, n)
        SELECT * FROM sdelta ORDER BY harm, status, confidence, location_id, date_from, date_to, source_id
        ON CONFLICT (harm, status, confidence, location_id, date_from, date_to, source_id)
        DO UPDATE SET n = r.n + excluded.n;
      END
    $$`);

    // Triggers: one function per table and event, each handing the touched records over.
    // New records with attestations already (a bulk import writes both in one statement) are
    // left to the attestations' trigger: refreshing them here too would double the work.
    await q.query(`CREATE FUNCTION victim_rollup_on_victims_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM victim_rollup_refresh(ARRAY(
          SELECT n.id FROM new_rows n
           WHERE NOT EXISTS (SELECT 1 FROM attestations a WHERE a.victim_id = n.id)
          UNION SELECT merged_into FROM new_rows));
        RETURN NULL;
      END $$`);
    await q.query(`CREATE FUNCTION victim_rollup_on_victims_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM victim_rollup_refresh(ARRAY(
          SELECT x.id FROM old_rows o JOIN new_rows n ON n.id = o.id,
                 LATERAL (VALUES (n.id), (o.merged_into), (n.merged_into)) x(id)
           WHERE (o.harm, o.status, o.confidence, o.location_id, o.date_from, o.date_to, o.merged_into)
                 IS DISTINCT FROM (n.harm, n.status, n.confidence, n.location_id, n.date_from, n.date_to, n.merged_into)));
        RETURN NULL;
      END $$`);
    await q.query(`CREATE FUNCTION victim_rollup_on_victims_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM victim_rollup_refresh(ARRAY(SELECT id FROM old_rows UNION SELECT merged_into FROM old_rows));
        RETURN NULL;
      END $$`);
    await q.query(`CREATE FUNCTION victim_rollup_on_attestations_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM victim_rollup_refresh(ARRAY(SELECT DISTINCT victim_id FROM new_rows WHERE victim_id IS NOT NULL));
        RETURN NULL;
      END $$`);
    await q.query(`CREATE FUNCTION victim_rollup_on_attestations_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM victim_rollup_refresh(ARRAY(
          SELECT x.id FROM old_rows o JOIN new_rows n ON n.id = o.id,
                 LATERAL (VALUES (o.victim_id), (n.victim_id)) x(id)
           WHERE (o.victim_id, o.source_id) IS DISTINCT FROM (n.victim_id, n.source_id)));
        RETURN NULL;
      END $$`);
    await q.query(`CREATE FUNCTION victim_rollup_on_attestations_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM victim_rollup_refresh(ARRAY(SELECT DISTINCT victim_id FROM old_rows WHERE victim_id IS NOT NULL));
        RETURN NULL;
      END $$`);
    await q.query(`CREATE FUNCTION victim_rollup_on_sources_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM victim_rollup_refresh(ARRAY(
          SELECT DISTINCT a.victim_id FROM old_rows o JOIN new_rows n ON n.id = o.id
            JOIN attestations a ON a.source_id = n.id
           WHERE o.restricted IS DISTINCT FROM n.restricted AND a.victim_id IS NOT NULL));
        RETURN NULL;
      END $$`);
    for (const [table, event, fn] of TRIGGERS) {
      const refs =
        event === 'INSERT'
          ? 'NEW TABLE AS new_rows'
          : event === 'DELETE'
            ? 'OLD TABLE AS old_rows'
            : 'OLD TABLE AS old_rows NEW TABLE AS new_rows';
      await q.query(
        `CREATE TRIGGER ${fn} AFTER ${event} ON "${table}" REFERENCING ${refs}
         FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
      );
    }

    // A full recount, and its comparison with the rollups (what the tests and an operator's
    // check use): every key whose kept count differs from the recount, and every record whose
    // kept contribution differs. EXCEPT, not a join: keys hold NULLs (undated, no place).
    await q.query(`CREATE FUNCTION victim_rollup_check()
      RETURNS TABLE (what text, key text, n integer)
      LANGUAGE sql STABLE AS $$
        WITH m AS MATERIALIZED (SELECT * FROM victim_rollup_recount),
        kept_counts AS (
          SELECT harm, status, confidence, location_id, date_from, date_to, public, n FROM victim_rollup WHERE n <> 0
        ),
        full_counts AS (
          SELECT harm, status, confidence, location_id, date_from, date_to, public, count(*)::int AS n
            FROM m GROUP BY harm, status, confidence, location_id, date_from, date_to, public
        ),
        kept_sources AS (
          SELECT harm, status, confidence, location_id, date_from, date_to, source_id, n FROM victim_source_rollup WHERE n <> 0
        ),
        full_sources AS (
          SELECT harm, status, confidence, location_id, date_from, date_to, source_id, count(*)::int AS n
            FROM m, unnest(m.sources) AS source_id
           GROUP BY harm, status, confidence, location_id, date_from, date_to, source_id
        ),
        diff AS (
          (SELECT 'counts kept' AS what, k.* FROM (SELECT * FROM kept_counts EXCEPT SELECT * FROM full_counts) k)
          UNION ALL
          (SELECT 'counts recounted', f.* FROM (SELECT * FROM full_counts EXCEPT SELECT * FROM kept_counts) f)
        ),
        sdiff AS (
          (SELECT 'sources kept' AS what, k.* FROM (SELECT * FROM kept_sources EXCEPT SELECT * FROM full_sources) k)
          UNION ALL
          (SELECT 'sources recounted', f.* FROM (SELECT * FROM full_sources EXCEPT SELECT * FROM kept_sources) f)
        ),
        mdiff AS (
          (SELECT 'member kept' AS what, k.* FROM (SELECT * FROM victim_rollup_members EXCEPT SELECT * FROM m) k)
          UNION ALL
          (SELECT 'member recounted', f.* FROM (SELECT * FROM m EXCEPT SELECT * FROM victim_rollup_members) f)
        )
        SELECT what, concat_ws('|', harm, status, confidence, location_id, date_from, date_to, public), n FROM diff
        UNION ALL
        SELECT what, concat_ws('|', harm, status, confidence, location_id, date_from, date_to, source_id), n FROM sdiff
        UNION ALL
        SELECT what, concat_ws('|', victim_id, harm, status, confidence, location_id, date_from, date_to, public, sources), 1 FROM mdiff
      $$`);

    // Build them for the records already there, in one pass.
    await q.query(`CREATE FUNCTION victim_rollup_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        LOCK TABLE victims, attestations IN SHARE MODE;
        TRUNCATE victim_rollup, victim_source_rollup, victim_rollup_members;
        INSERT INTO victim_rollup_members SELECT * FROM victim_rollup_recount;
        INSERT INTO victim_rollup (harm, status, confidence, location_id, date_from, date_to, public, n)
          SELECT harm, status, confidence, location_id, date_from, date_to, public, count(*)
            FROM victim_rollup_members GROUP BY harm, status, confidence, location_id, date_from, date_to, public;
        INSERT INTO victim_source_rollup (harm, status, confidence, location_id, date_from, date_to, source_id, n)
          SELECT harm, status, confidence, location_id, date_from, date_to, source_id, count(*)
            FROM victim_rollup_members, unnest(sources) AS source_id
           GROUP BY harm, status, confidence, location_id, date_from, date_to, source_id;
      END $$`);
    await q.query(`SELECT victim_rollup_rebuild()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, , fn] of [...TRIGGERS].reverse()) {
      await q.query(`DROP TRIGGER ${fn} ON "${table}"`);
      await q.query(`DROP FUNCTION ${fn}()`);
    }
    await q.query(`DROP FUNCTION victim_rollup_rebuild()`);
    await q.query(`DROP FUNCTION victim_rollup_check()`);
    await q.query(`DROP FUNCTION victim_rollup_refresh(uuid[])`);
    await q.query(`DROP VIEW victim_rollup_recount`);
    await q.query(`DROP FUNCTION victim_rollup_contribution(uuid[])`);
    await q.query(`DROP TABLE victim_rollup_members`);
    await q.query(`DROP TABLE victim_source_rollup`);
    await q.query(`DROP TABLE victim_rollup`);
  }
}

const TRIGGERS: [string, 'INSERT' | 'UPDATE' | 'DELETE', string][] = [
  ['victims', 'INSERT', 'victim_rollup_on_victims_insert'],
  ['victims', 'UPDATE', 'victim_rollup_on_victims_update'],
  ['victims', 'DELETE', 'victim_rollup_on_victims_delete'],
  ['attestations', 'INSERT', 'victim_rollup_on_attestations_insert'],
  ['attestations', 'UPDATE', 'victim_rollup_on_attestations_update'],
  ['attestations', 'DELETE', 'victim_rollup_on_attestations_delete'],
  ['sources', 'UPDATE', 'victim_rollup_on_sources_update'],
];
