import fs from 'node:fs';
import path from 'node:path';
import type { Scale } from './generate.js';
import type { Stats } from './measure.js';

export interface RunPair {
  concurrency: number;
  service: Stats | null;
  floor: Stats | null;
  /** Service p95 / floor p95. */
  ratioP95: number | null;
}

export interface WorkloadResult {
  id: string;
  title: string;
  /** Why the service side was not measured (e.g. its route does not exist yet). */
  unavailable?: string;
  check: { compared: number; mismatches: string[] };
  runs: RunPair[];
  /** Parameters of the first few requests, to show what was asked. */
  examples: string[];
  /** The service's peak RSS during this workload alone (MB). */
  rssPeakMb?: number;
}

export interface LoadPhase {
  name: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

export interface ImportRun {
  rows: number;
  attestations: number;
  seconds: number;
  rowsPerSecond: number;
  via: string;
  report?: Record<string, unknown>;
  /** The import's own transaction (its report's durationMs), without the linkage after it. */
  importSeconds?: number;
  importRowsPerSecond?: number;
  /** The duplicates scan of the records written, run after the import committed. */
  linkageSeconds?: number;
}

export interface Target {
  id: string;
  what: string;
  target: string;
  actual: string;
  met: boolean | null;
}

export interface Results {
  version: 1;
  startedAt: string;
  finishedAt: string;
  commit: string | null;
  machine: {
    nproc: number;
    memTotalMb: number;
    cpuModel: string;
    loadBefore: number[];
    loadAfter: number[];
    node: string;
  };
  engine: 'embedded' | 'postgresql';
  serverVersion: string;
  seed: number;
  scale: Scale;
  rows: Record<string, number>;
  load: {
    path: string;
    phases: LoadPhase[];
    /** Import rate of each file, in order: how it changes as the tables grow. */
    files?: { rows: number; rowsPerSecond: number }[];
  };
  requestsPerRun: number;
  warmup: number;
  workloads: WorkloadResult[];
  w5: {
    service: ImportRun | null;
    floor: ImportRun | null;
    unavailable?: string;
    rssPeakMb?: number;
  };
  rss: {
    peakMb: number;
    sampledMaxMb: number;
    peakDuringLoadMb: number;
    resetAfterLoad: boolean;
    /** The workloads ran on a service started after the load (absent in older results). */
    restartedAfterLoad?: boolean;
  };
  /** W6: the record-linkage scan over the whole database (POST /api/duplicates/scan). */
  w6?: W6Result;
  targets: Target[];
}

export interface W6Result {
  unavailable?: string;
  seconds?: number;
  records?: number;
  candidates?: number;
  /** Pairs the scan kept, and the clusters they make. */
  pairs?: number;
  clusters?: number;
  /** The generator's planted duplicates (records of one person) and how many the scan put together. */
  planted?: number;
  found?: number;
  recall?: number;
  /** Pairs kept whose records the generator made as different people. */
  falseCandidates?: number;
  /** Seconds per phase of the scan (keys, candidates, scoring, clusters), as it reports them. */
  phases?: Record<string, number>;
  /** Kept pairs left out of the clusters: they would have chained records that conflict. */
  refused?: number;
  rssPeakMb?: number;
}

// Issue 22's targets (they replace issue 6's: W1 20 ms, W4 50 ms, 20,000 rows/s, 300 MB alike).
const TARGET_P95: Record<string, number> = { W1: 15, W2: 100, W3: 150, W4: 40 };
const TARGET_RATIO = 1.5;
const TARGET_IMPORT = 5_000;
const TARGET_RSS_MB: Record<Results['engine'], number> = { postgresql: 250, embedded: 300 };

/** Targets of issue 22, judged on concurrency 1 (one user's latency) for W1–W4. */
export function judge(r: Omit<Results, 'targets'>): Target[] {
  const out: Target[] = [];
  for (const w of r.workloads) {
    const c1 = w.runs.find((x) => x.concurrency === 1);
    const p95 = c1?.service?.p95 ?? null;
    out.push({
      id: w.id,
      what: `${w.id} service p95 (c=1)`,
      target: `≤ ${TARGET_P95[w.id]} ms`,
      actual: p95 === null ? 'not measured' : `${p95} ms`,
      met: p95 === null ? null : p95 <= TARGET_P95[w.id],
    });
    const ratio = c1?.ratioP95 ?? null;
    out.push({
      id: `${w.id}/floor`,
      what: `${w.id} service/floor p95 (c=1)`,
      target: `≤ ${TARGET_RATIO}`,
      actual: ratio === null ? 'not measured' : ratio.toFixed(2),
      met: ratio === null ? null : ratio <= TARGET_RATIO,
    });
  }
  const imp = r.w5.service;
  // The import is its own transaction (report.durationMs); the duplicates linkage that follows
  // it is reported beside it as a step of its own (W6 measures the scan over the whole database).
  const importRate = imp ? (imp.importRowsPerSecond ?? imp.rowsPerSecond) : null;
  out.push({
    id: 'W5',
    what: 'W5 import rows/s (its transaction; the linkage after it reported apart)',
    target: `≥ ${TARGET_IMPORT.toLocaleString('en')}`,
    actual: importRate === null ? 'not measured' : importRate.toLocaleString('en'),
    met: importRate === null ? null : importRate >= TARGET_IMPORT,
  });
  const fl = r.w5.floor;
  const own = imp?.importRowsPerSecond;
  const w5ratio = own && fl ? own / fl.rowsPerSecond : null;
  out.push({
    id: 'W5/floor',
    what: 'W5 import (without linkage) / set-based floor, rows/s',
    target: '≥ 0.9',
    actual: w5ratio === null ? 'not measured' : w5ratio.toFixed(2),
    met: w5ratio === null ? null : w5ratio >= 0.9,
  });
  out.push({
    id: 'RSS',
    what: 'service peak RSS',
    target: `≤ ${TARGET_RSS_MB[r.engine]} MB`,
    actual: Number.isFinite(r.rss.peakMb) ? `${r.rss.peakMb} MB` : 'not measured',
    met: Number.isFinite(r.rss.peakMb) ? r.rss.peakMb <= TARGET_RSS_MB[r.engine] : null,
  });
  return out;
}

function fmt(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits);
}

