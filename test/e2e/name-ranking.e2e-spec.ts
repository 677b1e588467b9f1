import { SEED } from '../../seed/seed.js';
import { buildVictim } from '../factories/victims.js';
import { commonPhrase, forgetWordStatistics } from '../../src/victims/word-statistics.js';
import { createTestApp, resetDatabase, type TestApp } from '../setup/app.js';

const { amnesty } = SEED.sources;

interface Item {
  id: string;
  relevance?: number;
  nameMatch?: string;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}

/**
 * Trigram similarity alone ranks محمد احمدی as high as محمد محمدی when محمد محمدی is asked
 * for (every trigram of the query is in it): the name asked for, then the same name in another
 * spelling, come first, in a first page and through every cursor alike.
 */
describe('GET /api/victims?q= ranks the name asked for first', () => {
  let t: TestApp;
  const id: Record<string, string> = {};
  const name = (victimId: string): string =>
    Object.entries(id).find(([, v]) => v === victimId)?.[0] ?? victimId;
  const list = async (query: string): Promise<Page> =>
    (await t.http().get(`/api/victims?${query}`).expect(200)).body as Page;
  /** Every page of `limit` through the cursors, as names with how they matched. */
  const walk = async (query: string, limit: number): Promise<string[]> => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 50; n++) {
      const page: Page = await list(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((i) => `${name(i.id)}:${i.nameMatch}`));
      cursor = page.nextCursor;
      if (!cursor) return seen;
    }
    throw new Error('more than 50 pages');
  };

  beforeAll(async () => {
    t = await createTestApp();
    const make = async (key: string, body: Record<string, unknown>): Promise<void> => {
      id[key] = (
        (await t.http().post('/api/victims').send(buildVictim(amnesty, body)).expect(201)).body as {
          id: string;
        }
      ).id;
    };
    // Made before the names asked for, so that their ids come first: ties go by id.
    await make('ahmadi', { nameFa: 'محمد احمدی', location: 'Mahshahr' });
    await make('amiri', { nameFa: 'محمد امیری' });
    await make('ahmadiEn', { nameEn: 'Mohammad Ahmadi' });
    await make('muhammadEn', { nameEn: 'Muhammad Mohammadi' });
    await make('mohammadi', { nameFa: 'محمد محمدی', location: 'Mahshahr' });
    await make('aliMohammadi', { nameFa: 'علی محمد محمدی' });
    await make('reversed', { nameFa: 'محمدی محمد' });
    await make('mohammadiEn', { nameEn: 'Mohammad Mohammadi', nameFa: 'محمد محمدی' });
  });
  afterAll(() => t.close());

  it('puts the names holding محمد محمدی before those that only share its trigrams', async () => {
    const page = await list(`q=${encodeURIComponent('محمد محمدی')}&limit=200`);
    const ranked = page.items.map((i) => `${name(i.id)}:${i.nameMatch}`);
    expect(ranked.slice(0, 3).sort()).toEqual([
      'aliMohammadi:exact',
      'mohammadi:exact',
      'mohammadiEn:exact',
    ]);
    // محمدی محمد: the same skeletons (محمد محمد) in the other order; not the name asked for.
    expect(ranked.slice(3)).toEqual(expect.arrayContaining(['ahmadi:similar', 'amiri:similar']));
    expect(ranked.indexOf('ahmadi:similar')).toBeGreaterThan(2);
    // Nor is it as similar: the similarity compares whole words.
    expect(page.items.filter((i) => name(i.id) === 'ahmadi')[0].relevance).toBeLessThan(0.8);
    expect(page.items.slice(0, 3).every((i) => i.relevance === 1)).toBe(true);
  });

  it('puts the same name in another spelling after the exact one and before the others', async () => {
    const ranked = (await list('q=Mohammad%20Mohammadi&limit=200')).items.map(
      (i) => `${name(i.id)}:${i.nameMatch}`,
    );
    expect(ranked.slice(0, 2)).toEqual(['mohammadiEn:exact', 'muhammadEn:spelling']);
    expect(ranked).toContain('ahmadiEn:similar');
    expect(ranked.indexOf('ahmadiEn:similar')).toBeGreaterThan(1);
  });

  it.each([
    [`q=${encodeURIComponent('محمد محمدی')}`],
    ['q=Mohammad%20Mohammadi'],
    [`q=${encodeURIComponent('محمد')}`],
    [`q=${encodeURIComponent('محمد محمدی')}&location=Mahshahr`],
  ])('pages through %s in the order of one big page, whatever the page size', async (query) => {
    const whole = await walk(query, 200);
    expect(whole.length).toBeGreaterThan(0);
    for (const limit of [1, 2, 3]) expect(await walk(query, limit)).toEqual(whole);
  });

  it('keeps filters on the names asked for', async () => {
    const ranked = (
      await list(`q=${encodeURIComponent('محمد محمدی')}&location=Mahshahr&limit=200`)
    ).items.map((i) => `${name(i.id)}:${i.nameMatch}`);
    expect(ranked).toEqual(['mohammadi:exact', 'ahmadi:similar']);
  });

  it('does not offer محمد احمدی as a name match of محمد محمدی among possible duplicates', async () => {
    const res = await t.http().get(`/api/victims/${id.mohammadi}/duplicates`).expect(200);
    const found = (
      res.body as {
        candidates: { victim: { id: string }; nameSimilarity: number; reasons: string[] }[];
      }
    ).candidates;
    const of = (key: string) => found.find((c) => c.victim.id === id[key]);
    expect(of('mohammadiEn')).toMatchObject({
      nameSimilarity: 1,
      reasons: expect.arrayContaining(['names match (similarity 1.00)']),
    });
    const ahmadi = of('ahmadi')!;
    expect(ahmadi.nameSimilarity).toBeLessThan(0.8);
    expect(ahmadi.reasons[0]).toMatch(/^similar names/);
    // Same place (Mahshahr) and all: still below the name asked for elsewhere.
    expect(found.indexOf(ahmadi)).toBeGreaterThan(found.indexOf(of('mohammadiEn')!));
  });

  it('says how each name matched under another sort too', async () => {
    const items = (await list(`q=${encodeURIComponent('محمد محمدی')}&sort=name&limit=200`)).items;
    expect(items.find((i) => i.id === id.mohammadi)?.nameMatch).toBe('exact');
    expect(items.find((i) => i.id === id.amiri)?.nameMatch).toBe('similar');
  });
});

