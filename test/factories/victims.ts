import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SEED } from '../../seed/seed.js';
import { AttestationEntity } from '../../src/attestations/attestation.entity.js';
import { refreshConfidence } from '../../src/attestations/confidence.repository.js';
import { nameSearchText } from '../../src/victims/name-search.js';
import { VictimEntity } from '../../src/victims/victim.entity.js';

type Body = Record<string, unknown>;

/** A valid POST /api/victims body attested by `sourceId`; override what the test cares about. */
export function buildVictim(sourceId: string, overrides: Body = {}): Body {
  return {
    nameFa: `قربانی ${randomUUID().slice(0, 6)}`,
    harm: 'killed',
    attestations: [{ sourceId, credibility: 2, locator: 'row 1' }],
    ...overrides,
  };
}

/**
 * Rows of ../shared/data/aban1398-victims.csv (Persian Wikipedia list and the Boroumand
 * Center's memorial), as POST /api/victims bodies without their attestations. Names, ages,
 * places and dates as published; `date` is the Jalali date where the row has one. Rows the
 * lists give no day for carry the event window or month the list files them under, marked
 * `windowOnly`.
 */
export const ABAN_1398 = {
  mehranTak: {
    nameEn: 'Mehran Tak',
    nameFa: 'مهران تاک',
    age: 31,
    gender: 'male',
    harm: 'killed',
    location: 'Marivan',
    placeOriginal: 'مریوان',
    date: '1398/08/25',
    dateCalendar: 'jalali',
  },
  /** The Boroumand record the CSV flags as a probable duplicate of مهران تاک. */
  mehranTakBoroumand: {
    nameFa: 'مهران تک',
    nameEn: 'Mehran Tak',
    gender: 'male',
    harm: 'killed',
    location: 'مريوان',
    date: '۲۵ آبان ۱۳۹۸',
  },
  /** "Isfahan" names a city and a province: the place is left to the test. */
  mehranAlipour: { nameFa: 'مهران علی پور', harm: 'killed', placeOriginal: 'اصفهان' },
  mohammadKhaledi: {
    nameEn: 'Mohammad Khaledi',
    nameFa: 'محمد خالدی',
    gender: 'male',
    harm: 'killed',
    location: 'Bandar-e Mahshahr',
    placeOriginal: 'ماهشهر',
    date: '2019-11-18',
    cause: 'gunshot_head',
    perpetrator: 'security_forces',
  },
  adnanHalali: {
    nameEn: 'Adnan Halali',
    nameFa: 'عدنان حلالی',
    gender: 'male',
    harm: 'killed',
    location: 'Mahshahr',
    date: '1398-08-27 SH',
    perpetrator: 'irgc',
  },
  ehsanSadeghi: {
    nameFa: 'احسان صادقی',
    harm: 'killed',
    location: 'ماهشهر',
    date: '۲۴ تا ۲۸ آبان ۱۳۹۸',
    windowOnly: true,
  },
  hamidSheikhani: {
    nameFa: 'حمید شیخانی',
    harm: 'killed',
    location: 'کوره',
    placeOriginal: 'شهرک کوره (طالقانی) ۲۶ آبان بازداشت و ۲ آذر جنازه اش تحویل خانواده اش داده شد.',
  },
  hamidSheikhi: {
    nameFa: 'حمید شیخی',
    harm: 'killed',
    location: 'Mahshahr',
    placeOriginal: 'ماهشهر',
  },
  mehdiPapi: {
    nameEn: 'Mehdi Papi',
    nameFa: 'مهدی پاپی',
    age: 31,
    gender: 'male',
    harm: 'killed',
    location: 'Fardis',
    placeOriginal: 'فردیس کرج',
    date: '۱۳۹۸/۰۸/۲۶',
    dateCalendar: 'jalali',
  },
  pedramJafari: {
    nameEn: 'Pedram Jafari Komijani',
    nameFa: 'پدرام جعفری کمیجانی',
    age: 18,
    gender: 'male',
    harm: 'killed',
    location: 'فردیس',
    date: '2019-11-16',
  },
  azadehZarbi: {
    nameFa: 'آزاده ضربی',
    harm: 'killed',
    location: 'Fardis',
    date: 'November 2019',
    windowOnly: true,
  },
  nematHosseini: {
    nameEn: "Ne'mat Hosseini",
    nameFa: 'نعمت حسینی',
    harm: 'killed',
    /** "Kermanshah (province only)": the province's id is left to the test, the name is ambiguous. */
    placeOriginal: 'Kermanshah Province',
    date: '2019-11-16',
  },
  mohammadDastankhah: {
    nameEn: 'Mohammad Dastankhah',
    nameFa: 'محمد داستان خواه',
    age: 15,
    gender: 'male',
    harm: 'killed',
    location: 'Sadra',
    placeOriginal: 'شهرک صدرای شیراز',
    date: '2019-11-16',
  },
} as const;

export type AbanRow = keyof typeof ABAN_1398;

/** A fixture row as a create body attested by `sourceId`. */
export function abanVictim(row: AbanRow, sourceId: string, overrides: Body = {}): Body {
  const { windowOnly: _w, ...fields } = ABAN_1398[row] as Body;
  return {
    ...fields,
    attestations: [{ sourceId, credibility: 2, locator: 'aban1398-victims.csv' }],
    ...overrides,
  };
}

/**
 * Inserts a victim straight into the database with one attestation (by the seeded Amnesty
 * source unless given) and its derived confidence: for tests that need many rows fast.
 */
export async function createVictim(
  ds: DataSource,
  overrides: Partial<VictimEntity> = {},
  attestation: Partial<AttestationEntity> = {},
): Promise<VictimEntity> {
  const repo = ds.getRepository(VictimEntity);
  const v = repo.create({
    nameEn: `Test victim ${randomUUID().slice(0, 8)}`,
    harm: 'killed',
    locationId: SEED.iran,
    ...overrides,
  });
  v.nameSearch = nameSearchText([v.nameEn, v.nameFa, ...(v.nameVariants ?? [])]);
  const saved = await repo.save(v);
  await ds.getRepository(AttestationEntity).save(
    ds.getRepository(AttestationEntity).create({
      sourceId: SEED.sources.amnesty,
      credibility: 2,
      victimId: saved.id,
      ...attestation,
    }),
  );
  await refreshConfidence(ds.manager, [saved.id]);
  return repo.findOneByOrFail({ id: saved.id });
}
