/**
 * Measures importVictims on a scratch database of a real server: creates it, migrates it,
 * imports `count` generated rows (test/factories/imports.ts) in skip-invalid mode, prints the
 * counts and rows/s, drops it. Compiled with the project's tsconfig, run from the output
 * folder (which needs the project's seed/ beside it and node_modules on NODE_PATH):
 *   node scripts/import-speed.js postgres://postgres@127.0.0.1:5432/postgres 100000 [batchSize]
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource } from '../src/database/data-source.js';
import { migrate } from '../src/database/bootstrap.js';
import { importVictims } from '../src/imports/victims-import.js';
import { generatedVictimsCsv } from '../test/factories/imports.js';

async function main(): Promise<void> {
  const server = process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const count = Number(process.argv[3] ?? 100_000);
  const batchSize = process.argv[4] ? Number(process.argv[4]) : undefined;
  const name = `import_speed_${randomUUID().slice(0, 8)}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = server.replace(/\/[^/]*$/, `/${name}`);
  try {
    await migrate(url);
    const ds = createDataSource({ url, poolSize: 2 });
    await ds.initialize();
    try {
      const started = Date.now();
      const report = await importVictims(ds, generatedVictimsCsv(count), {
        mode: 'skip-invalid',
        batchSize,
        fileName: 'generated.csv',
      });
      const s = (Date.now() - started) / 1000;
      const [{ v }] = await ds.query(`SELECT count(*)::int AS v FROM victims`);
      const [{ a }] = await ds.query(`SELECT count(*)::int AS a FROM attestations`);
      const [{ l }] = await ds.query(`SELECT count(*)::int AS l FROM audit_log`);
      console.log(
        JSON.stringify({
          rows: count,
          read: report.read,
          imported: report.imported,
          rejected: report.rejected,
          victims: v,
          attestations: a,
          auditEntries: l,
          seconds: s,
          rowsPerSecond: Math.round(count / s),
          rssMb: Math.round(process.memoryUsage().rss / 1e6),
        }),
      );
    } finally {
      await ds.destroy();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
