import type { Command } from 'commander';
import type { DataSource } from 'typeorm';

/**
 * Runs `fn` with a migrated DataSource: DATABASE_URL's server; else the running service's
 * embedded engine (through the socket named in DATA_DIR's lockfile, never opening the directory
 * twice); else the embedded engine opened for this command alone.
 */
export type WithDb = <T>(fn: (ds: DataSource) => Promise<T>) => Promise<T>;

/** Each command group registers itself on the program: `registerXCommands(program, withDb)`. */
export type RegisterCommands = (program: Command, withDb: WithDb) => void;
