import { CountSourcesService } from '../../src/counts/count-sources.service.js';
import { CountsService } from '../../src/counts/counts.service.js';
import { createSource } from '../factories/index.js';
import { PLACES, createVictims } from '../factories/counts.js';
import { createTestApp, type TestApp } from '../setup/app.js';

interface Listed {
  id: string;
  victims: number;
}
interface Bucket {
  key: { id?: string; value: string | null; label: string }[];
  count: number;
  sources: Listed[];
  sourceCount: number;
  sourcesNext: string | null;
}

/**
 * Answers shaped for scale (issue 22): a bucket lists its top sources and links to the rest,
 * a page at a time; a reconciliation's documented set does the same. Every source is reached,
 * with the same visibility as the count.
 */
describe('GET /api/counts/sources', () => {
  let t: TestApp;
  const S: string[] = [];
  let secret: string;

  /** Every source of a page chain: the listed ones, then each next page. */
  async function follow(
    role: 'admin' | 'viewer',
    listed: Listed[],
    next: string | null,
  ): Promise<Listed[]> {
    const all = listed.map((s) => ({ id: s.id, victims: s.victims }));
    let pages = 0;
    while (next) {
      const { body } = await t.as(role).get(next).expect(200);
      all.push(...(body.items as Listed[]).map((s) => ({ id: s.id, victims: s.victims })));
      next = body.next as string | null;
      if (++pages > 50) throw new Error('no end to the pages');
    }
    return all;
  }

  /** What grouping by source says each source attests in one province (or in all). */
  async function perSource(role: 'admin' | 'viewer', qs: string, province?: string) {
    const { body } = await t
      .as(role)
      .get(`/api/counts?${qs}&groupBy=${province ? 'province,source' : 'source'}`)
      .expect(200);
    return (body.buckets as Bucket[])
      .filter((b) => !province || b.key[0].id === province)
      .filter((b) => b.key[province ? 1 : 0].value !== null && b.count > 0)
      .map((b) => ({ id: b.key[province ? 1 : 0].value!, victims: b.count }))
      .sort((a, b) => b.victims - a.victims || a.id.localeCompare(b.id));
  }

  const byCount = (l: Listed[]) =>
    [...l].sort((a, b) => b.victims - a.victims || a.id.localeCompare(b.id));

  beforeAll(async () => {
    t = await createTestApp();
    for (let i = 0; i < 7; i++)
      S.push((await createSource(t.ds, { title: `List ${i}`, publisher: `P${i}` })).id);
    secret = (await createSource(t.ds, { title: 'Informant', restricted: true, kind: 'testimony' }))
      .id;
    const verified = { status: 'verified', confidence: 'confirmed' };
    // Source i attests 7 - i victims in Mahshahr (ties at 2 between S[5] and S[6] aside).
    for (let i = 0; i < 7; i++)
      await createVictims(t.ds, Math.max(7 - i, 2), { ...verified, sources: [S[i]] });
    await createVictims(t.ds, 3, { ...verified, locationId: PLACES.shiraz, sources: [S[1], S[2]] });
    await createVictims(t.ds, 2, { ...verified, sources: [secret] });
    await createVictims(t.ds, 1, {
      ...verified,
      locationId: PLACES.shiraz,
      date: ['2019-11-01', '2019-11-30'],
      sources: [S[3], secret],
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  it.each(['admin', 'viewer'] as const)(
    'leads a bucket and the totals to every one of their sources (%s)',
    async (role) => {
      const svc = t.app.get(CountSourcesService);
      for (const rollups of [true, false]) {
        svc.useRollups = rollups;
        const qs = 'category=killed&sourcesPerBucket=2';
        const { body } = await t.as(role).get(`/api/counts?${qs}&groupBy=province`).expect(200);
        const khuzestan = (body.buckets as Bucket[]).find((b) => b.key[0].id === PLACES.khuzestan)!;
        expect(khuzestan.sources).toHaveLength(2);
        expect(khuzestan.sourceCount).toBe(role === 'admin' ? 8 : 7);
        expect(khuzestan.sourcesNext).toContain('/api/counts/sources?');
        const all = await follow(role, khuzestan.sources, khuzestan.sourcesNext);
        expect(byCount(all)).toEqual(await perSource(role, qs, PLACES.khuzestan));
        expect(all).toHaveLength(khuzestan.sourceCount);

        const totals = body.totals as Bucket;
        const everyOne = await follow(role, totals.sources, totals.sourcesNext);
        expect(byCount(everyOne)).toEqual(await perSource(role, qs));
        expect(JSON.stringify(everyOne).includes(secret)).toBe(role === 'admin');
      }
      svc.useRollups = true;
    },
  );

  it('lists the same top sources as counting the victims where the totals do not settle them', async () => {
    // Outside 16 November only the month-long record in Shiraz counts: the sources with the
    // largest totals have no victim in the window, and the bound settles nothing.
    const counts = t.app.get(CountsService);
    for (const qs of [
      'groupBy=province&category=killed&sourcesPerBucket=1&from=2019-11-17&to=2019-11-30',
      'groupBy=province&category=killed&sourcesPerBucket=1',
      'category=killed&location=Fars&sourcesPerBucket=1&from=2019-11-17&to=2019-11-30',
    ]) {
      for (const role of ['admin', 'viewer'] as const) {
        counts.useRollups = true;
        const fast = await t.as(role).get(`/api/counts?${qs}`).expect(200);
        counts.useRollups = false;
        const exact = await t.as(role).get(`/api/counts?${qs}`).expect(200);
        counts.useRollups = true;
        expect({ qs, role, body: fast.body as unknown }).toEqual({
          qs,
          role,
          body: exact.body as unknown,
        });
      }
    }
    const { body } = await t
      .as('admin')
      .get('/api/counts?category=killed&sourcesPerBucket=1&from=2019-11-17&to=2019-11-30')
      .expect(200);
    expect(body.totals.sourceCount).toBe(2);
    expect(body.totals.sources).toHaveLength(1);
  });

  it('pages one source at a time, in order, with the same answer as the first page', async () => {
    const first = await t
      .as('admin')
      .get(
        `/api/counts/sources?category=killed&groupBy=province&bucket=${PLACES.khuzestan}&limit=1`,
      )
      .expect(200);
    expect(first.body.bucket[0]).toMatchObject({ groupBy: 'province', id: PLACES.khuzestan });
    expect(first.body.sourceCount).toBe(8);
    const all = await follow('admin', first.body.items as Listed[], first.body.next as string);
    expect(all).toEqual(byCount(all));
    expect(new Set(all.map((s) => s.id)).size).toBe(8);
  });

  it('pages the documented sources of a reconciliation', async () => {
    const { body } = await t
      .as('viewer')
      .get('/api/reconciliation?category=killed&location=Khuzestan')
      .expect(200);
    expect(body.documented.sourceCount).toBe(7);
    expect(body.documented.sources.length).toBeLessThanOrEqual(20);
    // Seven sources: all listed, nothing to page.
    expect(body.documented.sourcesNext).toBeNull();
    const page = await t
      .as('viewer')
      .get('/api/counts/sources?category=killed&location=Khuzestan&limit=3')
      .expect(200);
    const all = await follow('viewer', page.body.items as Listed[], page.body.next as string);
    expect(byCount(all)).toEqual(byCount(await follow('viewer', body.documented.sources, null)));
  });

  it.each([
    ['a bucket that is not a place', 'groupBy=province&bucket=Khuzestan', 'bucket'],
    ['more keys than groupings', `groupBy=province&bucket=${PLACES.khuzestan},x`, 'bucket'],
    ['a bucket without a grouping', `bucket=${PLACES.khuzestan}`, 'bucket'],
    ['a bucket of one source', `groupBy=source&bucket=${PLACES.khuzestan}`, 'bucket'],
    ['a day that is not one', 'groupBy=day&bucket=16-11-2019', 'bucket'],
    ['a cursor it never gave', 'cursor=abc', 'cursor'],
    ['a page of 0', 'limit=0', 'limit'],
    ['an unknown grouping', 'groupBy=planet&bucket=x', 'groupBy'],
  ])('refuses %s with 400 naming the field', async (_name, qs, field) => {
    const res = await t.as('admin').get(`/api/counts/sources?${qs}`).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});
