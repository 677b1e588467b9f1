/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same data on every
 * machine, so two benchmark runs measure the same database.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /**
   * An independent stream per purpose (victims, claims, workload parameters…): adding a field
   * to one generator never shifts the numbers another one draws.
   */
  static derive(seed: number, label: string): Rng {
    let h = 0x811c9dc5 ^ (seed >>> 0);
    for (let i = 0; i < label.length; i++) {
      h ^= label.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return new Rng(h >>> 0);
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (!items.length) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** k distinct integers from [0, n), k ≤ n, drawn with a sampler (rejection on repeats). */
  distinct(k: number, n: number, draw: () => number): number[] {
    if (k > n) throw new RangeError(`cannot draw ${k} distinct values from ${n}`);
    const out: number[] = [];
    for (let guard = 0; out.length < k; guard++) {
      const v = guard < 50 * k ? draw() : this.int(0, n - 1);
      if (!out.includes(v)) out.push(v);
    }
    return out;
  }
}

/** Draws items with fixed weights in O(log n) (cumulative table, binary search). */
export class Weighted<T> {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    if (items.length !== weights.length || !items.length) {
      throw new RangeError('Weighted needs as many weights as items, and at least one');
    }
    this.cumulative = new Float64Array(items.length);
    let sum = 0;
    weights.forEach((w, i) => {
      if (!(w >= 0)) throw new RangeError(`weight ${i} must be ≥ 0 (got ${w})`);
      sum += w;
      this.cumulative[i] = sum;
    });
    if (sum <= 0) throw new RangeError('Weighted needs a positive total weight');
    this.total = sum;
  }

  index(rng: Rng): number {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  sample(rng: Rng): T {
    return this.items[this.index(rng)];
  }

  /** The share of the total weight item i holds. */
  share(i: number): number {
    return (this.cumulative[i] - (i ? this.cumulative[i - 1] : 0)) / this.total;
  }
}

/** Zipf weights 1/k^s for ranks 1..n: a few items hold most of the mass, as in real lists. */
export function zipf(n: number, s = 1): number[] {
  return Array.from({ length: n }, (_, k) => 1 / Math.pow(k + 1, s));
}

/** A Weighted over a plain { value: weight } table. */
export function table<K extends string>(t: Record<K, number>): Weighted<K> {
  const keys = Object.keys(t) as K[];
  return new Weighted(
    keys,
    keys.map((k) => t[k]),
  );
}
