import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A bulk import inserts a batch of new records, then their attestations: the rollups' insert
 * triggers (migrations/1764000006000-AddVictimRollups.ts) refreshed every record twice, once
 * without sources and once with them. A transaction that sets `ledger.rollups_deferred` to `on`
 * (set_config(…, true): for that transaction only) takes that work on itself: the two insert
 * triggers leave its new records alone, and it calls victim_rollup_refresh on them once their
 * attestations are in (src/imports/victims-import.ts does, batch by batch, before it commits).
 * Every other change (updates, deletes, merges, sources) is refreshed by its trigger as before,
 * and victim_rollup_check() still compares the result with a full recount (the import tests do).
 */
export class DeferImportRollups1764000007000 implements MigrationInterface {
  name = 'DeferImportRollups1764000007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      triggerFunction(
        'victim_rollup_on_victims_insert',
        VICTIMS_INSERT,
        `PERFORM victim_rollup_refresh(ARRAY(SELECT merged_into FROM new_rows WHERE merged_into IS NOT NULL));`,
      ),
    );
    await q.query(triggerFunction('victim_rollup_on_attestations_insert', ATTESTATIONS_INSERT, ''));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(triggerFunction('victim_rollup_on_victims_insert', VICTIMS_INSERT));
    await q.query(triggerFunction('victim_rollup_on_attestations_insert', ATTESTATIONS_INSERT));
  }
}

/** What the two triggers did before (migration 1764000006000), and still do when not deferred. */
const VICTIMS_INSERT = `PERFORM victim_rollup_refresh(ARRAY(
          SELECT n.id FROM new_rows n
           WHERE NOT EXISTS (SELECT 1 FROM attestations a WHERE a.victim_id = n.id)
          UNION SELECT merged_into FROM new_rows));`;
const ATTESTATIONS_INSERT = `PERFORM victim_rollup_refresh(ARRAY(SELECT DISTINCT victim_id FROM new_rows WHERE victim_id IS NOT NULL));`;

/** The trigger function running `body`, or `whenDeferred` instead while the rollups are deferred. */
function triggerFunction(name: string, body: string, whenDeferred?: string): string {
  const deferred =
    whenDeferred === undefined
      ? ''
      : `IF current_setting('ledger.rollups_deferred', true) = 'on' THEN
          ${whenDeferred}
          RETURN NULL;
        END IF;`;
  return `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${deferred}
        ${body}
        RETURN NULL;
      END $$`;
}
