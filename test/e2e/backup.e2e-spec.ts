import { execFileSync, spawn } from 'node:child_process';
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
import { projectRoot } from '../../src/common/project-root.js';
import { loadConfig } from '../../src/config/configuration.js';
import { prepareDatabase } from '../../src/database/bootstrap.js';
import type { EmbeddedDatabase } from '../../src/database/embedded.js';
import { generateTokenSecret } from '../../src/users/token-secret.js';
import { buildSource } from '../factories/index.js';
import { realSharedRows, sharedCsv } from '../factories/imports.js';
import { testConfig } from '../setup/app.js';

// The CLI runs as a child process, built once (without type checking), as in cli.e2e-spec.
jest.setTimeout(300_000);

const ROOT = projectRoot();
const BUILD = path.join(ROOT, 'node_modules', '.cache', 'casualty-ledger-backup-test');
const MAIN = path.join(BUILD, 'src', 'cli', 'main.js');
const engine = testConfig().engine;
const serverUrl = process.env.TEST_DATABASE_URL;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI with exactly this database configuration (DATABASE_URL or DATA_DIR, nothing inherited). */
function cli(env: Record<string, string>, ...args: string[]): Promise<Run> {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.DATABASE_OWNER_URL;
  delete base.DATA_DIR;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: ROOT,
      env: { ...base, LOG_LEVEL: 'error', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The service on the database of env, as main.ts starts it (migrated, restricted, seeded). */
async function startService(env: Record<string, string>): Promise<{
  app: INestApplication;
  embedded: EmbeddedDatabase | null;
  close: () => Promise<void>;
}> {
  const { config, embedded } = await prepareDatabase(loadConfig({ LOG_LEVEL: 'error', ...env }));
  const app = await createApp(
    testConfig({ databaseUrl: config.databaseUrl, engine: config.engine }),
  );
  await app.init();
  await seedFoundingCase(app.get(DataSource));
  return {
    app,
    embedded,
    close: async () => {
      await app.close();
      await embedded?.stop();
    },
  };
}

interface Snapshot {
  rows: Record<string, number>;
  reconciliation: unknown;
  counts: unknown;
  audit: unknown;
}

/** Every table's row count and the answers a UN submission would quote. */
async function snapshot(app: INestApplication, token: string): Promise<Snapshot> {
  const ds = app.get(DataSource);
  const tables = await ds.query<{ tablename: string }[]>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  const rows: Record<string, number> = {};
  for (const { tablename } of tables)
    rows[tablename] = (
      await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${tablename}"`)
    )[0].n;
  const get = async (url: string): Promise<unknown> =>
    (
      await request(app.getHttpServer() as Parameters<typeof request>[0])
        .get(url)
        .set('Authorization', `Bearer ${token}`)
        .expect(200)
    ).body as unknown;
  return {
    rows,
    reconciliation: await get('/api/reconciliation?category=killed'),
    counts: await get('/api/counts?category=killed&groupBy=province'),
    audit: await ds.query(`SELECT id, action, entity, entity_id, after FROM audit_log ORDER BY id`),
  };
}

/** Some of everything: an admin, a source, 60 of the real victims imported, their audit entries. */
async function fill(app: INestApplication): Promise<string> {
  const ds = app.get(DataSource);
  const secret = generateTokenSecret();
  const id = randomUUID();
  await ds.query(`INSERT INTO users (id, name, role) VALUES ($1, 'Backup admin', 'admin')`, [id]);
  await ds.query(
    `INSERT INTO api_tokens (user_id, name, token_hash, prefix, expires_at)
     VALUES ($1, 'test', $2, $3, now() + interval '1 day')`,
    [id, secret.hash, secret.prefix],
  );
  const http = () => request(app.getHttpServer() as Parameters<typeof request>[0]);
  await http()
    .post('/api/sources')
    .set('Authorization', `Bearer ${secret.token}`)
    .send(buildSource({ title: 'گزارش پیش از پشتیبان‌گیری' }))
    .expect(201);
  const res = await http()
    .post('/api/imports?kind=victims&mode=skip-invalid')
    .set('Authorization', `Bearer ${secret.token}`)
    .set('Content-Type', 'text/csv')
    .send(sharedCsv(realSharedRows().slice(0, 60)));
  expect(res.status).toBe(201);
  expect(res.body.imported).toBeGreaterThan(30);
  return secret.token;
}

describe('db backup and db restore', () => {
  let tmp: string;
  beforeAll(() => {
    execFileSync(
      process.execPath,
      [
        require.resolve('typescript/bin/tsc'),
        '-p',
        'tsconfig.build.json',
        '--noCheck',
        '--outDir',
        BUILD,
      ],
      { cwd: ROOT, stdio: 'inherit' },
    );
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-backup-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  (engine === 'embedded' ? it : it.skip)(
    'embedded: backs up while the service runs, restores into a new DATA_DIR, same counts and reconciliation',
    async () => {
      const source = { DATA_DIR: path.join(tmp, 'data') };
      const restored = { DATA_DIR: path.join(tmp, 'restored') };
      const file = path.join(tmp, 'ledger.tar.gz');
      const running = await startService(source);
      let before: Snapshot;
      let token: string;
      try {
        token = await fill(running.app);
        before = await snapshot(running.app, token);
        // The CLI works through the running service's socket, as the service's role.
        const status = await cli(source, 'db', 'status');
        expect(status.stderr).toMatch(/through the running service \(process \d+\)/);
        expect(status.stdout).toMatch(/up to date/);
        expect((await cli(source, 'db', 'migrate')).stdout).toMatch(/nothing to apply/);
        expect((await cli(source, 'users', 'list')).stdout).toMatch(/Backup admin/);
        const b = await cli(source, 'db', 'backup', file);
        expect(b).toMatchObject({ code: 0 });
        expect(b.stdout).toMatch(/backup written: .*the running service \(process \d+\)/);
        expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
        // Into the running service's own directory, or over any data: refused.
        const over = await cli(source, 'db', 'restore', file);
        expect(over.code).toBe(2);
        expect(over.stderr).toMatch(/in use by process \d+: stop the service/);
        // A second backup to the same file: refused, the first kept.
        expect((await cli(source, 'db', 'backup', file)).stderr).toMatch(/exists/);

        const r = await cli(restored, 'db', 'restore', file);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(
          new RegExp(`restored: \\d+ sources, \\d+ incidents, ${before.rows.victims} victims`),
        );
        expect((fs.statSync(restored.DATA_DIR).mode & 0o777).toString(8)).toBe('700');
        const again = await cli(restored, 'db', 'restore', file);
        expect(again.code).toBe(2);
        expect(again.stderr).toMatch(/already holds a database/);
      } finally {
        await running.close();
      }
      const back = await startService(restored);
      try {
        // The token written before the backup works on the restored database.
        expect(await snapshot(back.app, token!)).toEqual(before!);
      } finally {
        await back.close();
      }
    },
  );

  (engine === 'postgresql' && serverUrl ? it : it.skip)(
    'server: pg_dump through db backup, pg_restore into a new database, same counts and reconciliation',
    async () => {
      const suffix = `${process.pid}_${Date.now()}`;
      const admin = new Client({ connectionString: serverUrl });
      await admin.connect();
      const urlOf = (db: string): string => {
        const u = new URL(serverUrl!);
        u.pathname = `/${db}`;
        return u.toString();
      };
      const src = `cl_backup_src_${suffix}`;
      const dst = `cl_backup_dst_${suffix}`;
      await admin.query(`CREATE DATABASE ${src}`);
      await admin.query(`CREATE DATABASE ${dst}`);
      const file = path.join(tmp, 'ledger.dump');
      try {
        const running = await startService({ DATABASE_URL: urlOf(src) });
        let before: Snapshot;
        let token: string;
        try {
          token = await fill(running.app);
          before = await snapshot(running.app, token);
          const b = await cli({ DATABASE_URL: urlOf(src) }, 'db', 'backup', file);
          expect(b).toMatchObject({ code: 0 });
          expect(b.stdout).toMatch(/pg_dump, custom format/);
          expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
          const over = await cli({ DATABASE_URL: urlOf(src) }, 'db', 'restore', file);
          expect(over.code).toBe(2);
          expect(over.stderr).toMatch(/is not empty/);
        } finally {
          await running.close();
        }
        const r = await cli({ DATABASE_URL: urlOf(dst) }, 'db', 'restore', file);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        const back = await startService({ DATABASE_URL: urlOf(dst) });
        try {
          expect(await snapshot(back.app, token!)).toEqual(before!);
        } finally {
          await back.close();
        }
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${src} WITH (FORCE)`);
        await admin.query(`DROP DATABASE IF EXISTS ${dst} WITH (FORCE)`);
        await admin.end();
      }
    },
  );
});