function pad(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...r[c]].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ')).join('\n');
}

/** The terminal table (and the Markdown one for docs/performance.md). */
export function table(r: Results, markdown = false): string {
  const head = [
    'workload',
    'c',
    'service p50',
    'p95',
    'p99',
    'req/s',
    'floor p50',
    'p95',
    'p99',
    'req/s',
    'ratio p95',
  ];
  const rows: string[][] = [];
  for (const w of r.workloads) {
    for (const run of w.runs) {
      const s = run.service;
      const f = run.floor;
      rows.push([
        w.id,
        String(run.concurrency),
        s ? fmt(s.p50) : w.unavailable ? 'n/a' : '–',
        fmt(s?.p95),
        fmt(s?.p99),
        fmt(s?.throughput),
        fmt(f?.p50),
        fmt(f?.p95),
        fmt(f?.p99),
        fmt(f?.throughput),
        run.ratioP95 === null ? '–' : run.ratioP95.toFixed(2),
      ]);
    }
  }
  if (markdown) {
    const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
    return [
      line(
        head.map((h, i) =>
          i >= 2 && i <= 5
            ? `service ${h.replace('service ', '')}`
            : i >= 6 && i <= 9
              ? `floor ${h.replace('floor ', '')}`
              : h,
        ),
      ),
      line(head.map(() => '---')),
      ...rows.map(line),
    ].join('\n');
  }
  return pad([head, ...rows]);
}

