import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Imports at bulk speed (issue 22). A victims import writes a batch of new records and their
 * attestations with one statement per table, then derives, set-based and once per batch, what
 * the row and insert triggers would have derived one row or one statement at a time:
 *
 * - `casualty_ledger.bulk`: a transaction that sets it (`SET LOCAL casualty_ledger.bulk = 'on'`,
 *   a custom setting any role may set, for that transaction only: the service is no superuser,
 *   so session_replication_role is out of reach) takes the insert triggers' work on itself. The
 *   city trigger, the name-word dictionary's and the rollups' insert triggers then leave its
 *   INSERTs alone; updates, deletes and merges are still handled by their triggers. The import
 *   computes city_id in its INSERT and calls the function below (src/imports/bulk-write.ts).
 * - `victim_rollup_add_new(ids)`: the rollups of records just inserted, with their attestations:
 *   a new record has no contribution yet and nothing merged into it, so its contribution is one
 *   grouped join, added to the counts in one upsert per table (victim_rollup_refresh, for any
 *   change, subtracts the old contribution record by record). victim_rollup_check() still
 *   compares the result with a full recount (the import tests do).
 * - `audit_log.entity_ids`: an entry about many records (an import's batch: one entry per batch
 *   and table, listing every record it created, with its line and its copy) names them here;
 *   the GIN index finds a record's entries for its history.
 */
export class AddBulkImportWrites1764000210000 implements MigrationInterface {
  name = 'AddBulkImportWrites1764000210000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "audit_log" ADD "entity_ids" uuid array`);
    await q.query(`CREATE INDEX "ix_audit_log_entity_ids" ON "audit_log" USING gin (entity_ids)`);
    for (const [name, body] of triggerBodies(true)) await q.query(fn(name, body));
    await q.query(`CREATE FUNCTION victim_rollup_add_new(ids uuid[]) RETURNS void
      LANGUAGE sql SET jit = off AS $$
        WITH new AS (
          SELECT v.id AS victim_id, v.harm, v.status, v.confidence, v.location_id, v.date_from, v.date_to,
                 coalesce(bool_or(NOT s.restricted), false) AS public,
                 coalesce(array_agg(DISTINCT a.source_id ORDER BY a.source_id)
                            FILTER (WHERE a.source_id IS NOT NULL), '{}') AS sources,
                 v.public_confidence
            FROM victims v
            LEFT JOIN attestations a ON a.victim_id = v.id
            LEFT JOIN sources s ON s.id = a.source_id
           WHERE v.id = ANY(ids) AND v.merged_into IS NULL
           GROUP BY v.id
        ),
        members AS (
          INSERT INTO victim_rollup_members
            (victim_id, harm, status, confidence, location_id, date_from, date_to, public, sources, public_confidence)
          SELECT * FROM new
        ),
        counted AS (
          INSERT INTO victim_rollup AS r (harm, status, confidence, location_id, date_from, date_to, public_confidence, public, n)
          SELECT harm, status, confidence, location_id, date_from, date_to, public_confidence, public, count(*)::int
            FROM new GROUP BY harm, status, confidence, location_id, date_from, date_to, public_confidence, public
           ORDER BY harm, status, confidence, location_id, date_from, date_to, public_confidence, public
          ON CONFLICT (harm, date_from, date_to, status, confidence, public_confidence, location_id, public)
          DO UPDATE SET n = r.n + excluded.n
        )
        INSERT INTO victim_source_rollup AS r (harm, status, confidence, location_id, date_from, date_to, public_confidence, source_id, n)
        SELECT harm, status, confidence, location_id, date_from, date_to, public_confidence, source_id, count(*)::int
          FROM new, unnest(sources) AS source_id
         GROUP BY harm, status, confidence, location_id, date_from, date_to, public_confidence, source_id
         ORDER BY harm, status, confidence, location_id, date_from, date_to, public_confidence, source_id
        ON CONFLICT (harm, date_from, date_to, status, confidence, public_confidence, location_id, source_id)
        DO UPDATE SET n = r.n + excluded.n
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION victim_rollup_add_new(uuid[])`);
    for (const [name, body] of triggerBodies(false)) await q.query(fn(name, body));
    await q.query(`DROP INDEX "ix_audit_log_entity_ids"`);
    await q.query(`ALTER TABLE "audit_log" DROP COLUMN "entity_ids"`);
  }
}

const BULK = `current_setting('casualty_ledger.bulk', true) = 'on'`;

function fn(name: string, body: string): string {
  return `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${body}
      END $$`;
}

/**
 * The four insert triggers' functions, with the bulk bypass (`bulk`) or as migrations
 * 1764000005100, 1764000005200 and 1764000007000 left them.
 */
function triggerBodies(bulk: boolean): [string, string][] {
  const skipInsert = (ret: string): string =>
    bulk ? `IF TG_OP = 'INSERT' AND ${BULK} THEN RETURN ${ret}; END IF;` : '';
  return [
    [
      'victims_set_city',
      `${skipInsert('NEW')}
        NEW.city_id := (SELECT l.city_id FROM locations l WHERE l.id = NEW.location_id);
        RETURN NEW;`,
    ],
    [
      'victim_name_words_add',
      `${skipInsert('NULL')}
        INSERT INTO victim_name_words (word)
        SELECT DISTINCT unnest(string_to_array(name_search, ' ')) FROM new_rows WHERE name_search <> ''
        ON CONFLICT DO NOTHING;
        RETURN NULL;`,
    ],
    [
      'victim_rollup_on_victims_insert',
      `${skipInsert('NULL')}
        IF current_setting('ledger.rollups_deferred', true) = 'on' THEN
          PERFORM victim_rollup_refresh(ARRAY(SELECT merged_into FROM new_rows WHERE merged_into IS NOT NULL));
          RETURN NULL;
        END IF;
        PERFORM victim_rollup_refresh(ARRAY(
          SELECT n.id FROM new_rows n
           WHERE NOT EXISTS (SELECT 1 FROM attestations a WHERE a.victim_id = n.id)
          UNION SELECT merged_into FROM new_rows));
        RETURN NULL;`,
    ],
    [
      'victim_rollup_on_attestations_insert',
      `${skipInsert('NULL')}
        IF current_setting('ledger.rollups_deferred', true) = 'on' THEN
          RETURN NULL;
        END IF;
        PERFORM victim_rollup_refresh(ARRAY(SELECT DISTINCT victim_id FROM new_rows WHERE victim_id IS NOT NULL));
        RETURN NULL;`,
    ],
  ];
}
