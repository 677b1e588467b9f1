import type { Rng } from './prng.js';
import { Weighted, zipf } from './prng.js';

/**
 * Persian given names and surnames, most common first, each with the Latin transliterations
 * lists actually use and the Persian spellings that differ in more than letter forms
 * (اسماعیل / اسمعیل, رحمان / رحمن, تک / تاک). Format: `fa|faVariant…;Latin,LatinVariant…`.
 * A ZWNJ (U+200C) inside a name marks where writers join, split or space it.
 */
const MALE = [
  'محمد;Mohammad,Mohamad,Muhammad,Mohammed',
  'علی;Ali',
  'حسین;Hossein,Hosein,Hussein,Hosseyn',
  'رضا;Reza',
  'مهدی;Mehdi,Mahdi',
  'محمد‌رضا;Mohammadreza,Mohammad Reza,Mohamadreza',
  'امیر;Amir',
  'حسن;Hassan,Hasan',
  'امیر‌حسین;Amirhossein,Amir Hossein,Amirhosein',
  'ابوالفضل;Abolfazl,Abolfazel,Abulfazl',
  'علیرضا;Alireza,Ali Reza',
  'عباس;Abbas,Abas',
  'سعید;Saeed,Said,Saeid',
  'مجید;Majid,Madjid',
  'حمید;Hamid',
  'جواد;Javad,Jawad',
  'محسن;Mohsen',
  'مصطفی;Mostafa,Mustafa,Moustafa',
  'مرتضی;Morteza,Murtaza',
  'احمد;Ahmad,Ahmed',
  'ابراهیم;Ebrahim,Ibrahim,Ebraheem',
  'اسماعیل|اسمعیل;Esmaeil,Esmail,Ismail',
  'یوسف;Yousef,Yusef,Yousof',
  'یعقوب;Yaghoub,Yaqub,Yaghoob',
  'عبدالله;Abdollah,Abdullah,Abdolah',
  'پویا;Pouya,Puya,Pooya',
  'پژمان;Pejman,Pezhman',
  'بهنام;Behnam',
  'بهروز;Behrouz,Behruz,Behrooz',
  'فرهاد;Farhad',
  'فرزاد;Farzad',
  'کاوه;Kaveh,Kave',
  'کیوان;Keyvan,Kayvan,Kivan',
  'آرش;Arash',
  'آرمان;Arman',
  'آرین;Arian,Aryan',
  'نوید;Navid',
  'وحید;Vahid,Wahid',
  'مهرداد;Mehrdad',
  'میلاد;Milad',
  'سجاد;Sajjad,Sajad',
  'سینا;Sina',
  'سامان;Saman',
  'پیمان;Peyman,Payman',
  'جمال;Jamal',
  'کمال;Kamal',
  'کریم;Karim',
  'رحیم;Rahim',
  'رحمان|رحمن;Rahman',
  'عبدالرحمان|عبدالرحمن;Abdolrahman,Abdulrahman,Abdorrahman',
  'یاسین;Yasin,Yaseen',
  'طاها|طه;Taha',
  'قاسم;Ghasem,Qasem,Ghassem',
  'صادق;Sadegh,Sadeq',
  'باقر;Bagher,Baqer',
  'جعفر;Jafar,Jaafar',
  'کاظم;Kazem,Kazim',
  'هادی;Hadi',
  'حامد;Hamed',
  'مسعود;Masoud,Masood,Massoud',
  'منصور;Mansour,Mansur,Mansoor',
  'ناصر;Naser,Nasser',
  'نادر;Nader',
  'بهمن;Bahman',
  'بیژن;Bijan,Bizhan',
  'داریوش;Dariush,Daryoush,Darius',
  'شاهین;Shahin,Shaheen',
  'شهرام;Shahram',
  'رامین;Ramin',
  'مازیار;Maziar,Mazyar',
  'سیاوش;Siavash,Siyavash,Siavosh',
  'فرشید;Farshid',
  'فریدون;Fereydoun,Fereidoon,Fereydun',
  'جلال;Jalal',
  'هوشنگ;Houshang,Hushang,Hooshang',
  'حیدر;Heydar,Haidar,Heidar',
  'ایمان;Iman',
  'امید;Omid',
  'عرفان;Erfan',
  'مهران;Mehran',
  'محمد‌حسین;Mohammadhossein,Mohammad Hossein',
  'محمد‌علی;Mohammadali,Mohammad Ali',
  'غلام‌رضا;Gholamreza,Gholam Reza,Qolamreza',
  'حمید‌رضا;Hamidreza,Hamid Reza',
  'محمد‌جواد;Mohammadjavad,Mohammad Javad',
  'محمد‌مهدی;Mohammadmahdi,Mohammad Mehdi',
  'اصغر;Asghar',
  'نعمت;Nemat,Neamat',
  'شهاب;Shahab',
  'ماهان;Mahan',
  'دانیال;Danial,Daniyal,Daniel',
  'بنیامین;Benyamin,Benjamin',
  'آیدین;Aydin',
  'ژیار;Zhiar,Jiar',
  'هیوا;Hiva',
  'آزاد;Azad',
  'بختیار;Bakhtiar,Bakhtiyar',
  'شورش;Shouresh,Shoresh',
  'کیومرث;Kiumars,Kiomars,Kioumars',
  'فرامرز;Faramarz',
  'ابوذر;Abuzar,Abouzar,Abozar',
  'مجتبی;Mojtaba',
  'نیما;Nima',
  'پارسا;Parsa',
  'ارشیا;Arshia,Arshiya',
  'سهیل;Soheil,Sohail',
  'روح‌الله;Rouhollah,Ruhollah,Rohollah',
  'نصرالله;Nasrollah',
  'عزیز;Aziz',
  'صالح;Saleh',
  'عادل;Adel',
  'خالد;Khaled,Khalid',
  'فواد;Foad,Fuad',
  'ولی;Vali,Wali',
];

