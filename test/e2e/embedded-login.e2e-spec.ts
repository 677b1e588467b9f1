import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Client } from 'pg';

/**
 * Why the embedded engine's service runs as a superuser session switched to its role with
 * `SET ROLE`, guarded by src/database/session-guard.ts, instead of logging in as that role
 * (docs/operations.md, "Why not a real non-superuser login"): in PGlite 0.5.14 neither its
 * `username` option nor a socket client's startup user gives a session that is not the
 * superuser's. These checks pin that down; when one fails, PGlite has changed, and the engine
 * may be able to log the service in for real (and drop the guard).
 */
describe('PGlite logins (why the embedded engine keeps its session guard)', () => {
  let dump: Blob;
  const rows = async <T>(db: PGlite, sql: string): Promise<T[]> => (await db.query<T>(sql)).rows;

  beforeAll(async () => {
    const db = await PGlite.create();
    await db.exec(`CREATE ROLE svc LOGIN;
      CREATE TABLE audit_log (x int);
      GRANT SELECT, INSERT ON audit_log TO svc;`);
    dump = await db.dumpDataDir('none');
    await db.close();
  });

  it('the `username` option is a SET ROLE: the session user stays the superuser, and RESET ROLE undoes it', async () => {
    const db = await PGlite.create({ loadDataDir: dump, username: 'svc' });
    try {
      expect(
        await rows(
          db,
          `SELECT current_user::text AS cur, session_user::text AS ses,
                  (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) AS super`,
        ),
      ).toEqual([{ cur: 'svc', ses: 'postgres', super: true }]);
      await expect(db.query(`TRUNCATE audit_log`)).rejects.toThrow(/permission denied/);
      await db.exec(`RESET ROLE`);
      expect(await rows(db, `SELECT current_user::text AS cur`)).toEqual([{ cur: 'postgres' }]);
      await db.exec(`TRUNCATE audit_log`);
    } finally {
      await db.close();
    }
  });

  it('the socket server ignores the startup user: any name is served as the superuser', async () => {
    const db = await PGlite.create({ loadDataDir: dump });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-pglite-login-'));
    const server = new PGLiteSocketServer({
      db,
      path: path.join(dir, '.s.PGSQL.5432'),
      maxConnections: 2,
    });
    await server.start();
    try {
      for (const user of ['svc', 'no_such_role']) {
        const c = new Client({ host: dir, user, database: 'postgres' });
        c.on('error', () => {});
        await c.connect();
        try {
          const r = await c.query<{ cur: string; ses: string; super: boolean }>(
            `SELECT current_user::text AS cur, session_user::text AS ses,
                    (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) AS super`,
          );
          expect({ user, row: r.rows[0] }).toEqual({
            user,
            row: { cur: 'postgres', ses: 'postgres', super: true },
          });
        } finally {
          await c.end();
        }
      }
    } finally {
      await server.stop();
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
