import type { MigrationInterface, QueryRunner } from 'typeorm';
import { publicConfidence } from '../src/attestations/confidence.repository.js';

/**
 * victims.public_confidence: the confidence a reader who may not see restricted sources is given
 * (viewers, anonymous readers, `--public` exports), derived by the same rule as `confidence` from
 * the attestations of sources that are not restricted only (attestations/confidence.repository.ts
 * writes both wherever it refreshes one). A record attested by a grade-A informant and a grade-D
 * newspaper is `possible` to the public, not `probable`.
 *
 * The rollups (migration 1764000006000) carry it as one more key column in victim_rollup,
 * victim_source_rollup and victim_rollup_members, so that a public count by confidence, or with
 * minConfidence, is read from them as a researcher's is: their functions are redefined with the
 * column, a change of it refreshes a record like a change of `confidence`, and they are rebuilt.
 *
 * Existing records: the level is the same as `confidence` unless a restricted source attests the
 * record or one merged into it; those are derived again by the application's code.
 */
export class AddVictimPublicConfidence1764000150000 implements MigrationInterface {
  name = 'AddVictimPublicConfidence1764000150000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "victims" ADD "public_confidence" text NOT NULL DEFAULT 'unattested'`,
    );
    await q.query(
      `ALTER TABLE "victims" ADD CONSTRAINT "ck_victims_public_confidence" CHECK (public_confidence IN ('confirmed', 'probable', 'possible', 'unattested'))`,
    );
    // Before the rollups know the column: these updates refresh nothing.
    await q.query(
      `UPDATE victims SET public_confidence = confidence WHERE public_confidence IS DISTINCT FROM confidence`,
    );
    const touched = (await q.query(
      `WITH RECURSIVE up(id) AS (
         SELECT DISTINCT a.victim_id FROM attestations a JOIN sources s ON s.id = a.source_id AND s.restricted
          WHERE a.victim_id IS NOT NULL
         UNION
         SELECT v.merged_into FROM up JOIN victims v ON v.id = up.id WHERE v.merged_into IS NOT NULL
       )
       SELECT id FROM up ORDER BY id`,
    )) as { id: string }[];
    for (let i = 0; i < touched.length; i += 5000) {
      const levels = await publicConfidence(
        q.manager,
        touched.slice(i, i + 5000).map((r) => r.id),
      );
      await q.query(
        `UPDATE victims v SET public_confidence = u.c
           FROM unnest($1::uuid[], $2::text[]) AS u(id, c)
          WHERE v.id = u.id AND v.public_confidence IS DISTINCT FROM u.c`,
        [[...levels.keys()], [...levels.values()]],
      );
    }

    for (const t of ['victim_rollup', 'victim_source_rollup', 'victim_rollup_members']) {
      await q.query(
        `ALTER TABLE ${t} ADD COLUMN public_confidence text NOT NULL DEFAULT 'unattested'`,
      );
      await q.query(`ALTER TABLE ${t} ALTER COLUMN public_confidence DROP DEFAULT`);
    }
    for (const [table, last] of TABLES) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ux_${table}`);
      await q.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ux_${table} UNIQUE NULLS NOT DISTINCT
           (harm, date_from, date_to, status, confidence, public_confidence, location_id, ${last}) INCLUDE (n)`,
      );
    }
    await q.query(`DROP FUNCTION victim_rollup_contribution(uuid[])`);
    for (const sql of rollupFunctions(true)) await q.query(sql);
    await q.query(`SELECT victim_rollup_rebuild()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION victim_rollup_contribution(uuid[])`);
    // The view's new column must go before CREATE OR REPLACE can give it its old columns.
    await q.query(`DROP VIEW victim_rollup_recount`);
    for (const [table, last] of TABLES) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ux_${table}`);
      await q.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ux_${table} UNIQUE NULLS NOT DISTINCT
           (harm, date_from, date_to, status, confidence, location_id, ${last}) INCLUDE (n)`,
      );
    }
    for (const t of ['victim_rollup', 'victim_source_rollup', 'victim_rollup_members'])
      await q.query(`ALTER TABLE ${t} DROP COLUMN public_confidence`);
    for (const sql of rollupFunctions(false)) await q.query(sql);
    await q.query(`SELECT victim_rollup_rebuild()`);
    await q.query(`ALTER TABLE "victims" DROP CONSTRAINT "ck_victims_public_confidence"`);
    await q.query(`ALTER TABLE "victims" DROP COLUMN "public_confidence"`);
  }
}

