import './ts-resolve';
import { Client } from 'pg';
import { startEmbedded, type EmbeddedDatabase } from '../../src/database/embedded.js';
import { migrateAndVerify } from './test-db.js';

declare global {
  var __CL_EMBEDDED__: EmbeddedDatabase | undefined;
  var __CL_DROP_DB__: { admin: string; name: string } | undefined;
}

/**
 * With TEST_DATABASE_URL: a fresh database on that PostgreSQL server. Without: an in-memory
 * embedded PGlite served on a local port. Either way migrations are verified to round-trip.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  const admin = process.env.TEST_DATABASE_URL;
  let url: string;
  if (admin) {
    const name = `cl_test_${process.pid}_${Date.now()}`;
    const c = new Client({ connectionString: admin });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    const u = new URL(admin);
    u.pathname = `/${name}`;
    url = u.toString();
    globalThis.__CL_DROP_DB__ = { admin, name };
    console.log(`\n[test] PostgreSQL server, fresh database ${name}`);
  } else {
    globalThis.__CL_EMBEDDED__ = await startEmbedded({ dataDir: null, maxConnections: 40 });
    url = globalThis.__CL_EMBEDDED__.url;
    console.log('\n[test] embedded PGlite (in memory)');
  }
  await migrateAndVerify(url);
  process.env.CL_TEST_DATABASE_URL = url;
  process.env.CL_TEST_ENGINE = admin ? 'postgresql' : 'embedded';
}