const FEMALE = [
  'فاطمه;Fatemeh,Fatima,Fateme',
  'زهرا;Zahra',
  'مریم;Maryam,Mariam',
  'زینب;Zeynab,Zainab,Zeinab',
  'معصومه;Masoumeh,Masoume,Masumeh',
  'نرگس;Narges',
  'سمیرا;Samira',
  'آزاده;Azadeh,Azade',
  'نسرین;Nasrin',
  'شیرین;Shirin',
  'لیلا;Leila,Leyla,Layla',
  'مینا;Mina',
  'سارا;Sara,Sarah',
  'نگین;Negin',
  'الهام;Elham',
  'ندا;Neda',
  'پریسا;Parisa',
  'مهسا;Mahsa',
  'نیلوفر;Niloufar,Niloofar,Nilufar',
  'فرشته;Fereshteh,Fereshte',
  'سکینه;Sakineh,Sakine',
  'طاهره;Tahereh,Tahere',
  'رقیه;Roghayeh,Roqayeh,Roghieh',
  'صدیقه;Sedigheh,Sediqeh',
  'اعظم;Azam',
  'شهلا;Shahla',
  'پروین;Parvin',
  'منیژه;Manijeh,Manizheh',
  'هانیه;Hanieh,Haniyeh',
  'کوثر;Kowsar,Kosar,Kausar',
  'نازنین;Nazanin',
  'ریحانه;Reyhaneh,Reihaneh,Raihaneh',
  'محبوبه;Mahboubeh,Mahboobeh',
  'آمنه;Ameneh,Amene',
  'خدیجه;Khadijeh,Khadije',
  'بهاره;Bahareh,Bahare',
  'هستی;Hasti',
  'یاسمن;Yasaman,Yasamin',
  'ستاره;Setareh',
  'مهناز;Mahnaz',
  'گلناز;Golnaz',
  'شبنم;Shabnam',
  'ژیلا;Zhila,Jila',
  'ترانه;Taraneh',
];

