import { Readable } from 'node:stream';
import type { Dataset, GenVictim } from './generate.js';

/**
 * The columns of the victims file the benchmark imports: the project's own import format
 * (src/imports/victim-rows.ts), attestations as JSON with a source id, grade and locator each.
 */
const COLUMNS = [
  'import_key',
  'name_fa',
  'name_en',
  'name_variants',
  'gender',
  'age',
  'age_min',
  'age_max',
  'harm',
  'date',
  'city',
  'province',
  'location_id',
  'place_precision',
  'place_original',
  'cause',
  'perpetrator',
  'armed',
  'incident_id',
  'status',
  'attestations',
] as const;

function cell(v: string | number | boolean | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * One victim as a row of a researcher's file. `pinned`: the place by gazetteer id (as our own
 * export writes it), so the loaded data is exactly the generated data; otherwise as free text
 * (city, province) for the import to resolve through the gazetteer, as a list would give it.
 */
export function importRow(v: GenVictim, data: Dataset, pinned: boolean): string {
  const place = v.place;
  const provinceOnly = place.kind === 'province';
  const values: Record<(typeof COLUMNS)[number], string | number | boolean | null> = {
    import_key: v.importKey,
    name_fa: v.nameFa,
    name_en: v.nameEn,
    name_variants: v.nameVariants.length ? v.nameVariants.join(' ; ') : null,
    gender: v.gender,
    age: v.age,
    age_min: v.ageMin,
    age_max: v.ageMax,
    harm: v.harm,
    date: v.date?.original ?? null,
    city: pinned || provinceOnly ? null : v.placeText,
    province: pinned ? null : provinceOnly ? v.placeText : v.provinceText,
    location_id: pinned ? place.id : null,
    place_precision: pinned ? (provinceOnly ? 'parent' : 'exact') : null,
    place_original: pinned ? v.placeText : null,
    cause: v.cause,
    perpetrator: v.perpetrator,
    armed: v.armed,
    incident_id: v.incident === null ? null : data.incidents[v.incident].id,
    status: v.status,
    attestations: JSON.stringify(
      v.attestations.map((a) => ({
        source_id: data.sources[a.source].id,
        credibility: a.credibility,
        locator: a.locator,
      })),
    ),
  };
  return COLUMNS.map((c) => cell(values[c])).join(',') + '\n';
}

/** Victims [from, to) as a CSV file, streamed in chunks: never the whole file in memory. */
export function importCsv(data: Dataset, from: number, to: number, pinned: boolean): Readable {
  function* lines(): Generator<string> {
    yield COLUMNS.join(',') + '\n';
    let buf = '';
    for (let i = from; i < to; i++) {
      buf += importRow(data.victims.at(i), data, pinned);
      if (buf.length > 128 * 1024) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  }
  return Readable.from(lines(), { objectMode: false });
}

/** The whole file as one string (an HTTP body). */
export function importCsvText(data: Dataset, from: number, to: number, pinned: boolean): string {
  let out = COLUMNS.join(',') + '\n';
  for (let i = from; i < to; i++) out += importRow(data.victims.at(i), data, pinned);
  return out;
}
