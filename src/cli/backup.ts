import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../config/configuration.js';
import { migrate } from '../database/bootstrap.js';
import { dumpEmbedded, readLock, requestBackup, startEmbedded } from '../database/embedded.js';
import { grantServiceRole } from '../database/roles.js';
import { RefusedError } from './db.js';

/**
 * Backups of either engine. A PostgreSQL server's is pg_dump's custom format (restored with
 * pg_restore); the embedded engine's is its whole data directory as a gzipped tar (PGlite's
 * dumpDataDir), made by the running service when there is one. Either holds everything: the
 * records, the accounts, the audit trail and the migrations applied.
 */

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'ENOENT'
          ? new RefusedError(`${cmd} was not found: install the PostgreSQL client tools`)
          : e,
      ),
    );
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new RefusedError(`${cmd} failed (exit ${code}):\n${stderr.trim()}`)),
    );
  });
}

function writeNew(file: string, data: Buffer): void {
  // The backup holds everything, restricted sources included: for this user only.
  try {
    fs.writeFileSync(file, data, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST')
      throw new RefusedError(`${file} exists: choose a new file name`);
    throw e;
  }
}

export interface BackupResult {
  file: string;
  bytes: number;
  how: string;
}

export async function backup(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BackupResult> {
  const config = loadConfig(env);
  const out = path.resolve(file);
  if (fs.existsSync(out)) throw new RefusedError(`${out} exists: choose a new file name`);
  if (config.databaseUrl) {
    await run('pg_dump', [
      '--format=custom',
      '--no-owner',
      `--file=${out}`,
      `--dbname=${config.databaseOwnerUrl ?? config.databaseUrl}`,
    ]);
    fs.chmodSync(out, 0o600);
    return { file: out, bytes: fs.statSync(out).size, how: 'pg_dump, custom format' };
  }
  const lock = readLock(config.dataDir);
  if (lock) {
    writeNew(out, await requestBackup(lock));
    return {
      file: out,
      bytes: fs.statSync(out).size,
      how: `the data directory of the running service (process ${lock.pid}), gzipped tar`,
    };
  }
  if (!fs.existsSync(path.join(config.dataDir, 'pgdata', 'PG_VERSION')))
    throw new RefusedError(`${config.dataDir} holds no database to back up`);
  const e = await startEmbedded({ dataDir: config.dataDir, maxConnections: 2 });
  try {
    writeNew(out, await dumpEmbedded(e));
  } finally {
    await e.stop();
  }
  return {
    file: out,
    bytes: fs.statSync(out).size,
    how: `the data directory ${config.dataDir}, gzipped tar`,
  };
}

export interface RestoreResult {
  counts: Record<string, number>;
  migrations: string[];
}

async function counts(url: string): Promise<Record<string, number>> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => {});
  await c.connect();
  try {
    const out: Record<string, number> = {};
    for (const [table, what] of [
      ['sources', 'sources'],
      ['incidents', 'incidents'],
      ['victims', 'victims'],
      ['count_claims', 'claims'],
      ['users', 'users'],
      ['audit_log', 'audit entries'],
    ]) {
      const r = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      out[what] = r.rows[0].n;
    }
    return out;
  } finally {
    await c.end();
  }
}

/**
 * Restores a backup into an empty database only (never over records: a backup is no merge):
 * a new database of the server, or a DATA_DIR without data, the service stopped. Then applies
 * the migrations the backup predates.
 */
export async function restore(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RestoreResult> {
  const config = loadConfig(env);
  const from = path.resolve(file);
  if (!fs.existsSync(from)) throw new RefusedError(`${from} does not exist`);
  const applied: string[] = [];
  if (config.databaseUrl) {
    const url = config.databaseOwnerUrl ?? config.databaseUrl;
    const c = new pg.Client({ connectionString: url });
    c.on('error', () => {});
    await c.connect();
    const [{ n }] = (
      await c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`,
      )
    ).rows;
    await c.end();
    if (n > 0)
      throw new RefusedError(
        `the database of ${config.databaseOwnerUrl ? 'DATABASE_OWNER_URL' : 'DATABASE_URL'} is not empty (${n} tables): restore into a new database`,
      );
    await run('pg_restore', [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--single-transaction',
      `--dbname=${url}`,
      from,
    ]);
    await migrate(url, (m) => applied.push(m));
    if (config.databaseOwnerUrl)
      await grantServiceRole(config.databaseOwnerUrl, config.databaseUrl);
    return { counts: await counts(url), migrations: applied };
  }
  const lock = readLock(config.dataDir);
  if (lock)
    throw new RefusedError(
      `${config.dataDir} is in use by process ${lock.pid}: stop the service, or restore into another DATA_DIR`,
    );
  const pgdata = path.join(config.dataDir, 'pgdata');
  if (fs.existsSync(pgdata) && fs.readdirSync(pgdata).length > 0)
    throw new RefusedError(
      `${config.dataDir} already holds a database: restore into a new DATA_DIR (and move it into place while the service is stopped)`,
    );
  const e = await startEmbedded({
    dataDir: config.dataDir,
    maxConnections: 2,
    loadDataDir: new Blob([fs.readFileSync(from)]),
  });
  try {
    await migrate(e.url, (m) => applied.push(m));
    return { counts: await counts(e.url), migrations: applied };
  } finally {
    await e.stop();
  }
}
