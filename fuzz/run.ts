/**
 * `npm run fuzz`: malformed requests to every route of the OpenAPI document; fails (exit 1) on
 * any 5xx or dropped connection, printing the request. Loopback only.
 *
 *   npm run fuzz                                  start the service on a fresh embedded engine
 *   npm run fuzz -- --count 3000 --seconds 90     bounds (whichever comes first)
 *   npm run fuzz -- --url http://127.0.0.1:3000 --token clt_…   an already running service
 *                                                 (an admin token; it creates one account per role)
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../bench/server.js';
import {
  generateCases,
  importCases,
  isLoopback,
  mustBeRefused,
  type Caller,
  type FuzzCase,
  type KnownIds,
  type OpenApiDocument,
  type Role,
} from './cases.js';

interface Args {
  url: string | null;
  token: string | null;
  count: number;
  seconds: number;
  seed: number;
  concurrency: number;
  verbose: boolean;
}

const USAGE = `usage: npm run fuzz -- [--count N] [--seconds S] [--seed N] [--concurrency N]
                        [--url http://127.0.0.1:PORT --token ADMIN_TOKEN] [--verbose]`;

function parseArgs(argv: string[]): Args {
  const a: Args = {
    url: null,
    token: null,
    count: 2000,
    seconds: 60,
    seed: 1,
    concurrency: 2,
    verbose: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value\n${USAGE}`);
      return x;
    };
    const n = (min: number, max: number): number => {
      const x = Number(v());
      if (!Number.isInteger(x) || x < min || x > max)
        throw new Error(`${k} must be a whole number from ${min} to ${max}`);
      return x;
    };
    if (k === '--url') a.url = v();
    else if (k === '--token') a.token = v();
    else if (k === '--count') a.count = n(1, 1_000_000);
    else if (k === '--seconds') a.seconds = n(1, 3600);
    else if (k === '--seed') a.seed = n(0, 2 ** 31);
    else if (k === '--concurrency') a.concurrency = n(1, 16);
    else if (k === '--verbose') a.verbose = true;
    else if (k === '--help' || k === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${k}\n${USAGE}`);
  }
  if (a.url) {
    const u = new URL(a.url);
    if (!isLoopback(u.hostname))
      throw new Error(
        `the fuzzer only talks to this machine (127.0.0.1, ::1, localhost), not ${u.hostname}`,
      );
    if (!a.token) throw new Error(`--url needs --token (an admin's token)\n${USAGE}`);
  }
  return a;
}

interface Answer {
  status: number;
  body: string;
}

function send(
  base: string,
  c: Omit<FuzzCase, 'caller'>,
  token: string | null,
  timeoutMs = 60_000,
): Promise<Answer> {
  const u = new URL(base);
  if (!isLoopback(u.hostname)) throw new Error(`refusing ${u.hostname}: loopback only`);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...c.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    if (c.body !== undefined) headers['content-length'] = String(Buffer.byteLength(c.body));
    const req = http.request(
      { host: u.hostname, port: u.port, path: c.path, method: c.method, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer in ${timeoutMs / 1000} s`)));
    if (c.body !== undefined) req.write(c.body);
    req.end();
  });
}

async function json<T>(
  base: string,
  method: string,
  p: string,
  token: string,
  body?: unknown,
): Promise<T> {
  const r = await send(
    base,
    {
      operation: '',
      mutation: '',
      method,
      path: p,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
    token,
  );
  if (r.status >= 300) throw new Error(`${method} ${p}: ${r.status} ${r.body.slice(0, 300)}`);
  return JSON.parse(r.body) as T;
}

/** One account and token per role, made through the API as the admin. */
async function roleTokens(base: string, admin: string): Promise<Record<Role, string>> {
  const tokens = { admin } as Record<Role, string>;
  const tag = Math.random().toString(36).slice(2, 8);
  for (const role of ['reviewer', 'researcher', 'viewer'] as const) {
    const user = await json<{ id: string }>(base, 'POST', '/api/users', admin, {
      name: `fuzz ${role} ${tag}`,
      email: `fuzz-${role}-${tag}@fuzz.invalid`,
      role,
    });
    const t = await json<{ token: string }>(base, 'POST', `/api/users/${user.id}/tokens`, admin, {
      name: 'fuzz',
    });
    tokens[role] = t.token;
  }
  return tokens;
}

/** Existing ids under each collection, so that spoiled requests reach past the 404. */
async function knownIds(base: string, doc: OpenApiDocument, admin: string): Promise<KnownIds> {
  const known: KnownIds = new Map();
  const collections = new Set(
    Object.keys(doc.paths)
      .filter((p) => /\{id\}/.test(p))
      .map((p) => p.replace(/\/\{[^}]+\}.*$/, '')),
  );
  for (const c of collections) {
    if (!doc.paths[c]?.get) continue;
    try {
      const page = await json<{ items?: { id?: string }[] }>(base, 'GET', `${c}?limit=5`, admin);
      const ids = (page.items ?? []).map((i) => i.id).filter((x): x is string => !!x);
      if (ids.length) known.set(c, ids);
    } catch {
      // a collection that cannot be listed this way: a random id is used
    }
  }
  // The founding case holds no victim: one is made so that the victim routes have a target.
  const source = known.get('/api/sources')?.[0];
  if (source) {
    const v = await json<{ id: string }>(base, 'POST', '/api/victims', admin, {
      nameFa: 'قربانی آزمون',
      nameEn: 'Fuzz target',
      harm: 'killed',
      attestations: [{ sourceId: source, credibility: 2, locator: 'fuzz' }],
    });
    known.set('/api/victims', [v.id]);
  }
  // Account routes aim at an account of their own: disabling the admin would end the run.
  const target = await json<{ id: string }>(base, 'POST', '/api/users', admin, {
    name: 'fuzz target',
    email: `fuzz-target-${Math.random().toString(36).slice(2, 8)}@fuzz.invalid`,
    role: 'viewer',
  });
  known.set('/api/users', [target.id]);
  return known;
}

