import { Rng } from '../bench/prng.js';

/**
 * The fuzzer's requests, generated from the OpenAPI document (/api/docs-json): for every
 * operation, a plausible request built from its schemas, then that request spoiled one way at
 * a time (wrong types, NUL, deep nesting, huge strings, unknown and reserved keys, upper-case
 * UUIDs, bad content types, …). Pure: the same document and seed give the same cases.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: Json[];
  example?: Json;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  nullable?: boolean;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: unknown[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export type Role = 'admin' | 'reviewer' | 'researcher' | 'viewer';
/** Who sends it: a role's token, nobody, or a token that is not one. */
export type Caller = Role | 'anonymous' | 'bad-token';

export interface FuzzCase {
  /** The operation, as the document writes it: "POST /api/sources/{id}". */
  operation: string;
  /** What was spoiled: "body.title: NUL". */
  mutation: string;
  method: string;
  /** Path and query, already encoded as they go on the wire. */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  caller: Caller;
}

/**
 * Mutations no route may accept (a 2xx is a failure too, not only a 5xx): a NUL, a reserved
 * key, a body nested beyond the limit, a body that is not JSON on a JSON route (an XML body once
 * issued a token), an import file with no rows. Not the query's nesting or unknown names: a
 * route without query parameters ignores its query string. Not a relay loop in an import
 * either: a dry run or a skip-invalid import answers 2xx with the looping rows rejected.
 */
const MUST_REFUSE =
  /(NUL|__proto__|constructor key|prototype key|body: deep nesting|deep value|deep JSON record|content-type: (XML|form|text\/plain JSON|multipart|missing|bad charset|garbage type)|: (header only|empty JSON array|XML|no content type|bad charset)$)/;

export function mustBeRefused(mutation: string): boolean {
  return MUST_REFUSE.test(mutation);
}

/** 127.0.0.0/8, ::1 and localhost: the only hosts the fuzzer sends anything to. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Ids that exist, by the collection path they are listed under ("/api/sources"). */
export type KnownIds = Map<string, string[]>;

const HUGE = 'ا'.repeat(200_000);
const NUL = 'a\u0000b';
const RANDOM_UUID = '7d3f6c1e-8a2b-4c5d-9e0f-1a2b3c4d5e6f';

function deref(doc: OpenApiDocument, s: Schema | undefined): Schema {
  let cur = s ?? {};
  for (let i = 0; cur.$ref && i < 20; i++) {
    const name = cur.$ref.replace('#/components/schemas/', '');
    cur = doc.components?.schemas?.[name] ?? {};
  }
  if (cur.allOf?.length) {
    return cur.allOf.reduce<Schema>((acc, part) => {
      const p = deref(doc, part);
      return {
        ...acc,
        ...p,
        properties: { ...acc.properties, ...p.properties },
        required: [...(acc.required ?? []), ...(p.required ?? [])],
      };
    }, {});
  }
  if (cur.oneOf?.length) return deref(doc, cur.oneOf[0]);
  if (cur.anyOf?.length) return deref(doc, cur.anyOf[0]);
  return cur;
}

/** A value that a schema would plausibly accept: its example, an enum value, or one by type. */
export function sample(doc: OpenApiDocument, schema: Schema | undefined, depth = 0): Json {
  const s = deref(doc, schema);
  if (s.example !== undefined) return s.example;
  if (s.enum?.length) return s.enum[0];
  switch (s.type) {
    case 'string':
      if (s.format === 'uuid') return RANDOM_UUID;
      if (s.format === 'date-time') return '2019-11-16T12:00:00Z';
      return 'متن text';
    case 'number':
    case 'integer':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return depth > 4 ? [] : [sample(doc, s.items, depth + 1)];
    default: {
      if (!s.properties || depth > 4) return {};
      const out: Record<string, Json> = {};
      for (const [k, p] of Object.entries(s.properties)) out[k] = sample(doc, p, depth + 1);
      return out;
    }
  }
}

