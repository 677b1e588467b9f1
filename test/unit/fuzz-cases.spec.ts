import {
  generateCases,
  importCases,
  isLoopback,
  mustBeRefused,
  type OpenApiDocument,
} from '../../fuzz/cases.js';

/** A two-operation document in the shape @nestjs/swagger writes. */
const doc: OpenApiDocument = {
  paths: {
    '/api/things': {
      get: {
        parameters: [
          { name: 'q', in: 'query', schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'number', minimum: 1 } },
        ],
      },
    },
    '/api/things/{id}': {
      patch: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: {
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/UpdateThingDto' } },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      UpdateThingDto: {
        type: 'object',
        properties: {
          version: { type: 'number', minimum: 1 },
          ownerId: { type: 'string', format: 'uuid' },
          kind: { type: 'string', enum: ['a', 'b'] },
        },
      },
    },
  },
};

describe('the fuzzer’s cases, generated from the OpenAPI document', () => {
  const known = new Map([['/api/things', ['0b6b4a52-3f7e-4c1e-9a1e-00000000000a']]]);
  const cases = generateCases(doc, known, 1);

  it('covers every operation, with a plausible request first', () => {
    const ops = new Set(cases.map((c) => c.operation));
    expect(ops).toEqual(new Set(['GET /api/things', 'PATCH /api/things/{id}']));
    const plausible = cases.find(
      (c) => c.operation === 'PATCH /api/things/{id}' && c.mutation === 'plausible request',
    )!;
    expect(plausible.path).toMatch(/^\/api\/things\/0b6b4a52-3f7e-4c1e-9a1e-00000000000a/);
    expect(JSON.parse(plausible.body as string)).toEqual({
      version: 1,
      ownerId: expect.any(String),
      kind: 'a',
    });
  });

  it('spoils each field, parameter and content type', () => {
    const mutations = new Set(cases.map((c) => c.mutation));
    for (const m of [
      'body.ownerId: upper-case uuid',
      'body.ownerId: NUL',
      'body.kind: not in enum',
      'body.version: string for number',
      'body: __proto__ key',
      'body: deep nesting (2,400 levels)',
      'content-type: XML',
      'content-type: missing',
      'query.q: NUL',
      'query.limit: huge number',
      'query: __proto__',
      'path.id: NUL',
      'path.id: upper-case uuid',
    ])
      expect(mutations).toContain(m);
    const nul = cases.find((c) => c.mutation === 'query.q: NUL')!;
    expect(nul.path).toContain('q=a%00b');
    const upper = cases.find((c) => c.mutation === 'path.id: upper-case uuid')!;
    expect(upper.path).toContain('0B6B4A52-3F7E-4C1E-9A1E-00000000000A');
    // Queries stay under Node's 16 KB request-line limit, so they reach the service.
    expect(
      Math.max(...cases.filter((c) => c.method === 'GET').map((c) => c.path.length)),
    ).toBeLessThan(16_000);
  });

  it('is the same for the same seed, and shuffled by another', () => {
    const again = generateCases(doc, known, 1);
    expect(again.map((c) => c.mutation)).toEqual(cases.map((c) => c.mutation));
    const other = generateCases(doc, known, 2);
    expect(other.map((c) => c.mutation)).not.toEqual(cases.map((c) => c.mutation));
  });

  it('has import files for each kind and mode', () => {
    const files = importCases(['victims', 'sources']);
    expect(files.filter((c) => c.mutation.includes('header only'))).toHaveLength(4);
    expect(files.every((c) => c.path.startsWith('/api/imports?kind='))).toBe(true);
  });
});

describe('isLoopback: the only hosts the fuzzer talks to', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['[::1]', true],
    ['::1', true],
    ['10.0.0.1', false],
    ['example.org', false],
    ['127.0.0.1.example.org', false],
    ['0.0.0.0', false],
  ])('%s → %s', (host, ok) => {
    expect(isLoopback(host)).toBe(ok);
  });
});

describe('mustBeRefused: hostile input a 2xx may not answer', () => {
  it.each([
    ['body.title: NUL', true],
    ['query.q: NUL', true],
    ['body: __proto__ key', true],
    ['body: deep nesting (2,400 levels)', true],
    ['content-type: XML', true],
    ['content-type: missing', true],
    ['file (sources, skip-invalid): header only', true],
    ['file (sources, all-or-nothing): relay loop', false],
    ['query: deep nesting', false],
    ['body: deep nesting in a field', true],
    ['body.title: huge string', false],
    ['body.ownerId: upper-case uuid', false],
    ['body.kind: null', false],
    ['plausible request', false],
  ])('%s → %s', (mutation, refused) => {
    expect(mustBeRefused(mutation)).toBe(refused);
  });
});
