#!/usr/bin/env node
// Import cycles among the project's TypeScript files, as a ratchet: the cycles of today are listed
// in scripts/import-cycles.allowed.json; an import that closes any other cycle fails `npm run check`.
// An import counts unless it is written type-only (`import type …`, or every name `type X`): those
// are erased from the build, and consistent-type-imports makes them say so.
// Two levels: files (none today) and the folders of src/ (features that import each other).
// Usage: node scripts/import-cycles.js [--list | --allow-current]: --list prints every cycle and
// exits 0; --allow-current rewrites the allow-list to today's cycles (for a merge of work that
// predates the ratchet: say so in the commit, and shrink the list, never grow it, after that).
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const ROOT = path.join(__dirname, '..');
const DIRS = ['src', 'migrations', 'seed', 'bench', 'fuzz'];
const ALLOWED = path.join(__dirname, 'import-cycles.allowed.json');

function tsFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : tsFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

const rel = (f) => path.relative(ROOT, f).split(path.sep).join('/');

/** The local files a file imports at run time (relative specifiers only). */
function importsOf(file) {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const out = [];
  for (const st of source.statements) {
    let spec;
    let typeOnly = false;
    if (ts.isImportDeclaration(st)) {
      spec = st.moduleSpecifier;
      const c = st.importClause;
      if (c) {
        const named = c.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings : null;
        typeOnly =
          c.isTypeOnly ||
          (!c.name && named !== null && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly));
      }
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier) {
      spec = st.moduleSpecifier;
      typeOnly =
        st.isTypeOnly ||
        (st.exportClause !== undefined &&
          ts.isNamedExports(st.exportClause) &&
          st.exportClause.elements.length > 0 &&
          st.exportClause.elements.every((e) => e.isTypeOnly));
    }
    if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith('.')) continue;
    if (typeOnly && !process.env.CYCLES_WITH_TYPES) continue;
    const base = path.resolve(path.dirname(file), spec.text.replace(/\.js$/, ''));
    const target = [`${base}.ts`, path.join(base, 'index.ts')].find((p) => fs.existsSync(p));
    if (target) out.push(target);
  }
  return out;
}

// Tarjan's strongly connected components: a component of more than one file is a knot of cycles.
function components(graph) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const c = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(c.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

const files = DIRS.flatMap((d) => tsFiles(path.join(ROOT, d)));
const graph = new Map(files.map((f) => [rel(f), [...new Set(importsOf(f).map(rel))].sort()]));
// The same imports between the folders of src/ (a feature, common, core, database …).
const folderOf = (f) => (f.startsWith('src/') && f.split('/').length > 2 ? f.split('/').slice(0, 2).join('/') : null);
const folders = new Map();
for (const [f, targets] of graph) {
  const a = folderOf(f);
  if (!a) continue;
  const set = folders.get(a) ?? new Set();
  for (const t of targets) {
    const b = folderOf(t);
    if (b && b !== a) set.add(b);
  }
  folders.set(a, set);
}
const folderGraph = new Map([...folders].map(([a, set]) => [a, [...set].sort()]));

// Every import edge inside a knot lies on a cycle: those edges are what the allow-list names.
function onCycles(g) {
  const knots = components(g);
  const edges = knots.flatMap((c) => {
    const inside = new Set(c);
    return c.flatMap((f) => g.get(f).filter((t) => inside.has(t)).map((t) => `${f} -> ${t}`));
  });
  return { knots, edges };
}
const fileCycles = onCycles(graph);
const folderCycles = onCycles(folderGraph);

if (process.argv.includes('--list')) {
  for (const [what, { knots, edges }] of [['files', fileCycles], ['folders of src/', folderCycles]]) {
    console.log(`== ${what}: ${knots.length} cycle group(s)`);
    knots.forEach((c, i) => console.log(`group ${i + 1} (${c.length}):\n  ${c.join('\n  ')}`));
    console.log(`${edges.length} imports lie on a cycle:\n  ${edges.join('\n  ')}\n`);
  }
  process.exit(0);
}
const knots = [...fileCycles.knots, ...folderCycles.knots];
const edges = [...fileCycles.edges, ...folderCycles.edges];

if (process.argv.includes('--allow-current')) {
  const about =
    'Import edges on a cycle when the ratchet was set (docs/structure.md). Remove an edge once it is ' +
    'broken; never add one: break the new cycle instead. Written by node scripts/import-cycles.js --allow-current.';
  fs.writeFileSync(ALLOWED, `${JSON.stringify({ about, edges }, null, 2)}\n`);
  console.log(`import cycles: ${edges.length} imports written to ${rel(ALLOWED)}`);
  process.exit(0);
}

const allowed = new Set(JSON.parse(fs.readFileSync(ALLOWED, 'utf8')).edges);
const fresh = edges.filter((e) => !allowed.has(e));
const gone = [...allowed].filter((e) => !edges.includes(e));
if (gone.length > 0) {
  console.log(
    `import cycles: ${gone.length} allowed import(s) no longer on a cycle; remove them from ` +
      `scripts/import-cycles.allowed.json:\n  ${gone.join('\n  ')}`,
  );
}
if (fresh.length > 0) {
  console.error(
    `import cycles: ${fresh.length} import(s) close a new cycle (break it: move what both sides ` +
      `need into a module both import):\n  ${fresh.join('\n  ')}`,
  );
  process.exit(1);
}
console.log(
  `import cycles: ${files.length} files, ${knots.length} known cycle group(s) (${edges.length} imports), no new one`,
);
