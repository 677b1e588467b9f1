import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { projectRoot } from '../src/common/project-root.js';
import { createDataSource } from '../src/database/data-source.js';
import { IMPORT_BATCH_SIZE, importVictims } from '../src/imports/victims-import.js';
import { setBasedLoad } from './bulk-floor.js';
import { generateTokenSecret } from '../src/users/token-secret.js';
import { generateDataset, scaleOf, type Dataset } from './generate.js';
import { agentFor, request } from './http.js';
import { importCsvText } from './import-rows.js';
import {
  copyVictims,
  insertClaims,
  insertDistricts,
  insertIncidents,
  insertSources,
  insertVictims,
  mergeDuplicates,
} from './load.js';
import { measure, type Stats } from './measure.js';
import {
  judge,
  summaryLines,
  table,
  updateDoc,
  writeJson,
  type ImportRun,
  type LoadPhase,
  type Results,
  type RunPair,
  type W6Result,
  type WorkloadResult,
} from './report.js';
import { startServer, type RunningServer } from './server.js';
import { allWorkloads, type Call, type Workload } from './workloads.js';

const HELP = `npm run bench -- [options]

Generates a seeded, realistic dataset, loads it into a fresh database through the project's own
import path, starts the service, and measures W1–W5 through HTTP and, in the same run, the
equivalent hand-written SQL straight against PostgreSQL (the floor). Times are reported, never
asserted.

  --scale S            smoke (2,000 victims), 100k, 1m (default), or a number of victims
  --database-url URL   a PostgreSQL server (also BENCH_DATABASE_URL or DATABASE_URL): a fresh
                       database cl_bench_<time> is created on it and dropped at the end.
                       Without one, the embedded engine (PGlite) in a temporary directory.
  --keep               keep the database (or the embedded data directory) afterwards
  --reuse NAME         measure on database NAME on the server, kept by an earlier --keep run of
                       the same scale and seed, instead of a fresh one: no load, migrations
                       applied by the service, the database kept (for iterating on the workloads)
  --seed N             generator seed (default 20191115)
  --requests N         timed requests per workload and concurrency (default 200; smoke 10)
  --warmup N           untimed requests first (default 20; smoke 2)
  --concurrency LIST   default 1,8
  --only LIST          only these workloads, e.g. W1,W4 (W5 is the import, W6 the duplicates
                       scan: 100k with --scale 100k, a million with --scale 1m)
  --load import|copy   load victims through the import service (default) or COPY (faster; for
                       experiments: the data is the same, the import path is not exercised)
  --budget SECONDS     time budget per measured run (default 180): no new request after it,
                       the run reports the requests it completed
  --out DIR            where the JSON result goes (default bench/results)
  --no-doc             do not update docs/performance.md (updated for the 100k and 1m presets)
  --help`;

interface Args {
  scale: string;
  databaseUrl: string | null;
  keep: boolean;
  reuse: string | null;
  seed: number;
  requests: number | null;
  warmup: number | null;
  concurrency: number[];
  only: Set<string> | null;
  load: 'import' | 'copy';
  out: string | null;
  doc: boolean;
  budget: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    scale: '1m',
    databaseUrl: process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || null,
    keep: false,
    reuse: null,
    seed: 20191115,
    requests: null,
    warmup: null,
    concurrency: [1, 8],
    only: null,
    load: 'import',
    out: null,
    doc: true,
    budget: 180,
  };
  const int = (name: string, v: string | undefined, min: number, max: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${v}")`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--scale':
        a.scale = value();
        break;
      case '--database-url':
        a.databaseUrl = value();
        break;
      case '--keep':
        a.keep = true;
        break;
      case '--reuse':
        a.reuse = value();
        if (!/^cl_bench_\d+$/.test(a.reuse))
          throw new Error('--reuse takes a cl_bench_<time> name');
        a.keep = true;
        break;
      case '--seed':
        a.seed = int('--seed', value(), 0, 2 ** 32 - 1);
        break;
      case '--requests':
        a.requests = int('--requests', value(), 1, 100_000);
        break;
      case '--warmup':
        a.warmup = int('--warmup', value(), 0, 10_000);
        break;
      case '--concurrency':
        a.concurrency = value()
          .split(',')
          .map((c) => int('--concurrency', c, 1, 64));
        break;
      case '--only':
        a.only = new Set(
          value()
            .toUpperCase()
            .split(',')
            .map((s) => s.trim()),
        );
        break;
      case '--load': {
        const v = value();
        if (v !== 'import' && v !== 'copy') throw new Error('--load must be import or copy');
        a.load = v;
        break;
      }
      case '--out':
        a.out = value();
        break;
      case '--budget':
        a.budget = int('--budget', value(), 1, 86_400);
        break;
      case '--no-doc':
        a.doc = false;
        break;
      case '--help':
      case '-h':
        console.log(HELP);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${argv[i]} (see --help)`);
    }
  }
  if (a.databaseUrl && !/^postgres(ql)?:\/\//.test(a.databaseUrl))
    throw new Error('--database-url must be a postgres:// URL');
  if (a.reuse && !a.databaseUrl) throw new Error('--reuse needs --database-url (a server)');
  return a;
}

const log = (m: string): void =>
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`);

