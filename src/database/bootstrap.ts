import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { AppConfig, RuntimeConfig } from '../config/configuration.js';
import { createDataSource } from './data-source.js';
import { startEmbedded, type EmbeddedDatabase } from './embedded.js';
import { auditPowersAt, grantServiceRole, type RoleCheck } from './roles.js';

export interface ResolvedDatabase {
  config: RuntimeConfig;
  embedded: EmbeddedDatabase | null;
}

/** The external server when DATABASE_URL is set, else the embedded engine under DATA_DIR. */
export async function resolveDatabase(config: AppConfig): Promise<ResolvedDatabase> {
  if (config.databaseUrl) {
    return {
      config: { ...config, databaseUrl: config.databaseUrl, engine: 'postgresql' },
      embedded: null,
    };
  }
  const embedded = await startEmbedded({
    dataDir: config.dataDir,
    maxConnections: config.poolSize + 4,
  });
  // PGlite is one session and pglite-socket interleaves the extended-protocol messages of
  // concurrent connections outside a transaction: one query's Bind can meet another's Parse
  // ("portal does not exist", or another request's rows). The app's pool keeps one connection.
  return {
    config: { ...config, poolSize: 1, databaseUrl: embedded.url, engine: 'embedded' },
    embedded,
  };
}

// pg_advisory_lock's key for "migrating casualty-ledger" (any fixed bigint would do).
const MIGRATION_LOCK = 1764000120001;

/**
 * Applies pending migrations on a short-lived connection. Two replicas starting at once on one
 * server take turns (TypeORM takes no lock of its own): the second finds nothing pending.
 */
export async function migrate(url: string, log: (m: string) => void = () => {}): Promise<void> {
  const lock = new pg.Client({ connectionString: url });
  lock.on('error', () => {});
  await lock.connect();
  try {
    await lock.query(`SELECT pg_advisory_lock($1)`, [MIGRATION_LOCK]);
    const ds: DataSource = createDataSource({ url, poolSize: 2, queryTimeoutMs: null });
    await ds.initialize();
    try {
      const done = await ds.runMigrations({ transaction: 'each' });
      for (const m of done) log(`migration applied: ${m.name}`);
    } finally {
      await ds.destroy();
    }
    // Released explicitly: on the embedded engine, one session, closing this connection would not.
    await lock.query(`SELECT pg_advisory_unlock($1)`, [MIGRATION_LOCK]);
  } finally {
    await lock.end();
  }
}

export interface PreparedDatabase extends ResolvedDatabase {
  /** The service's role, and what it could still do to the audit trail (nothing, ideally). */
  serviceRole: RoleCheck;
}

/**
 * Resolves the database, applies the migrations as the schema's owner, and leaves the service
 * a role that can read and write the records but only read and append to the audit trail:
 * - embedded: migrations as the engine's superuser, then every connection as
 *   casualty_ledger_service (EmbeddedDatabase.restrict);
 * - a server with DATABASE_OWNER_URL: migrations and grants as that role, the service as
 *   DATABASE_URL's role;
 * - a server with DATABASE_URL alone: that role migrates and owns the schema, so it could
 *   unprotect the audit trail; serviceRole.canWipe says so (logged as a warning at start).
 */
export async function prepareDatabase(
  config: AppConfig,
  log: (m: string) => void = () => {},
): Promise<PreparedDatabase> {
  const resolved = await resolveDatabase(config);
  const { embedded } = resolved;
  try {
    if (embedded) {
      await migrate(embedded.url, log);
      await embedded.restrict();
      return { ...resolved, serviceRole: await auditPowersAt(embedded.url) };
    }
    const serviceUrl = resolved.config.databaseUrl;
    if (!config.databaseOwnerUrl) {
      await migrate(serviceUrl, log);
      return { ...resolved, serviceRole: await auditPowersAt(serviceUrl) };
    }
    await migrate(config.databaseOwnerUrl, log);
    return {
      ...resolved,
      serviceRole: await grantServiceRole(config.databaseOwnerUrl, serviceUrl),
    };
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
}

/** The warning to log when the service's role could wipe the audit trail, or null. */
export function auditWarning(check: RoleCheck): string | null {
  if (!check.canWipe.length) return null;
  return (
    `the service's database role "${check.role}" ${check.canWipe.join(', ')}: it could wipe or ` +
    'rewrite the audit trail. Run the service as a role that does not own the schema, with ' +
    'DATABASE_OWNER_URL for the migrations (docs/operations.md, "Least privilege").'
  );
}