/** Each rollup table and the last column of its key (migration 1764000009000). */
const TABLES = [
  ['victim_rollup', 'public'],
  ['victim_source_rollup', 'source_id'],
] as const;

/**
 * The rollups' functions of migration 1764000006000, with public_confidence (`withPublic`) or
 * as they were. The column comes last in every row a function returns, as in the tables (it was
 * added at their end), so that `INSERT … SELECT *` still lines up.
 */
function rollupFunctions(withPublic: boolean): string[] {
  const pc = withPublic ? ', public_confidence' : '';
  const pcOf = (alias: string) => (withPublic ? `, ${alias}.public_confidence` : '');
  const keyCols = `harm, status, confidence, location_id, date_from, date_to${pc}`;
  return [
    `CREATE FUNCTION victim_rollup_contribution(ids uuid[])
      RETURNS TABLE (victim_id uuid, harm text, status text, confidence text, location_id uuid,
                     date_from date, date_to date, public boolean, sources uuid[]${withPublic ? ', public_confidence text' : ''})
      LANGUAGE sql STABLE AS $$
        WITH RECURSIVE down(root, id) AS (
          SELECT v.id, v.id FROM victims v WHERE v.id = ANY(ids) AND v.merged_into IS NULL
          UNION
          SELECT d.root, c.id FROM down d JOIN victims c ON c.merged_into = d.id
        ),
        att AS (
          SELECT d.root, array_agg(DISTINCT a.source_id ORDER BY a.source_id) AS sources,
                 bool_or(NOT s.restricted) AS public
            FROM down d
           CROSS JOIN LATERAL (SELECT a.source_id FROM attestations a WHERE a.victim_id = d.id OFFSET 0) a
           CROSS JOIN LATERAL (SELECT s.restricted FROM sources s WHERE s.id = a.source_id OFFSET 0) s
           GROUP BY d.root
        )
        SELECT v.id, v.harm, v.status, v.confidence, v.location_id, v.date_from, v.date_to,
               coalesce(att.public, false), coalesce(att.sources, '{}')${pcOf('v')}
          FROM victims v LEFT JOIN att ON att.root = v.id
         WHERE v.id = ANY(ids) AND v.merged_into IS NULL
      $$`,
    `CREATE OR REPLACE VIEW victim_rollup_recount AS
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
             coalesce(att.public, false) AS public, coalesce(att.sources, '{}') AS sources${pcOf('v')}
        FROM victims v LEFT JOIN att ON att.root = v.id
       WHERE v.merged_into IS NULL`,
    `CREATE OR REPLACE FUNCTION victim_rollup_refresh(touched uuid[]) RETURNS void
      LANGUAGE plpgsql SET jit = off SET plan_cache_mode = force_custom_plan AS $$
      DECLARE
        targets uuid[];
      BEGIN
        WITH RECURSIVE up(id) AS (
          SELECT DISTINCT t FROM unnest(touched) t WHERE t IS NOT NULL
          UNION
          SELECT v.merged_into FROM up JOIN victims v ON v.id = up.id WHERE v.merged_into IS NOT NULL
        )
        SELECT array_agg(id ORDER BY id) INTO targets FROM up;
        IF targets IS NULL THEN RETURN; END IF;
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
            sources = excluded.sources${withPublic ? ', public_confidence = excluded.public_confidence' : ''}
        ),
        delta AS (
          SELECT ${keyCols}, public, sum(d)::int AS d
            FROM (SELECT ${keyCols}, public, -1 AS d FROM old
                  UNION ALL
                  SELECT ${keyCols}, public, 1 FROM new) x
           GROUP BY ${keyCols}, public
          HAVING sum(d) <> 0
        ),
        counted AS (
          INSERT INTO victim_rollup AS r (${keyCols}, public, n)
          SELECT * FROM delta ORDER BY ${keyCols}, public
          ON CONFLICT (harm, date_from, date_to, status, confidence${pc}, location_id, public)
          DO UPDATE SET n = r.n + excluded.n
        ),
        sdelta AS (
          SELECT ${keyCols}, source_id, sum(d)::int AS d
            FROM (SELECT ${keyCols}, unnest(sources) AS source_id, -1 AS d FROM old
                  UNION ALL
                  SELECT ${keyCols}, unnest(sources), 1 FROM new) x
           GROUP BY ${keyCols}, source_id
          HAVING sum(d) <> 0
        )
        INSERT INTO victim_source_rollup AS r (${keyCols}, source_id, n)
        SELECT * FROM sdelta ORDER BY ${keyCols}, source_id
        ON CONFLICT (harm, date_from, date_to, status, confidence${pc}, location_id, source_id)
        DO UPDATE SET n = r.n + excluded.n;
      END
    $$`,
    `CREATE OR REPLACE FUNCTION victim_rollup_on_victims_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM victim_rollup_refresh(ARRAY(
          SELECT x.id FROM old_rows o JOIN new_rows n ON n.id = o.id,
                 LATERAL (VALUES (n.id), (o.merged_into), (n.merged_into)) x(id)
           WHERE (o.harm, o.status, o.confidence, o.location_id, o.date_from, o.date_to, o.merged_into${pcOf('o')})
                 IS DISTINCT FROM (n.harm, n.status, n.confidence, n.location_id, n.date_from, n.date_to, n.merged_into${pcOf('n')})));
        RETURN NULL;
      END $$`,
    `CREATE OR REPLACE FUNCTION victim_rollup_check()
      RETURNS TABLE (what text, key text, n integer)
      LANGUAGE sql STABLE AS $$
        WITH m AS MATERIALIZED (SELECT * FROM victim_rollup_recount),
        kept_counts AS (
          SELECT ${keyCols}, public, n FROM victim_rollup WHERE n <> 0
        ),
        full_counts AS (
          SELECT ${keyCols}, public, count(*)::int AS n
            FROM m GROUP BY ${keyCols}, public
        ),
        kept_sources AS (
          SELECT ${keyCols}, source_id, n FROM victim_source_rollup WHERE n <> 0
        ),
        full_sources AS (
          SELECT ${keyCols}, source_id, count(*)::int AS n
            FROM m, unnest(m.sources) AS source_id
           GROUP BY ${keyCols}, source_id
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
        SELECT what, concat_ws('|', ${keyCols}, public), n FROM diff
        UNION ALL
        SELECT what, concat_ws('|', ${keyCols}, source_id), n FROM sdiff
        UNION ALL
        SELECT what, concat_ws('|', victim_id, harm, status, confidence, location_id, date_from, date_to, public, sources${pc}), 1 FROM mdiff
      $$`,
    `CREATE OR REPLACE FUNCTION victim_rollup_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        LOCK TABLE victims, attestations IN SHARE MODE;
        TRUNCATE victim_rollup, victim_source_rollup, victim_rollup_members;
        INSERT INTO victim_rollup_members SELECT * FROM victim_rollup_recount;
        INSERT INTO victim_rollup (${keyCols}, public, n)
          SELECT ${keyCols}, public, count(*)
            FROM victim_rollup_members GROUP BY ${keyCols}, public;
        INSERT INTO victim_source_rollup (${keyCols}, source_id, n)
          SELECT ${keyCols}, source_id, count(*)
            FROM victim_rollup_members, unnest(sources) AS source_id
           GROUP BY ${keyCols}, source_id;
      END $$`,
  ];
}
