import type { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { pendingSchemaChanges } from '../../database/schema-check.js';
import { backup, restore } from '../backup.js';
import { makeWithDb, migrateTarget, openTarget } from '../db.js';
import { info, out } from './imports.js';

async function status(ds: DataSource): Promise<{ applied: string[]; pending: string[] }> {
  const exists = await ds.query<
    {
      ok: boolean;
    }[]
  >(`SELECT to_regclass('public.migrations') IS NOT NULL AS ok`);
  const applied = exists[0].ok
    ? (await ds.query<{ name: string }[]>(`SELECT name FROM migrations ORDER BY id`)).map(
        (r) => r.name,
      )
    : [];
  const pending = ds.migrations
    .map((m) => m.name ?? m.constructor.name)
    .filter((n) => !applied.includes(n));
  return { applied, pending };
}

export function registerDbCommands(program: Command): void {
  const db = program
    .command('db')
    .description('The database: migrations and their status, backup and restore');

  db.command('backup')
    .description(
      'Write a backup of everything to FILE: pg_dump (custom format) on a server; the embedded data directory (gzipped tar), made by the running service if there is one',
    )
    .argument('<file>', 'a new file (never overwritten); mode 0600')
    .action(async (file: string) => {
      const r = await backup(file);
      out(`backup written: ${r.file} (${r.bytes} bytes; ${r.how})`);
    });

  db.command('restore')
    .description(
      'Restore a backup of `db backup` into an empty database: a new server database (DATABASE_URL), or a DATA_DIR without data with the service stopped',
    )
    .argument('<file>', 'a file written by `db backup`')
    .action(async (file: string) => {
      const r = await restore(file);
      for (const m of r.migrations) out(m);
      out(
        `restored: ${Object.entries(r.counts)
          .map(([t, n]) => `${n} ${t}`)
          .join(', ')}`,
      );
    });

  db.command('migrate')
    .description('Apply pending migrations (every other command applies them too)')
    .action(async () => {
      const target = await openTarget();
      info(`database: ${target.description}`);
      try {
        const applied: string[] = [];
        await migrateTarget(target, (m) => applied.push(m));
        for (const line of applied) out(line);
        out(
          applied.length
            ? `${applied.length} migration(s) applied`
            : 'the schema is up to date: nothing to apply',
        );
      } finally {
        await target.embedded?.stop();
      }
    });

  db.command('status')
    .description('List applied and pending migrations, and whether the schema matches the code')
    .action(async () => {
      const r = await makeWithDb({ migrate: false, log: info })(async (ds) => {
        const s = await status(ds);
        const drift = s.pending.length ? [] : await pendingSchemaChanges(ds);
        return { ...s, drift };
      });
      for (const name of r.applied) out(`applied  ${name}`);
      for (const name of r.pending) out(`pending  ${name}`);
      if (r.pending.length) out(`${r.pending.length} pending: run \`npm run cli -- db migrate\``);
      else if (r.drift.length) {
        out(`the schema differs from the code in ${r.drift.length} statement(s):`);
        for (const q of r.drift) out(`  ${q}`);
        process.exitCode = 1;
      } else out('up to date');
    });
}
