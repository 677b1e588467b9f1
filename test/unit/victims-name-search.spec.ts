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

  it('holds cross-script keys, so that a Latin name finds a Persian one and back', () => {
    expect(nameSearchText(['Ali'])).toBe('ali ^li');
    expect(nameSearchText(['علی'])).toBe('علی ~li');
    // A Latin query asks for the Persian names' keys, and the other way round.
    expect(nameQuery('Ali')!.words).toEqual([['ali', '~li']]);
    expect(nameQuery('علی')!.words).toEqual([['علی', '^li']]);
    expect(nameSearchText(['Milad Zare']).split(' ')).toEqual(
      expect.arrayContaining(['^mild', '^zr', '^mildzr']),
    );
    expect(nameSearchText(['میلاد زارع']).split(' ')).toEqual(
      expect.arrayContaining(['~mild', '~zr', '~mildzr']),
    );
    // Different names stay apart in every key.
    expect(nameSearchText(['محمود']).split(' ')).not.toContain('محمد');
    expect(nameSearchText(['محمود']).split(' ')).not.toContain('~mhmd');
    expect(nameSearchText(['Hossein']).split(' ')).not.toContain('^hsn');
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
      whole: ['mehran tak', 'mahran tak', 'mahrantak', '~mhrn ~tk ~mhrntk'],
      words: [
        ['mehran', 'mahran', '~mhrn'],
        ['tak', '~tk'],
      ],
      phrases: [
        ['mehran', 'tak'],
        ['mahran', 'tak'],
      ],
    });
    expect(nameQuery('مهران تاک')).toEqual({
      whole: ['مهران تاک', 'مهرن تک', 'مهرنتک', '^mhrn ^tk ^mhrntk'],
      words: [
        ['مهران', 'مهرن', '^mhrn'],
        ['تاک', 'تک', '^tk'],
      ],
      phrases: [
        ['مهران', 'تاک'],
        ['مهرن', 'تک'],
      ],
    });
  });

  it('asks for the name itself and then for its words in another spelling, once when they are the same', () => {
    // محمدی keeps its ی: its skeleton is itself, and no longer محمد (nor is محمود's).
    expect(nameQuery('محمد محمدی')!.phrases).toEqual([['محمد', 'محمدی']]);
    expect(nameQuery('محمود')!.phrases).toEqual([['محمود']]);
    expect(nameQuery('Mohammad  MOHAMMADI')!.phrases[0]).toEqual(['mohammad', 'mohammadi']);
    expect(nameQuery('محمد محمدی')!.whole).toEqual([
      'محمد محمدی',
      'محمدمحمدی',
      '^mhmd ^mhmdi ^mhmdmhmdi',
    ]);
    expect(nameQuery('محمد محمد')!.whole).toEqual(['محمد محمد', 'محمدمحمد', '^mhmd ^mhmdmhmd']);
    // تک has no long vowel to drop: its skeleton is itself.
    expect(nameQuery('تک')!.phrases).toEqual([['تک']]);
  });

  it('asks for a repeated word once, and for nothing when there is nothing to search', () => {
    expect(nameQuery('Reza reza')!.words).toEqual([['reza', 'raza', '~rz']]);
    expect(nameQuery('؟ - !')).toBeNull();
  });
});
