import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { LOCK_FILE } from '../src/database/embedded.js';
import { getJson } from './http.js';

export async function freePort(): Promise<number> {
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

/** Resident memory of a process from /proc (Linux): current and peak, in bytes. */
export function memoryOf(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** Resets a process's peak RSS (Linux ≥ 4.0): loading data is not what the peak should show. */
export function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export interface ServerOptions {
  projectRoot: string;
  /** An external server's database; null for the embedded engine under dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  log: (line: string) => void;
  /** More node flags for the service (bench/profile.ts: --cpu-prof). */
  nodeFlags?: string[];
}

export interface RunningServer {
  pid: number;
  baseUrl: string;
  /** The database the service uses: the external one, or the embedded engine's socket. */
  databaseUrl: string;
  serverVersion: string;
  /** Peak RSS seen by sampling every 100 ms, and the kernel's own high-water mark. */
  peak(): { sampledMax: number; hwm: number };
  resetPeak(): boolean;
  stop(): Promise<void>;
  /** The last lines the service printed (for error reports). */
  tail(): string[];
}

interface Health {
  status: string;
  database?: { status: string; serverVersion?: string };
}

/**
 * The node options `npm start` gives the service (package.json), so that it runs here as it is
 * deployed: `node --max-old-space-size=256 dist/src/main.js` gives `--max-old-space-size=256`.
 */
export function startFlags(projectRoot: string): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const start = pkg.scripts?.start ?? '';
  const m = /^node((?:\s+--?[\w-]+(?:=\S+)?)*)\s+dist\/src\/main\.js$/.exec(start.trim());
  if (!m)
    throw new Error(
      `package.json's start script is not "node [options] dist/src/main.js": ${start}`,
    );
  return m[1].split(/\s+/).filter(Boolean);
}

/**
 * The service as a separate process (`node dist/src/main.js`), as it is deployed, so its memory
 * is its own: migrated and seeded by its own start-up.
 */
export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    SEED_ON_START: 'true',
    LOG_LEVEL: 'warn',
    PUBLIC_READ: 'false',
    TZ: 'UTC',
    NODE_ENV: 'production',
  };
  delete env.DATABASE_URL;
  if (o.databaseUrl) env.DATABASE_URL = o.databaseUrl;
  else env.DATA_DIR = o.dataDir;

  const main = path.join(o.projectRoot, 'dist', 'src', 'main.js');
  if (!fs.existsSync(main))
    throw new Error(`${main} is missing: run the benchmark with npm run bench (it builds first)`);
  const child: ChildProcess = spawn(
    process.execPath,
    [...startFlags(o.projectRoot), ...(o.nodeFlags ?? []), main],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    for (const l of chunk.toString('utf8').split('\n')) {
      if (!l.trim()) continue;
      lines.push(l);
      if (lines.length > 200) lines.shift();
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: number | null = null;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? (signal ? 128 : 1);
      resolve();
    }),
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('the service did not start');

  const baseUrl = `http://127.0.0.1:${port}`;
  let health: Health | null = null;
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline && exited === null) {
    try {
      const r = await getJson<Health>(`${baseUrl}/health`, {});
      if (r.status === 200 && r.body.status === 'ok') {
        health = r.body;
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  if (!health) {
    child.kill('SIGKILL');
    await exit;
    throw new Error(
      `the service did not become healthy (exit ${String(exited)}):\n${lines.slice(-30).join('\n')}`,
    );
  }
  o.log(
    `service pid ${pid} on ${baseUrl} (${o.databaseUrl ? 'PostgreSQL server' : 'embedded PGlite'})`,
  );

  let databaseUrl = o.databaseUrl;
  if (!databaseUrl) {
    const lock = JSON.parse(fs.readFileSync(path.join(o.dataDir, LOCK_FILE), 'utf8')) as {
      url: string | null;
    };
    if (!lock.url) throw new Error('the embedded engine did not publish its socket URL');
    databaseUrl = lock.url;
  }

  let sampledMax = 0;
  const sampler = setInterval(() => {
    const m = memoryOf(pid);
    if (m && m.rss > sampledMax) sampledMax = m.rss;
  }, 100);
  sampler.unref();

  return {
    pid,
    baseUrl,
    databaseUrl,
    serverVersion: health.database?.serverVersion ?? 'unknown',
    peak: () => ({ sampledMax, hwm: memoryOf(pid)?.hwm ?? NaN }),
    resetPeak: () => {
      sampledMax = memoryOf(pid)?.rss ?? 0;
      return resetPeak(pid);
    },
    tail: () => [...lines],
    async stop() {
      clearInterval(sampler);
      if (exited !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