function describe(c: FuzzCase, a: Answer | null, error?: string): string {
  const body =
    c.body === undefined
      ? '(no body)'
      : Buffer.isBuffer(c.body)
        ? `<${c.body.length} bytes: ${c.body.toString('hex').slice(0, 80)}>`
        : c.body.length > 400
          ? `${c.body.slice(0, 400)}… (${c.body.length} characters)`
          : c.body;
  const path =
    c.path.length > 300 ? `${c.path.slice(0, 300)}… (${c.path.length} characters)` : c.path;
  return [
    `  ${c.operation} — ${c.mutation} (as ${c.caller})`,
    `    ${c.method} ${path}`,
    ...Object.entries(c.headers).map(([k, v]) => `    ${k}: ${v}`),
    `    body: ${body}`,
    a ? `    → ${a.status} ${a.body.slice(0, 500)}` : `    → no answer: ${error}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const started = Date.now();
  let server: RunningServer | null = null;
  let dataDir: string | null = null;
  let base = a.url?.replace(/\/$/, '') ?? '';
  let admin = a.token ?? '';
  try {
    if (!a.url) {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casualty-ledger-fuzz-'));
      // Failed authentications are part of the fuzz: the limit must not turn the run into 429s.
      process.env.RATE_LIMIT_AUTH_PER_MINUTE = '1000000';
      process.env.RATE_LIMIT_WRITES_PER_MINUTE = '1000000';
      server = await startServer({
        projectRoot: path.resolve(__dirname, '..', '..'),
        databaseUrl: null,
        dataDir: path.join(dataDir, 'data'),
        log: (l) => console.log(l),
      });
      base = server.baseUrl;
      const printed = server
        .tail()
        .map((l) => /^\s*(clt_\S+)\s*$/.exec(l)?.[1])
        .find(Boolean);
      if (!printed) throw new Error('the service printed no first-start admin token');
      admin = printed;
    }
    const doc = await json<OpenApiDocument>(base, 'GET', '/api/docs-json', admin);
    const tokens = await roleTokens(base, admin);
    const known = await knownIds(base, doc, admin);
    const kinds = (doc.paths['/api/imports']?.post?.parameters ?? []).find((p) => p.name === 'kind')
      ?.schema?.enum ?? ['victims'];
    const all = [...generateCases(doc, known, a.seed), ...importCases(kinds.map(String))];
    // Interleave the import cases (they are few) through the run.
    const cases = all.slice(0, a.count);
    const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    console.log(
      `fuzz: ${all.length} cases generated for ${operations} operations of ${base}/api/docs-json (seed ${a.seed}) after ${((Date.now() - started) / 1000).toFixed(1)} s of set-up; at most ${a.count} requests or ${a.seconds} s`,
    );

    const tokenOf = (c: Caller): string | null =>
      c === 'anonymous' ? null : c === 'bad-token' ? 'clt_notAToken_' + 'x'.repeat(30) : tokens[c];
    const byClass = new Map<string, number>();
    const failures: string[] = [];
    // Hostile input answered 2xx (mustBeRefused): a failure as well.
    const accepted: string[] = [];
    const routes = new Set<string>();
    let tried = 0;
    let next = 0;
    // The bound is on the fuzzing itself, not on starting the service.
    const fuzzStart = Date.now();
    const deadline = fuzzStart + a.seconds * 1000;
    const worker = async (): Promise<void> => {
      while (next < cases.length && Date.now() < deadline) {
        const c = cases[next++];
        tried++;
        routes.add(c.operation);
        let answer: Answer | null = null;
        try {
          answer = await send(base, c, tokenOf(c.caller));
        } catch (e) {
          failures.push(describe(c, null, (e as Error).message));
          byClass.set('no answer', (byClass.get('no answer') ?? 0) + 1);
          continue;
        }
        const cls = `${Math.floor(answer.status / 100)}xx`;
        byClass.set(cls, (byClass.get(cls) ?? 0) + 1);
        if (answer.status >= 500) failures.push(describe(c, answer));
        else if (answer.status < 300 && mustBeRefused(c.mutation)) {
          accepted.push(describe(c, answer));
        } else if (a.verbose) console.log(describe(c, answer));
      }
    };
    await Promise.all(Array.from({ length: a.concurrency }, worker));
    // The service is still up after all that.
    const health = await send(
      base,
      { operation: '', mutation: '', method: 'GET', path: '/health', headers: {} },
      null,
    ).catch((e: Error) => ({ status: 0, body: e.message }));
    const seconds = ((Date.now() - fuzzStart) / 1000).toFixed(1);
    const counts = [...byClass.entries()]
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    console.log(
      `fuzz: ${tried} requests tried over ${routes.size} of ${operations} operations in ${seconds} s: ${counts}; 5xx or no answer: ${failures.length}; hostile input accepted (2xx): ${accepted.length}; /health afterwards: ${health.status}`,
    );
    if (failures.length) {
      console.log(`\nrequests answered with a 5xx or not at all:\n${failures.join('\n\n')}`);
      if (server)
        console.log(`\nlast lines of the service:\n${server.tail().slice(-30).join('\n')}`);
    }
    if (accepted.length) {
      console.log(
        `\nhostile requests answered 2xx (they must be refused):\n${accepted.join('\n\n')}`,
      );
    }
    process.exitCode = failures.length || accepted.length || health.status !== 200 ? 1 : 0;
  } finally {
    await server?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
