import pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { ENTITIES } from './entities.js';
import { RedactingQueryLogger } from './query-logger.js';
import { SnakeNamingStrategy } from './naming.js';

// Dates stay 'yyyy-mm-dd' strings: a JS Date would shift a partial date across time zones.
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);
// count(*) and bigint ids: exact strings; we cast counts to int in SQL.

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
  logging?: boolean;
  applicationName?: string;
  /**
   * How long a query may wait or run before it fails (default 60 s); null: no limit, for
   * migrations, which rewrite or index every row of a large database.
   */
  queryTimeoutMs?: number | null;
}

/** One definition feeds Nest, the CLI, the seed, the tests and the benchmark. */
export function dataSourceOptions(opts: DatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: opts.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    logging: opts.logging ? ['error', 'warn', 'query'] : ['error'],
    logger: new RedactingQueryLogger(opts.logging === true),
    applicationName: opts.applicationName ?? 'casualty-ledger',
    extra: {
      max: opts.poolSize ?? 10,
      // A query stuck behind another session's transaction fails instead of hanging forever.
      // The server stops a statement first (57014: answered 503, the transaction rolled
      // back); the driver's own limit, a little later, catches a connection that hangs.
      ...(opts.queryTimeoutMs === null
        ? {}
        : {
            statement_timeout: opts.queryTimeoutMs ?? 60_000,
            query_timeout: (opts.queryTimeoutMs ?? 60_000) + 5_000,
          }),
      connectionTimeoutMillis: 10_000,
    },
  };
}

export function createDataSource(opts: DatabaseOptions): DataSource {
  return new DataSource(dataSourceOptions(opts));
}
