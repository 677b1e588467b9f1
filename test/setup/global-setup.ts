import './ts-resolve';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbedded } from '../../src/database/embedded.js';
import { migrateAndVerify } from './test-db.js';

declare global {
  var __CL_TEMPLATE__: { admin: string; name: string } | { snapshotDir: string } | undefined;
}

/**
 * Migrates one template database, verifying that the migrations round-trip and match the
 * entities (once per run, on both engines); each e2e file then gets its own copy of it
 * (e2e-environment.ts), so that the files can run in parallel workers.
 * With TEST_DATABASE_URL the template is a fresh database on that PostgreSQL server, copied by
 * CREATE DATABASE … TEMPLATE. Without, it is an in-memory embedded PGlite, dumped to a file
 * that each file's own engine loads (loadDataDir).
 */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  const admin = process.env.TEST_DATABASE_URL;
  if (admin) {
    const name = `cl_test_${process.pid}_${Date.now()}`;
    const c = new Client({ connectionString: admin });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    globalThis.__CL_TEMPLATE__ = { admin, name };
    const u = new URL(admin);
    u.pathname = `/${name}`;
    await migrateAndVerify(u.toString());
    process.env.CL_TEST_TEMPLATE = name;
    console.log(`\n[test] PostgreSQL server, template database ${name}, one copy per file`);
  } else {
    const snapshotDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-test-template-'));
    globalThis.__CL_TEMPLATE__ = { snapshotDir };
    const db = await startEmbedded({ dataDir: null, maxConnections: 4 });
    try {
      await migrateAndVerify(db.url);
      const file = path.join(snapshotDir, 'template.tar');
      fs.writeFileSync(file, Buffer.from(await (await db.db.dumpDataDir('none')).arrayBuffer()));
      process.env.CL_TEST_TEMPLATE = file;
    } finally {
      await db.stop();
    }
    console.log(
      '\n[test] embedded PGlite (in memory), one engine per file from a migrated snapshot',
    );
  }
  process.env.CL_TEST_ENGINE = admin ? 'postgresql' : 'embedded';
}
