import { refusedSql } from '../../src/database/session-guard.js';

describe('the embedded engine’s session guard', () => {
  it.each([
    'SET ROLE postgres',
    'set role postgres',
    'SET LOCAL ROLE postgres',
    'SET SESSION ROLE postgres',
    'SET "role" = \'postgres\'',
    'SET role TO DEFAULT',
    'SET/* a comment */ROLE postgres',
    '  -- a comment\n  SET\n\tROLE postgres',
    'SET SESSION AUTHORIZATION postgres',
    'SET session_authorization = postgres',
    'RESET ROLE',
    'RESET ALL',
    'RESET SESSION AUTHORIZATION',
    'DISCARD ALL',
    "DO $$ BEGIN EXECUTE 'SET ROLE postgres'; END $$",
    'SELECT 1; SET ROLE postgres',
    'BEGIN; SET LOCAL ROLE postgres; TRUNCATE audit_log; COMMIT',
    "SELECT set_config('role', 'postgres', false)",
    "SELECT pg_catalog.set_config(' Role ', 'postgres', false)",
    "SELECT \"set_config\"('session_authorization', 'postgres', false)",
    'SELECT set_config($1, $2, false)',
    "SELECT set_config(chr(114) || 'ole', 'postgres', false)",
    'SET U&"r\\006Fle" TO postgres',
    "SELECT U&'\\0072ole'",
  ])('refuses %s', (sql) => {
    expect(refusedSql(sql)).not.toBeNull();
  });

  it.each([
    'SELECT role FROM users WHERE id = $1',
    "UPDATE users SET role = 'admin' WHERE id = $1",
    "INSERT INTO victims (name) VALUES ('SET ROLE postgres')",
    "SELECT 'x; SET ROLE postgres' AS a",
    "SELECT E'it\\'s; SET ROLE postgres'",
    'SELECT $tag$ ; SET ROLE postgres $tag$',
    'SELECT "SET ROLE" FROM t',
    '-- SET ROLE postgres\nSELECT 1',
    '/* nested /* SET ROLE */ still a comment */ SELECT 1',
    "SET LOCAL ledger.rollups_deferred = 'on'",
    "SET LOCAL work_mem = '64MB'",
    'SET LOCAL jit = off',
    "SELECT set_config('ledger.rollups_deferred', 'on', true)",
    'INSERT INTO x VALUES (1) ON CONFLICT DO NOTHING',
    'BEGIN; SELECT 1; COMMIT',
    "SELECT name FROM victims WHERE name_fa = 'نقش نقش role'",
  ])('lets %s through', (sql) => {
    expect(refusedSql(sql)).toBeNull();
  });
});
