import type { DataSource } from 'typeorm';
import { loadConfig } from '../config/configuration.js';
import { migrate } from '../database/bootstrap.js';
import { grantServiceRole } from '../database/roles.js';
import { createDataSource } from '../database/data-source.js';
import { readLock, startEmbedded, type EmbeddedDatabase } from '../database/embedded.js';
import type { WithDb } from './types.js';

export interface DbTarget {
  url: string;
  /** Where migrations run: the schema owner's connection (DATABASE_OWNER_URL), else url. */
  migrationUrl: string;
  /** Set when the owner is another role than url's: it grants url's role after migrating. */
  ownerUrl: string | null;
  /** Through the running service's socket, as its role: no schema change possible. */
  throughService: boolean;
  /** For the log: which database the command runs on. */
  description: string;
  /** Connections to open: the embedded engine is one session, so one (see STACK.md). */
  poolSize: number;
  embedded: EmbeddedDatabase | null;
}

/**
 * Where a command's database is: DATABASE_URL's server; else the service already running on
 * DATA_DIR (its lockfile names the socket it serves, and PGlite must never be opened by two
 * processes); else the embedded engine, opened on DATA_DIR for this command alone.
 */
export async function openTarget(env: NodeJS.ProcessEnv = process.env): Promise<DbTarget> {
  const config = loadConfig(env);
  if (config.databaseUrl) {
    return {
      url: config.databaseUrl,
      migrationUrl: config.databaseOwnerUrl ?? config.databaseUrl,
      ownerUrl: config.databaseOwnerUrl,
      throughService: false,
      description: 'the PostgreSQL server of DATABASE_URL',
      poolSize: 4,
      embedded: null,
    };
  }
  const lock = readLock(config.dataDir);
  if (lock?.url) {
    return {
      url: lock.url,
      migrationUrl: lock.url,
      ownerUrl: null,
      throughService: true,
      description: `the embedded database in ${config.dataDir}, through the running service (process ${lock.pid})`,
      poolSize: 1,
      embedded: null,
    };
  }
  // A live lock without a URL is a service still starting: startEmbedded refuses it with a clear message.
  const embedded = await startEmbedded({ dataDir: config.dataDir, maxConnections: 4 });
  return {
    url: embedded.url,
    migrationUrl: embedded.url,
    ownerUrl: null,
    throughService: false,
    description: `the embedded database in ${config.dataDir}`,
    poolSize: 1,
    embedded,
  };
}

export interface WithDbOptions {
  /** Apply pending migrations first (every command but `db status`). */
  migrate?: boolean;
  log?: (line: string) => void;
}

export function makeWithDb(opts: WithDbOptions = {}): WithDb {
  return async <T>(fn: (ds: DataSource) => Promise<T>): Promise<T> => {
    const target = await openTarget();
    opts.log?.(`database: ${target.description}`);
    let ds: DataSource | null = null;
    try {
      if (opts.migrate !== false) await migrateTarget(target, (m) => opts.log?.(m));
      ds = createDataSource({
        url: target.url,
        poolSize: target.poolSize,
        applicationName: 'casualty-ledger-cli',
      });
      await ds.initialize();
      return await fn(ds);
    } finally {
      if (ds?.isInitialized) await ds.destroy();
      await target.embedded?.stop();
    }
  };
}

/** A command refused for a reason the operator can act on (printed as it is, exit code 2). */
export class RefusedError extends Error {}

/**
 * Applies pending migrations as the schema's owner (and grants the service's role after them).
 * Through a running embedded service there is no owner: its connections are the service role's,
 * which cannot change the schema; the service applies its migrations when it starts.
 */
export async function migrateTarget(target: DbTarget, log: (m: string) => void): Promise<void> {
  try {
    await migrate(target.migrationUrl, log);
  } catch (e) {
    if (target.throughService && (e as { code?: string }).code === '42501') {
      throw new RefusedError(
        'The running service has migrations pending that its connection may not apply (it ' +
          'runs as a role that cannot change the schema): restart the service, which applies ' +
          'them when it starts, or stop it and run this command again.',
      );
    }
    throw e;
  }
  if (target.ownerUrl) await grantServiceRole(target.ownerUrl, target.url);
}