/** The wrong-type and hostile values tried in place of one field. */
function spoiled(s: Schema): [string, Json][] {
  const out: [string, Json][] = [
    ['NUL', NUL],
    ['huge string', HUGE],
    ['null', null],
    ['object', { a: 1 }],
    ['array', ['x', 1]],
    ['deep value', deepValue(40)],
    ['reserved key inside', JSON.parse('{"__proto__": {"polluted": true}}') as Json],
  ];
  if (s.type === 'string') {
    out.push(['number for string', 12345], ['boolean for string', false], ['empty string', '']);
    out.push(['persian digits', '۱۳۹۸-۰۸-۲۵'], ['lone surrogate', '\ud800']);
  }
  if (s.type === 'number' || s.type === 'integer') {
    out.push(
      ['string for number', '12'],
      ['float', 1.5],
      ['negative', -1],
      ['huge number', 1e308],
      ['beyond int32', 2_147_483_648],
    );
  }
  if (s.type === 'boolean') out.push(['string for boolean', 'true'], ['number for boolean', 1]);
  if (s.format === 'uuid')
    out.push(['upper-case uuid', RANDOM_UUID.toUpperCase()], ['not a uuid', 'not-a-uuid']);
  if (s.enum) out.push(['not in enum', 'NOT_AN_ENUM_VALUE'], ['enum upper-case', 'KILLED']);
  if (s.type === 'array')
    out.push(['array of NUL', [NUL]], ['array of 10,000', Array(10_000).fill(1)]);
  return out;
}

function deepValue(levels: number): Json {
  let v: Json = 1;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
}

/** What a path parameter is filled with: an existing id where one is known. */
function pathWith(
  template: string,
  known: KnownIds,
  override?: { name: string; raw: string },
): string {
  const collection = template.replace(/\/\{[^}]+\}.*$/, '');
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    if (override && override.name === name) return override.raw;
    const ids = known.get(collection) ?? known.get('/api/sources') ?? [];
    return ids[0] ?? RANDOM_UUID;
  });
}

