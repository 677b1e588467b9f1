import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['api_tokens', 'users', 'locations'];

/**
 * A change to the tables behind the per-request lookups (a token, its account, a place by name)
 * is notified on channel casualty_ledger_changes, the table's name as payload, by a statement
 * trigger: whatever wrote it (the service, the CLI, psql), the service's caches of those lookups
 * (src/common/change-feed.ts) drop what they kept when the transaction commits.
 */
export class AddChangeNotifications1764000220000 implements MigrationInterface {
  name = 'AddChangeNotifications1764000220000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('casualty_ledger_changes', TG_TABLE_NAME);
        RETURN NULL;
      END $$`);
    for (const t of TABLES) {
      await q.query(
        `CREATE TRIGGER ${t}_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${t}"
           FOR EACH STATEMENT EXECUTE FUNCTION notify_change()`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of TABLES) await q.query(`DROP TRIGGER ${t}_notify_change ON "${t}"`);
    await q.query(`DROP FUNCTION notify_change()`);
  }
}
