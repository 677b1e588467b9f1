import { timeOrderedId } from '../../src/common/time-ordered-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedId (UUID version 7)', () => {
  it('is a version 7, variant 10 UUID carrying the time in its first 48 bits', () => {
    const at = Date.UTC(2026, 10, 26, 2, 30, 0, 123);
    const id = timeOrderedId(at + 1_000_000);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at + 1_000_000);
  });

  it('keeps ids of the same millisecond in order, past 4,096 of them, and never repeats', () => {
    const now = Date.now() + 10_000_000;
    const ids = Array.from({ length: 10_000 }, () => timeOrderedId(now));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(UUID_V7);
  });

  it('never goes backwards when the clock does', () => {
    const a = timeOrderedId(Date.now() + 20_000_000);
    const b = timeOrderedId(Date.now());
    expect(b > a).toBe(true);
  });
});
