import { keyDistance, translitKey } from '../../src/common/transliteration.js';
import {
  bestNames,
  clusterPairs,
  COMMON_NAME_RECORDS,
  conflictFacts,
  countNames,
  linkInMemory,
  nameReadings,
  scorePair,
  type LinkRecord,
} from '../../src/duplicates/linkage.js';

const rec = (id: string, name: string, over: Partial<LinkRecord> = {}): LinkRecord => ({
  id,
  names: [name],
  gender: null,
  age: null,
  ageMin: null,
  ageMax: null,
  dateFrom: '2019-11-16',
  dateTo: '2019-11-16',
  placePath: ['iran', 'khuzestan', 'mahshahr'],
  sources: [id],
  ...over,
});

const names = (a: string, b: string) => bestNames(nameReadings(a), nameReadings(b));

describe('the transliteration key', () => {
  it.each([
    ['Milad Zare', 'میلاد زارع'],
    ['Mohammad', 'محمد'],
    ['Muhammad', 'محمد'],
    ['Mohamad', 'محمد'],
    ['Mahmoud', 'محمود'],
    ['Hossein', 'حسین'],
    ['Hosein', 'حسین'],
    ['Hoseyn', 'حسین'],
    ['Hassan', 'حسن'],
    ['Rezaei', 'رضایی'],
    ['Rezaee', 'رضایی'],
    ['Rezai', 'رضایی'],
    ['Ghasemi', 'قاسمی'],
    ['Qasemi', 'قاسمی'],
    ['Fatemeh', 'فاطمه'],
    ['Davood', 'داوود'],
    ['Davud', 'داود'],
    ['Mousavi', 'موسوی'],
    ['Musavi', 'موسوی'],
    ['Khosravi', 'خسروی'],
    ['Zhila', 'ژیلا'],
    ['Ali', 'علی'],
    ['Abbas', 'عباس'],
    ['Ebrahim', 'ابراهیم'],
    ['Ibrahim', 'ابراهیم'],
    ['Ayoubi', 'ایوبی'],
    ['Kaveh', 'کاوه'],
    ['Mahshahr', 'ماهشهر'],
  ])('%s and %s meet', (a, b) => {
    expect(keyDistance(translitKey(a).replace(/ /g, ''), translitKey(b).replace(/ /g, ''))).toBe(0);
  });

  it.each([
    ['Hossein', 'Hassan'],
    ['حسین', 'حسن'],
    ['محمود', 'محمد'],
    ['Mahmoud', 'Mohammad'],
    ['Reza', 'Zahra'],
  ])('%s and %s stay apart', (a, b) => {
    expect(keyDistance(translitKey(a), translitKey(b))).toBeGreaterThan(0);
  });
});

describe('names', () => {
  it('are the same across scripts, with or without a non-joiner, joined or split', () => {
    expect(names('Milad Zare', 'میلاد زارع').score).toBe(1);
    expect(names('محمدرضا کریمی', 'محمد\u200cرضا کریمی').score).toBe(1);
    expect(names('محمد رضا کریمی', 'Mohammadreza Karimi').score).toBe(1);
    expect(names('شهر‌قدس', 'شهر قدس').given).toBe(1);
  });

  it('drop honorifics and read what stands in parentheses', () => {
    expect(names('Seyed Ahmad Ja\u2019avoleh', 'احمد جعاوله').score).toBe(1);
    expect(names('روح الله (جواد) نظری فتح آبادی', 'Javad Nazari Fathabadi').score).toBeGreaterThan(
      0.9,
    );
    expect(names('Farzad Ansari (Tazmipur)', 'فرزاد تزمی‌پور').score).toBe(1);
  });

  it('tell different people apart', () => {
    expect(names('Hossein Ahmadi', 'Hassan Ahmadi').given).toBeLessThan(0.5);
    expect(names('محمود رضایی', 'محمد رضایی').given).toBeLessThan(0.5);
    // Swapped compounds are not the same name.
    expect(names('محمدرضا احمدی', 'احمدرضا محمدی').score).toBeLessThan(0.6);
  });
});