/**
 * The records holding a phrase are read by walking the records in id order when the phrase is
 * common, and all at once through the word index otherwise (the statistics decide): both give
 * the same pages.
 */
describe('GET /api/victims?q= pages the name asked for alike, common or rare', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await resetDatabase(t.ds);
    const rows = [
      'import_key,name_fa,city,source_url',
      ...Array.from(
        { length: 150 },
        (_, i) => `z${i},زهرا کاظمی,Mahshahr,https://example.org/list`,
      ),
      ...Array.from({ length: 12 }, (_, i) => `m${i},مینا کاظمی,Mahshahr,https://example.org/list`),
      ...Array.from(
        { length: 40 },
        (_, i) => `o${i},نام${i} دیگری,Mahshahr,https://example.org/list`,
      ),
    ];
    await t
      .http()
      .post('/api/imports?kind=victims')
      .set('Content-Type', 'text/csv')
      .send(rows.join('\n'))
      .expect(201);
    await t.ds.query(`ANALYZE victims`);
    forgetWordStatistics(t.ds.manager);
  });
  afterAll(() => t.close());

  /** Every page of `limit` through the cursors, as ids. */
  const pages = async (q: string, limit: number): Promise<string[]> => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 100; n++) {
      const query = `q=${encodeURIComponent(q)}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.http().get(`/api/victims?${query}`).expect(200)).body as Page;
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      if (!cursor) return seen;
    }
    throw new Error('more than 100 pages');
  };
  const holding = async (name: string): Promise<string[]> =>
    (
      await t.ds.query<{ id: string }[]>(`SELECT id FROM victims WHERE name_fa = $1 ORDER BY id`, [
        name,
      ])
    ).map((r) => r.id);

  it('walks a common name in id order, and reads a rare one whole, to the same pages', async () => {
    const m = t.ds.manager;
    // 150 of 202 records hold both words: common for a page of 7 (√(7 × 202) ≈ 38 records).
    expect(await commonPhrase(m, ['زهرا', 'کاظمی'], 7)).toBe(true);
    expect(await commonPhrase(m, ['مینا', 'کاظمی'], 7)).toBe(false);
    const zahra = await holding('زهرا کاظمی');
    const mina = await holding('مینا کاظمی');
    expect(zahra).toHaveLength(150);
    for (const limit of [7, 50]) {
      // The name asked for first, in id order; then the rest of کاظمی by similarity.
      expect((await pages('زهرا کاظمی', limit)).slice(0, 150)).toEqual(zahra);
      expect((await pages('مینا کاظمی', limit)).slice(0, 12)).toEqual(mina);
    }
  });
});
