import {
  exceedsJsonDepth,
  findBadHeader,
  findBadInput,
  findBadQuery,
  normaliseUuid,
} from '../../src/common/input-guard.js';
import { nodesOnCycles } from '../../src/sources/source-cycles.js';

describe('exceedsJsonDepth: a scan of the raw text, no parse', () => {
  const nest = (n: number): string => '['.repeat(n) + ']'.repeat(n);
  it.each([
    [nest(32), false],
    [nest(33), true],
    [`{"a": ${nest(31)}}`, false],
    [`{"a": ${nest(32)}}`, true],
    [`{"a": "${'['.repeat(1000)}"}`, false],
    [`{"a": "\\"${'{'.repeat(1000)}"}`, false],
    [`{"a": "\\\\", "b": ${nest(40)}}`, true],
    [nest(2400), true],
  ])('%#', (text, deep) => {
    expect(exceedsJsonDepth(text)).toBe(deep);
    expect(exceedsJsonDepth(Buffer.from(text))).toBe(deep);
  });
  it('reads UTF-8 Persian text without miscounting', () => {
    expect(exceedsJsonDepth(Buffer.from(`{"نام": "[[[[ ۱۳۹۸ ]]", "x": [[1]]}`), 3)).toBe(false);
  });
});

describe('findBadInput', () => {
  it('names the field of a NUL, nested in arrays and objects', () => {
    expect(findBadInput({ a: [{ b: 'x' }, { c: 'y\u0000' }] })).toEqual({
      field: 'a[1].c',
      reason: expect.stringContaining('NUL'),
    });
    expect(findBadInput('a\u0000')?.field).toBe('body');
    expect(findBadInput('a\u0000', 'id')?.field).toBe('id');
  });
  it('refuses reserved keys wherever they are', () => {
    const parsed = JSON.parse('{"x": {"__proto__": 1}}') as unknown;
    expect(findBadInput(parsed)?.field).toBe('x.__proto__');
    expect(findBadInput({ constructor: 1 })?.field).toBe('constructor');
    expect(findBadInput([{ prototype: 1 }])?.field).toBe('[0].prototype');
  });
  it('passes clean input, Persian text included', () => {
    expect(findBadInput({ nameFa: 'محمد\u200cرضا', n: 3, ok: true, l: [null] })).toBeNull();
  });
  it('stops at its depth bound without recursing', () => {
    let v: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) v = [v];
    expect(findBadInput(v)?.reason).toContain('levels deep');
  });
});

describe('findBadQuery and findBadHeader', () => {
  it.each([
    ['q=a%00b', 'q'],
    ['a%00=1', 'a\\0'],
    ['__proto__[x]=1', '__proto__[x]'],
    ['filter[constructor]=1', 'filter[constructor]'],
    ['x.prototype=1', 'x.prototype'],
  ])('%s → %s', (query, field) => {
    expect(findBadQuery(query)?.field).toBe(field);
  });
  it('passes an ordinary query, Persian percent-encoded', () => {
    expect(
      findBadQuery(`location=${encodeURIComponent('ماهشهر')}&from=2019-11&q=%2500`),
    ).toBeNull();
  });
  it('names a header holding a NUL', () => {
    expect(findBadHeader({ authorization: 'Bearer a\u0000', accept: '*/*' })?.field).toBe(
      'authorization',
    );
    expect(findBadHeader({ 'x-list': ['a', 'b'] })).toBeNull();
  });
});

describe('normaliseUuid', () => {
  it('lower-cases UUIDs only', () => {
    expect(normaliseUuid('0B6B4A52-3F7E-4C1E-9A1E-00000000000A')).toBe(
      '0b6b4a52-3f7e-4c1e-9a1e-00000000000a',
    );
    expect(normaliseUuid('Tehran')).toBe('Tehran');
    expect(normaliseUuid(42)).toBe(42);
  });
});

describe('nodesOnCycles', () => {
  const g = (e: Record<string, string[]>) => new Map(Object.entries(e));
  it('finds the nodes of loops, not those leading into them', () => {
    expect([...nodesOnCycles(g({ a: ['b'], b: ['c'], c: ['a'], d: ['a'], e: [] }))].sort()).toEqual(
      ['a', 'b', 'c'],
    );
  });
  it('finds a self-loop and two separate loops; a diamond is no loop', () => {
    expect([...nodesOnCycles(g({ a: ['a'], b: ['c'], c: ['b'] }))].sort()).toEqual(['a', 'b', 'c']);
    expect(nodesOnCycles(g({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] })).size).toBe(0);
  });
  it('handles a long chain without recursion', () => {
    const e: Record<string, string[]> = {};
    for (let i = 0; i < 100_000; i++) e[`n${i}`] = [`n${i + 1}`];
    expect(nodesOnCycles(g(e)).size).toBe(0);
    e.n100000 = ['n0'];
    expect(nodesOnCycles(g(e)).size).toBe(100_001);
  });
});
