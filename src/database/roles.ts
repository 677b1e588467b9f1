import pg from 'pg';

/**
 * Least privilege. The schema belongs to the owner role, which runs the migrations; the service
 * runs as another role that reads and writes the records but can only INSERT and SELECT the
 * audit trail, and, not owning audit_log, can neither disable nor drop its triggers
 * (docs/operations.md shows how to create both roles on a server).
 */

/** The role the embedded engine's service connections run as (created inside it). */
export const EMBEDDED_SERVICE_ROLE = 'casualty_ledger_service';

const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/**
 * What the owner grants the service role, again at every start, so that tables added by later
 * migrations are covered. MAINTAIN (PostgreSQL 17+) lets it ANALYZE and VACUUM, which the
 * embedded engine needs (it has no autovacuum); it is no right to change or delete a row.
 */
export function serviceGrants(role: string, serverVersionNum: number): string[] {
  const r = quoteIdent(role);
  return [
    `GRANT USAGE ON SCHEMA public TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`,
    `REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM ${r}`,
    // The duplicates scan's working tables hold no record, only keys it rebuilds each run.
    `GRANT TRUNCATE ON "duplicate_scan_keys", "duplicate_scan_candidates", "duplicate_scan_names" TO ${r}`,
    `REVOKE UPDATE, DELETE ON "audit_log" FROM ${r}`,
    `REVOKE INSERT, UPDATE, DELETE ON "migrations" FROM ${r}`,
    ...(serverVersionNum >= 170000
      ? [`GRANT MAINTAIN ON ALL TABLES IN SCHEMA public TO ${r}`]
      : []),
  ];
}

/**
 * On the embedded engine, PostgreSQL in single-user mode, the session user is the bootstrap
 * superuser and the service runs as a lesser role inside the same session; a superuser session
 * may change its role again. session-guard.ts refuses the statements that do; these close the
 * ways round it: no DO block or function of the service's own (no language, no schema to create
 * one in, no temporary schema), and no set_config (which a function that runs a query string,
 * such as query_to_xml, could call). The service writes `SET LOCAL name = value` instead.
 */
export function embeddedHardening(role: string): string[] {
  const r = quoteIdent(role);
  return [
    `DO $$ BEGIN
       IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role.replace(/'/g, "''")}') THEN
         CREATE ROLE ${r} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
       END IF;
     END $$`,
    `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
    `REVOKE CREATE ON SCHEMA public FROM ${r}`,
    `REVOKE TEMPORARY ON DATABASE postgres FROM PUBLIC`,
    `REVOKE USAGE ON LANGUAGE plpgsql FROM PUBLIC`,
    `REVOKE USAGE ON LANGUAGE sql FROM PUBLIC`,
    `REVOKE EXECUTE ON FUNCTION pg_catalog.set_config(text, text, boolean) FROM PUBLIC`,
  ];
}

export interface RoleCheck {
  role: string;
  /** What the role could do to the audit trail; empty when it can only read and append. */
  canWipe: string[];
}

interface PowersRow {
  role: string;
  superuser: boolean;
  owner: boolean;
  truncate: boolean;
  update: boolean;
  delete: boolean;
}

export type RunSql = (sql: string) => Promise<unknown[]>;

/** What the connection's role may do to audit_log beyond INSERT and SELECT. */
export async function auditPowers(run: RunSql): Promise<RoleCheck> {
  const [r] = (await run(
    `SELECT current_user AS role,
            r.rolsuper AS superuser,
            pg_has_role(current_user, c.relowner, 'USAGE') AS owner,
            has_table_privilege('public.audit_log', 'TRUNCATE') AS truncate,
            has_table_privilege('public.audit_log', 'UPDATE') AS update,
            has_table_privilege('public.audit_log', 'DELETE') AS delete
       FROM pg_roles r, pg_class c
      WHERE r.rolname = current_user AND c.oid = 'public.audit_log'::regclass`,
  )) as PowersRow[];
  const canWipe = [
    r.superuser && 'is a superuser',
    r.owner && 'owns audit_log (it can disable or drop its triggers)',
    r.truncate && 'may TRUNCATE audit_log',
    r.update && 'may UPDATE audit_log',
    r.delete && 'may DELETE from audit_log',
  ].filter((x): x is string => typeof x === 'string');
  return { role: r.role, canWipe };
}

async function withClient<T>(url: string, fn: (run: RunSql) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => {});
  await c.connect();
  try {
    return await fn(async (sql) => (await c.query(sql)).rows as unknown[]);
  } finally {
    await c.end();
  }
}

/**
 * On a server with two roles: the owner (ownerUrl, which ran the migrations) grants the role of
 * serviceUrl what the service needs and no more. Returns what the service's role can still do
 * to the audit trail: nothing, unless it is the owner itself or a superuser, which no grant
 * can take back.
 */
export async function grantServiceRole(ownerUrl: string, serviceUrl: string): Promise<RoleCheck> {
  const before = await withClient(serviceUrl, auditPowers);
  const mightOwn = before.canWipe.some((w) => w.startsWith('is a') || w.startsWith('owns'));
  if (mightOwn) return before;
  await withClient(ownerUrl, async (run) => {
    const [{ n }] = (await run(`SELECT current_setting('server_version_num')::int AS n`)) as {
      n: number;
    }[];
    for (const sql of serviceGrants(before.role, n)) await run(sql);
  });
  return withClient(serviceUrl, auditPowers);
}

/** What the role of url can do to the audit trail (for a warning at start). */
export function auditPowersAt(url: string): Promise<RoleCheck> {
  return withClient(url, auditPowers);
}