function machine(): Results['machine'] {
  return {
    nproc: os.availableParallelism(),
    memTotalMb: Math.round(os.totalmem() / 2 ** 20),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    loadBefore: os.loadavg(),
    loadAfter: [],
    node: process.version,
  };
}

function gitCommit(root: string): string | null {
  try {
    return execFileSync('git', ['-C', root, 'rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = process.hrtime.bigint();
  const r = await fn();
  return [r, Number(process.hrtime.bigint() - t0) / 1e9];
}

async function inTransaction<T>(c: pg.ClientBase, fn: () => Promise<T>): Promise<T> {
  await c.query('BEGIN');
  try {
    const r = await fn();
    await c.query('COMMIT');
    return r;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

function phase(name: string, rows: number, seconds: number): LoadPhase {
  log(`${name}: ${rows.toLocaleString('en')} rows in ${seconds.toFixed(1)} s`);
  return {
    name,
    rows,
    seconds: Math.round(seconds * 100) / 100,
    rowsPerSecond: Math.round(rows / seconds),
  };
}

/** An admin account with an API token, written the way the users service stores them. */
async function adminToken(c: pg.ClientBase): Promise<string> {
  const secret = generateTokenSecret();
  const userId = randomUUID();
  await c.query(`INSERT INTO users (id, name, email, role) VALUES ($1, 'benchmark', $2, 'admin')`, [
    userId,
    `bench-${userId.slice(0, 8)}@bench.local`,
  ]);
  await c.query(
    `INSERT INTO api_tokens (user_id, name, token_hash, prefix, expires_at) VALUES ($1, 'benchmark', $2, $3, now() + interval '1 day')`,
    [userId, secret.hash, secret.prefix],
  );
  return secret.token;
}

/**
 * Victims [from, to) through the project's import service, in files of `fileRows` rows. Each
 * file is generated before its import starts: only the import is timed, not the generator.
 */
async function importThroughService(
  url: string,
  data: Dataset,
  from: number,
  to: number,
  fileRows: number,
  pinned: boolean,
): Promise<ImportRun & { files: { rows: number; rowsPerSecond: number }[] }> {
  const ds = createDataSource({ url, poolSize: 1, applicationName: 'casualty-ledger-bench' });
  await ds.initialize();
  let attestations = 0;
  let seconds = 0;
  let last: Record<string, unknown> = {};
  const files: { rows: number; rowsPerSecond: number }[] = [];
  try {
    for (let start = from; start < to; start += fileRows) {
      const end = Math.min(to, start + fileRows);
      const text = importCsvText(data, start, end, pinned);
      const [report, s] = await timed(() =>
        importVictims(ds, Readable.from([text]), {
          format: 'csv',
          fileName: `bench-${start}-${end}.csv`,
          // The bulk load; W6 measures the scan over the whole database.
          linkage: false,
        }),
      );
      const r = report as unknown as Record<string, unknown>;
      if (Number(r.rejected ?? 0) > 0 || Number(r.imported ?? 0) !== end - start) {
        throw new Error(
          `the import of rows ${start}–${end} did not take every row: ${JSON.stringify(report).slice(0, 2000)}`,
        );
      }
      seconds += s;
      attestations += Number(r.attestations ?? 0);
      last = r;
      files.push({ rows: end - start, rowsPerSecond: Math.round((end - start) / s) });
      if (to - from > fileRows) {
        log(
          `  imported ${end.toLocaleString('en')} / ${to.toLocaleString('en')} (${Math.round((end - start) / s).toLocaleString('en')} rows/s)`,
        );
      }
    }
    return {
      rows: to - from,
      attestations,
      seconds,
      rowsPerSecond: Math.round((to - from) / seconds),
      via: 'importVictims (in-process)',
      report: last,
      files,
    };
  } finally {
    await ds.destroy();
  }
}

type Engine = 'embedded' | 'postgresql';

/** The fastest bulk path of each engine (the embedded engine's socket has no COPY). */
function bulkOf(engine: Engine): { name: string; run: typeof copyVictims } {
  return engine === 'postgresql'
    ? { name: 'COPY', run: copyVictims }
    : { name: 'INSERT … SELECT FROM unnest', run: insertVictims };
}

async function load(
  c: pg.ClientBase,
  server: RunningServer,
  data: Dataset,
  how: 'import' | 'copy',
  engine: Engine,
): Promise<Results['load']> {
  const phases: LoadPhase[] = [];
  const n = data.scale.victims;
  for (const [name, fn] of [
    ['districts', insertDistricts],
    ['sources', insertSources],
    ['incidents (with their attestations)', insertIncidents],
    ['count claims', insertClaims],
  ] as const) {
    const [rows, s] = await timed(() => inTransaction(c, () => fn(c, data)));
    phases.push(phase(name, rows, s));
  }
  let loadPath: string;
  let files: { rows: number; rowsPerSecond: number }[] | undefined;
  if (how === 'import') {
    loadPath = 'importVictims (src/imports), files of 100,000 rows, places by gazetteer id';
    const r = await importThroughService(server.databaseUrl, data, 0, n, 100_000, true);
    phases.push(phase('victims (with their attestations) via importVictims', n, r.seconds));
    files = r.files;
  } else {
    const bulk = bulkOf(engine);
    loadPath = `${bulk.name} (bench/load.ts)`;
    const [, s] = await timed(() =>
      inTransaction(c, async () => {
        // As a restore would: the rollups are built once at the end, not refreshed batch by batch
        // by the insert triggers (victim_rollup_refresh over 50,000 records at a time, and the
        // compact rollups' triggers over each batch, took hours at a million).
        await c.query(`SET LOCAL ledger.rollups_deferred = 'on'`);
        await bulk.run(c, data, 0, n);
        await c.query('SELECT victim_rollup_rebuild()');
      }),
    );
    phases.push(phase(`victims (with their attestations) via ${bulk.name}`, n, s));
  }
  const pairs: [string, string][] = [];
  for (let i = 0; i < n; i++) {
    const v = data.victims.at(i);
    if (v.duplicateOf !== null) pairs.push([v.importKey, data.victims.at(v.duplicateOf).importKey]);
  }
  const [merged, ms] = await timed(() => mergeDuplicates(c, pairs));
  phases.push(phase('duplicates merged', merged, ms));
  // As autovacuum would leave it before anyone searches: statistics, the visibility map, and the
  // GIN indexes' pending lists merged (a fresh load's name searches otherwise read them whole,
  // the service and the floor alike: W4 at 1.8 s p50 instead of 60 ms).
  const [, as] = await timed(() => c.query('VACUUM ANALYZE'));
  phases.push(phase('VACUUM ANALYZE', 0, as));
  return { phases, path: loadPath, ...(files ? { files } : {}) };
}

async function rowCounts(c: pg.ClientBase): Promise<Record<string, number>> {
  const [r] = (
    await c.query(`SELECT (SELECT count(*)::int FROM victims) AS victims,
                          (SELECT count(*)::int FROM victims WHERE merged_into IS NOT NULL) AS "merged duplicates",
                          (SELECT count(*)::int FROM attestations) AS attestations,
                          (SELECT count(*)::int FROM incidents) AS incidents,
                          (SELECT count(*)::int FROM sources) AS sources,
                          (SELECT count(*)::int FROM count_claims) AS "count claims",
                          (SELECT count(*)::int FROM locations) AS locations,
                          (SELECT count(*)::int FROM audit_log) AS "audit entries"`)
  ).rows as Record<string, number>[];
  return r;
}

/** The floor's answer to a call: its prelude first when it has one (see Call). */
async function floorRows(db: pg.Pool, c: Call): Promise<Record<string, unknown>[]> {
  let values = c.values;
  if (c.prelude) {
    const ids = (await db.query<{ id: string }>(c.prelude.sql, c.prelude.values)).rows.map(
      (r) => r.id,
    );
    values = [ids, ...c.values];
  }
  return (await db.query<Record<string, unknown>>({ name: c.name, text: c.sql, values })).rows;
}

async function runWorkload(
  w: Workload,
  server: RunningServer,
  floor: pg.Pool,
  auth: Record<string, string>,
  a: { requests: number; warmup: number; concurrency: number[]; budgetMs: number },
): Promise<WorkloadResult> {
  const result: WorkloadResult = {
    id: w.id,
    title: w.title,
    check: { compared: 0, mismatches: [] },
    runs: [],
    examples: [],
  };
  await w.setup?.(floor);
  const calls = Array.from({ length: a.requests }, (_, i) => w.call(i));
  const warm = Array.from({ length: a.warmup }, (_, i) => w.call(1_000_000 + i));
  result.examples = calls.slice(0, 3).map((c) => `${c.label} → ${c.path}`);

  // Is the route there, and do both sides answer the same question?
  // A fresh connection per check request: the floor's answer in between can take longer than
  // the service's keep-alive timeout (5 s), and a reused socket would then be reset.
  for (const c of calls.slice(0, 5)) {
    const r = await request(server.baseUrl + c.path, { headers: auth });
    if (r.status === 404 && result.check.compared === 0) {
      const body = r.body.toString('utf8');
      if (/Cannot GET/.test(body)) {
        result.unavailable = `${c.path.split('?')[0]} is not served yet (404)`;
        break;
      }
    }
    if (r.status !== 200) {
      result.check.mismatches.push(
        `${c.label}: the service answered ${r.status}: ${r.body.toString('utf8').slice(0, 300)}`,
      );
      result.check.compared++;
      continue;
    }
    const rows = await floorRows(floor, c);
    const diff = w.compare(JSON.parse(r.body.toString('utf8')), rows);
    result.check.compared++;
    if (diff) result.check.mismatches.push(`${c.label}: ${diff}`);
  }

  const service = async (concurrency: number): Promise<Stats | null> => {
    if (result.unavailable) return null;
    const agent = agentFor(concurrency);
    const one = async (c: (typeof calls)[number]): Promise<void> => {
      const r = await request(server.baseUrl + c.path, { headers: auth, agent });
      if (r.status !== 200)
        throw new Error(`${r.status} for ${c.path}: ${r.body.toString('utf8').slice(0, 300)}`);
    };
    await measure(warm.length, concurrency, (i) => one(warm[i]), a.budgetMs / 4);
    const s = await measure(calls.length, concurrency, (i) => one(calls[i]), a.budgetMs);
    agent.destroy();
    return s;
  };
  const db = async (concurrency: number): Promise<Stats> => {
    const q = (c: Call): Promise<void> => floorRows(floor, c).then(() => undefined);
    await measure(warm.length, concurrency, (i) => q(warm[i]), a.budgetMs / 4);
    return measure(calls.length, concurrency, (i) => q(calls[i]), a.budgetMs);
  };
  for (const concurrency of a.concurrency) {
    const s = await service(concurrency);
    const f = await db(concurrency);
    const pair: RunPair = {
      concurrency,
      service: s,
      floor: f,
      ratioP95: s && f.p95 > 0 ? Math.round((s.p95 / f.p95) * 100) / 100 : null,
    };
    result.runs.push(pair);
    log(
      `${w.id} c=${concurrency}: service ${s ? `p50 ${s.p50} p95 ${s.p95} p99 ${s.p99} ms, ${s.throughput} req/s${s.errors ? `, ${s.errors} errors` : ''}` : 'n/a'}` +
        ` | floor p50 ${f.p50} p95 ${f.p95} p99 ${f.p99} ms, ${f.throughput} req/s${f.errors ? `, ${f.errors} errors (${f.firstError})` : ''}`,
    );
  }
  return result;
}

/**
 * W6: record linkage over the whole database through POST /api/duplicates/scan. The generator
 * plants duplicates (about 1 %: another list's spelling of the same person) and the load merges
 * them; they are unmerged for the scan, compared with the clusters it finds (recall; pairs kept
 * whose records are different people: false candidates), and merged again afterwards, the
 * clusters removed, so that the database is as loaded.
 */
async function w6(
  c: pg.ClientBase,
  server: RunningServer,
  auth: Record<string, string>,
): Promise<W6Result> {
  const planted = (
    await c.query<{ id: string; root: string }>(
      `SELECT id, merged_into AS root FROM victims WHERE merged_into IS NOT NULL`,
    )
  ).rows;
  const root = new Map(planted.map((p) => [p.id, p.root]));
  const person = (id: string): string => root.get(id) ?? id;
  await c.query(`UPDATE victims SET merged_into = NULL WHERE merged_into IS NOT NULL`);
  try {
    const started = process.hrtime.bigint();
    const r = await request(`${server.baseUrl}/api/duplicates/scan`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{}',
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (r.status !== 200)
      throw new Error(`scan answered ${r.status}: ${r.body.toString('utf8').slice(0, 500)}`);
    const scan = JSON.parse(r.body.toString('utf8')) as Record<string, number> & {
      phases?: Record<string, number>;
    };
    const members = (
      await c.query<{ cluster_id: string; victim_id: string }>(
        `SELECT cm.cluster_id, cm.victim_id FROM duplicate_cluster_members cm
           JOIN duplicate_clusters k ON k.id = cm.cluster_id WHERE k.state = 'open'`,
      )
    ).rows;
    const clusterOf = new Map(members.map((m) => [m.victim_id, m.cluster_id]));
    const found = planted.filter(
      (p) => clusterOf.has(p.id) && clusterOf.get(p.id) === clusterOf.get(p.root),
    ).length;
    const pairs = (
      await c.query<{ a: string; b: string }>(
        `SELECT p.victim_a AS a, p.victim_b AS b FROM duplicate_pairs p
           JOIN duplicate_clusters k ON k.id = p.cluster_id WHERE k.state = 'open'`,
      )
    ).rows;
    const falseCandidates = pairs.filter((p) => person(p.a) !== person(p.b)).length;
    const out: W6Result = {
      seconds: Math.round(seconds * 10) / 10,
      records: scan.records,
      candidates: scan.candidates,
      pairs: scan.pairs,
      clusters: scan.clusters,
      planted: planted.length,
      found,
      recall: planted.length ? Math.round((found / planted.length) * 1000) / 1000 : 0,
      falseCandidates,
      phases: scan.phases,
      refused: scan.refused,
    };
    log(
      `W6 scan: ${(out.records ?? 0).toLocaleString('en')} records in ${out.seconds} s, ${(out.candidates ?? 0).toLocaleString('en')} candidates, ${out.pairs} pairs kept in ${out.clusters} clusters; planted duplicates found ${found} of ${planted.length} (recall ${out.recall}), false candidates ${falseCandidates}`,
    );
    return out;
  } finally {
    await c.query(
      `UPDATE victims v SET merged_into = x.root FROM unnest($1::uuid[], $2::uuid[]) AS x(id, root) WHERE v.id = x.id`,
      [planted.map((p) => p.id), planted.map((p) => p.root)],
    );
    await c.query(`DELETE FROM duplicate_clusters WHERE state = 'open'`);
  }
}

/** W5: a researcher's file through the service (HTTP when it has the route), then the bulk floor. */
async function w5(
  c: pg.ClientBase,
  server: RunningServer,
  data: Dataset,
  auth: Record<string, string>,
  engine: Engine,
): Promise<Results['w5']> {
  const n = data.scale.victims;
  const rows = data.scale.importRows;
  let service: ImportRun | null = null;
  let unavailable: string | undefined;
  const body = importCsvText(data, n, n + rows, false);
  const [r, seconds] = await timed(() =>
    request(`${server.baseUrl}/api/imports?kind=victims`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/csv' },
      body,
    }),
  );
  if (r.status === 200 || r.status === 201) {
    const report = JSON.parse(r.body.toString('utf8')) as Record<string, unknown>;
    if (Number(report.imported) !== rows)
      throw new Error(
        `W5: the service imported ${String(report.imported)} of ${rows} rows: ${r.body.toString('utf8').slice(0, 1000)}`,
      );
    const importSeconds = Number(report.durationMs) / 1000;
    const linkage = report.possibleDuplicates as { seconds?: number } | undefined;
    service = {
      rows,
      attestations: Number(report.attestations ?? 0),
      seconds,
      rowsPerSecond: Math.round(rows / seconds),
      via: 'POST /api/imports',
      report,
      importSeconds,
      importRowsPerSecond: Math.round(rows / importSeconds),
      ...(linkage?.seconds !== undefined ? { linkageSeconds: linkage.seconds } : {}),
    };
  } else if (r.status === 404) {
    // No HTTP route yet: the same import service, called in-process on the service's database.
    service = await importThroughService(server.databaseUrl, data, n, n + rows, rows, false);
    unavailable = 'POST /api/imports is not served yet: measured importVictims in-process';
  } else {
    throw new Error(
      `W5: POST /api/imports answered ${r.status}: ${r.body.toString('utf8').slice(0, 1000)}`,
    );
  }
  log(
    `W5 service: ${rows.toLocaleString('en')} rows in ${service.seconds.toFixed(1)} s = ${service.rowsPerSecond.toLocaleString('en')} rows/s (${service.via})`,
  );
  // Generated before the clock starts, as the service's file was (and the places' cities read,
  // as the service reads its gazetteer): the floor times the database.
  const prepared = Array.from({ length: rows }, (_, k) => data.victims.at(n + rows + k));
  const cities = new Map(
    (
      await c.query<{ id: string; city_id: string | null }>(`SELECT id, city_id FROM locations`)
    ).rows.map((l) => [l.id, l.city_id]),
  );
  const bulk = {
    name: `${engine === 'postgresql' ? 'COPY' : 'INSERT … SELECT FROM unnest'}, set-based (bench/bulk-floor.ts)`,
  };
  const [copied, fs] = await timed(() =>
    inTransaction(c, () =>
      setBasedLoad(c, data, n + rows, n + 2 * rows, (i) => prepared[i - n - rows], {
        copy: engine === 'postgresql',
        batch: IMPORT_BATCH_SIZE,
        cities,
      }),
    ),
  );
  const floor: ImportRun = {
    rows,
    attestations: copied.attestations,
    seconds: fs,
    rowsPerSecond: Math.round(rows / fs),
    via: bulk.name,
  };
  log(
    `W5 floor (${bulk.name}): ${rows.toLocaleString('en')} rows in ${fs.toFixed(1)} s = ${floor.rowsPerSecond.toLocaleString('en')} rows/s`,
  );
  return { service, floor, ...(unavailable ? { unavailable } : {}) };
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const scale = scaleOf(a.scale);
  const small = scale.victims <= 10_000;
  const requests = a.requests ?? (small ? 10 : 200);
  const warmup = a.warmup ?? (small ? 2 : 20);
  const root = projectRoot();
  const startedAt = new Date().toISOString();
  const mach = machine();
  const engine: Engine = a.databaseUrl ? 'postgresql' : 'embedded';
  log(
    `scale ${scale.name}: ${scale.victims.toLocaleString('en')} victims on the ${engine === 'embedded' ? 'embedded engine' : 'PostgreSQL server'}; load average ${mach.loadBefore.map((x) => x.toFixed(2)).join(' ')}`,
  );

  const [data, gs] = await timed(() => Promise.resolve(generateDataset(a.seed, scale)));
  log(
    `generator ready in ${gs.toFixed(1)} s (${data.places.districts.length} districts, ${data.sources.length} sources, ${data.incidents.length} incidents, ${data.claims.length} claims)`,
  );

  let dbName: string | null = null;
  let dbUrl: string | null = null;
  let dataDir: string | null = null;
  if (a.databaseUrl) {
    dbName = a.reuse ?? `cl_bench_${startedAt.replace(/\D/g, '').slice(0, 14)}`;
    if (!a.reuse) {
      const admin = new pg.Client({ connectionString: a.databaseUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${dbName}`);
      await admin.end();
    }
    const u = new URL(a.databaseUrl);
    u.pathname = `/${dbName}`;
    dbUrl = u.toString();
    log(a.reuse ? `database ${dbName}, as loaded before` : `fresh database ${dbName}`);
  } else {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-bench-'));
    log(`embedded data directory ${dataDir}`);
  }

  let server: RunningServer | null = null;
  let client: pg.Client | null = null;
  let floor: pg.Pool | null = null;
  let failed = false;
  let cleaned = false;
  // Whatever happens (an error, Ctrl-C), the service stops and the database goes away.
  const cleanup = async (): Promise<void> => {
    if (cleaned) return;
    cleaned = true;
    await floor?.end().catch(() => undefined);
    await client?.end().catch(() => undefined);
    await server?.stop();
    if (dbName && a.databaseUrl && !a.keep) {
      const admin = new pg.Client({ connectionString: a.databaseUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
      log(`dropped ${dbName}`);
    } else if (dbName) log(`kept database ${dbName}`);
    if (dataDir && !a.keep) fs.rmSync(dataDir, { recursive: true, force: true });
    else if (dataDir) log(`kept ${dataDir}`);
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      log(`${sig}: stopping`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  try {
    const start = (): Promise<RunningServer> =>
      startServer({ projectRoot: root, databaseUrl: dbUrl, dataDir: dataDir ?? '', log });
    const connect = async (s: RunningServer): Promise<pg.Client> => {
      const c = new pg.Client({
        connectionString: s.databaseUrl,
        application_name: 'casualty-ledger-bench',
      });
      c.on('error', (e) => log(`database connection error: ${e.message}`));
      await c.connect();
      return c;
    };
    server = await start();
    client = await connect(server);
    const token = await adminToken(client);
    const auth = { authorization: `Bearer ${token}` };

    let loaded: Results['load'];
    if (a.reuse) {
      // Migrations the service applied at start may have added or rewritten rows and indexes:
      // statistics and the visibility map as after a load.
      const [, vs] = await timed(() => client!.query('VACUUM ANALYZE'));
      loaded = {
        path: `database ${a.reuse} loaded by an earlier run`,
        phases: [phase('VACUUM ANALYZE', 0, vs)],
      };
    } else loaded = await load(client, server, data, a.load, engine);
    const rows = await rowCounts(client);
    log(
      `loaded: ${Object.entries(rows)
        .map(([k, v]) => `${v.toLocaleString('en')} ${k}`)
        .join(', ')}`,
    );
    const peakDuringLoad = server.peak().hwm;
    // The workloads are measured on a service started on the loaded database, as a researcher's
    // would be: the load ran in the service's process, and the embedded engine's WebAssembly heap
    // never gives back what a load grew it to, so its peak would otherwise be the load's.
    const restartedAfterLoad = !a.reuse;
    if (restartedAfterLoad) {
      await client.end();
      client = null;
      await server.stop();
      server = null;
      server = await start();
      client = await connect(server);
      log('service restarted on the loaded database');
    }
    const reset = server.resetPeak();
    const mb = (b: number): number => Math.round(b / 2 ** 20);
    // The peak of each workload on its own (the high-water mark is reset before each), so that a
    // high peak says which workload needed the memory; the run's peak is the highest of them.
    const peaks: { hwm: number; sampledMax: number }[] = [];
    const running = server;
    const phasePeak = (): number => {
      const p = running.peak();
      peaks.push(p);
      running.resetPeak();
      return mb(Math.max(p.hwm, p.sampledMax));
    };

    // The embedded engine is one session, and its socket interleaves the messages of concurrent
    // connections (src/database/bootstrap.ts): the floor, like the service, queues on one.
    floor = new pg.Pool({
      connectionString: server.databaseUrl,
      max: engine === 'embedded' ? 1 : Math.max(...a.concurrency),
      // Kept open: the floor's named statements live in the session, and the embedded engine's
      // one session outlives a socket, so a reconnected client preparing one again would fail.
      idleTimeoutMillis: 0,
      application_name: 'casualty-ledger-bench-floor',
    });
    floor.on('error', (e) => log(`floor pool error: ${e.message}`));
    const workloads: WorkloadResult[] = [];
    for (const w of allWorkloads(data, a.seed)) {
      if (a.only && !a.only.has(w.id)) continue;
      log(`${w.id}: ${w.title}`);
      try {
        const result = await runWorkload(w, server, floor, auth, {
          requests,
          warmup,
          concurrency: a.concurrency,
          budgetMs: a.budget * 1000,
        });
        result.rssPeakMb = phasePeak();
        workloads.push(result);
      } catch (e) {
        // One workload failing (the service gone, a floor query refused) does not lose the others.
        failed = true;
        const message = e instanceof Error ? e.message : String(e);
        log(`${w.id} failed: ${message}`);
        workloads.push({
          id: w.id,
          title: w.title,
          unavailable: `failed: ${message.slice(0, 500)}`,
          check: { compared: 0, mismatches: [] },
          runs: [],
          examples: [],
        });
      }
    }
    await floor.end();
    floor = null;
    let imports: Results['w5'] = { service: null, floor: null, unavailable: 'not run (--only)' };
    if (!a.only || a.only.has('W5')) {
      try {
        imports = await w5(client, server, data, auth, engine);
        imports.rssPeakMb = phasePeak();
      } catch (e) {
        // Report what was measured so far rather than lose the whole run.
        failed = true;
        const message = e instanceof Error ? e.message : String(e);
        log(`W5 failed: ${message}`);
        imports = { service: null, floor: null, unavailable: `failed: ${message.slice(0, 500)}` };
      }
    }
    let w6Result: W6Result = { unavailable: 'not run (--only)' };
    if (!a.only || a.only.has('W6')) {
      try {
        w6Result = await w6(client, server, auth);
        w6Result.rssPeakMb = phasePeak();
      } catch (e) {
        failed = true;
        const message = e instanceof Error ? e.message : String(e);
        log(`W6 failed: ${message}`);
        w6Result = { unavailable: `failed: ${message.slice(0, 500)}` };
      }
    }
    peaks.push(server.peak());
    const peak = {
      hwm: Math.max(...peaks.map((p) => p.hwm)),
      sampledMax: Math.max(...peaks.map((p) => p.sampledMax)),
    };
    mach.loadAfter = os.loadavg();

    const partial: Omit<Results, 'targets'> = {
      version: 1,
      startedAt,
      finishedAt: new Date().toISOString(),
      commit: gitCommit(root),
      machine: mach,
      engine,
      serverVersion: server.serverVersion,
      seed: a.seed,
      scale,
      rows,
      load: loaded,
      requestsPerRun: requests,
      warmup,
      workloads,
      w5: imports,
      w6: w6Result,
      rss: {
        peakMb: mb(peak.hwm),
        sampledMaxMb: mb(peak.sampledMax),
        peakDuringLoadMb: mb(peakDuringLoad),
        resetAfterLoad: reset,
        restartedAfterLoad,
      },
    };
    const results: Results = { ...partial, targets: judge(partial) };
    console.log('\n' + table(results) + '\n');
    for (const l of summaryLines(results)) console.log(l);
    const file = writeJson(a.out ?? path.join(root, 'bench', 'results'), results);
    log(`results written to ${path.relative(root, file)}`);
    if (a.doc && ['100k', '1m'].includes(scale.name)) {
      const doc = path.join(root, 'docs', 'performance.md');
      log(
        updateDoc(doc, results)
          ? `docs/performance.md updated (${engine}, ${scale.name})`
          : `docs/performance.md has no block for ${engine} ${scale.name}: left alone`,
      );
    }
    if (
      workloads.some((w) =>
        w.runs.some((r) => (r.service?.errors ?? 0) > 0 || (r.floor?.errors ?? 0) > 0),
      )
    ) {
      failed = true;
      log('some requests failed: see above');
    }
  } catch (e) {
    failed = true;
    console.error(e);
    if (server) console.error(`last lines of the service:\n${server.tail().slice(-20).join('\n')}`);
  } finally {
    await cleanup();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
