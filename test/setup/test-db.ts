import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/database/data-source.js';
import { pendingSchemaChanges } from '../../src/database/schema-check.js';

/** The URL of this e2e file's own database, set by its environment (e2e-environment.ts). */
export function testDatabaseUrl(): string {
  const url = process.env.CL_TEST_DATABASE_URL;
  if (!url) throw new Error('CL_TEST_DATABASE_URL is not set: run the suite with npm test');
  return url;
}

/**
 * Migrations must round-trip: up, every down, up again, and leave nothing for TypeORM to
 * change (entities and migrations agree). Run once per suite, on both engines.
 */
export async function migrateAndVerify(url: string): Promise<void> {
  const ds: DataSource = createDataSource({ url, poolSize: 2 });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    const total = ds.migrations.length;
    for (let i = 0; i < total; i++) await ds.undoLastMigration({ transaction: 'each' });
    const [{ n }] = await ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
    );
    if (n !== 0) throw new Error(`after every down() ${n} tables remain: a down() is incomplete`);
    await ds.runMigrations({ transaction: 'each' });
    const drift = await pendingSchemaChanges(ds);
    if (drift.length) {
      throw new Error(
        `entities and migrations drift apart; TypeORM would still run:\n${drift.join(';\n')}`,
      );
    }
  } finally {
    await ds.destroy();
  }
}
