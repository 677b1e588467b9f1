import { createSource } from '../factories/index.js';
import { createVictims } from '../factories/counts.js';
import { createTestApp, type TestApp } from '../setup/app.js';

interface Reconciliation {
  documented: {
    total: number;
    sources: { id: string; victims: number }[];
    sourceCount: number;
    sourcesNext: string | null;
  };
  citations: { sourceId: string; title: string; documentedVictims: number | null }[];
}

interface SourcesPage {
  sourceCount: number;
  items: { id: string; title: string; victims: number }[];
  next: string | null;
}

/**
 * Answers past 64 KB are written in chunks as they are serialised (src/common/json-response.ts),
 * not built whole first: the client must get exactly the same JSON.
 */
describe('large answers', () => {
  let t: TestApp;
  const titles = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestApp();
    for (let i = 0; i < 400; i++) {
      const title = `فهرست جان‌باختگان اعتراضات آبان ۱۳۹۸، بخش ${i} — list of the dead, part ${i}`;
      titles.set((await createSource(t.ds, { title })).id, title);
    }
    await createVictims(t.ds, 3, { sources: [...titles.keys()], status: 'verified' });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('streams a page of 400 sources, every one of them intact', async () => {
    const rec = await t.http().get('/api/reconciliation').query({ category: 'killed' });
    expect(rec.status).toBe(200);
    const body = rec.body as Reconciliation;
    expect(body.documented.total).toBe(3);
    // A reconciliation lists the top 20 documented sources, each cited, and links to the rest.
    expect(body.documented.sources).toHaveLength(20);
    expect(body.documented.sourceCount).toBe(400);
    const cited = new Map(body.citations.map((c) => [c.sourceId, c]));
    for (const s of body.documented.sources) {
      expect(cited.get(s.id)).toMatchObject({ title: titles.get(s.id), documentedVictims: 3 });
    }
    expect(body.documented.sourcesNext).toContain('/api/counts/sources?');

    const res = await t.http().get('/api/counts/sources').query({ category: 'killed', limit: 400 });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers.etag).toBeUndefined();
    expect(Buffer.byteLength(res.text)).toBeGreaterThan(64 * 1024);
    const page = res.body as SourcesPage;
    expect(page.sourceCount).toBe(400);
    expect(page.next).toBeNull();
    expect(page.items).toHaveLength(400);
    for (const item of page.items) {
      expect(item).toMatchObject({ title: titles.get(item.id), victims: 3 });
    }
    expect(new Set(page.items.map((i) => i.id))).toEqual(new Set(titles.keys()));
  });

  it('sends a small answer whole, with its length', async () => {
    const res = await t.http().get('/health');
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.text)));
    expect(res.headers['transfer-encoding']).toBeUndefined();
  });
});
