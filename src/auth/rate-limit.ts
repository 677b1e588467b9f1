/**
 * A small in-memory token bucket per key (client IP for failed authentications, API token for
 * writes). Per process: behind several instances each enforces its own share, which is enough
 * to blunt guessing and runaway scripts.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = perMinute / 60_000;
  }

  private refill(key: string): { tokens: number; at: number } {
    const t = this.now();
    const b = this.buckets.get(key);
    if (!b) return { tokens: this.perMinute, at: t };
    return { tokens: Math.min(this.perMinute, b.tokens + (t - b.at) * this.perMs), at: t };
  }

  /** Seconds to wait before the next attempt is allowed; 0 when one is available now. */
  retryAfter(key: string): number {
    const b = this.refill(key);
    return b.tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000));
  }

  /** Takes one token; false (and nothing taken) when the bucket is empty. */
  take(key: string): boolean {
    const b = this.refill(key);
    if (b.tokens < 1) {
      this.buckets.set(key, b);
      return false;
    }
    b.tokens -= 1;
    this.buckets.set(key, b);
    if (this.buckets.size > 10_000) this.prune();
    return true;
  }

  /** Full buckets carry no information: forget them so the map stays small. */
  private prune(): void {
    for (const key of this.buckets.keys()) {
      if (this.refill(key).tokens >= this.perMinute) this.buckets.delete(key);
    }
  }
}
