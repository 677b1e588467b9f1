import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { EMBEDDED_SERVICE_ROLE, embeddedHardening, serviceGrants } from './roles.js';
import { guardMessage } from './session-guard.js';

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
  /** The running service's backup socket (db backup while it runs). */
  backup?: string;
}

export interface EmbeddedDatabase {
  /** The engine's unix socket, in a directory only this user may enter (no TCP port). */
  url: string;
  db: PGlite;
  /**
   * From now on every connection runs as the service role (EMBEDDED_SERVICE_ROLE), which may
   * read and append to the audit trail but not rewrite, truncate or unprotect it. Called by the
   * service once the migrations are applied; the tests' engine stays the superuser's.
   */
  restrict(): Promise<void>;
  /** Whether restrict() was called. */
  readonly restricted: boolean;
  stop(): Promise<void>;
}

/**
 * PGlite's memory inside the WebAssembly heap is never given back, and PostgreSQL's defaults
 * (128 MB of shared buffers) are sized for a server, not for one process that shares its heap
 * with the service (docs/performance.md has the peak RSS both ways). A query that wants more
 * work_mem asks for it (SET LOCAL), as the counts do.
 */
export const EMBEDDED_SETTINGS = [
  'shared_buffers=32MB',
  'work_mem=4MB',
  'temp_buffers=4MB',
  // Index builds (a migration's CREATE INDEX on a full table) and VACUUM fill up to this much.
  'maintenance_work_mem=16MB',
];

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
      // The lock names the socket: for this user only.
      const fd = fs.openSync(file, 'wx', 0o600);
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

// The process's umask while any engine runs: 077 (several engines can run in one process).
let umaskHolders = 0;
let savedUmask = 0o022;
function holdUmask(): void {
  if (umaskHolders++ === 0) savedUmask = process.umask(0o077);
}
function releaseUmask(): void {
  if (--umaskHolders === 0) process.umask(savedUmask);
}

/** A directory only this user may enter, and everything in it readable by this user only. */
function makePrivate(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

/**
 * PGlite writes its files world-readable (mode 666, whatever the umask) and with the umask's
 * directories: set every entry of the data directory to 0700 (directories) or 0600 (files).
 */
export function restrictModes(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    if (e.isDirectory()) {
      fs.chmodSync(p, 0o700);
      restrictModes(p);
    } else fs.chmodSync(p, 0o600);
  }
}

/** The socket's directory: under the data directory when the path is short enough, else a new one in the temporary directory (0700 either way). */
function socketDir(dataDir: string | null): { dir: string; remove: boolean } {
  // A unix socket's path is limited to about 107 bytes.
  if (dataDir && path.join(dataDir, 'socket', '.s.PGSQL.5432').length < 100) {
    const dir = path.join(dataDir, 'socket');
    makePrivate(dir);
    for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { force: true }); // stale
    return { dir, remove: false };
  }
  return { dir: fs.mkdtempSync(path.join(os.tmpdir(), 'casualty-ledger-')), remove: true };
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
 * Starts PGlite (PostgreSQL compiled to WebAssembly) behind a unix socket in a directory only
 * this user may enter, so the app keeps the ordinary `pg` driver and SQL, and psql or the CLI
 * can connect too, while no other account on the machine can (the engine asks no password:
 * PGlite accepts whoever connects).
 */
