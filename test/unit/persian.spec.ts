import {
  hasPersianScript,
  latinSkeleton,
  normalizeDigits,
  normalizeText,
  persianSkeleton,
  toPersianDigits,
} from '../../src/common/persian.js';

const ZWNJ = '\u200c';

describe('normalizeText', () => {
  it.each([
    ['Arabic yeh ي → ی', 'علي', 'علی'],
    ['alef maksura ى → ی', 'مصطفى', 'مصطفی'],
    ['yeh with hamza ئ → ی', 'پائیز', 'پاییز'],
    ['Arabic kaf ك → ک', 'كرمانشاه', 'کرمانشاه'],
    ['ي and ك together', 'كيان', 'کیان'],
    ['teh marbuta ة → ه', 'فاطمة', 'فاطمه'],
    ['heh with yeh ۀ → ه', 'خانۀ', 'خانه'],
    ['heh doachashmee ھ → ه', 'ھمدان', 'همدان'],
    ['alef with hamza above أ → ا', 'أحمد', 'احمد'],
    ['alef with hamza below إ → ا', 'إسماعیل', 'اسماعیل'],
    ['alef wasla ٱ → ا', 'ٱلله', 'الله'],
    ['alef madda آ → ا', 'آبادان', 'ابادان'],
    ['waw with hamza ؤ → و', 'مؤمن', 'مومن'],
    ['bare hamza dropped', 'علاء', 'علا'],
    ['harakat removed', 'مُحَمَّد', 'محمد'],
    ['tanwin removed', 'حتماً', 'حتما'],
    ['superscript alef removed', 'رحمٰن', 'رحمن'],
    ['tatweel removed', 'محـــمد', 'محمد'],
    ['ZWNJ removed', `ماه${ZWNJ}شهر`, 'ماهشهر'],
    ['ZWJ removed', 'ماه\u200dشهر', 'ماهشهر'],
    ['zero-width space removed', 'ماه\u200bشهر', 'ماهشهر'],
    ['BOM removed', '\ufeffماهشهر', 'ماهشهر'],
    ['LRM and RLM removed', '\u200fماهشهر\u200e', 'ماهشهر'],
    ['bidi embedding and override removed', '\u202bماهشهر\u202c \u202eabc\u202c', 'ماهشهر abc'],
    ['presentation forms', 'ﻣﺤﻤﺪ', 'محمد'],
    ['lam-alef ligature', 'ﻻله', 'لاله'],
    ['Persian digits', '۱۳۹۸', '1398'],
    ['Arabic-Indic digits', '١٣٩٨', '1398'],
    ['mixed digits', 'کوچه ۱۲ و ١٣', 'کوچه 12 و 13'],
    ['Arabic comma and question mark', 'تهران، کرج؟', 'تهران کرج'],
    ['guillemets', '«ماهشهر»', 'ماهشهر'],
    ['lowercase', 'MAHSHAHR', 'mahshahr'],
    ['accents', 'Khūzestān', 'khuzestan'],
    ['circumflex', 'Ābādān', 'abadan'],
    ['precomposed and combining accents agree', 'Kh\u016bzest\u0101n', 'khuzestan'],
    ['hyphen', 'Bandar-e Mahshahr', 'bandar e mahshahr'],
    ['underscore', 'bandar_abbas', 'bandar abbas'],
    ['dots', 'St. Mary', 'st mary'],
    ['commas', 'Shiraz,Fars', 'shiraz fars'],
    ['parentheses', 'Mahshahr (Bandar-e)', 'mahshahr bandar e'],
    ['apostrophe dropped', "Ma'soumeh", 'masoumeh'],
    ['right single quote dropped', 'Ja’far', 'jafar'],
    ['modifier letter apostrophe dropped', 'Saʼid', 'said'],
    ['left single quote dropped', 'Sa‘di', 'sadi'],
    ['ayn half ring dropped', 'Jaʿfar', 'jafar'],
    ['extra spaces', '  bandar   e \t mahshahr \n', 'bandar e mahshahr'],
    ['non-breaking space', 'bandar\u00a0abbas', 'bandar abbas'],
    ['spaces around Persian words', '  بندر   ماهشهر  ', 'بندر ماهشهر'],
    ['full-width Latin', 'Ｔｅｈｒａｎ', 'tehran'],
    ['empty', '', ''],
    ['only punctuation', ' - , . ', ''],
  ])('%s', (_case, input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it.each([
    ['ماهشهر', 'ماهشهر'],
    [`ماه${ZWNJ}شهر`, 'ماهشهر'],
    ['ماهشهر', 'ماهشهر'.replace('ه', 'ھ')],
    ['کرمانشاه', 'كرمانشاه'],
    ['حسینی', 'حسيني'],
    ['آبان', 'ابان'],
    ['Bandar-e Mahshahr', 'bandar e  MAHSHAHR'],
    ['Khūzestān', 'Khuzestan'],
  ])('%j and %j agree', (a, b) => {
    expect(normalizeText(a)).toBe(normalizeText(b));
  });

  it('is idempotent', () => {
    for (const s of ['Bandar-e Mahshahr', 'مُحَمَّد‌رضا', 'Khūzestān ۱۲', 'كيان (Kian)']) {
      expect(normalizeText(normalizeText(s))).toBe(normalizeText(s));
    }
  });

  it('keeps Persian-only letters', () => {
    expect(normalizeText('پژوهشگر چگونه')).toBe('پژوهشگر چگونه');
  });
});

describe('normalizeDigits', () => {
  it.each([
    ['۰۱۲۳۴۵۶۷۸۹', '0123456789'],
    ['٠١٢٣٤٥٦٧٨٩', '0123456789'],
    ['۱۳۹۸/۰۸/۲۵', '1398/08/25'],
    ['٢٠١٩-١١-١٦', '2019-11-16'],
    ['25 آبان ۱۳۹۸', '25 آبان 1398'],
    ['no digits', 'no digits'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(normalizeDigits(input)).toBe(expected);
  });

  it('touches nothing but digits', () => {
    expect(normalizeDigits('كيان ي')).toBe('كيان ي');
  });
});

describe('toPersianDigits', () => {
  it.each([
    ['0123456789', '۰۱۲۳۴۵۶۷۸۹'],
    ['1398/08/25', '۱۳۹۸/۰۸/۲۵'],
    ['Aban 1398', 'Aban ۱۳۹۸'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(toPersianDigits(input)).toBe(expected);
  });

  it('round-trips with normalizeDigits', () => {
    expect(normalizeDigits(toPersianDigits('2019-11-16'))).toBe('2019-11-16');
  });
});

describe('hasPersianScript', () => {
  it.each([
    ['ماهشهر', true],
    ['Mahshahr ماهشهر', true],
    ['كيان', true],
    ['ﻣﺤﻤﺪ', true],
    ['Mahshahr', false],
    ['۱۳۹۸', false],
    ['1398', false],
    ['', false],
  ])('%j → %s', (input, expected) => {
    expect(hasPersianScript(input)).toBe(expected);
  });
});

describe('latinSkeleton', () => {
  it.each([
    ['Mohammad', ['Mohamad', 'Muhammad', 'Mohammed', 'MOHAMMAD', 'Moḥammad']],
    ['Hosseini', ['Hoseyni', 'Husseini', 'Hosseyni', 'Hoseini', 'Hosaini']],
    ['Hossein', ['Hosein', 'Hussein', 'Hussain', 'Hosseyn']],
    ['Reza', ['Rezaa', 'Rezā', 'Rezah']],
    ['Ghasem', ['Qasem', 'Ghassem', 'Qassem']],
    ['Abdolreza', ['Abdulreza', 'Abdol-Reza', 'Abdul Reza', 'Abdolrezaa']],
    ['Mohammadreza', ['Mohammad Reza', 'Mohammad-Reza', 'Muhammadreza']],
    ['Alireza', ['Ali Reza', 'Ali-Reza']],
    ['Fatemeh', ['Fatema', 'Fateme']],
    ['Masoumeh', ['Masoume', "Ma'soumeh", 'Massoumeh', 'Masoomeh', 'Masumeh']],
    ['Mousavi', ['Musavi', 'Moussavi', 'Mousawi', 'Moosavi']],
    ['Rezaei', ['Rezaee', 'Rezaie', 'Rezayi', 'Rezai']],
    ['Ahmad', ['Ahmed']],
    ['Mehdi', ['Mahdi']],
    ['Saeed', ['Said', 'Saeid', "Sa'id"]],
    ['Seyed', ['Seyyed', 'Sayed', 'Sayyed']],
    ['Esmail', ['Ismail', 'Esmaeil', "Esma'il"]],
    ['Ebrahim', ['Ibrahim']],
    ['Omid', ['Umid']],
    ['Reyhaneh', ['Reihaneh', 'Rayhaneh']],
    ['Ghorbani', ['Qorbani']],
    ['Jafari', ["Ja'fari", 'Jaʿfari']],
    ['Davood', ['Davoud', 'Dawood', 'Davud']],
    ['Abdollah', ['Abdullah']],
    ['Mashhad', ['Mashad']],
    ['Bandar-e Mahshahr', ['Bandar Mahshahr', 'bandar-e-mahshahr', 'Bandar-ye Mahshahr']],
    ['Khorramshahr', ['Khoramshahr']],
  ])('%s collides with %j', (name, variants) => {
    const key = latinSkeleton(name);
    for (const v of variants) expect([v, latinSkeleton(v)]).toEqual([v, key]);
  });

  it.each([
    ['Mahshahr', 'Mashhad'],
    ['Mohammad', 'Mahmoud'],
    ['Mohammad', 'Mohammadi'],
    ['Hamid', 'Hamed'],
    ['Hossein', 'Hassan'],
    ['Hosseini', 'Hassani'],
    ['Reza', 'Rezaei'],
    ['Saeed', 'Seyed'],
    ['Ali', 'Leila'],
    ['Maryam', 'Marjan'],
    ['Karim', 'Kazem'],
    ['Shirin', 'Sirin'],
    ['Khalil', 'Halil'],
    ['Ghasem', 'Hashem'],
    ['Abbas', 'Abdollah'],
    ['Mohammad Reza', 'Reza Mohammad'],
  ])('%s does not collide with %s', (a, b) => {
    expect(latinSkeleton(a)).not.toBe(latinSkeleton(b));
  });

  it.each([
    ['Mohammad', 'mohamad'],
    ['Hosseini', 'hosini'],
    ['Ghasem', 'qasam'],
    ['Khorramshahr', 'khoramshahr'],
    ['Mahshahr', 'mahshahr'],
    ['Maryam', 'maryam'],
    ['', ''],
  ])('%j → %j (readable key)', (input, expected) => {
    expect(latinSkeleton(input)).toBe(expected);
  });
});

describe('persianSkeleton', () => {
  it.each([
    ['تک', 'تاک'],
    ['حسینی', 'حسيني'],
    ['حسینی', 'حسینى'],
    ['محمدرضا', 'محمد رضا'],
    ['محمدرضا', `محمد${ZWNJ}رضا`],
    ['علیاصغر', 'علی اصغر'],
    ['موسوی', 'موسوي'],
    ['مُحَمَّد', 'محمد'],
    ['فاطمه', 'فاطمة'],
    ['کاظم', 'كاظم'],
    ['داوود', 'داود'],
    ['اسماعیل', 'إسماعيل'],
    ['آرمان', 'ارمان'],
    ['ماهشهر', 'ماه‌شهر'],
  ])('%s collides with %s', (a, b) => {
    expect(persianSkeleton(a)).toBe(persianSkeleton(b));
  });

  it.each([
    ['ماهشهر', 'مشهد'],
    ['احمد', 'محمد'],
    ['کرمان', 'کرمانشاه'],
    ['امید', 'مید'],
    ['علی', 'لی'],
    ['تهران', 'طهران'],
    ['خرمشهر', 'خرم آباد'],
  ])('%s does not collide with %s', (a, b) => {
    expect(persianSkeleton(a)).not.toBe(persianSkeleton(b));
  });

  it('keeps و and ی: names differing in them are different names', () => {
    expect(persianSkeleton('محمد')).not.toBe(persianSkeleton('محمود'));
    expect(persianSkeleton('حسن')).not.toBe(persianSkeleton('حسین'));
    expect(persianSkeleton('محمود')).toBe('محمود');
  });

  it('drops alef but the first letter, and counts a doubled letter once', () => {
    expect(persianSkeleton('امید')).toBe('امید');
    expect(persianSkeleton('آرمان')).toBe('ارمن');
    expect(persianSkeleton('داوود')).toBe('دود');
    expect(persianSkeleton('حسینی')).toBe('حسینی');
  });
});
