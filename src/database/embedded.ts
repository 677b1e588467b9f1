import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export const LOCK_FILE = 'casualty-ledger.lock';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly url: string | null,
  ) {
    super(
      `The data directory ${dataDir} is in use by process ${pid}. ` +
        'Only one process may open it: stop that process, or set DATA_DIR to another directory. ' +
        'The CLI connects through the running service instead of opening the directory twice.',
    );
  }
}

export interface LockInfo {
  pid: number;
  url: string | null;
}

export interface EmbeddedDatabase {
  url: string;
  db: PGlite;
  stop(): Promise<void>;
}

const EXTENSIONS = { pg_trgm, unaccent, fuzzystrmatch, btree_gist };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock of a live process on this data directory, if any (stale locks are ignored). */
export function readLock(dataDir: string): LockInfo | null {
  const file = path.join(dataDir, LOCK_FILE);
  let info: LockInfo;
  try {
    info = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
  } catch {
    return null;
  }
  return typeof info.pid === 'number' && info.pid !== process.pid && alive(info.pid) ? info : null;
}

/**
 * PGlite does not lock its data directory, and two processes on one directory lose writes:
 * take an exclusive lockfile first, refusing while a live process holds it.
 */
function acquireLock(dataDir: string): { fd: number; file: string } {
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, url: null }));
      return { fd, file };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readLock(dataDir);
      if (holder) throw new DataDirLockedError(dataDir, holder.pid, holder.url);
      fs.rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not take the lock ${file}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface EmbeddedOptions {
  /** A directory to persist to; null for an in-memory database (tests). */
  dataDir: string | null;
  /** Connections the socket server accepts: the pool size plus spare ones. */
  maxConnections?: number;
  /** Reuse a migrated snapshot (tests). */
  loadDataDir?: Blob;
}

/**
 * Starts PGlite (PostgreSQL compiled to WebAssembly) behind a local socket, so the app keeps
 * the ordinary `pg` driver and SQL, and psql or the CLI can connect too.
 */
export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  let lock: { fd: number; file: string } | null = null;
  let pgdata: string | undefined;
  if (opts.dataDir) {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    lock = acquireLock(opts.dataDir);
    pgdata = path.join(opts.dataDir, 'pgdata');
  }
  try {
    const db = await PGlite.create(pgdata, {
      extensions: EXTENSIONS,
      loadDataDir: opts.loadDataDir,
    });
    const port = await freePort();
    const server = new PGLiteSocketServer({
      db,
      host: '127.0.0.1',
      port,
      maxConnections: opts.maxConnections ?? 20,
    });
    await server.start();
    const url = `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
    if (lock) {
      fs.ftruncateSync(lock.fd, 0);
      fs.writeSync(lock.fd, JSON.stringify({ pid: process.pid, url }), 0);
    }
    let stopped = false;
    return {
      url,
      db,
      async stop() {
        if (stopped) return;
        stopped = true;
        await server.stop();
        await db.close();
        if (lock) {
          fs.closeSync(lock.fd);
          fs.rmSync(lock.file, { force: true });
        }
      },
    };
  } catch (e) {
    if (lock) {
      fs.closeSync(lock.fd);
      fs.rmSync(lock.file, { force: true });
    }
    throw e;
  }
}
