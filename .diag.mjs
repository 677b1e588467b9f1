import pg from '/work/wt-18/node_modules/pg/lib/index.js';
import { scorePair, countNames, blockKeys, nameKeys } from '/work/wt-18/dist/src/duplicates/linkage.js';
const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/cl_bench_20261204013854' });
await c.connect();
const rows = (await c.query(`SELECT v.id, v.name_en, v.name_fa, v.name_variants, v.gender, v.age, v.age_min, v.age_max, v.date_from::text, v.date_to::text, v.merged_into, coalesce(l.path,'{}') AS path, v.father_name,
  coalesce((SELECT array_agg(DISTINCT a.source_id) FROM attestations a WHERE a.victim_id = v.id), '{}') AS sources
  FROM victims v LEFT JOIN locations l ON l.id = v.location_id WHERE v.status <> 'retracted'`)).rows;
const recs = rows.map(r => ({ id: r.id, names: [r.name_en, r.name_fa, ...(r.name_variants??[])].filter(Boolean), gender: r.gender, age: r.age, ageMin: r.age_min, ageMax: r.age_max, dateFrom: r.date_from, dateTo: r.date_to, placePath: r.path, sources: r.sources, father: r.father_name, merged: r.merged_into }));
countNames(recs);
const byId = new Map(recs.map(r => [r.id, r]));
const tally = new Map(); let noBlock = 0; const ex = [];
for (const r of recs) { if (!r.merged) continue; const b = byId.get(r.merged); if (!b) continue;
  const e = scorePair(r, b); const ka = new Set(blockKeys(r)); const shared = blockKeys(b).some(k => ka.has(k));
  if (!shared) noBlock++;
  const k = e.score >= 0.78 ? 'kept' : (e.veto ?? `low name=${e.name.score.toFixed(2)}`.slice(0,14));
  tally.set(k, (tally.get(k) ?? 0) + 1);
  if (e.score < 0.78 && ex.length < 12) ex.push([r.names, b.names, e.veto, e.name.score, e.date, e.place, r.placePath.length, r.nameFrequency, e.score]);
}
console.log('no shared block', noBlock); console.log([...tally].sort((a,b)=>b[1]-a[1]).slice(0,20));
for (const x of ex) console.log(JSON.stringify(x));
const freq = recs.map(r=>r.nameFrequency).sort((a,b)=>a-b); console.log('freq median', freq[freq.length>>1], 'p90', freq[Math.floor(freq.length*0.9)], 'common share', freq.filter(f=>f>=5).length/freq.length);
await c.end();
