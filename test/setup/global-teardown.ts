import './ts-resolve';
import fs from 'node:fs';
import { Client } from 'pg';

/** Drops the template and any copy a crashed worker left behind (every name begins with the template's). */
export default async function globalTeardown(): Promise<void> {
  const t = globalThis.__CL_TEMPLATE__;
  if (!t) return;
  if ('snapshotDir' in t) {
    fs.rmSync(t.snapshotDir, { recursive: true, force: true });
    return;
  }
  const c = new Client({ connectionString: t.admin });
  await c.connect();
  try {
    const { rows } = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname DESC`,
      [t.name],
    );
    for (const { datname } of rows)
      await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await c.end();
  }
}
