export interface Stats {
  requests: number;
  errors: number;
  concurrency: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
  /** Completed requests per second of wall time. */
  throughput: number;
  /** The first failure, to say what went wrong. */
  firstError?: string;
  /** Set when the time budget ran out before every request was sent. */
  stoppedEarly?: string;
}

/** The nearest-rank percentile of sorted values (ms). */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarize(
  latencies: number[],
  wallMs: number,
  concurrency: number,
  errors: number,
  firstError?: string,
): Stats {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    requests: latencies.length,
    errors,
    concurrency,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    mean: round(sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1)),
    max: round(sorted[sorted.length - 1] ?? NaN),
    throughput: round((latencies.length / wallMs) * 1000),
    ...(firstError ? { firstError } : {}),
  };
}

/**
 * Runs call(0) … call(n − 1), `concurrency` at a time, timing each; a call that throws counts
 * as an error (its time is not a latency). Bounded: at most n calls, no retries, and no new
 * call once `budgetMs` has passed (a workload taking seconds a request would take hours).
 */
export async function measure(
  n: number,
  concurrency: number,
  call: (i: number) => Promise<void>,
  budgetMs = Infinity,
): Promise<Stats> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + budgetMs;
  const worker = async (): Promise<void> => {
    while (next < n && Date.now() < deadline) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      try {
        await call(i);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch (e) {
        errors++;
        firstError ??= e instanceof Error ? e.message : String(e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  const s = summarize(latencies, wall, concurrency, errors, firstError);
  return next < n
    ? {
        ...s,
        stoppedEarly: `time budget of ${Math.round(budgetMs / 1000)} s spent after ${next} of ${n} requests`,
      }
    : s;
}
