/**
 * The reconciliation's own JavaScript (src/reconciliation/reconcile.ts and statement.ts), timed
 * and profiled without a database or HTTP: the generated claims of a scale (2,000 at a million),
 * read as the service reads them (reconciliation.service.ts claimInput), reconciled for W3's
 * kind of query (the whole country or one province, with or without a window, killed or
 * detained), one after another:
 *
 *   node [--cpu-prof] dist/bench/reconcile-profile.js [--scale 1m] [--requests 200] [--dump FILE]
 *
 * Prints the CPU time per reconciliation (median, p95). --dump writes every answer as JSON, to check
 * that a change to the rules' code leaves the answers identical (diff two dumps).
 */
import fs from 'node:fs';
import os from 'node:os';
import {
  reconcile,
  type ClaimInput,
  type QueryScope,
  type SourceRef,
} from '../src/reconciliation/reconcile.js';
import { formatWindow } from '../src/reconciliation/statement.js';
import { generateDataset, scaleOf, type GenSource } from './generate.js';
import { Rng } from './prng.js';

function arg(argv: string[], flag: string, fallback: string): string {
  const i = argv.indexOf(flag);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
}

function partialDate(from: string, precision: string): string {
  return precision === 'month' ? from.slice(0, 7) : precision === 'year' ? from.slice(0, 4) : from;
}

function addDays(d: string, n: number): string {
  return new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

function main(): void {
  const argv = process.argv.slice(2);
  const seed = Number(arg(argv, '--seed', '20191115'));
  const requests = Number(arg(argv, '--requests', '200'));
  const dump = arg(argv, '--dump', '');
  const data = generateDataset(seed, scaleOf(arg(argv, '--scale', '1m')));
  const { sources, places } = data;

  // A source's relays as the repository reads them: every source reached through relay links.
  const reach = (k: number): string[] => {
    const out = new Set<string>();
    for (let r = sources[k].relays; r !== null && !out.has(sources[r].id); r = sources[r].relays) {
      if (r === k) break;
      out.add(sources[r].id);
    }
    return [...out].sort();
  };
  const refs = new Map<number, SourceRef>();
  const ref = (k: number): SourceRef => {
    let s = refs.get(k);
    if (s === undefined) {
      const g: GenSource = sources[k];
      s = {
        id: g.id,
        title: g.title,
        publisher: g.publisher,
        publishedDate: partialDate(g.publishedFrom, g.publishedPrecision),
        reliability: g.reliability,
        url: g.url,
        interest: null,
        relays: reach(k),
      };
      refs.set(k, s);
    }
    return s;
  };
  const all: ClaimInput[] = data.claims
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.status !== 'retracted')
    .sort((a, b) => a.c.publishedDate.localeCompare(b.c.publishedDate) || a.i - b.i)
    .map(({ c }) => ({
      id: c.id,
      category: c.category as ClaimInput['category'],
      qualifier: c.qualifier as ClaimInput['qualifier'],
      low: c.low,
      best: c.best,
      high: c.high,
      scope: {
        locationPath: places.byId.get(c.locationId)?.path ?? [],
        dateFrom: c.dateFrom,
        dateTo: c.dateTo,
        incidentId: null,
        population: c.population as ClaimInput['scope']['population'],
        perpetrator: null,
      },
      basis: c.basis as ClaimInput['basis'],
      credibility: c.credibility,
      publishedDate: c.publishedDate,
      excerpt: c.excerpt,
      source: ref(c.source),
      relaysClaimId: c.relaysClaim === null ? null : data.claims[c.relaysClaim].id,
      attributedTo: c.attributedSource === null ? null : ref(c.attributedSource),
      asOf: null,
      breakdown: [],
      recordStatus: c.status,
    }));
  const byCategory = new Map<string, ClaimInput[]>();
  for (const c of all) byCategory.set(c.category, [...(byCategory.get(c.category) ?? []), c]);

  const top = sources.slice(0, 20).map((s, i) => ({
    id: s.id,
    title: s.title,
    publisher: s.publisher,
    victims: 2000 - i * 50,
  }));
  const call = (i: number): Parameters<typeof reconcile> => {
    const rng = Rng.derive(seed, `reconcile:${i}`);
    const place = i % 2 === 0 ? places.country : rng.pick(places.provinces);
    const start = addDays('2019-11-13', rng.int(0, 7));
    const w = rng.chance(0.5) ? { from: start, to: addDays(start, rng.int(0, 9)) } : null;
    const category = rng.chance(0.8) ? 'killed' : 'detained';
    const total = rng.int(0, place === places.country ? 60_000 : 6_000);
    const query: QueryScope = {
      locationPath: place.path,
      from: w?.from ?? null,
      to: w?.to ?? null,
      incidentId: null,
      population: 'all',
      unconstrained: w === null ? ['time', 'incident'] : ['incident'],
      category,
      minReliability: 'C',
      minCredibility: 3,
      label: `in ${place.nameEn} ${formatWindow(w?.from ?? null, w?.to ?? null)}`.trim(),
      defaulted: { reliability: true, credibility: true },
      includeDisputed: false,
    };
    return [
      query,
      {
        total,
        byConfidence: { confirmed: total >> 1, probable: total >> 2, possible: total >> 3 },
        sources: top,
        sourceCount: sources.length,
      },
      byCategory.get(category) ?? [],
    ];
  };

  const answers: unknown[] = [];
  for (let i = 0; i < 10; i++) reconcile(...call(1_000_000 + i));
  const ms: number[] = [];
  for (let i = 0; i < requests; i++) {
    const args = call(i);
    // CPU time, not wall time: the machine is shared, and a loaded one stretches wall time.
    const t = process.cpuUsage();
    const r = reconcile(...args);
    const d = process.cpuUsage(t);
    ms.push((d.user + d.system) / 1e3);
    if (dump !== '') answers.push(r);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))].toFixed(1);
  console.log(
    `[reconcile] ${all.length} claims, ${requests} reconciliations: CPU time median ${at(0.5)} ms, p95 ${at(0.95)} ms; load average ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  if (dump !== '') fs.writeFileSync(dump, JSON.stringify(answers));
}

main();