export function summaryLines(r: Results): string[] {
  const lines: string[] = [];
  const s = r.w5.service;
  const f = r.w5.floor;
  lines.push(
    `W5 import of ${(s ?? f)?.rows.toLocaleString('en') ?? '?'} rows: service ${s ? `${s.rowsPerSecond.toLocaleString('en')} rows/s (${s.via}, ${s.seconds.toFixed(1)} s)` : (r.w5.unavailable ?? 'not measured')}; floor (${f?.via ?? 'bulk'}) ${f ? `${f.rowsPerSecond.toLocaleString('en')} rows/s (${f.seconds.toFixed(1)} s)` : 'not measured'}`,
  );
  if (s?.importSeconds !== undefined)
    lines.push(
      `W5 service, the import's own transaction: ${s.importRowsPerSecond?.toLocaleString('en')} rows/s (${s.importSeconds.toFixed(1)} s), then the duplicates linkage ${s.linkageSeconds ?? '?'} s${f && s.importRowsPerSecond ? `; import/floor ${(s.importRowsPerSecond / f.rowsPerSecond).toFixed(2)}` : ''}`,
    );
  const each = [
    ...r.workloads.map((w) => [w.id, w.rssPeakMb] as const),
    ['W5', r.w5.rssPeakMb] as const,
  ]
    .filter(([, v]) => v !== undefined)
    .map(([id, v]) => `${id} ${v} MB`)
    .join(', ');
  lines.push(
    `service peak RSS during the workloads: ${fmt(r.rss.peakMb, 0)} MB${each ? ` (${each})` : ''}; during the load ${fmt(r.rss.peakDuringLoadMb, 0)} MB`,
  );
  for (const w of r.workloads) {
    if (w.unavailable) lines.push(`${w.id}: service not measured: ${w.unavailable}`);
    if (w.check.mismatches.length)
      lines.push(
        `${w.id}: service and floor disagree on ${w.check.mismatches.length}/${w.check.compared}: ${w.check.mismatches[0]}`,
      );
    for (const run of w.runs) {
      for (const [side, st] of [
        ['service', run.service],
        ['floor', run.floor],
      ] as const) {
        if (st?.stoppedEarly)
          lines.push(`${w.id} c=${run.concurrency} ${side}: ${st.stoppedEarly}`);
      }
      if (run.service?.errors)
        lines.push(
          `${w.id} c=${run.concurrency}: ${run.service.errors} service errors: ${run.service.firstError ?? ''}`,
        );
      if (run.floor?.errors)
        lines.push(
          `${w.id} c=${run.concurrency}: ${run.floor.errors} floor errors: ${run.floor.firstError ?? ''}`,
        );
    }
  }
  lines.push('targets (issue 22):');
  for (const t of r.targets) {
    lines.push(
      `  ${t.met === null ? '·' : t.met ? '✓' : '✗'} ${t.what}: ${t.actual} (target ${t.target})`,
    );
  }
  return lines;
}

export function writeJson(dir: string, r: Results): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${r.startedAt.slice(0, 10)}-${r.scale.name}-${r.engine}.json`);
  fs.writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
  return file;
}

/** The generated block of docs/performance.md for this engine and scale. */
export function docBlock(r: Results): string {
  const m = r.machine;
  const load = r.load.phases
    .map((p) => `${p.name} ${p.rows.toLocaleString('en')} rows in ${p.seconds.toFixed(1)} s`)
    .join('; ');
  return [
    `Run of ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC${r.commit ? ` at commit \`${r.commit.slice(0, 10)}\`` : ''}: ` +
      `${r.engine === 'embedded' ? 'embedded PGlite' : 'PostgreSQL server'} ${r.serverVersion}, ` +
      `${m.nproc} cores (${m.cpuModel}), ${Math.round(m.memTotalMb / 1024)} GB RAM, Node ${m.node}, ` +
      `load average ${m.loadBefore.map((x) => x.toFixed(2)).join(' ')} before the run.`,
    '',
    `Data (seed ${r.seed}): ${Object.entries(r.rows)
      .map(([k, v]) => `${v.toLocaleString('en')} ${k}`)
      .join(', ')}. Loaded via ${r.load.path}: ${load}.`,
    '',
    `${r.requestsPerRun} timed requests per workload and concurrency after ${r.warmup} warm-up requests; times in ms.`,
    '',
    table(r, true),
    '',
    ...summaryLines(r).map((l) =>
      l.startsWith('  ') ? `- ${l.trim()}` : l.endsWith(':') ? `\n${l}\n` : `- ${l}`,
    ),
  ].join('\n');
}

/**
 * Replaces the generated block of this engine and scale in docs/performance.md
 * (`<!-- bench:postgresql:1m -->` … `<!-- /bench:postgresql:1m -->`), leaving the hand-written
 * analysis around it alone. Returns false when the document has no such block.
 */
export function updateDoc(file: string, r: Results): boolean {
  if (!fs.existsSync(file)) return false;
  const tag = `bench:${r.engine}:${r.scale.name}`;
  const text = fs.readFileSync(file, 'utf8');
  const re = new RegExp(`(<!-- ${tag} -->\\n)[\\s\\S]*?(\\n<!-- /${tag} -->)`);
  if (!re.test(text)) return false;
  fs.writeFileSync(
    file,
    text.replace(re, (_, a: string, b: string) => `${a}${docBlock(r)}${b}`),
  );
  return true;
}
