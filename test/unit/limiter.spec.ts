import { Limiter } from '../../src/common/limiter.js';

describe('Limiter', () => {
  it('runs at most `limit` tasks at once, the rest in order, and passes failures through', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const release: (() => void)[] = [];
    const task = (i: number) =>
      limiter.run(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        await new Promise<void>((r) => release.push(r));
        running--;
        if (i === 2) throw new Error('task 2 failed');
        return i;
      });
    const all = [0, 1, 2, 3, 4].map((i) => task(i).catch((e: Error) => e.message));
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    expect(limiter.queued).toBe(3);
    while (started.length < 5 || release.length) {
      release.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    expect(await Promise.all(all)).toEqual([0, 1, 'task 2 failed', 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
    expect(limiter.queued).toBe(0);
    // Free again: a new task starts at once.
    expect(await limiter.run(() => Promise.resolve('again'))).toBe('again');
  });

  it('refuses a limit below 1', () => {
    expect(() => new Limiter(0)).toThrow('limit must be ≥ 1');
  });
});
