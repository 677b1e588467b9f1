import path from 'node:path';

export interface AppConfig {
  port: number;
  host: string;
  /** An external PostgreSQL server; when absent, the embedded engine under dataDir is used. */
  databaseUrl: string | null;
  /**
   * The schema owner's connection to that server, for migrations (and the grants to the
   * service's role); null: DATABASE_URL's role migrates too, and owns what it creates.
   */
  databaseOwnerUrl: string | null;
  dataDir: string;
  poolSize: number;
  /** A statement running longer is stopped (503); migrations have no limit. */
  statementTimeoutMs: number;
  /** Counts and reconciliations computed at once; the others wait their turn. */
  aggregateConcurrency: number;
  bodyLimit: string;
  importBodyLimit: string;
  /** Serve verified, non-restricted data without a token. */
  publicRead: boolean;
  corsOrigins: string[];
  logLevel: 'error' | 'warn' | 'log' | 'debug';
  seedOnStart: boolean;
  /** Failed authentications allowed per client IP per minute before 429. */
  rateLimitAuthPerMinute: number;
  /** Writes (POST, PUT, PATCH, DELETE) allowed per API token per minute before 429. */
  rateLimitWritesPerMinute: number;
  /** Lifetime of a new API token when none is given. */
  tokenDefaultDays: number;
}

export class ConfigError extends Error {}

const SIZE = /^\d+(kb|mb)$/i;

/** A size as configured ("512kb", "200mb") in bytes. */
export function sizeInBytes(size: string): number {
  const m = /^(\d+)(kb|mb)$/i.exec(size);
  if (!m) throw new Error(`not a size: ${size}`);
  return Number(m[1]) * (m[2].toLowerCase() === 'kb' ? 1024 : 1024 * 1024);
}

/** Reads and validates the environment; the service refuses to start on a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return def;
    }
    return n;
  };
  const bool = (name: string, def: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return def;
  };
  const size = (name: string, def: string): string => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    if (!SIZE.test(raw)) problems.push(`${name} must look like 1mb or 512kb (got "${raw}")`);
    return raw;
  };

  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const databaseOwnerUrl =
    env.DATABASE_OWNER_URL?.trim() || env.MIGRATION_DATABASE_URL?.trim() || null;
  if (databaseOwnerUrl && !/^postgres(ql)?:\/\//.test(databaseOwnerUrl)) {
    problems.push('DATABASE_OWNER_URL must be a postgres:// or postgresql:// URL');
  }
  if (databaseOwnerUrl && !databaseUrl) {
    problems.push(
      'DATABASE_OWNER_URL needs DATABASE_URL (the service role on the same server): the embedded engine makes both roles itself',
    );
  }
  const logLevel = (env.LOG_LEVEL || 'log') as AppConfig['logLevel'];
  if (!['error', 'warn', 'log', 'debug'].includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of error, warn, log, debug (got "${logLevel}")`);
  }
  const config: AppConfig = {
    port: int('PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    databaseOwnerUrl,
    dataDir: path.resolve(env.DATA_DIR || './data'),
    poolSize: int('DB_POOL_SIZE', 10, 1, 100),
    aggregateConcurrency: int('AGGREGATE_CONCURRENCY', 2, 1, 64),
    statementTimeoutMs: int('STATEMENT_TIMEOUT_MS', 60_000, 1, 3_600_000),
    bodyLimit: size('BODY_LIMIT', '1mb'),
    importBodyLimit: size('IMPORT_BODY_LIMIT', '200mb'),
    publicRead: bool('PUBLIC_READ', false),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    logLevel,
    seedOnStart: bool('SEED_ON_START', true),
    rateLimitAuthPerMinute: int('RATE_LIMIT_AUTH_PER_MINUTE', 100, 1, 1_000_000),
    rateLimitWritesPerMinute: int('RATE_LIMIT_WRITES_PER_MINUTE', 3000, 1, 1_000_000),
    tokenDefaultDays: int('TOKEN_DEFAULT_DAYS', 90, 1, 3650),
  };
  if (problems.length) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return config;
}

/** The configuration once the database is resolved: the external server or the embedded one. */
export interface RuntimeConfig extends AppConfig {
  databaseUrl: string;
  engine: 'embedded' | 'postgresql';
}
