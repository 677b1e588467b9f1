/**
 * At most `limit` tasks at once; the others wait their turn, in order. For the aggregate
 * queries (counts, reconciliation): each holds a large answer in memory while it is built, and
 * more of them at once than the database has cores only makes each slower and the process
 * larger (docs/performance.md).
 */
export class Limiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit must be ≥ 1 (got ${limit})`);
  }

  /** How many tasks wait for a turn now. */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The turn passes straight to the next task: `running` stays as it is.
      if (next) next();
      else this.running--;
    }
  }
}
