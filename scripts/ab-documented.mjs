// A/B of the documented count (issue 18): the base commit's compiled code and this branch's,
// alternately, through the repositories the service calls, on one database:
//   node scripts/ab-documented.mjs <old dist> <new dist> postgres://…/cl_bench_…
// (each dist built with `npx tsc -p tsconfig.build.json --outDir <dir>`, node_modules reachable).
// Times the documented count and the counts aggregate of the base commit and of this branch,
// alternately, on the same database, through the same repositories the service calls.
const [, , oldRoot, newRoot, url] = process.argv;
// The victim scope moved from src/victims and src/counts to src/victim-scope (issue 21): either.
async function either(root, now, before) {
  try {
    return await import(`${root}/src/victim-scope/${now}`);
  } catch {
    return import(`${root}/src/${before}`);
  }
}
async function load(root) {
  const ds = (await import(`${root}/src/database/data-source.js`)).createDataSource({ url });
  await ds.initialize();
  const { ReconciliationRepository } = await import(
    `${root}/src/reconciliation/reconciliation.repository.js`
  );
  const { CountsRepository } = await import(`${root}/src/counts/counts.repository.js`);
  const { buildVictimFilter } = await either(root, 'victim-filter.js', 'victims/victim-filter.js');
  const { tuneForAggregates } = await either(root, 'victim-sql.js', 'counts/victim-sql.js');
  let folding = null;
  try {
    folding = (await either(root, 'documented.js', 'counts/documented.js')).folding;
  } catch {}
  return {
    ds,
    rec: new ReconciliationRepository(),
    counts: new CountsRepository(),
    buildVictimFilter,
    tuneForAggregates,
    folding,
  };
}
const old = await load(oldRoot);
const neu = await load(newRoot);
const queries = [
  { category: 'killed' },
  { category: 'killed', from: '2019-11-15', to: '2019-11-20' },
  { category: 'killed', location: 'Khuzestan' },
  { category: 'detained', location: 'Fars', from: '2019-11-01', to: '2019-11-30' },
];
async function w3(side, f) {
  return side.ds.transaction('REPEATABLE READ', async (m) => {
    await side.tuneForAggregates(m);
    const filter = await side.buildVictimFilter(m, f);
    if (side.folding) {
      const fold = await side.folding(m, filter, { counted: ['verified'], seesRestricted: true });
      return side.rec.documented(m, filter, {
        population: 'all',
        seesRestricted: true,
        fromRollups: true,
        counted: ['verified'],
        folded: fold.folded,
      });
    }
    return side.rec.documented(m, filter, {
      population: 'all',
      seesRestricted: true,
      fromRollups: true,
    });
  });
}
async function w2(side, f) {
  return side.ds.transaction('REPEATABLE READ', async (m) => {
    await side.tuneForAggregates(m);
    const filter = await side.buildVictimFilter(m, f);
    const opts = { seesRestricted: true, sourcesPerBucket: 20, fromRollups: true };
    if (side.folding) {
      const fold = await side.folding(m, filter, { counted: ['verified'], seesRestricted: true });
      return side.counts.aggregate(m, filter, ['province'], {
        ...opts,
        rule: { counted: ['verified'], folded: fold.folded },
      });
    }
    return side.counts.aggregate(m, filter, ['province'], opts);
  });
}
const times = { old: { w2: [], w3: [] }, new: { w2: [], w3: [] } };
for (let i = 0; i < 30; i++) {
  for (const [name, side] of i % 2
    ? [
        ['old', old],
        ['new', neu],
      ]
    : [
        ['new', neu],
        ['old', old],
      ]) {
    for (const [w, fn] of [
      ['w2', w2],
      ['w3', w3],
    ]) {
      const f = queries[i % queries.length];
      const t0 = performance.now();
      await fn(side, { ...f, category: w === 'w2' ? f.category : f.category });
      times[name][w].push(performance.now() - t0);
    }
  }
}
const med = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
};
const p90 = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length * 0.9)];
};
for (const w of ['w2', 'w3'])
  console.log(
    w,
    'old median',
    med(times.old[w]).toFixed(1),
    'p90',
    p90(times.old[w]).toFixed(1),
    '| new median',
    med(times.new[w]).toFixed(1),
    'p90',
    p90(times.new[w]).toFixed(1),
  );
await old.ds.destroy();
await neu.ds.destroy();