const SURNAMES = [
  'محمدی;Mohammadi,Mohamadi',
  'حسینی;Hosseini,Hoseyni,Husseini,Hosseyni',
  'احمدی;Ahmadi',
  'رضایی|رضائی;Rezaei,Rezaee,Rezayi',
  'موسوی;Mousavi,Musavi,Moosavi',
  'کریمی;Karimi',
  'جعفری;Jafari,Jaafari',
  'رحیمی;Rahimi',
  'قاسمی;Ghasemi,Qasemi',
  'صادقی;Sadeghi,Sadeqi',
  'کاظمی;Kazemi',
  'هاشمی;Hashemi',
  'عباسی;Abbasi,Abasi',
  'نوری;Nouri,Nuri,Noori',
  'ابراهیمی;Ebrahimi,Ibrahimi',
  'اسماعیلی|اسمعیلی;Esmaeili,Esmaili,Ismaili',
  'امیری;Amiri',
  'حیدری;Heydari,Haidari',
  'یوسفی;Yousefi,Yusefi',
  'زارعی|زارئی;Zarei,Zareie',
  'مرادی;Moradi',
  'سلیمانی;Soleimani,Soleymani,Sulaimani',
  'نجفی;Najafi',
  'طاهری;Taheri',
  'اکبری;Akbari',
  'قربانی;Ghorbani,Qorbani',
  'شریفی;Sharifi',
  'فرجی;Faraji',
  'بهرامی;Bahrami',
  'خسروی;Khosravi',
  'رستمی;Rostami',
  'کرمی;Karami',
  'نظری;Nazari',
  'جمشیدی;Jamshidi',
  'عزیزی;Azizi',
  'سلطانی;Soltani',
  'فتحی;Fathi',
  'منصوری;Mansouri,Mansuri',
  'میرزایی|میرزائی;Mirzaei,Mirzaee',
  'ملکی;Maleki',
  'نصیری;Nasiri',
  'باقری;Bagheri,Baqeri',
  'زمانی;Zamani',
  'شجاعی;Shojaei,Shojaee',
  'کامرانی;Kamrani',
  'افشار;Afshar',
  'پور‌محمدی;Pourmohammadi,Pour-Mohammadi,Purmohammadi',
  'علی‌زاده;Alizadeh,Ali-Zadeh',
  'حسن‌زاده;Hassanzadeh,Hasanzadeh',
  'قلی‌زاده;Gholizadeh,Qolizadeh',
  'تک|تاک;Tak,Taak',
  'چراغی;Cheraghi,Cheraqi',
  'دهقان;Dehghan,Dehqan',
  'دهقانی;Dehghani',
  'بختیاری;Bakhtiari,Bakhtiyari',
  'کردی;Kordi,Kurdi',
  'عرب;Arab',
  'عربی;Arabi',
  'چعب;Chaab,Chaeb',
  'ساعدی;Saedi,Saaedi',
  'نیسی;Neysi,Neisi',
  'عساکره;Asakereh',
  'سواری;Savari,Sawari',
  'حزبه;Hazbeh',
  'عبیات;Obeyat,Obayat',
  'چنانی;Chenani',
  'زرگانی;Zargani,Zarqani',
  'کعبی;Kaabi,Kabi',
  'باوی;Bavi,Bawi',
  'طرفی;Torfi,Tarafi',
  'کیانی;Kiani,Kiyani',
  'پناهی;Panahi',
  'فراهانی;Farahani',
  'تهرانی;Tehrani',
  'شیرازی;Shirazi',
  'اصفهانی;Esfahani,Isfahani',
  'کرمانشاهی;Kermanshahi',
  'رشیدی;Rashidi',
  'سعیدی;Saeedi,Saidi',
  'مختاری;Mokhtari',
  'جلالی;Jalali',
  'بهمنی;Bahmani',
  'ولی‌پور;Valipour,Valipur',
  'رحمانی;Rahmani',
  'نادری;Naderi',
  'یزدانی;Yazdani',
  'محمودی;Mahmoudi,Mahmudi',
  'مهدوی;Mahdavi',
  'شکری;Shokri',
  'قنبری;Ghanbari,Qanbari',
  'امینی;Amini',
  'رنجبر;Ranjbar',
  'صفری;Safari',
  'کمالی;Kamali',
  'جهانی;Jahani',
  'فرهادی;Farhadi',
  'پاکزاد;Pakzad',
  'خانی;Khani',
  'ویسی;Veisi,Weysi,Veysi',
  'مراد‌پور;Moradpour,Moradpur',
  'عزیز‌پور;Azizpour',
  'مولایی;Molaei,Mowlaei',
  'آزادی;Azadi',
  'کاکایی;Kakaei,Kakayi',
  'سهرابی;Sohrabi',
  'حسن‌پور;Hassanpour,Hasanpour',
  'محمد‌پور;Mohammadpour',
  'قادری;Ghaderi,Qaderi',
  'فاضلی;Fazeli',
  'یاری;Yari',
  'نیک‌نام;Niknam',
  'شاه‌حسینی;Shahhosseini,Shah-Hosseini',
  'گودرزی;Goudarzi,Gudarzi',
  'طالبی;Talebi',
  'صالحی;Salehi',
  'اسدی;Asadi',
  'شفیعی;Shafiei,Shafiee',
  'همتی;Hemmati,Hemati',
  'بیات;Bayat',
  'جوادی;Javadi',
  'کریم‌پور;Karimpour',
  'شهبازی;Shahbazi',
  'عسگری|عسکری;Asgari,Askari',
];

