import { boundedMemo } from '../../src/common/memo.js';

describe('boundedMemo', () => {
  it('computes each key once, null results included', () => {
    const memo = boundedMemo<string | null>(10);
    let calls = 0;
    const f = (k: string): string | null =>
      memo(k, () => {
        calls++;
        return k === 'none' ? null : k.toUpperCase();
      });
    expect([f('a'), f('a'), f('none'), f('none'), f('b')]).toEqual(['A', 'A', null, null, 'B']);
    expect(calls).toBe(3);
  });

  it('never holds more than its size: past it, it starts again and computes anew', () => {
    const memo = boundedMemo<number>(3);
    const seen: string[] = [];
    const f = (k: string): number => memo(k, () => (seen.push(k), k.length));
    for (const k of ['a', 'bb', 'ccc']) f(k);
    f('a');
    expect(seen).toEqual(['a', 'bb', 'ccc']);
    f('dddd'); // the fourth key: the memo starts again with it alone
    f('a');
    f('dddd');
    expect(seen).toEqual(['a', 'bb', 'ccc', 'dddd', 'a']);
  });

  it('remembers nothing when the computation throws', () => {
    const memo = boundedMemo<number>(3);
    let calls = 0;
    const bad = (): number =>
      memo('x', () => {
        calls++;
        throw new Error('not a date');
      });
    expect(bad).toThrow('not a date');
    expect(bad).toThrow('not a date');
    expect(calls).toBe(2);
  });
});
