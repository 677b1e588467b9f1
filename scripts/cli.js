#!/usr/bin/env node
// `npm run cli -- …` and the `casualty-ledger` bin: runs the built CLI (dist/src/cli/main.js),
// built once at install (`prepare`). It rebuilds only when dist is missing or older than a
// source file (src/, seed/, migrations/, tsconfig*.json), so a command starts in well under a
// second instead of waiting for the TypeScript compiler every time.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const main = path.join(root, 'dist', 'src', 'cli', 'main.js');

function newest(dir, since) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (newest(p, since)) return true;
    } else if (/\.(ts|json|csv|txt)$/.test(e.name) && fs.statSync(p).mtimeMs > since) return true;
  }
  return false;
}

function stale() {
  let built;
  try {
    built = fs.statSync(main).mtimeMs;
  } catch {
    return true;
  }
  if (['src', 'seed', 'migrations'].some((d) => newest(path.join(root, d), built))) return true;
  return ['tsconfig.json', 'tsconfig.build.json', 'package.json'].some(
    (f) => fs.existsSync(path.join(root, f)) && fs.statSync(path.join(root, f)).mtimeMs > built,
  );
}

if (stale()) {
  process.stderr.write('casualty-ledger: building the CLI (the sources changed since the last build)…\n');
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  // tsc leaves an unchanged output file's time as it was: mark the build as done now.
  const now = new Date();
  fs.utimesSync(main, now, now);
}

const r = spawnSync(process.execPath, [main, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