/** Percent-encodes the UTF-8 bytes of a text (a lone surrogate too, which encodeURIComponent refuses). */
function encode(text: string): string {
  let out = '';
  for (const b of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.~[\]]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function queryString(params: [string, string][]): string {
  if (!params.length) return '';
  return `?${params.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}`;
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** Every case for every operation of the document, in a seeded order. */
export function generateCases(doc: OpenApiDocument, known: KnownIds, seed = 1): FuzzCase[] {
  const rng = Rng.derive(seed, 'fuzz');
  const callers: Caller[] = ['admin', 'reviewer', 'researcher', 'viewer'];
  const out: FuzzCase[] = [];
  for (const [template, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const M = method.toUpperCase();
      const operation = `${M} ${template}`;
      const params = op.parameters ?? [];
      const query = params.filter((p) => p.in === 'query');
      const pathParams = params.filter((p) => p.in === 'path');
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const base = (() => {
        const b = bodySchema ? sample(doc, bodySchema) : undefined;
        return b === undefined ? undefined : JSON.stringify(b);
      })();
      const baseQuery: [string, string][] = query
        .filter((p) => p.required || rng.chance(0.3))
        .map((p) => [p.name, String(sample(doc, p.schema) as string)]);
      const add = (
        mutation: string,
        c: Partial<Omit<FuzzCase, 'operation' | 'mutation' | 'method'>> = {},
      ): void => {
        out.push({
          operation,
          mutation,
          method: M,
          path: c.path ?? pathWith(template, known) + queryString(baseQuery),
          headers: c.headers ?? (base !== undefined ? JSON_TYPE : {}),
          body: 'body' in c ? c.body : base,
          caller: c.caller ?? callers[rng.int(0, callers.length - 1)],
        });
      };

      add('plausible request');
      for (const caller of ['anonymous', 'bad-token', 'viewer'] as const)
        add(`plausible request as ${caller}`, { caller });

      // Path parameters.
      for (const p of pathParams) {
        for (const [what, raw] of [
          ['NUL', 'abc%00def'],
          ['NUL in a uuid', `${RANDOM_UUID.slice(0, 8)}%00${RANDOM_UUID.slice(9)}`],
          [
            'upper-case uuid',
            (known.get(template.replace(/\/\{[^}]+\}.*$/, ''))?.[0] ?? RANDOM_UUID).toUpperCase(),
          ],
          ['unknown uuid', RANDOM_UUID],
          ['not a uuid', 'not-a-uuid'],
          ['huge', 'x'.repeat(8000)],
          ['traversal', '..%2F..%2Fetc%2Fpasswd'],
          ['percent garbage', '%E0%A4%A'],
          ['persian', encodeURIComponent('ماهشهر')],
        ]) {
          add(`path.${p.name}: ${what}`, {
            path: pathWith(template, known, { name: p.name, raw }) + queryString(baseQuery),
          });
        }
      }

      // Query parameters, one at a time, then the query as a whole.
      const withQuery = (q: [string, string][]): string =>
        pathWith(template, known) + queryString(q);
      for (const p of query) {
        const others = baseQuery.filter(([k]) => k !== p.name);
        for (const [what, value] of spoiled(deref(doc, p.schema))) {
          if (typeof value === 'object' && value !== null) continue;
          // Node's parser answers a request line beyond 16 KB itself (431): stay under it.
          const v = value === HUGE ? HUGE.slice(0, 1500) : value;
          add(`query.${p.name}: ${what}`, {
            path: withQuery([...others, [p.name, v === null ? '' : String(v)]]),
          });
        }
        add(`query.${p.name}: repeated`, {
          path: withQuery([...others, [p.name, 'a'], [p.name, 'b']]),
        });
        add(`query.${p.name}: as an object`, {
          path: withQuery([...others, [`${p.name}[x]`, '1']]),
        });
        add(`query.${p.name}: as an array`, {
          path: withQuery([...others, [`${p.name}[]`, '1'], [`${p.name}[]`, '2']]),
        });
      }
      for (const [what, q] of [
        ['unknown parameter', [['notAParameter', '1']]],
        ['__proto__', [['__proto__[x]', '1']]],
        ['constructor', [['constructor', '1']]],
        ['NUL name', [['a\u0000', '1']]],
        ['deep nesting', [[`a${'[b]'.repeat(30)}`, '1']]],
        ['many parameters', Array.from({ length: 1000 }, (_v, i) => [`p${i}`, '1'])],
      ] as [string, [string, string][]][]) {
        add(`query: ${what}`, { path: withQuery([...baseQuery, ...q]) });
      }

      // Bodies: every operation that takes one, and those that do not (a body where none belongs).
      const props = Object.entries(deref(doc, bodySchema).properties ?? {});
      const baseObj = (base !== undefined ? JSON.parse(base) : {}) as Record<string, Json>;
      for (const [name, schema] of props) {
        for (const [what, v] of spoiled(deref(doc, schema))) {
          add(`body.${name}: ${what}`, { body: JSON.stringify({ ...baseObj, [name]: v }) });
        }
        const s = deref(doc, schema);
        const item = s.type === 'array' ? deref(doc, s.items) : null;
        if (item?.properties) {
          for (const [inner, is] of Object.entries(item.properties)) {
            for (const [what, v] of spoiled(deref(doc, is)).slice(0, 4)) {
              const el = { ...(sample(doc, item) as Record<string, Json>), [inner]: v };
              add(`body.${name}[0].${inner}: ${what}`, {
                body: JSON.stringify({ ...baseObj, [name]: [el] }),
              });
            }
          }
        }
      }
      if (['POST', 'PATCH', 'PUT', 'DELETE'].includes(M)) {
        const body = base ?? '{}';
        for (const [what, b] of [
          ['unknown key', JSON.stringify({ ...baseObj, notAField: 1 })],
          ['__proto__ key', body.replace(/^\{/, '{"__proto__": {"role": "admin"}, ')],
          ['constructor key', body.replace(/^\{/, '{"constructor": {"prototype": {"x": 1}}, ')],
          ['prototype key', body.replace(/^\{/, '{"prototype": 1, ')],
          ['NUL key', body.replace(/^\{/, '{"a\\u0000": 1, ')],
          ['deep nesting (2,400 levels)', '['.repeat(2400) + ']'.repeat(2400)],
          ['deep nesting in a field', `{"x": ${'['.repeat(5000)}${']'.repeat(5000)}}`],
          ['array body', '[]'],
          ['string body', '"text"'],
          ['number body', '42'],
          ['null body', 'null'],
          ['malformed JSON', '{"a": '],
          ['empty JSON body', ''],
          ['huge body', JSON.stringify({ x: 'y'.repeat(2_000_000) })],
          [
            'many keys',
            JSON.stringify(
              Object.fromEntries(Array.from({ length: 5000 }, (_v, i) => [`k${i}`, i])),
            ),
          ],
        ]) {
          add(`body: ${what}`, { body: b, headers: JSON_TYPE });
        }
        for (const [what, type] of [
          ['XML', 'application/xml'],
          ['form', 'application/x-www-form-urlencoded'],
          ['text/plain JSON', 'text/plain'],
          ['multipart', 'multipart/form-data; boundary=x'],
          ['bad charset', 'application/json; charset=klingon'],
          ['latin1 charset', 'application/json; charset=latin1'],
          ['garbage type', '%%%/;;;'],
        ]) {
          add(`content-type: ${what}`, {
            body: type === 'application/xml' ? '<x><name>a</name></x>' : body,
            headers: { 'content-type': type },
          });
        }
        add('content-type: missing', { body, headers: {} });
        add('body: invalid UTF-8', {
          body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
          headers: JSON_TYPE,
        });
      }
    }
  }
  // Seeded shuffle: a bounded run covers every route a little rather than the first ones fully.
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Bodies for POST /api/imports, which the document describes as a file (CSV or JSON). */
export function importCases(kinds: string[]): FuzzCase[] {
  const out: FuzzCase[] = [];
  const files: [string, string, string | Buffer][] = [
    ['header only', 'text/csv', 'name_fa,source_url\n'],
    ['empty', 'text/csv', ''],
    ['NUL in a cell', 'text/csv', 'name_fa,source_url\nنام\u0000,https://example.org/a\n'],
    ['NUL in the header', 'text/csv', 'name\u0000fa,source_url\nx,https://example.org/a\n'],
    ['unknown column', 'text/csv', 'colour\nred\n'],
    ['__proto__ column', 'text/csv', '__proto__,constructor\n1,2\n'],
    ['unclosed quote', 'text/csv', 'name_fa\n"abc\n'],
    ['huge cell', 'text/csv', `name_fa,source_url\n${'ن'.repeat(300_000)},https://example.org/a\n`],
    [
      'upper-case uuid',
      'text/csv',
      `id,name_fa,source_ids\n${RANDOM_UUID.toUpperCase()},x,${RANDOM_UUID.toUpperCase()}\n`,
    ],
    [
      'relay loop',
      'text/csv',
      `id,kind,title,relays\n${RANDOM_UUID},report,a,${RANDOM_UUID.replace(/.$/, '0')}\n${RANDOM_UUID.replace(/.$/, '0')},report,b,${RANDOM_UUID}\n`,
    ],
    ['invalid UTF-8', 'text/csv', Buffer.from([0x6e, 0x0a, 0xff, 0xfe, 0x0a])],
    ['empty JSON array', 'application/json', '[]'],
    [
      'deep JSON record',
      'application/json',
      `[{"name_fa": ${'['.repeat(3000)}${']'.repeat(3000)}}]`,
    ],
    ['__proto__ JSON key', 'application/json', '[{"__proto__": {"x": 1}, "name_fa": "x"}]'],
    ['NUL in JSON', 'application/json', '[{"name_fa": "a\\u0000b"}]'],
    ['not an array', 'application/json', '"x"'],
    ['XML', 'application/xml', '<victims/>'],
    ['no content type', '', 'name_fa\nx\n'],
    ['bad charset', 'text/csv; charset=klingon', 'name_fa\nx\n'],
  ];
  for (const kind of kinds) {
    for (const [what, type, body] of files) {
      for (const mode of ['all-or-nothing', 'skip-invalid']) {
        out.push({
          operation: 'POST /api/imports',
          mutation: `file (${kind}, ${mode}): ${what}`,
          method: 'POST',
          path: `/api/imports?kind=${kind}&mode=${mode}&dryRun=${mode === 'skip-invalid' ? 'false' : 'true'}`,
          headers: type ? { 'content-type': type } : {},
          body,
          caller: 'researcher',
        });
      }
    }
  }
  return out;
}
