import type { DataSource } from 'typeorm';
import type { AppConfig, RuntimeConfig } from '../config/configuration.js';
import { createDataSource } from './data-source.js';
import { startEmbedded, type EmbeddedDatabase } from './embedded.js';

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

/** Applies pending migrations on a short-lived connection. */
export async function migrate(url: string, log: (m: string) => void = () => {}): Promise<void> {
  const ds: DataSource = createDataSource({ url, poolSize: 2, queryTimeoutMs: null });
  await ds.initialize();
  try {
    const done = await ds.runMigrations({ transaction: 'each' });
    for (const m of done) log(`migration applied: ${m.name}`);
  } finally {
    await ds.destroy();
  }
}
