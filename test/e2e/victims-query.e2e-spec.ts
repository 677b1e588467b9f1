import { SEED } from '../../seed/seed.js';
import { createSource } from '../factories/index.js';
import { buildSharedRow, sharedCsv } from '../factories/imports.js';
import { abanVictim, buildVictim, createVictim, type AbanRow } from '../factories/victims.js';
import { createTestApp, type TestApp } from '../setup/app.js';

const MISSING = '00000000-0000-4000-8000-000000000000';
const { amnesty, reuters } = SEED.sources;

interface Item {
  id: string;
  nameFa: string | null;
  nameEn: string | null;
  dateMatch: 'certain' | 'possible';
  relevance?: number;
  date: {
    gregorian: { from: string; to: string };
    jalali: { from: string; to: string; labelFa: string };
  } | null;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
  limit: number;
}

describe('GET /api/victims', () => {
  let t: TestApp;
  /** Fixture ids by name: the aban1398 rows, plus a detained woman and a retracted record. */
  const id: Record<string, string> = {};
  let kermanshahProvince: string;
  let gorgan: string;

  const list = async (query: string, as = t.http()): Promise<Page> =>
    (await as.get(`/api/victims?${query}`).expect(200)).body as Page;
  const ids = async (query: string): Promise<string[]> =>
    (await list(`${query}&limit=200`)).items.map((i) => i.id);
  const matches = async (query: string): Promise<Record<string, string>> =>
    Object.fromEntries(
      (await list(`${query}&limit=200`)).items.map((i) => [name(i.id), i.dateMatch]),
    );
  const name = (victimId: string): string =>
    Object.entries(id).find(([, v]) => v === victimId)?.[0] ?? victimId;
  const names = async (query: string): Promise<string[]> => (await ids(query)).map(name).sort();
  const bad = async (
    query: string,
  ): Promise<{
    code: string;
    errors: { field: string; reason: string }[];
    candidates?: unknown[];
  }> =>
    (await t.http().get(`/api/victims?${query}`).expect(400)).body as {
      code: string;
      errors: { field: string; reason: string }[];
      candidates?: unknown[];
    };

  beforeAll(async () => {
    t = await createTestApp();
    const place = async (kind: string, nameEn: string): Promise<string> =>
      (
        await t.ds.query<{ id: string }[]>(
          `SELECT id FROM locations WHERE kind = $1 AND name_en = $2`,
          [kind, nameEn],
        )
      )[0].id;
    kermanshahProvince = await place('province', 'Kermanshah');
    gorgan = await place('city', 'Gorgan');
    const make = async (key: string, body: Record<string, unknown>): Promise<void> => {
      id[key] = (
        (await t.http().post('/api/victims').send(body).expect(201)).body as { id: string }
      ).id;
    };
    const rows: [AbanRow, Record<string, unknown>][] = [
      ['mehranTak', {}],
      ['mehranTakBoroumand', {}],
      ['mehranAlipour', {}],
      [
        'mohammadKhaledi',
        {
          incidentId: SEED.incident,
          attestations: [
            { sourceId: amnesty, credibility: 2 },
            { sourceId: reuters, credibility: 2 },
          ],
        },
      ],
      ['adnanHalali', {}],
      ['ehsanSadeghi', {}],
      ['hamidSheikhani', {}],
      ['hamidSheikhi', {}],
      ['mehdiPapi', { attestations: [{ sourceId: reuters, credibility: 3 }] }],
      ['pedramJafari', {}],
      ['azadehZarbi', {}],
      ['nematHosseini', { location: kermanshahProvince }],
      ['mohammadDastankhah', {}],
    ];
    for (const [row, patch] of rows) await make(row, abanVictim(row, amnesty, patch));
    const rumour = await createSource(t.ds, {
      title: 'Unsourced social media post',
      kind: 'social_media',
      reliability: 'E',
    });
    await make(
      'detained',
      buildVictim(rumour.id, {
        nameFa: 'زن بازداشت‌شده',
        harm: 'detained',
        gender: 'female',
        location: 'Mahshahr',
        date: '2019-11-20',
        attestations: [{ sourceId: rumour.id, credibility: 5 }],
      }),
    );
    await make(
      'retracted',
      buildVictim(amnesty, { nameFa: 'عدنان هلالی', location: 'Mahshahr', date: '2019-11-18' }),
    );
    await t.ds.query(`UPDATE victims SET status = 'retracted' WHERE id = $1`, [id.retracted]);
    await t.ds.query(`UPDATE victims SET status = 'verified' WHERE id = $1`, [id.mehdiPapi]);
    await t.ds.query(`UPDATE victims SET status = 'submitted' WHERE id = $1`, [id.mohammadKhaledi]);
  });
  afterAll(() => t.close());

  describe('places in any spelling', () => {
    const mahshahr = ['adnanHalali', 'detained', 'ehsanSadeghi', 'hamidSheikhi', 'mohammadKhaledi'];
    it.each([
      ['Mahshahr'],
      ['Bandar-e Mahshahr'],
      ['bandar mahshahr'],
      ['  BANDAR-E   MAHSHAHR '],
      ['ماهشهر'],
      ['ماه‌شهر'],
      ['بندر ماهشهر'],
      ['بندرِ ماهشهر'],
      ['معشور'],
    ])('finds the Mahshahr records by %j', async (spelling) => {
      expect(await names(`location=${encodeURIComponent(spelling)}`)).toEqual(mahshahr);
    });

    it('finds them by the place id too', async () => {
      const [{ id: mahshahrId }] = await t.ds.query<{ id: string }[]>(
        `SELECT id FROM locations WHERE name_en = 'Bandar-e Mahshahr'`,
      );
      expect(await names(`location=${mahshahrId}`)).toEqual(mahshahr);
    });

    it('reads Persian typed with Arabic letters (ي, ك)', async () => {
      expect(await names(`location=${encodeURIComponent('مريوان')}`)).toEqual([
        'mehranTak',
        'mehranTakBoroumand',
      ]);
      expect(await names(`location=${encodeURIComponent('كوره')}`)).toEqual(['hamidSheikhani']);
    });

    it.each([['Kermanshah'], ['كرمانشاه'], ['kermanshah ']])(
      'reads %j, a province and its capital, as the province, and says so with the city to narrow to',
      async (spelling) => {
        const page = (await list(`location=${encodeURIComponent(spelling)}&limit=200`)) as Page & {
          location: Record<string, unknown>;
        };
        const [{ id: city }] = await t.ds.query<{ id: string }[]>(
          `SELECT id FROM locations WHERE kind = 'city' AND name_en = 'Kermanshah'`,
        );
        expect(page.location).toMatchObject({
          id: kermanshahProvince,
          kind: 'province',
          nameEn: 'Kermanshah',
          resolvedAs: 'containing',
          alternatives: [{ id: city, kind: 'city', nameEn: 'Kermanshah' }],
        });
        expect(page.location.note).toContain(city);
        expect(page.items.map((i) => name(i.id))).toEqual(['nematHosseini']);
      },
    );

    it('matches a name written with other joins, and says how it was read', async () => {
      const page = (await list(`location=${encodeURIComponent('ماه شهر')}&limit=200`)) as Page & {
        location: Record<string, unknown>;
      };
      expect(page.location).toMatchObject({ nameEn: 'Bandar-e Mahshahr', resolvedAs: 'spelling' });
      expect(page.items.map((i) => name(i.id)).sort()).toEqual(mahshahr);
      const plain = (await list('location=Mahshahr')) as Page & { location: object };
      expect(plain.location).toEqual({
        id: expect.any(String),
        kind: 'city',
        nameEn: 'Bandar-e Mahshahr',
        nameFa: 'بندر ماهشهر',
      });
    });

    it('includes the cities of a province', async () => {
      const khuzestan = [...mahshahr, 'hamidSheikhani'].sort();
      expect(await names('location=Khuzestan')).toEqual(khuzestan);
      expect(await names(`location=${encodeURIComponent('خوزستان')}`)).toEqual(khuzestan);
      expect(await names(`location=${kermanshahProvince}`)).toEqual(['nematHosseini']);
    });
  });

  describe('dates in both calendars, certain or possible', () => {
    const day27 = { adnanHalali: 'certain', mohammadKhaledi: 'certain', ehsanSadeghi: 'possible' };
    it.each([
      ['ISO', 'from=2019-11-18&to=2019-11-18'],
      ['Jalali digits with calendar=jalali', 'from=1398-08-27&to=1398-08-27&calendar=jalali'],
      [
        'Persian digits with calendar=jalali',
        `from=${encodeURIComponent('۱۳۹۸/۰۸/۲۷')}&to=${encodeURIComponent('۱۳۹۸/۰۸/۲۷')}&calendar=jalali`,
      ],
      [
        'a Persian month name',
        `from=${encodeURIComponent('۲۷ آبان ۱۳۹۸')}&to=${encodeURIComponent('۲۷ آبان ۱۳۹۸')}`,
      ],
      [
        'a Latin Jalali month name',
        `from=${encodeURIComponent('27 Aban 1398')}&to=${encodeURIComponent('27 Aban 1398')}`,
      ],
      [
        'an SH marker',
        `from=${encodeURIComponent('1398-08-27 SH')}&to=${encodeURIComponent('1398-08-27 SH')}`,
      ],
    ])(
      'answers "killed in Mahshahr on 27 Aban 1398" the same way with %s',
      async (_how, window) => {
        expect(await matches(`location=Mahshahr&${window}`)).toEqual(day27);
      },
    );

    it('restricts to certain matches with dateMatch=certain', async () => {
      expect(
        await matches('location=Mahshahr&from=2019-11-18&to=2019-11-18&dateMatch=certain'),
      ).toEqual({
        adnanHalali: 'certain',
        mohammadKhaledi: 'certain',
      });
    });

    it('finds a record known only as "November 2019" for 16 November as possible, one of that day as certain', async () => {
      expect(await matches('location=Fardis&from=2019-11-16&to=2019-11-16')).toEqual({
        pedramJafari: 'certain',
        azadehZarbi: 'possible',
      });
      expect(
        await matches(
          `location=Fardis&from=${encodeURIComponent('25 Aban 1398')}&to=${encodeURIComponent('25 Aban 1398')}`,
        ),
      ).toEqual({
        pedramJafari: 'certain',
        azadehZarbi: 'possible',
      });
    });

    it('knows that Aban 1398 is not November 2019', async () => {
      expect(await matches('location=Fardis&from=2019-11&to=2019-11')).toEqual({
        pedramJafari: 'certain',
        mehdiPapi: 'certain',
        azadehZarbi: 'certain',
      });
      expect(
        await matches(
          `location=Fardis&from=${encodeURIComponent('آبان ۱۳۹۸')}&to=${encodeURIComponent('آبان ۱۳۹۸')}`,
        ),
      ).toEqual({
        pedramJafari: 'certain',
        mehdiPapi: 'certain',
        azadehZarbi: 'possible',
      });
    });

    it('takes an open window and a range', async () => {
      expect(await matches(`location=Mahshahr&from=${encodeURIComponent('۲۸ آبان ۱۳۹۸')}`)).toEqual(
        { detained: 'certain', ehsanSadeghi: 'possible' },
      );
      expect(await matches('location=Mahshahr&to=2019-11-14')).toEqual({});
      expect(
        await matches(
          `location=Mahshahr&from=${encodeURIComponent('15-19 November 2019')}&to=2019-11-30`,
        ),
      ).toEqual({
        adnanHalali: 'certain',
        mohammadKhaledi: 'certain',
        ehsanSadeghi: 'certain',
        detained: 'certain',
      });
    });

    it('leaves undated records out of a dated query, and marks every record certain without a window', async () => {
      expect(await matches('location=Taleghani&from=2019-11-01&to=2019-11-30')).toEqual({});
      expect(await matches('location=Taleghani')).toEqual({ hamidSheikhani: 'certain' });
    });

    it('gives every date in both calendars', async () => {
      const page = await list('location=Marivan&from=2019-11-16&to=2019-11-16');
      expect(page.items[0].date).toMatchObject({
        gregorian: { from: '2019-11-16', to: '2019-11-16' },
        jalali: { from: '1398-08-25', to: '1398-08-25', labelFa: '۱۳۹۸/۰۸/۲۵' },
      });
    });
  });

  describe('filters', () => {
    it.each([
      ['category=detained', ['detained']],
      ['gender=female', ['detained']],
      ['gender=male&location=Marivan', ['mehranTak', 'mehranTakBoroumand']],
      ['ageMin=12&ageMax=17', ['mohammadDastankhah']],
      ['ageMin=31&ageMax=31', ['mehdiPapi', 'mehranTak']],
      ['ageBand=25-34', ['mehdiPapi', 'mehranTak']],
      ['perpetrator=irgc', ['adnanHalali']],
      ['cause=gunshot_head', ['mohammadKhaledi']],
      [`incident=${SEED.incident}`, ['mohammadKhaledi']],
      [`source=${reuters}`, ['mehdiPapi', 'mohammadKhaledi']],
      ['minConfidence=confirmed', ['mohammadKhaledi']],
      [
        'minConfidence=probable&location=Mahshahr',
        ['adnanHalali', 'ehsanSadeghi', 'hamidSheikhi', 'mohammadKhaledi'],
      ],
      [
        'minConfidence=unattested&location=Mahshahr',
        ['adnanHalali', 'detained', 'ehsanSadeghi', 'hamidSheikhi', 'mohammadKhaledi'],
      ],
      ['status=verified', ['mehdiPapi']],
      ['status=submitted,verified', ['mehdiPapi', 'mohammadKhaledi']],
      ['status=retracted', ['retracted']],
      [
        'category=killed&location=Mahshahr&from=2019-11-18&to=2019-11-18&dateMatch=certain&minConfidence=confirmed',
        ['mohammadKhaledi'],
      ],
    ])('%s', async (query, expected) => {
      expect(await names(query)).toEqual(expected);
    });

    it('leaves retracted records out unless asked for', async () => {
      expect(await names('location=Mahshahr')).not.toContain('retracted');
    });

    it('shows viewers verified records only, whatever status they ask for', async () => {
      expect(
        (await list('location=Fardis&limit=200', t.as('viewer'))).items.map((i) => name(i.id)),
      ).toEqual(['mehdiPapi']);
      expect((await list('status=draft&limit=200', t.as('viewer'))).items).toEqual([]);
    });
  });

  describe('name search in either script', () => {
    it.each([['Mohammad'], ['Mohamad'], ['Muhammad'], ['Mohammed'], ['mohammad']])(
      'finds the Mohammads by %j',
      async (q) => {
        expect(await names(`q=${q}`)).toEqual(['mohammadDastankhah', 'mohammadKhaledi']);
      },
    );

    it.each([['Hosseini'], ['Hoseyni'], ['Husseini'], ['نعمت حسيني']])(
      "finds Ne'mat Hosseini by %j",
      async (q) => {
        expect(await names(`q=${encodeURIComponent(q)}`)).toEqual(['nematHosseini']);
      },
    );

    it('finds تک and تاک alike, best matches first, each with its similarity', async () => {
      for (const q of ['مهران تک', 'مهران تاک', 'تاک']) {
        const page = await list(`q=${encodeURIComponent(q)}&limit=200`);
        expect(
          page.items
            .slice(0, 2)
            .map((i) => name(i.id))
            .sort(),
        ).toEqual(['mehranTak', 'mehranTakBoroumand']);
        const scores = page.items.map((i) => i.relevance!);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
        expect(scores[0]).toBe(1);
      }
    });

    it('wants every word of the query: Mehran Tak does not bring every Mehran', async () => {
      expect(await names(`q=${encodeURIComponent('مهران تک')}`)).toEqual([
        'mehranTak',
        'mehranTakBoroumand',
      ]);
      expect(await names(`q=${encodeURIComponent('مهران')}`)).toEqual([
        'mehranAlipour',
        'mehranTak',
        'mehranTakBoroumand',
      ]);
    });

    it('ranks the closer spelling first', async () => {
      const page = await list(`q=${encodeURIComponent('حمید شیخ')}&limit=200`);
      expect(page.items.map((i) => name(i.id))).toEqual(['hamidSheikhi', 'hamidSheikhani']);
      expect(page.items[0].relevance!).toBeGreaterThan(page.items[1].relevance!);
    });

    it('combines q with filters and another sort, and finds nothing for a name nobody has', async () => {
      expect(await names('q=Mohammad&location=Mahshahr&sort=name')).toEqual(['mohammadKhaledi']);
      expect(await names('q=Zbigniew')).toEqual([]);
    });
  });

  describe('sorting', () => {
    it('sorts by date (undated last) and by name, both ways', async () => {
      expect((await list('location=Fardis&sort=date')).items.map((i) => name(i.id))).toEqual([
        'azadehZarbi',
        'pedramJafari',
        'mehdiPapi',
      ]);
      expect((await list('location=Fardis&sort=-date')).items.map((i) => name(i.id))).toEqual([
        'mehdiPapi',
        'pedramJafari',
        'azadehZarbi',
      ]);
      for (const sort of ['date', '-date']) {
        const order = (await list(`location=Khuzestan&sort=${sort}`)).items.map((i) => name(i.id));
        expect(order.slice(-2).sort()).toEqual(['hamidSheikhani', 'hamidSheikhi']);
        expect(order[0]).toBe(sort === 'date' ? 'ehsanSadeghi' : 'detained');
      }
      expect((await list('location=Marivan&sort=name')).items.map((i) => i.nameEn)).toEqual([
        'Mehran Tak',
        'Mehran Tak',
      ]);
      expect((await list('location=Fardis&sort=name')).items.map((i) => name(i.id))).toEqual([
        'mehdiPapi',
        'pedramJafari',
        'azadehZarbi',
      ]);
      expect((await list('location=Fardis&sort=-name')).items.map((i) => name(i.id))).toEqual([
        'azadehZarbi',
        'pedramJafari',
        'mehdiPapi',
      ]);
      expect((await list('location=Fardis&sort=created')).items.map((i) => name(i.id))).toEqual([
        'mehdiPapi',
        'pedramJafari',
        'azadehZarbi',
      ]);
      expect((await list('location=Fardis&sort=-created')).items.map((i) => name(i.id))).toEqual([
        'azadehZarbi',
        'pedramJafari',
        'mehdiPapi',
      ]);
    });
  });

  describe('cursor pagination', () => {
    beforeAll(async () => {
      const dates = [
        '2019-11-15',
        '2019-11-16',
        '2019-11-16',
        null,
        '2019-11-17',
        '2019-11-19',
        null,
      ];
      const namesEn = ['Reza Ahmadi', 'Reza Ahmady', 'Ali Rezaei', 'Reza', 'Zahra Ahmadi', null];
      for (let i = 0; i < 75; i++) {
        const d = dates[i % dates.length];
        await createVictim(t.ds, {
          locationId: gorgan,
          nameEn: namesEn[i % namesEn.length],
          nameFa: namesEn[i % namesEn.length] ? null : 'رضا احمدی',
          dateFrom: d,
          dateTo: d,
          datePrecision: d ? 'day' : null,
        });
      }
    });

    const walk = async (query: string, limit: number): Promise<string[][]> => {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const page: Page = await list(
          `${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.limit).toBe(limit);
        pages.push(page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor && pages.length < 100);
      return pages;
    };

    it.each([['date'], ['-date'], ['name'], ['-name'], ['created'], ['-created']])(
      'pages through sort=%s in the order of one big page',
      async (sort) => {
        const whole = await ids(`location=Gorgan&sort=${sort}`);
        expect(whole).toHaveLength(75);
        const pages = await walk(`location=Gorgan&sort=${sort}`, 7);
        expect(pages).toHaveLength(11);
        expect(pages.flat()).toEqual(whole);
      },
    );

    it('pages through a name search ranked by relevance, ties broken by id', async () => {
      const whole = (await list('location=Gorgan&q=Reza%20Ahmadi&limit=200')).items;
      // The Latin query finds the records written رضا احمدی too (cross-script keys).
      expect(whole).toHaveLength(38);
      expect(whole.filter((i: { nameFa: string | null }) => i.nameFa === 'رضا احمدی')).toHaveLength(
        12,
      );
      const pages = await walk('location=Gorgan&q=Reza%20Ahmadi', 5);
      expect(pages.flat()).toEqual(whole.map((i) => i.id));
    });

    it('stays stable while records are added: nothing repeated, nothing before the cursor shown', async () => {
      const first = await list('location=Gorgan&sort=date&limit=10');
      const early = await createVictim(t.ds, {
        locationId: gorgan,
        dateFrom: '2000-01-01',
        dateTo: '2000-01-01',
        datePrecision: 'day',
      });
      const late = await createVictim(t.ds, {
        locationId: gorgan,
        dateFrom: '2030-01-01',
        dateTo: '2030-01-01',
        datePrecision: 'day',
      });
      const rest: string[] = [];
      let cursor = first.nextCursor;
      while (cursor) {
        const page = await list(`location=Gorgan&sort=date&limit=10&cursor=${cursor}`);
        rest.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      }
      const seen = [...first.items.map((i) => i.id), ...rest];
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).not.toContain(early.id);
      expect(seen.filter((s) => s === late.id)).toHaveLength(1);
      expect(seen).toHaveLength(76);
      await t.ds.query(`DELETE FROM victims WHERE id = ANY($1::uuid[])`, [[early.id, late.id]]);
    });

    it('defaults to 50 a page and says when there is no more', async () => {
      const page = await list('location=Gorgan');
      expect(page.limit).toBe(50);
      expect(page.items).toHaveLength(50);
      expect(typeof page.nextCursor).toBe('string');
      const last = await list(`location=Gorgan&cursor=${page.nextCursor}`);
      expect(last.items).toHaveLength(25);
      expect(last.nextCursor).toBeNull();
    });
  });

  describe('bad input: 400 saying what was wrong', () => {
    it.each([
      ['an unknown place', 'location=Atlantis', 'location', 'unknown place "Atlantis"'],
      ['an unknown place id', `location=${MISSING}`, 'location', `unknown location id ${MISSING}`],
      ['an impossible Jalali date', 'from=1398-13-40&calendar=jalali', 'from', ''],
      ['a Jalali date without its calendar', 'from=1398-08-25', 'from', ''],
      ['a date that is not one', 'to=yesterday', 'to', ''],
      ['a window that ends before it starts', 'from=2019-11-19&to=2019-11-15', 'to', ''],
      [
        'a Jalali window that ends before it starts',
        `from=${encodeURIComponent('۲۸ آبان ۱۳۹۸')}&to=${encodeURIComponent('۲۵ آبان ۱۳۹۸')}`,
        'to',
        '',
      ],
      ['an unknown calendar', 'from=2019-11-16&calendar=lunar', 'calendar', ''],
      ['an unknown sort', 'sort=age', 'sort', ''],
      ['relevance without q', 'sort=relevance', 'sort', ''],
      ['a bad cursor', 'cursor=not!base64', 'cursor', ''],
      [
        'a made-up cursor',
        `cursor=${Buffer.from('["date","2019-11-16","x"]').toString('base64url')}`,
        'cursor',
        '',
      ],
      [
        'a cursor with a bad key',
        `cursor=${Buffer.from(`["date","yesterday","${MISSING}"]`).toString('base64url')}`,
        'cursor',
        '',
      ],
      ['a page of 1000', 'limit=1000', 'limit', 'limit must be at most 200'],
      ['a page of 0', 'limit=0', 'limit', ''],
      ['a page size that is not a number', 'limit=ten', 'limit', ''],
      ['an unknown parameter', 'colour=red', 'colour', ''],
      ['an inverted age range', 'ageMin=40&ageMax=30', 'ageMax', ''],
      ['an out-of-range age', 'ageMin=-1', 'ageMin', ''],
      ['an unknown age band', 'ageBand=20-30', 'ageBand', ''],
      ['an unknown category', 'category=wounded', 'category', ''],
      ['an unknown status', 'status=dead', 'status', ''],
      ['an unknown confidence', 'minConfidence=sure', 'minConfidence', ''],
      ['an unknown dateMatch', 'dateMatch=maybe', 'dateMatch', ''],
      ['a bad incident id', 'incident=42', 'incident', ''],
      ['an unknown incident', `incident=${MISSING}`, 'incident', ''],
      ['an unknown source', `source=${MISSING}`, 'source', ''],
      ['a name search with nothing to search', `q=${encodeURIComponent('؟!')}`, 'q', ''],
    ])('rejects %s', async (_name, query, field, reason) => {
      const body = await bad(query);
      expect(body.errors.map((e) => e.field)).toContain(field);
      if (reason) expect(body.errors.find((e) => e.field === field)!.reason).toBe(reason);
    });

    it('names the candidates of an ambiguous place, two towns in two provinces', async () => {
      const body = await bad('location=Mahabad');
      expect(body.code).toBe('ambiguous');
      expect(body.candidates).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: 'city',
            nameEn: 'Mahabad',
            parent: expect.objectContaining({ nameEn: 'Mahabad County' }),
            province: expect.objectContaining({ nameEn: 'West Azerbaijan' }),
          }),
          expect.objectContaining({
            kind: 'city',
            nameEn: 'Mahabad',
            parent: expect.objectContaining({ nameEn: 'Ardestan County' }),
            province: expect.objectContaining({ nameEn: 'Isfahan' }),
          }),
        ]),
      );
      expect(body.candidates).toHaveLength(2);
    });

    it('refuses a cursor made for another sort', async () => {
      const page = await list('location=Gorgan&sort=date&limit=5');
      const body = await bad(`location=Gorgan&sort=name&cursor=${page.nextCursor}`);
      expect(body.errors[0]).toEqual({
        field: 'cursor',
        reason: 'was made for sort=date, not sort=name: start again without a cursor',
      });
    });

    it('explains an impossible Jalali date', async () => {
      const body = await bad('from=1398-13-40&calendar=jalali');
      expect(body.errors[0].reason).toContain('month 13 is out of range 1–12');
    });
  });

  describe('name search through the word dictionary', () => {
    const dictionaryHas = async (word: string): Promise<boolean> =>
      (
        await t.ds.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM victim_name_words WHERE word = $1`,
          [word],
        )
      )[0].n === 1;

    it('still finds a name by the start of a word or a typo', async () => {
      expect(await names('q=Dastankh')).toEqual(['mohammadDastankhah']);
      expect(await names('q=Mohammad%20Khaledii')).toEqual(['mohammadKhaledi']);
      expect(await names(`q=${encodeURIComponent('نعمت حسین')}`)).toEqual(['nematHosseini']);
    });

    it('finds a name whose words arrive with a bulk import', async () => {
      expect(await names(`q=${encodeURIComponent('کیوان ساعدی')}`)).toEqual([]);
      const csv = sharedCsv([buildSharedRow({ name_fa: 'کیوان ساعدی', name_en: 'Keyvan Saedi' })]);
      const res = await t
        .http()
        .post('/api/imports?kind=victims')
        .set('Content-Type', 'text/csv')
        .send(csv)
        .expect(201);
      expect(res.body).toMatchObject({ written: true, imported: 1 });
      expect(await dictionaryHas('کیوان')).toBe(true);
      for (const q of ['کیوان ساعدی', 'كيوان ساعدي', 'Keyvan Saedi', 'Kayvan Saeedi']) {
        const page = await list(`q=${encodeURIComponent(q)}`);
        expect(page.items.map((i) => i.nameFa)).toEqual(['کیوان ساعدی']);
      }
    });

    it('finds a name by its new words once it is changed, and no more by the old ones', async () => {
      const created = await createVictim(t.ds, { locationId: gorgan, nameFa: 'سیاوش قمیشی' });
      expect(await ids(`q=${encodeURIComponent('سیاوش قمیشی')}`)).toEqual([created.id]);
      expect(await dictionaryHas('بردیا')).toBe(false);
      await t
        .http()
        .patch(`/api/victims/${created.id}`)
        .send({ version: created.version, nameFa: 'بردیا کاوه' })
        .expect(200);
      expect(await dictionaryHas('بردیا')).toBe(true);
      expect(await ids(`q=${encodeURIComponent('بردیا کاوه')}`)).toEqual([created.id]);
      expect(await ids(`q=${encodeURIComponent('سیاوش قمیشی')}`)).toEqual([]);
    });
  });
});
