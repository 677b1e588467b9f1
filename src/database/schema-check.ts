import type { DataSource } from 'typeorm';

/**
 * What TypeORM would still change to make the database match the entities. Empty when the
 * migrations and the entities agree: CI fails on anything else (drift).
 */
export async function pendingSchemaChanges(ds: DataSource): Promise<string[]> {
  const sql = await ds.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}
