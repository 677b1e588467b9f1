#!/usr/bin/env node
// `npm test`: every test, on the embedded engine by default or on TEST_DATABASE_URL when set.
// One process: the e2e files share one database, reset between files.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const env = { ...process.env, TZ: 'UTC' };
const where = env.TEST_DATABASE_URL ? `PostgreSQL at ${env.TEST_DATABASE_URL}` : 'the embedded engine (PGlite)';
console.log(`Running the test suite on ${where}`);
const jest = path.join(__dirname, '..', 'node_modules', 'jest', 'bin', 'jest.js');
const r = spawnSync(process.execPath, [jest, '--runInBand', ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
