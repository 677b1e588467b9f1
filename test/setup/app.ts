import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { DataSource } from 'typeorm';
import { seedFoundingCase } from '../../seed/seed.js';
import { createApp } from '../../src/app.factory.js';
import { ROLES, type Role } from '../../src/common/domain.js';
import { loadConfig, type RuntimeConfig } from '../../src/config/configuration.js';
import { generateTokenSecret } from '../../src/users/token-secret.js';
import { testDatabaseUrl } from './test-db.js';

/** An account made for the tests, with a working API token. */
export interface TestUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  token: string;
  tokenId: string;
  tokenHash: string;
  tokenPrefix: string;
  /** Requests sent as this user. */
  http: () => TestAgent;
}

export interface TestApp {
  app: INestApplication;
  ds: DataSource;
  /** Requests sent as an admin (every route allowed). */
  http: () => TestAgent;
  /** Requests sent as a user of this role. */
  as: (role: Role) => TestAgent;
  /** Requests without any token. */
  anon: () => TestAgent;
  /** One account per role; `users.admin` is the one behind `http()`. */
  users: Record<Role, TestUser>;
  /** Another account (e.g. a second reviewer); it survives resetDatabase like the others. */
  createUser: (role: Role, name?: string) => Promise<TestUser>;
  config: RuntimeConfig;
  close: () => Promise<void>;
}

export function testConfig(overrides: Partial<RuntimeConfig> = {}): RuntimeConfig {
  const engine = (process.env.CL_TEST_ENGINE as RuntimeConfig['engine']) ?? 'embedded';
  return {
    ...loadConfig({ LOG_LEVEL: 'error' }),
    databaseUrl: testDatabaseUrl(),
    engine,
    // PGlite is one session: pglite-socket interleaves the extended-protocol messages of
    // concurrent connections outside a transaction (one query's Bind meets another's Parse:
    // "portal does not exist", or another query's rows). One connection queues them instead.
    poolSize: engine === 'embedded' ? 1 : 4,
    ...overrides,
  };
}

type StoredUser = Omit<TestUser, 'http'>;

// The test accounts made on each database (by URL: two apps of one test file share it),
// re-inserted by resetDatabase, which truncates users too, so that every token a test holds
// keeps working across resets.
const accounts = new Map<string, StoredUser[]>();
const accountsOf = (ds: DataSource): StoredUser[] => {
  const url = (ds.options as { url?: string }).url ?? '';
  if (!accounts.has(url)) accounts.set(url, []);
  return accounts.get(url)!;
};

async function insertAccounts(ds: DataSource, users: StoredUser[]): Promise<void> {
  if (!users.length) return;
  const expires = new Date(Date.now() + 30 * 86_400_000);
  await ds.query(
    `INSERT INTO users (id, name, email, role) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])`,
    [
      users.map((u) => u.id),
      users.map((u) => u.name),
      users.map((u) => u.email),
      users.map((u) => u.role),
    ],
  );
  await ds.query(
    `INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, expires_at)
     SELECT id, user_id, 'test', token_hash, prefix, $5 FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[])
       AS t(id, user_id, token_hash, prefix)`,
    [
      users.map((u) => u.tokenId),
      users.map((u) => u.id),
      users.map((u) => u.tokenHash),
      users.map((u) => u.tokenPrefix),
      expires,
    ],
  );
}

function newAccount(role: Role, name: string): StoredUser {
  const secret = generateTokenSecret();
  const id = randomUUID();
  return {
    id,
    name,
    email: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${id.slice(0, 8)}@test.local`,
    role,
    token: secret.token,
    tokenId: randomUUID(),
    tokenHash: secret.hash,
    tokenPrefix: secret.prefix,
  };
}

/**
 * The whole application on the suite's real database, empty but for the founding seed and one
 * account per role. `http()` sends the admin's token on every request.
 */
export async function createTestApp(overrides: Partial<RuntimeConfig> = {}): Promise<TestApp> {
  const config = testConfig(overrides);
  const app = await createApp(config);
  await app.init();
  const ds = app.get(DataSource);
  await resetDatabase(ds);
  const server = app.getHttpServer() as Parameters<typeof request.agent>[0];
  const agent = (token: string | null) => (): TestAgent => {
    const a = request.agent(server);
    return token ? a.set('Authorization', `Bearer ${token}`) : a;
  };
  const stored = ROLES.map((role) => newAccount(role, `Test ${role}`));
  accountsOf(ds).push(...stored);
  await insertAccounts(ds, stored);
  const withHttp = (u: StoredUser): TestUser => ({ ...u, http: agent(u.token) });
  const users = Object.fromEntries(stored.map((u) => [u.role, withHttp(u)])) as Record<
    Role,
    TestUser
  >;
  let extra = 0;
  return {
    app,
    ds,
    config,
    users,
    http: users.admin.http,
    as: (role) => users[role].http(),
    anon: agent(null),
    createUser: async (role, name) => {
      const u = newAccount(role, name ?? `Test ${role} ${++extra}`);
      accountsOf(ds).push(u);
      await insertAccounts(ds, [u]);
      return withHttp(u);
    },
    close: () => app.close(),
  };
}

/**
 * Truncates every table but the migrations (the audit log included, as a superuser's act: the
 * service's own role can do none of it), re-seeds the founding case, and puts back the test
 * accounts of this database with their tokens.
 */
export async function resetDatabase(ds: DataSource): Promise<void> {
  const tables = await ds.query<{ tablename: string }[]>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`,
  );
  await ds.transaction(async (m) => {
    // audit_log refuses TRUNCATE by a trigger (for everyone, its owner included); the suite's
    // superuser connection lifts its triggers for this one transaction, as a restore would.
    await m.query(`SET LOCAL session_replication_role = replica`);
    await m.query(
      `TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`,
    );
  });
  await seedFoundingCase(ds);
  await insertAccounts(ds, accountsOf(ds));
}