export interface NamePart {
  /** The usual Persian spelling (with a ZWNJ where writers may join or split). */
  fa: string;
  /** Other Persian spellings in use (not mere letter-form or ZWNJ differences). */
  faVariants: string[];
  /** The usual Latin transliteration, then the other ones in use. */
  en: string;
  enVariants: string[];
}

function parse(line: string): NamePart {
  const [fa, en] = line.split(';');
  const [faMain, ...faVariants] = fa.split('|');
  const [enMain, ...enVariants] = en.split(',');
  return { fa: faMain, faVariants, en: enMain, enVariants };
}

export const MALE_NAMES: readonly NamePart[] = MALE.map(parse);
export const FEMALE_NAMES: readonly NamePart[] = FEMALE.map(parse);
export const SURNAME_LIST: readonly NamePart[] = SURNAMES.map(parse);

const ZWNJ = '\u200c';

/** The Persian letter forms Arabic keyboards produce: ي for ی, ك for ک. */
export function arabicLetters(s: string): string {
  return s.replace(/ی/g, 'ي').replace(/ک/g, 'ك');
}

/** How a writer renders a name part in Persian: usual or variant spelling, joined/split/ZWNJ. */
export function persianSpelling(p: NamePart, rng: Rng, variantRate: number): string {
  let s = p.faVariants.length && rng.chance(variantRate) ? rng.pick(p.faVariants) : p.fa;
  if (s.includes(ZWNJ)) {
    const r = rng.next();
    s = r < 0.5 ? s : r < 0.8 ? s.replaceAll(ZWNJ, '') : s.replaceAll(ZWNJ, ' ');
  }
  return s;
}

export function latinSpelling(p: NamePart, rng: Rng, variantRate: number): string {
  return p.enVariants.length && rng.chance(variantRate) ? rng.pick(p.enVariants) : p.en;
}

export interface PersonName {
  given: NamePart;
  surname: NamePart;
}

/** Zipf-weighted draws: a few names (محمد, حسینی) are very common, most are rare. */
export class NameSampler {
  private readonly male = new Weighted(MALE_NAMES, zipf(MALE_NAMES.length, 0.9));
  private readonly female = new Weighted(FEMALE_NAMES, zipf(FEMALE_NAMES.length, 0.9));
  private readonly surname = new Weighted(SURNAME_LIST, zipf(SURNAME_LIST.length, 0.7));

  draw(rng: Rng, gender: 'male' | 'female'): PersonName {
    return {
      given: (gender === 'female' ? this.female : this.male).sample(rng),
      surname: this.surname.sample(rng),
    };
  }
}
