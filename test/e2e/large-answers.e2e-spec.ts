import { createSource } from '../factories/index.js';
import { createVictims } from '../factories/counts.js';
import { createTestApp, type TestApp } from '../setup/app.js';

interface Reconciliation {
  documented: { total: number; sources: { id: string; victims: number }[] };
  citations: { sourceId: string; title: string; documentedVictims: number | null }[];
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

  it('streams a reconciliation citing 400 sources, every one of them intact', async () => {
    const res = await t.http().get('/api/reconciliation').query({ category: 'killed' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers.etag).toBeUndefined();
    expect(Buffer.byteLength(res.text)).toBeGreaterThan(64 * 1024);
    const body = res.body as Reconciliation;
    expect(body.documented.total).toBe(3);
    expect(body.documented.sources).toHaveLength(400);
    expect(body.documented.sources.every((s) => s.victims === 3)).toBe(true);
    const cited = new Map(body.citations.map((c) => [c.sourceId, c]));
    for (const [id, title] of titles) {
      expect(cited.get(id)).toMatchObject({ title, documentedVictims: 3 });
    }
  });

  it('sends a small answer whole, with its length', async () => {
    const res = await t.http().get('/health');
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.text)));
    expect(res.headers['transfer-encoding']).toBeUndefined();
  });
});
