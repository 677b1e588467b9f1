import { createHash } from 'node:crypto';
import type pg from 'pg';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';

/**
 * Named prepared statements for the hot read paths (a page of victims, a token): PostgreSQL
 * parses and plans a named statement once per connection, and after five executions keeps a
 * generic plan when it costs no more than the custom ones, where an unnamed statement is parsed
 * and planned on every request (W1: 3.3–3.9 ms of planning against 1.7–1.9 ms of running,
 * docs/performance.md). Only on the PostgreSQL server: the embedded engine is one session behind
 * every socket, which outlives a client's connection, so a reconnected client preparing a name
 * again would be refused.
 */
const enabled = new WeakSet<DataSource>();

/** Statement texts given a name (a page's text depends on its filters): bounded per process. */
const names = new Map<string, string>();
const MAX_NAMED = 64;

/** Use named statements on this data source (the PostgreSQL server; see above). */
export function usePreparedStatements(ds: DataSource): void {
  enabled.add(ds);
}

function nameOf(sql: string): string | null {
  let name = names.get(sql);
  if (name === undefined) {
    if (names.size >= MAX_NAMED) return null;
    name = `cl_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    names.set(sql, name);
  }
  return name;
}

/**
 * `m.query(sql, params)`, as a named prepared statement where that is safe: outside a
 * transaction (whose connection must be the one used), on the server, for at most MAX_NAMED
 * texts. Errors are TypeORM's QueryFailedError, as from m.query, so the filters map them alike.
 */
export async function queryPrepared<T>(
  m: EntityManager,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const name = !m.queryRunner && enabled.has(m.connection) ? nameOf(sql) : null;
  if (!name) return m.query<T[]>(sql, params);
  const pool = (m.connection.driver as unknown as { master: pg.Pool }).master;
  try {
    return (await pool.query({ name, text: sql, values: params })).rows as T[];
  } catch (err) {
    m.connection.logger.logQueryError(err as Error, sql, params);
    throw new QueryFailedError(sql, params, err as Error);
  }
}
