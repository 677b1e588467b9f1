import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { seedFoundingCase } from '../../seed/seed.js';
import { createApp } from '../../src/app.factory.js';
import { auditWarning, migrate, prepareDatabase } from '../../src/database/bootstrap.js';
import { LOCK_FILE, startEmbedded, type EmbeddedDatabase } from '../../src/database/embedded.js';
import { EMBEDDED_SERVICE_ROLE } from '../../src/database/roles.js';
import { scanDuplicates } from '../../src/duplicates/duplicates-scan.js';
import { loadConfig } from '../../src/config/configuration.js';
import { generateTokenSecret } from '../../src/users/token-secret.js';
import { buildSource } from '../factories/index.js';
import { buildVictim } from '../factories/victims.js';
import { buildSharedRow, sharedCsv } from '../factories/imports.js';
import { testConfig } from '../setup/app.js';

jest.setTimeout(180_000);

const engine = testConfig().engine;
const serverUrl = process.env.TEST_DATABASE_URL;

/** An admin with a token, inserted through the service's own connection. */
async function adminToken(ds: DataSource): Promise<string> {
  const secret = generateTokenSecret();
  const id = randomUUID();
  await ds.query(`INSERT INTO users (id, name, role) VALUES ($1, 'Roles admin', 'admin')`, [id]);
  await ds.query(
    `INSERT INTO api_tokens (user_id, name, token_hash, prefix, expires_at)
     VALUES ($1, 'test', $2, $3, now() + interval '1 day')`,
    [id, secret.hash, secret.prefix],
  );
  return secret.token;
}

/**
 * What the service's connection may and may not do to the audit trail: it writes entries
 * through the API (an import included), and every way of wiping or unprotecting them fails.
 */