describe('pair scores', () => {
  it('propose the same person in two scripts a day apart', () => {
    const e = scorePair(
      rec('a', 'Milad Zare'),
      rec('b', 'میلاد زارع', { dateFrom: '2019-11-17', dateTo: '2019-11-17' }),
    );
    expect(e.score).toBeGreaterThan(0.9);
    expect(e.veto).toBeNull();
  });

  it('veto different given names, genders, ages and provinces', () => {
    expect(scorePair(rec('a', 'Hossein Ahmadi'), rec('b', 'Hassan Ahmadi')).veto).toBe(
      'different given names',
    );
    expect(
      scorePair(
        rec('a', 'Milad Zare', { gender: 'male' }),
        rec('b', 'Milad Zare', { gender: 'female' }),
      ).veto,
    ).toBe('different gender');
    expect(
      scorePair(rec('a', 'Milad Zare', { age: 20 }), rec('b', 'Milad Zare', { age: 40 })).veto,
    ).toBe('ages more than five years apart');
    expect(
      scorePair(
        rec('a', 'Milad Zare'),
        rec('b', 'Milad Zare', { placePath: ['iran', 'fars', 'shiraz'] }),
      ).veto,
    ).toBe('places in different provinces');
    for (const [a, b] of [
      ['Hossein Ahmadi', 'Hassan Ahmadi'],
      ['محمود رضایی', 'محمد رضایی'],
      ['محمدرضا احمدی', 'احمدرضا محمدی'],
    ])
      expect(scorePair(rec('a', a), rec('b', b)).score).toBeLessThan(0.78);
  });

  it('group pairs into clusters', () => {
    const c = clusterPairs([
      { a: '1', b: '2', score: 0.9 },
      { a: '2', b: '3', score: 0.8 },
      { a: '4', b: '5', score: 0.95 },
    ]);
    expect(c.map((x) => [x.members, x.score])).toEqual([
      [['4', '5'], 0.95],
      [['1', '2', '3'], 0.9],
    ]);
  });

  it("the father's name: the same raises the score, a different one vetoes the pair", () => {
    const plain = scorePair(rec('a', 'Milad Zare'), rec('b', 'میلاد زارع')).score;
    const same = scorePair(
      rec('a', 'Milad Zare', { father: 'Hassan' }),
      rec('b', 'میلاد زارع', { father: 'حسن' }),
    );
    expect(same.father).toBe(1);
    expect(same.score).toBeGreaterThan(plain);
    const different = scorePair(
      rec('a', 'Milad Zare', { father: 'Hossein' }),
      rec('b', 'میلاد زارع', { father: 'حسن' }),
    );
    expect(different.veto).toBe("different fathers' names");
    expect(different.score).toBeLessThan(0.78);
    // Unknown on one side says nothing.
    expect(
      scorePair(rec('a', 'Milad Zare', { father: 'Hossein' }), rec('b', 'میلاد زارع')).score,
    ).toBe(plain);
  });

  it('a common name needs the same day and city, and ages within two years', () => {
    const common = { nameFrequency: COMMON_NAME_RECORDS };
    const a = rec('a', 'Mohammad Ahmadi', { ...common, age: 24 });
    // A day apart: enough for a rare name, not for a common one.
    const nextDay = { dateFrom: '2019-11-17', dateTo: '2019-11-17' };
    expect(
      scorePair(rec('x', 'Milad Zare'), rec('y', 'Milad Zare', nextDay)).score,
    ).toBeGreaterThanOrEqual(0.78);
    expect(scorePair(a, rec('b', 'محمد احمدی', { ...common, ...nextDay })).veto).toBe(
      'a common name without the same day and city',
    );
    // Another city of the province.
    expect(
      scorePair(a, rec('b', 'محمد احمدی', { ...common, placePath: ['iran', 'khuzestan', 'ahvaz'] }))
        .veto,
    ).toBe('a common name without the same day and city');
    expect(scorePair(a, rec('b', 'محمد احمدی', { ...common, age: 27 })).veto).toBe(
      'a common name with ages more than two years apart',
    );
    // The same span of a few days counts as the same day; the same month does not.
    const span = { dateFrom: '2019-11-15', dateTo: '2019-11-18' };
    expect(
      scorePair({ ...a, ...span }, rec('b', 'محمد احمدی', { ...common, ...span })).veto,
    ).toBeNull();
    const month = { dateFrom: '2019-11-01', dateTo: '2019-11-30' };
    expect(
      scorePair({ ...a, ...month }, rec('b', 'محمد احمدی', { ...common, ...month })).veto,
    ).toBe('a common name without the same day and city');
    // unless the ages agree too (both known, within two years).
    expect(
      scorePair({ ...a, ...month }, rec('b', 'محمد احمدی', { ...common, ...month, age: 25 })).veto,
    ).toBeNull();
    const same = scorePair(a, rec('b', 'محمد احمدی', { ...common, age: 25 }));
    expect(same.veto).toBeNull();
    expect(same.score).toBeGreaterThanOrEqual(0.78);
  });

  it('a common name placed only at a province needs the same province, day and age', () => {
    const common = { nameFrequency: COMMON_NAME_RECORDS, placePath: ['iran', 'khuzestan'] };
    const a = rec('a', 'Mohammad Ahmadi', { ...common, age: 24 });
    const b = (over: Partial<LinkRecord>): LinkRecord =>
      rec('b', 'محمد احمدی', { ...common, ...over });
    const same = scorePair(a, b({ age: 25 }));
    expect(same.veto).toBeNull();
    expect(same.score).toBeGreaterThanOrEqual(0.78);
    // No age on one side, ages two years apart, a day apart, another province, a city of it.
    const held = 'a common name without the same day and city';
    expect(scorePair(a, b({})).veto).toBe(held);
    expect(scorePair(a, b({ age: 26 })).veto).toBe(held);
    expect(scorePair(a, b({ age: 24, dateFrom: '2019-11-17', dateTo: '2019-11-17' })).veto).toBe(
      held,
    );
    expect(scorePair(a, b({ age: 24, placePath: ['iran', 'khuzestan', 'ahvaz'] })).veto).toBe(held);
    expect(scorePair(a, b({ age: 24, placePath: ['iran', 'fars'] })).veto).not.toBeNull();
  });

  it('counts how common a name is across scripts', () => {
    const set = [
      ...Array.from({ length: COMMON_NAME_RECORDS - 1 }, (_, i) => rec(`m${i}`, 'محمد احمدی')),
      rec('l', 'Mohammad Ahmadi'),
      rec('z', 'Milad Zare'),
    ];
    countNames(set);
    expect(set[0].nameFrequency).toBe(COMMON_NAME_RECORDS);
    expect(set.at(-1)!.nameFrequency).toBe(1);
    // Five namesakes in one city, a week apart: none proposed as one person.
    const week = Array.from({ length: 6 }, (_, i) =>
      rec(`w${i}`, i % 2 ? 'Mohammad Ahmadi' : 'محمد احمدی', {
        dateFrom: `2019-11-1${i}`,
        dateTo: `2019-11-1${i}`,
      }),
    );
    expect(linkInMemory(week)).toEqual([]);
  });

  it('does not chain A~B~C into one cluster when A and C conflict', () => {
    const a = rec('a', 'Milad Zare', { age: 20 });
    const b = rec('b', 'Milad Zare');
    const c = rec('c', 'Milad Zare', { age: 30 });
    const facts = new Map([a, b, c].map((r) => [r.id, conflictFacts(r)]));
    const out = clusterPairs(
      [
        { a: 'a', b: 'b', score: 0.95 },
        { a: 'b', b: 'c', score: 0.9 },
      ],
      (id) => facts.get(id),
    );
    expect(out.map((x) => x.members)).toEqual([['a', 'b']]);
    expect(out.refused).toBe(1);
    // Without a conflict the chain is one cluster.
    const c2 = rec('c', 'Milad Zare', { age: 21 });
    facts.set('c', conflictFacts(c2));
    expect(
      clusterPairs(
        [
          { a: 'a', b: 'b', score: 0.95 },
          { a: 'b', b: 'c', score: 0.9 },
        ],
        (id) => facts.get(id),
      ).map((x) => x.members),
    ).toEqual([['a', 'b', 'c']]);
  });
});
