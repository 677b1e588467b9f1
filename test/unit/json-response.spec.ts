import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { jsonPieces, sendJson } from '../../src/common/json-response.js';

class Dto {
  constructor(
    public id: string,
    public nameFa: string | null,
    public skipped?: number,
  ) {}
}

const cases: [string, unknown][] = [
  ['an empty object', {}],
  ['an empty array', []],
  ['a string at the root', 'بندر ماهشهر'],
  ['a number at the root', 304],
  ['null at the root', null],
  [
    'skipped and nulled values',
    { a: undefined, b: () => 1, c: Symbol('s'), d: [undefined, () => 1, Symbol('t'), null], e: 1 },
  ],
  ['only skipped properties', { a: undefined, b: undefined }],
  ['NaN and infinities', { a: NaN, b: [Infinity, -Infinity] }],
  ['dates and toJSON', { at: new Date(Date.UTC(2019, 10, 16)), t: { toJSON: () => 'x' } }],
  ['boxed values', { s: Object('س'), n: Object(5), b: Object(false) }],
  ['class instances', { items: [new Dto('1', 'محمد', undefined), new Dto('2', null, 3)] }],
  ['keys needing escapes', { 'a"b': 1, 'new\nline': 2, '\u200c': 3, 2: 'integer keys first' }],
  ['a null prototype', Object.assign(Object.create(null) as object, { z: 1, a: [1, 2] })],
  [
    'nesting past the walked depth',
    { a: { b: { c: { d: { e: { f: [1, [2, [3, [4, [5, { g: undefined }]]]]] } } } } } },
  ],
  ['arrays of arrays', [[], [[]], [[1, 2], [3]], [[[[[['deep']]]]]]]],
  [
    'an answer shaped like a reconciliation',
    {
      documented: {
        total: 304,
        byConfidence: { confirmed: 200, probable: 104 },
        sources: Array.from({ length: 3000 }, (_, i) => ({ id: `s${i}`, victims: i })),
      },
      citations: Array.from({ length: 3000 }, (_, i) => ({
        id: `s${i}`,
        title: `فهرست ${i} «قربانیان» آبان ۱۳۹۸`,
        url: i % 2 ? null : `https://example.org/${i}`,
        note: i % 3 ? undefined : 'relayed',
      })),
    },
  ],
];

describe('jsonPieces', () => {
  it.each(cases)('joins to exactly what JSON.stringify writes: %s', (_, value) => {
    expect([...jsonPieces(value)].join('')).toBe(JSON.stringify(value));
  });

  it('gives a large answer in many pieces, none holding the whole', () => {
    const value = cases.at(-1)![1];
    const pieces = [...jsonPieces(value)];
    const total = JSON.stringify(value).length;
    expect(pieces.length).toBeGreaterThan(6000);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(total / 100);
  });

  it('throws as JSON.stringify does on what cannot be written', () => {
    expect(() => [...jsonPieces({ a: [{ n: BigInt(1) }] })]).toThrow(TypeError);
    const loop: Record<string, unknown> = {};
    loop.self = { again: loop };
    expect(() => [...jsonPieces({ list: [loop] })]).toThrow(TypeError);
  });
});

describe('sendJson over HTTP', () => {
  let server: http.Server;
  let base: string;
  const big = cases.at(-1)![1];

  beforeAll(async () => {
    const app = express();
    app.set('etag', false); // as createApp sets it
    app.get('/small', (_req, res) => void sendJson(res, { name: 'ماهشهر', n: 1 }));
    app.get('/big', (_req, res) => void sendJson(res, big));
    app.get('/empty', (_req, res) => void sendJson(res, undefined));
    app.get('/typed', (_req, res) => {
      res.type('application/problem+json');
      sendJson(res, { title: 'x' });
    });
    server = http.createServer(app);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.close();
    await once(server, 'close');
  });

  it('sends a small answer whole, with its length and no ETag', async () => {
    const res = await fetch(`${base}/small`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await res.text();
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(res.headers.get('etag')).toBeNull();
    expect(JSON.parse(text)).toEqual({ name: 'ماهشهر', n: 1 });
  });

  it('streams a large answer in chunks, byte for byte what JSON.stringify writes', async () => {
    const res = await fetch(`${base}/big`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(await res.text()).toBe(JSON.stringify(big));
  });

  it('keeps a content type already set, and sends no body for undefined', async () => {
    const typed = await fetch(`${base}/typed`);
    expect(typed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await typed.json()).toEqual({ title: 'x' });
    const empty = await fetch(`${base}/empty`);
    expect(empty.status).toBe(200);
    expect(await empty.text()).toBe('');
  });

  it('goes on serving others after a client goes away mid-answer', async () => {
    const req = http.get(`${base}/big`);
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    await once(res, 'data');
    req.destroy();
    const again = await fetch(`${base}/big`);
    expect(await again.text()).toBe(JSON.stringify(big));
  });
});
