/**
 * A CPU profile of the service under a bounded load of one workload (W1 to W4), for finding what
 * a request spends its time on in the process (docs/performance.md, "Per-request overhead"):
 *
 *   node dist/bench/profile.js --database-url postgres://…/cl_bench_<digits> --only W1 \
 *     --requests 2000 [--scale 100k] [--out DIR]
 *
 * Starts the service (`node --cpu-prof dist/src/main.js`, the flags of `npm start` too) on a
 * database loaded by an earlier `npm run bench -- --keep` of the same scale and seed, sends the
 * workload's requests one at a time (after 50 untimed ones), stops the service, and prints the
 * functions with the most self time during the requests (start-up left out), by the profile's
 * own sample times. The .cpuprofile stays in DIR for Chrome's DevTools.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { generateTokenSecret } from '../src/users/token-secret.js';
import { generateDataset, scaleOf } from './generate.js';
import { agentFor, request } from './http.js';
import { measure } from './measure.js';
import { startServer } from './server.js';
import { w1, w2, w3, w4 } from './workloads.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

function arg(argv: string[], flag: string, fallback?: string): string {
  const i = argv.indexOf(flag);
  const v = i >= 0 ? argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`${flag} is required`);
  return v;
}

/** Self time per function between two instants (µs, the profile's monotonic clock). */
export function topSelf(
  p: CpuProfile,
  fromUs: number,
  toUs: number,
  n = 25,
): { fn: string; ms: number; share: number }[] {
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const self = new Map<string, number>();
  let t = p.startTime;
  let total = 0;
  for (let k = 0; k < p.samples.length; k++) {
    t += p.timeDeltas[k];
    if (t < fromUs || t > toUs) continue;
    const dt = p.timeDeltas[k + 1] ?? 0;
    const f = byId.get(p.samples[k])!.callFrame;
    const where = f.url
      ? `${f.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${f.lineNumber + 1}`
      : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([fn, us]) => ({
      fn,
      ms: Math.round(us / 100) / 10,
      share: Math.round((us / total) * 1000) / 10,
    }));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const url = arg(argv, '--database-url');
  const only = arg(argv, '--only', 'W1');
  const requests = Number(arg(argv, '--requests', '2000'));
  const seed = Number(arg(argv, '--seed', '20191115'));
  const out = arg(argv, '--out', fs.mkdtempSync(path.join(os.tmpdir(), 'cl-profile-')));
  fs.mkdirSync(out, { recursive: true });
  const data = generateDataset(seed, scaleOf(arg(argv, '--scale', '100k')));
  const pick = { W1: w1, W2: w2, W3: w3, W4: w4 }[only];
  if (pick === undefined) throw new Error(`--only must be W1, W2, W3 or W4 (got ${only})`);
  const workload = pick(data, seed);

  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const secret = generateTokenSecret();
  const userId = randomUUID();
  await c.query(`INSERT INTO users (id, name, email, role) VALUES ($1, 'profile', $2, 'admin')`, [
    userId,
    `profile-${userId.slice(0, 8)}@bench.local`,
  ]);
  await c.query(
    `INSERT INTO api_tokens (user_id, name, token_hash, prefix, expires_at) VALUES ($1, 'profile', $2, $3, now() + interval '1 hour')`,
    [userId, secret.hash, secret.prefix],
  );
  const auth = { authorization: `Bearer ${secret.token}` };

  const log = (s: string): void => console.log(`[profile] ${s}`);
  const exitOnTerm = path.join(out, 'exit-on-term.cjs');
  fs.writeFileSync(exitOnTerm, `process.once('SIGTERM', () => process.exit(0));\n`);
  const server = await startServer({
    projectRoot: process.cwd(),
    databaseUrl: url,
    dataDir: '',
    log,
    // The profile is written when the process exits, not when a signal kills it: on the server
    // engine the service has no SIGTERM handler of its own, so one is preloaded.
    nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${out}`, '--require', exitOnTerm],
  });
  const agent = agentFor(1);
  const one = async (i: number): Promise<void> => {
    const r = await request(server.baseUrl + workload.call(i).path, { headers: auth, agent });
    if (r.status !== 200) throw new Error(`${r.status}: ${r.body.toString('utf8').slice(0, 200)}`);
  };
  await measure(50, 1, (i) => one(1_000_000 + i));
  // The profile's clock is the monotonic one process.hrtime reads (µs), in every process.
  const from = Number(process.hrtime.bigint() / 1000n);
  const stats = await measure(requests, 1, one);
  const to = Number(process.hrtime.bigint() / 1000n);
  log(
    `${only}: ${JSON.stringify(stats)}; load average ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  agent.destroy();
  await server.stop();
  await c.query(`DELETE FROM api_tokens WHERE user_id = $1`, [userId]);
  await c.query(`DELETE FROM users WHERE id = $1`, [userId]);
  await c.end();

  const file = fs
    .readdirSync(out)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(out, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  if (!file) throw new Error(`no .cpuprofile in ${out}`);
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  log(
    `profile ${profile.startTime}..${profile.startTime + profile.timeDeltas.reduce((a, b) => a + b, 0)} µs, requests ${from}..${to}`,
  );
  log(`${file}: self time during the ${stats.requests} requests, top functions`);
  for (const r of topSelf(profile, from, to))
    console.log(`${String(r.ms).padStart(9)} ms ${String(r.share).padStart(5)} %  ${r.fn}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