async function expectAppendOnly(app: INestApplication, attempts: string[]): Promise<void> {
  const ds = app.get(DataSource);
  const token = await adminToken(ds);
  const http = () => request(app.getHttpServer() as Parameters<typeof request>[0]);
  const count = async () =>
    (await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM audit_log`))[0].n;
  const before = await count();
  await http()
    .post('/api/sources')
    .set('Authorization', `Bearer ${token}`)
    .send(buildSource({ title: 'Written by the service role' }))
    .expect(201);
  const imported = await http()
    .post('/api/imports?kind=victims')
    .set('Authorization', `Bearer ${token}`)
    .set('Content-Type', 'text/csv')
    .send(sharedCsv([buildSharedRow({ name_fa: 'نقش نقش', name_en: 'Naqsh Naqsh' })]))
    .expect(201);
  expect(imported.body).toMatchObject({ written: true, imported: 1 });
  // The other kinds of write, as the service role: a victim created, edited, submitted.
  const auth = { Authorization: `Bearer ${token}` };
  const source = await http().post('/api/sources').set(auth).send(buildSource()).expect(201);
  const victim = await http()
    .post('/api/victims')
    .set(auth)
    .send(buildVictim(source.body.id as string))
    .expect(201);
  const edited = await http()
    .patch(`/api/victims/${victim.body.id}`)
    .set(auth)
    .send({ version: victim.body.version, age: 23 })
    .expect(200);
  await http()
    .post(`/api/victims/${victim.body.id}/status`)
    .set(auth)
    .send({ to: 'submitted', reason: 'ready for review', version: edited.body.version })
    .expect(200);
  const user = await http()
    .post('/api/users')
    .set(auth)
    .send({ name: 'Made by the service role', role: 'researcher' })
    .expect(201);
  await http().post(`/api/users/${user.body.id}/tokens`).set(auth).send({}).expect(201);
  await http().get(`/api/victims/${victim.body.id}/history`).set(auth).expect(200);
  const after = await count();
  expect(after).toBeGreaterThan(before);

  for (const sql of attempts) {
    await expect(ds.query(sql)).rejects.toThrow(
      /permission denied|must be owner|refused|not allowed/,
    );
  }
  expect(await count()).toBe(after);
  const [{ triggers }] = await ds.query<{ triggers: number }[]>(
    `SELECT count(*)::int AS triggers FROM pg_trigger
      WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal AND tgenabled = 'O'`,
  );
  expect(triggers).toBe(2);
}

const WIPES = [
  `TRUNCATE audit_log`,
  `DELETE FROM audit_log`,
  `UPDATE audit_log SET reason = 'rewritten'`,
  `ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete`,
  `ALTER TABLE audit_log DISABLE TRIGGER ALL`,
  `DROP TRIGGER audit_log_no_truncate ON audit_log`,
  `DROP TABLE audit_log`,
  `ALTER TABLE audit_log OWNER TO CURRENT_USER`,
  `CREATE TABLE wiped (id int)`,
];

const modeOf = (p: string): string => (fs.statSync(p).mode & 0o777).toString(8);

function modes(dir: string, out: Record<string, number> = {}): Record<string, number> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    const k = `${e.isDirectory() ? 'dir' : 'file'} ${modeOf(p)}`;
    out[k] = (out[k] ?? 0) + 1;
    if (e.isDirectory()) modes(p, out);
  }
  return out;
}

(engine === 'embedded' ? describe : describe.skip)('the embedded engine', () => {
  let tmp: string;
  let embedded: EmbeddedDatabase | null = null;
  let app: INestApplication | null = null;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-roles-'));
  });
  afterAll(async () => {
    await app?.close();
    await embedded?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('keeps its data 0700/0600, its lock 0600, and serves a unix socket in a 0700 directory, no TCP port', async () => {
    const dataDir = path.join(tmp, 'data');
    const prepared = await prepareDatabase(
      loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error', DB_POOL_SIZE: '1' }),
    );
    embedded = prepared.embedded!;
    const url = new URL(embedded.url);
    const socketDir = decodeURIComponent(url.hostname);
    expect(socketDir.startsWith('/')).toBe(true);
    expect(url.port).toBe('');
    expect(modeOf(socketDir)).toBe('700');
    expect(fs.statSync(path.join(socketDir, '.s.PGSQL.5432')).isSocket()).toBe(true);
    expect(modeOf(dataDir)).toBe('700');
    expect(modeOf(path.join(dataDir, LOCK_FILE))).toBe('600');
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8'))).toEqual({
      pid: process.pid,
      url: embedded.url,
      backup: path.join(socketDir, 'backup.sock'),
    });
    expect(fs.statSync(path.join(socketDir, 'backup.sock')).isSocket()).toBe(true);
    const pgdata = modes(path.join(dataDir, 'pgdata'));
    // PGlite rewrites its two relation-cache files (pg_internal.init) 644 while it runs; the
    // directories above them are 0700, and stop() sets them back.
    const { ['file 644']: cache = 0, ...rest } = pgdata;
    expect(cache).toBeLessThanOrEqual(2);
    expect(Object.keys(rest).sort()).toEqual(['dir 700', 'file 600']);
    expect(rest['file 600']).toBeGreaterThan(900);
    expect(prepared.serviceRole).toEqual({ role: EMBEDDED_SERVICE_ROLE, canWipe: [] });
    expect(auditWarning(prepared.serviceRole)).toBeNull();

    const c = new Client({ connectionString: embedded.url });
    await c.connect();
    const { rows } = await c.query<{ role: string; sb: string }>(
      `SELECT current_user AS role, current_setting('shared_buffers') AS sb`,
    );
    await c.end();
    expect(rows).toEqual([{ role: EMBEDDED_SERVICE_ROLE, sb: '32MB' }]);
  });

  it('runs the service as a role that can append to the audit trail and never wipe it, nor take another role', async () => {
    app = await createApp(testConfig({ databaseUrl: embedded!.url, engine: 'embedded' }));
    await app.init();
    await seedFoundingCase(app.get(DataSource));
    await expectAppendOnly(app, [
      ...WIPES,
      `SET ROLE postgres`,
      `RESET ROLE`,
      `SET SESSION AUTHORIZATION postgres`,
      `SELECT set_config('role', 'postgres', false)`,
      `DO $$ BEGIN EXECUTE 'SET ROLE postgres'; END $$`,
      `SELECT query_to_xml('SELECT set_config(''role'', ''postgres'', false)', false, false, '')`,
      `CREATE FUNCTION pg_temp.f() RETURNS void LANGUAGE sql AS 'SELECT 1'`,
    ]);
    const ds = app.get(DataSource);
    expect(await ds.query(`SELECT current_user AS role`)).toEqual([
      { role: EMBEDDED_SERVICE_ROLE },
    ]);
    // The duplicates scan empties its own working tables, and only those, as this role.
    await expect(scanDuplicates(ds)).resolves.toMatchObject({ records: expect.any(Number) });
    await expect(ds.query(`TRUNCATE victims`)).rejects.toThrow(/permission denied/);
  });

  it('sets everything back to 0600 when it stops, and leaves no socket behind', async () => {
    await app!.close();
    app = null;
    const dataDir = path.join(tmp, 'data');
    const socketDir = decodeURIComponent(new URL(embedded!.url).hostname);
    await embedded!.stop();
    embedded = null;
    expect(Object.keys(modes(path.join(dataDir, 'pgdata'))).sort()).toEqual([
      'dir 700',
      'file 600',
    ]);
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    expect(fs.existsSync(path.join(socketDir, '.s.PGSQL.5432'))).toBe(false);
  });

  it('makes a world-readable data directory of an earlier version private when it opens it', async () => {
    const dataDir = path.join(tmp, 'data');
    for (const f of ['PG_VERSION', 'postgresql.conf'])
      fs.chmodSync(path.join(dataDir, 'pgdata', f), 0o666);
    fs.chmodSync(dataDir, 0o755);
    const e = await startEmbedded({ dataDir });
    try {
      expect(modeOf(dataDir)).toBe('700');
      expect(modeOf(path.join(dataDir, 'pgdata', 'PG_VERSION'))).toBe('600');
    } finally {
      await e.stop();
    }
  });
});

(engine === 'postgresql' && serverUrl ? describe : describe.skip)(
  'a PostgreSQL server with an owner role and a service role',
  () => {
    const suffix = `${process.pid}_${Date.now()}`;
    const owner = `cl_owner_${suffix}`;
    const service = `cl_service_${suffix}`;
    const dbName = `cl_roles_${suffix}`;
    const urlAs = (user: string): string => {
      const u = new URL(serverUrl!);
      u.username = user;
      u.pathname = `/${dbName}`;
      return u.toString();
    };
    let admin: Client;
    let app: INestApplication | null = null;
    beforeAll(async () => {
      admin = new Client({ connectionString: serverUrl });
      await admin.connect();
      // As docs/operations.md tells an administrator to (trust authentication here: no passwords).
      await admin.query(`CREATE ROLE ${owner} LOGIN`);
      await admin.query(`CREATE ROLE ${service} LOGIN`);
      await admin.query(`CREATE DATABASE ${dbName} OWNER ${owner}`);
      await admin.query(`REVOKE ALL ON DATABASE ${dbName} FROM PUBLIC`);
      await admin.query(`GRANT CONNECT ON DATABASE ${dbName} TO ${service}`);
      const inDb = new Client({ connectionString: urlAs(new URL(serverUrl!).username) });
      await inDb.connect();
      await inDb.query(`ALTER SCHEMA public OWNER TO ${owner}`);
      await inDb.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
      await inDb.end();
    });
    afterAll(async () => {
      await app?.close();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS ${service}`);
      await admin.query(`DROP ROLE IF EXISTS ${owner}`);
      await admin.end();
    });

    it('migrates as the owner, grants the service role, and warns of nothing', async () => {
      const prepared = await prepareDatabase(
        loadConfig({
          DATABASE_URL: urlAs(service),
          DATABASE_OWNER_URL: urlAs(owner),
          LOG_LEVEL: 'error',
        }),
      );
      expect(prepared.embedded).toBeNull();
      expect(prepared.serviceRole).toEqual({ role: service, canWipe: [] });
      const inDb = new Client({ connectionString: urlAs(new URL(serverUrl!).username) });
      await inDb.connect();
      const owners = await inDb.query<{ tableowner: string }>(
        `SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`,
      );
      await inDb.end();
      expect(owners.rows).toEqual([{ tableowner: owner }]);
      // Applied twice (a second start, or a second replica): the same grants, nothing pending.
      await prepareDatabase(
        loadConfig({
          DATABASE_URL: urlAs(service),
          DATABASE_OWNER_URL: urlAs(owner),
          LOG_LEVEL: 'error',
        }),
      );
    });

    it('runs the service as a role that can append to the audit trail and never wipe it', async () => {
      app = await createApp(testConfig({ databaseUrl: urlAs(service), engine: 'postgresql' }));
      await app.init();
      await seedFoundingCase(app.get(DataSource));
      await expectAppendOnly(app, [
        ...WIPES,
        `SET ROLE ${owner}`,
        `SET SESSION AUTHORIZATION ${owner}`,
        `INSERT INTO migrations (timestamp, name) VALUES (1, 'x')`,
      ]);
    });

    it('warns when the service runs as the schema owner (DATABASE_URL alone)', async () => {
      await migrate(urlAs(owner));
      const prepared = await prepareDatabase(
        loadConfig({ DATABASE_URL: urlAs(owner), LOG_LEVEL: 'error' }),
      );
      expect(prepared.serviceRole.role).toBe(owner);
      expect(prepared.serviceRole.canWipe).toContain(
        'owns audit_log (it can disable or drop its triggers)',
      );
      expect(auditWarning(prepared.serviceRole)).toMatch(/could wipe or rewrite the audit trail/);
    });
  },
);
