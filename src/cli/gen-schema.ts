// Dev tool: prints the SQL TypeORM wants for the entities against DATABASE_URL (after migrations).
import { createDataSource } from '../database/data-source.js';
import { pendingSchemaChanges } from '../database/schema-check.js';

async function main(): Promise<void> {
  const ds = createDataSource({ url: process.env.DATABASE_URL! });
  await ds.initialize();
  await ds.runMigrations();
  for (const q of await pendingSchemaChanges(ds)) console.log(q + ';');
  await ds.destroy();
}
void main();
