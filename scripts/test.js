#!/usr/bin/env node
// `npm test`: every test, on the embedded engine by default or on TEST_DATABASE_URL when set.
// Each e2e file runs on its own copy of one migrated template (test/setup/e2e-environment.ts),
// so the files run in parallel: TEST_WORKERS workers (default 2, for a 2-core machine; 1 runs
// them in this process, one after another). `--runInBand`/`-i` or `--maxWorkers` win over it.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const env = { ...process.env, TZ: 'UTC' };
const where = env.TEST_DATABASE_URL ? `PostgreSQL at ${env.TEST_DATABASE_URL}` : 'the embedded engine (PGlite)';
const args = process.argv.slice(2);
const chosen = args.some((a) => /^(-i|--runInBand|-w|--maxWorkers)(=|$)/.test(a));
const workers = env.TEST_WORKERS ?? '2';
if (!chosen && !/^[1-9][0-9]*$/.test(workers)) {
  console.error(`TEST_WORKERS must be a whole number of workers, 1 or more (got "${workers}")`);
  process.exit(2);
}
const parallel = chosen ? [] : workers === '1' ? ['--runInBand'] : [`--maxWorkers=${workers}`];
console.log(`Running the test suite on ${where}${chosen ? '' : `, ${workers} worker(s)`}`);
const jest = path.join(__dirname, '..', 'node_modules', 'jest', 'bin', 'jest.js');
const r = spawnSync(process.execPath, [jest, ...parallel, ...args], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
