import './ts-resolve';
import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__CL_EMBEDDED__?.stop();
  const drop = globalThis.__CL_DROP_DB__;
  if (drop) {
    const c = new Client({ connectionString: drop.admin });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${drop.name} WITH (FORCE)`);
    await c.end();
  }
}
