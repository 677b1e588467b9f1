import type { DataSource } from 'typeorm';

/**
 * How much work_mem an aggregate statement (a count, a reconciliation) asks for, by engine.
 * On the PostgreSQL server a backend gives its sort and hash memory back when the statement
 * ends. PGlite never gives memory in its WebAssembly heap back, so what one count reached
 * stays in the service's RSS for good (docs/performance.md, "The embedded engine's memory").
 */
export const SERVER_AGGREGATE_WORK_MEM = '64MB';
export const EMBEDDED_AGGREGATE_WORK_MEM = '8MB';

const servers = new WeakSet<DataSource>();

/** This data source is a PostgreSQL server (set by AppModule; unmarked means embedded). */
export function markServerEngine(ds: DataSource): void {
  servers.add(ds);
}

/** The work_mem for the aggregate statements on this data source's engine. */
export function aggregateWorkMem(ds: DataSource): string {
  return servers.has(ds) ? SERVER_AGGREGATE_WORK_MEM : EMBEDDED_AGGREGATE_WORK_MEM;
}
