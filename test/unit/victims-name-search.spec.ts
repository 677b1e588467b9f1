import { nameKeys, nameQuery, nameSearchText } from '../../src/victims/name-search.js';

describe('victim name keys', () => {
  it('holds the normalised name, the word skeletons and the joined skeleton', () => {
    expect(nameKeys('Mohammad Khaledi')).toEqual([
      'mohammad khaledi',
      'mohamad khaladi',
      'mohamadkhaladi',
    ]);
    expect(nameKeys('مهران تاک')).toEqual(['مهران تاک', 'مهرن تک', 'مهرنتک']);
  });

  it.each([
    ['Mohammad', 'Muhammad'],
    ['Mohammad', 'Mohamad'],
    ['Mohammed', 'Mohammad'],
    ['Hosseini', 'Hoseyni'],
    ['Hosseini', 'Husseini'],
    ['Mohammad Reza', 'Mohammadreza'],
    ['مهران تک', 'مهران تاک'],
    ['مهران تک', 'مهران  تك'],
    ['محمد‌رضا', 'محمدرضا'],
    ['نعمت حسینی', 'نعمت حسيني'],
  ])('gives %j and %j a key in common', (a, b) => {
    const shared = nameKeys(a).filter((k) => nameKeys(b).includes(k));
    expect(shared.length).toBeGreaterThan(0);
  });

  it.each([
    ['Mehran', 'Mohsen'],
    ['مهران تاک', 'مهران علی پور'],
    ['Reza Ahmadi', 'Zahra Ahmadi'],
  ])('keeps %j and %j apart', (a, b) => {
    expect(nameKeys(a).filter((k) => nameKeys(b).includes(k))).toEqual([]);
  });

  it('has no keys for an empty or punctuation-only name', () => {
    expect(nameKeys('')).toEqual([]);
    expect(nameKeys(null)).toEqual([]);
    expect(nameKeys(' - ؟ ')).toEqual([]);
  });

  it('joins the keys of every name once, in both scripts', () => {
    const text = nameSearchText(['Mehran Tak', 'مهران تاک', 'مهران تک', 'Mehran Tak']);
    expect(text.split(' ')).toEqual(
      expect.arrayContaining(['mehran', 'tak', 'mahrantak', 'مهران', 'تاک', 'تک', 'مهرنتک']),
    );
    expect(text.match(/مهرنتک/g)).toHaveLength(1);
    expect(nameSearchText([null, undefined, ''])).toBe('');
  });
});

describe('victim name queries', () => {
  it('keeps the keys of the whole query for ranking and of each word for matching', () => {
    expect(nameQuery('Mehran  Tak')).toEqual({
      whole: ['mehran tak', 'mahran tak', 'mahrantak'],
      words: [['mehran', 'mahran'], ['tak']],
      phrases: [
        ['mehran', 'tak'],
        ['mahran', 'tak'],
      ],
    });
    expect(nameQuery('مهران تاک')).toEqual({
      whole: ['مهران تاک', 'مهرن تک', 'مهرنتک'],
      words: [
        ['مهران', 'مهرن'],
        ['تاک', 'تک'],
      ],
      phrases: [
        ['مهران', 'تاک'],
        ['مهرن', 'تک'],
      ],
    });
  });

  it('asks for the name itself and then for its words in another spelling, once when they are the same', () => {
    expect(nameQuery('محمد محمدی')!.phrases).toEqual([
      ['محمد', 'محمدی'],
      ['محمد', 'محمد'],
    ]);
    expect(nameQuery('Mohammad  MOHAMMADI')!.phrases[0]).toEqual(['mohammad', 'mohammadi']);
    // Its skeletons fold its two words into one: that key would rank محمد احمدی at 1 too.
    expect(nameQuery('محمد محمدی')!.whole).toEqual(['محمد محمدی', 'محمدمحمد']);
    expect(nameQuery('محمد محمد')!.whole).toEqual(['محمد محمد', 'محمدمحمد']);
    // تک has no long vowel to drop: its skeleton is itself.
    expect(nameQuery('تک')!.phrases).toEqual([['تک']]);
  });

  it('asks for a repeated word once, and for nothing when there is nothing to search', () => {
    expect(nameQuery('Reza reza')!.words).toEqual([['reza', 'raza']]);
    expect(nameQuery('؟ - !')).toBeNull();
  });
});
