import { createTestApp, type TestApp } from '../setup/app.js';

interface Schema {
  $ref?: string;
  type?: string;
  items?: Schema;
  allOf?: Schema[];
  properties?: Record<string, Schema>;
}
interface Doc {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>
  >;
  components: { schemas: Record<string, Schema> };
}

/** The schema a $ref names (or the schema itself), one level of allOf unwrapped. */
function deref(doc: Doc, s: Schema): Schema {
  const ref = s.$ref ?? s.allOf?.find((x) => x.$ref)?.$ref;
  if (!ref) return s;
  const name = ref.replace('#/components/schemas/', '');
  const found = doc.components.schemas[name];
  if (!found) throw new Error(`${ref} names no schema of the document`);
  return found;
}

/** Follows property names (and array items) from a route's 200 answer to a nested schema. */
function at(doc: Doc, path: string, props: string[]): Schema {
  const root = doc.paths[path].get.responses['200'].content!['application/json'].schema;
  let s = deref(doc, root);
  for (const p of props) {
    const next = s.properties?.[p];
    if (!next)
      throw new Error(
        `${path}: no property ${p} (has ${Object.keys(s.properties ?? {}).join(', ')})`,
      );
    s = deref(doc, next);
    if (s.type === 'array' && s.items) s = deref(doc, s.items);
  }
  return s;
}

describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: Doc;
  beforeAll(async () => {
    t = await createTestApp();
    doc = (await t.anon().get('/api/docs-json').expect(200)).body as Doc;
  });
  afterAll(() => t.close());

  it("describes a reconciliation claim's source and origin as citations, url and published included", () => {
    for (const side of ['source', 'origin']) {
      const ref = at(doc, '/api/reconciliation', ['claims', side]);
      expect(Object.keys(ref.properties ?? {})).toEqual(
        expect.arrayContaining([
          'id',
          'title',
          'publisher',
          'reliability',
          'interest',
          'url',
          'published',
        ]),
      );
    }
    const setter = at(doc, '/api/reconciliation', ['low', 'setBy', 'source']);
    expect(Object.keys(setter.properties ?? {})).toEqual(
      expect.arrayContaining(['url', 'published']),
    );
  });

  it('names every field the founding case answers with, for each source reference', async () => {
    const { body } = await t.http().get('/api/reconciliation?category=killed').expect(200);
    const claims = body.claims as { source: object; origin: object }[];
    expect(claims.length).toBeGreaterThan(0);
    const documented = (side: string): string[] =>
      Object.keys(at(doc, '/api/reconciliation', ['claims', side]).properties ?? {});
    for (const c of claims) {
      expect(Object.keys(c.source).filter((k) => !documented('source').includes(k))).toEqual([]);
      expect(Object.keys(c.origin).filter((k) => !documented('origin').includes(k))).toEqual([]);
    }
  });

  it("describes a claim's own source briefly, with its kind, under another name", () => {
    const claimSource = at(doc, '/api/claims/{id}', ['source']);
    expect(Object.keys(claimSource.properties ?? {})).toEqual(
      expect.arrayContaining(['id', 'kind', 'title', 'publisher', 'reliability']),
    );
    const reconciliationSource = at(doc, '/api/reconciliation', ['claims', 'source']);
    expect(claimSource).not.toBe(reconciliationSource);
  });

  it('has a schema for every $ref it makes', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)];
    expect(refs.length).toBeGreaterThan(50);
    const missing = [...new Set(refs.map((m) => m[1]))].filter((n) => !doc.components.schemas[n]);
    expect(missing).toEqual([]);
  });
});
