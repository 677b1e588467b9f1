import { keyDistance, translitKey } from '../../src/common/transliteration.js';
import {
  bestNames,
  clusterPairs,
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
});
