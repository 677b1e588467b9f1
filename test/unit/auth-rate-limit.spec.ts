import { RateLimiter } from '../../src/auth/rate-limit.js';

describe('RateLimiter (token bucket)', () => {
  let now = 0;
  const clock = (): number => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('allows the burst, then refuses with the wait until one token refills', () => {
    const rl = new RateLimiter(3, clock);
    expect([rl.take('a'), rl.take('a'), rl.take('a')]).toEqual([true, true, true]);
    expect(rl.take('a')).toBe(false);
    // 3 per minute: one token every 20 s.
    expect(rl.retryAfter('a')).toBe(20);
    now += 19_000;
    expect(rl.take('a')).toBe(false);
    expect(rl.retryAfter('a')).toBe(1);
    now += 1_000;
    expect(rl.retryAfter('a')).toBe(0);
    expect(rl.take('a')).toBe(true);
    expect(rl.take('a')).toBe(false);
  });

  it('keeps keys apart', () => {
    const rl = new RateLimiter(1, clock);
    expect(rl.take('a')).toBe(true);
    expect(rl.take('a')).toBe(false);
    expect(rl.take('b')).toBe(true);
    expect(rl.retryAfter('c')).toBe(0);
  });

  it('never refills above the capacity', () => {
    const rl = new RateLimiter(2, clock);
    rl.take('a');
    now += 3_600_000;
    expect([rl.take('a'), rl.take('a'), rl.take('a')]).toEqual([true, true, false]);
  });

  it('a refused attempt takes nothing', () => {
    const rl = new RateLimiter(60, clock);
    for (let i = 0; i < 60; i++) rl.take('a');
    for (let i = 0; i < 100; i++) expect(rl.take('a')).toBe(false);
    now += 1_000;
    expect(rl.take('a')).toBe(true);
  });
});
