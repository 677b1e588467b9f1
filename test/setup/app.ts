import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { DataSource } from 'typeorm';
import { seedFoundingCase } from '../../seed/seed.js';
import { createApp } from '../../src/app.factory.js';
import { loadConfig, type RuntimeConfig } from '../../src/config/configuration.js';
import { testDatabaseUrl } from './test-db.js';

export interface TestApp {
  app: INestApplication;
  ds: DataSource;
  http: () => TestAgent;
  config: RuntimeConfig;
  close: () => Promise<void>;
}

export function testConfig(overrides: Partial<RuntimeConfig> = {}): RuntimeConfig {
  return {
    ...loadConfig({ LOG_LEVEL: 'error' }),
    databaseUrl: testDatabaseUrl(),
    engine: (process.env.CL_TEST_ENGINE as RuntimeConfig['engine']) ?? 'embedded',
    poolSize: 4,
    ...overrides,
  };
}

/** The whole application on the suite's real database, empty but for the founding seed. */
export async function createTestApp(overrides: Partial<RuntimeConfig> = {}): Promise<TestApp> {
  const config = testConfig(overrides);
  const app = await createApp(config);
  await app.init();
  const ds = app.get(DataSource);
  await resetDatabase(ds);
  return {
    app,
    ds,
    config,
    http: () => request(app.getHttpServer()),
    close: () => app.close(),
  };
}

/**
 * Truncates every table but the migrations (the audit log included: TRUNCATE is an operator's
 * act, UPDATE and DELETE stay refused) and re-seeds the founding case.
 */
export async function resetDatabase(ds: DataSource): Promise<void> {
  const tables = (await ds.query(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`,
  )) as { tablename: string }[];
  await ds.query(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
  await seedFoundingCase(ds);
}