export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  let lock: { fd: number; file: string } | null = null;
  let pgdata: string | undefined;
  if (opts.dataDir) {
    makePrivate(opts.dataDir);
    lock = acquireLock(opts.dataDir);
    pgdata = path.join(opts.dataDir, 'pgdata');
    if (fs.existsSync(pgdata)) restrictModes(pgdata);
  }
  // New files of this process (the engine's, and exports written while it runs) for this user only.
  holdUmask();
  let sockets: { dir: string; remove: boolean } | null = null;
  try {
    const db = await PGlite.create(pgdata, {
      extensions: EXTENSIONS,
      loadDataDir: opts.loadDataDir,
      startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS.flatMap((s) => ['-c', s])],
    });
    if (pgdata) {
      makePrivate(pgdata);
      restrictModes(pgdata);
    }
    sockets = socketDir(opts.dataDir);
    let restricted = false;
    // The socket server sees the engine through this: every Query and Parse message of a client
    // passes the guard once the session is restricted.
    const guarded = {
      get waitReady() {
        return db.waitReady;
      },
      isInTransaction: () => db.isInTransaction(),
      runExclusive: <T>(fn: () => Promise<T>) => db.runExclusive(fn),
      exec: (sql: string) => db.exec(sql),
      execProtocolRawStream: (msg: Uint8Array, o: Parameters<PGlite['execProtocolRawStream']>[1]) =>
        db.execProtocolRawStream(restricted ? guardMessage(msg) : msg, o),
    } as unknown as PGlite;
    const server = new PGLiteSocketServer({
      db: guarded,
      path: path.join(sockets.dir, '.s.PGSQL.5432'),
      maxConnections: opts.maxConnections ?? 20,
    });
    await server.start();
    const url = `postgresql://postgres@${encodeURIComponent(sockets.dir)}/postgres`;
    const backupPath = path.join(sockets.dir, BACKUP_SOCKET);
    const backups = await serveBackups(db, backupPath);
    if (lock) {
      fs.ftruncateSync(lock.fd, 0);
      fs.writeSync(lock.fd, JSON.stringify({ pid: process.pid, url, backup: backupPath }), 0);
    }
    let stopped = false;
    const socketsDir = sockets;
    return {
      url,
      db,
      get restricted() {
        return restricted;
      },
      async restrict() {
        if (restricted) return;
        // Session-wide (PGlite is one session): called while no client is in a transaction
        // that could roll the SET back, before the service's pool connects.
        if (db.isInTransaction()) throw new Error('restrict() inside a transaction');
        const [{ n }] = (
          await db.query<{ n: number }>(`SELECT current_setting('server_version_num')::int AS n`)
        ).rows;
        for (const sql of [
          ...embeddedHardening(EMBEDDED_SERVICE_ROLE),
          ...serviceGrants(EMBEDDED_SERVICE_ROLE, n),
        ])
          await db.exec(sql);
        await db.exec(`SET ROLE ${EMBEDDED_SERVICE_ROLE}`);
        restricted = true;
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await new Promise<void>((resolve) => backups.close(() => resolve()));
        await server.stop();
        await db.close();
        if (pgdata) restrictModes(pgdata);
        if (socketsDir.remove) fs.rmSync(socketsDir.dir, { recursive: true, force: true });
        if (lock) {
          fs.closeSync(lock.fd);
          fs.rmSync(lock.file, { force: true });
        }
        releaseUmask();
      },
    };
  } catch (e) {
    if (sockets?.remove) fs.rmSync(sockets.dir, { recursive: true, force: true });
    if (lock) {
      fs.closeSync(lock.fd);
      fs.rmSync(lock.file, { force: true });
    }
    releaseUmask();
    throw e;
  }
}

const BACKUP_SOCKET = 'backup.sock';
const BACKUP_REQUEST = 'dump-data-dir\n';

/**
 * The running engine's whole data directory, as PGlite's dumpDataDir makes it (a gzipped tar),
 * for `db backup` while the service runs: a second unix socket beside the engine's, in the same
 * 0700 directory. PGlite takes the dump between two statements (the engine's query lock): a
 * consistent snapshot, as after a crash at that instant (a transaction still open is not in it).
 */
async function serveBackups(db: PGlite, socketPath: string): Promise<net.Server> {
  const server = net.createServer((sock) => {
    sock.on('error', () => sock.destroy());
    let got = '';
    sock.on('data', (d: Buffer) => {
      got += d.toString('utf8');
      if (!got.includes('\n')) return;
      if (got !== BACKUP_REQUEST) return void sock.destroy();
      db.dumpDataDir('gzip')
        .then(async (blob) => sock.end(Buffer.from(await blob.arrayBuffer())))
        .catch(() => sock.destroy());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  return server;
}

/** A backup of the embedded engine that the process holding DATA_DIR's lock makes for us. */
export async function requestBackup(lock: LockInfo): Promise<Buffer> {
  if (!lock.backup)
    throw new Error(
      `process ${lock.pid} serves no backup socket (an older version): stop it and back up again`,
    );
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock = net.createConnection(lock.backup!, () => sock.write(BACKUP_REQUEST));
    sock.on('data', (d: Buffer) => chunks.push(d));
    sock.on('error', reject);
    sock.on('close', (hadError) => {
      const out = Buffer.concat(chunks);
      if (hadError || out.length === 0)
        reject(new Error('the running service did not send a backup'));
      else resolve(out);
    });
  });
}

/** The embedded engine's data directory as a gzipped tar (PGlite's dumpDataDir). */
export async function dumpEmbedded(e: EmbeddedDatabase): Promise<Buffer> {
  return Buffer.from(await (await e.db.dumpDataDir('gzip')).arrayBuffer());
}
