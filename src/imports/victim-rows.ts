import { createHash } from 'node:crypto';
import {
  AGE_BANDS,
  CAUSES,
  HARMS,
  PERPETRATORS,
  PLACE_PRECISIONS,
  RELIABILITIES,
  SOURCE_KINDS,
  WORKFLOW_STATUSES,
} from '../common/domain.js';
import { nameSearchText } from '../victims/name-search.js';
import type { Calendar } from '../common/dates.js';
import { normalizeDigits } from '../common/persian.js';
import { GENDER_WORDS, isUnknownMarker, mapCause, mapPerpetrator, statedAge } from './lenient.js';
import type { PlaceMatcher, PlaceOutcome } from './place-matcher.js';
import type { VictimFields } from '../victims/victims-bulk.repository.js';
import {
  keyText,
  parsedDate,
  RowFields,
  URL_RE,
  UUID_RE,
  type DateFields,
  type FieldIssue,
} from './row-fields.js';

/** The columns of the shared community lists (seed/data/aban1398-victims.csv). */
export const SHARED_VICTIM_COLUMNS = [
  'name_en',
  'name_fa',
  'age',
  'age_conflict',
  'gender',
  'city',
  'province',
  'date_of_death',
  'source_url',
  'city_source_verbatim',
  'province_source_verbatim',
  'place_in_boroumand',
  'date_of_death_jalali',
  'date_basis',
  'datasets',
  'dataset_a_source_tags',
  'notes',
] as const;

/** The columns our own victims export writes and this import reads back. */
export const OWN_VICTIM_COLUMNS = [
  'id',
  'external_id',
  'import_key',
  'name_variants',
  'age_min',
  'age_max',
  'age_band',
  'occupation',
  'father_name',
  'harm',
  'cause',
  'perpetrator',
  'armed',
  'date',
  'date_from',
  'date_to',
  'date_precision',
  'date_calendar',
  'date_original',
  'location',
  'location_id',
  'place_precision',
  'place_original',
  'incident_id',
  'status',
  'witness_names',
  'family_contact',
  'internal_notes',
  'source_ids',
  'credibility',
  'attestations',
] as const;

/** Derived columns of our exports: accepted and ignored on import (they are recomputed). */
export const DERIVED_VICTIM_COLUMNS = [
  'date_label',
  'date_jalali',
  'date_jalali_fa',
  'location_name',
  'location_name_fa',
  'location_path',
  'lat',
  'lon',
  'coordinates_from',
  'confidence',
  'version',
  'created_at',
  'updated_at',
] as const;

/**
 * Other names lists give the columns (after columnKey: lower case, spaces as _), read as the
 * column they name. `date_jalali` and `sources`, which an export of ours derives too, are read
 * as the list's Solar Hijri date and its source URLs: a stored date (date_from/date_to) still
 * wins over the first, and our exports carry source_url, not `sources`.
 */
export const VICTIM_COLUMN_ALIASES: Readonly<Record<string, string>> = {
  date_jalali: 'date_of_death_jalali',
  jalali_date: 'date_of_death_jalali',
  date_fa: 'date_of_death_jalali',
  date_shamsi: 'date_of_death_jalali',
  date_solar_hijri: 'date_of_death_jalali',
  date_of_death_fa: 'date_of_death_jalali',
  date_gregorian: 'date_of_death',
  gregorian_date: 'date_of_death',
  death_date: 'date_of_death',
  date_of_death_gregorian: 'date_of_death',
  sources: 'source_url',
  source: 'source_url',
  record_id: 'external_id',
  person_id: 'external_id',
  victim_id: 'external_id',
  source_urls: 'source_url',
  urls: 'source_url',
  url: 'source_url',
  links: 'source_url',
  link: 'source_url',
  city_fa: 'city_source_verbatim',
  city_persian: 'city_source_verbatim',
  place_fa: 'city_source_verbatim',
  province_fa: 'province_source_verbatim',
  province_persian: 'province_source_verbatim',
  name_persian: 'name_fa',
  persian_name: 'name_fa',
  full_name_fa: 'name_fa',
  name_english: 'name_en',
  english_name: 'name_en',
  full_name_en: 'name_en',
  city_en: 'city',
  place: 'city',
  province_en: 'province',
  sex: 'gender',
  cause_of_death: 'cause',
  perpetrators: 'perpetrator',
  note: 'notes',
  comments: 'notes',
  description: 'notes',
  نام: 'name_fa',
  سن: 'age',
  نام_پدر: 'father_name',
  father: 'father_name',
  fathers_name: 'father_name',
  "father's_name": 'father_name',
  father_s_name: 'father_name',
  name_father: 'father_name',
  patronymic: 'father_name',
  جنسیت: 'gender',
  شهر: 'city_source_verbatim',
  استان: 'province_source_verbatim',
  تاریخ: 'date_of_death_jalali',
  منبع: 'source_url',
  منابع: 'source_url',
  علت: 'cause',
  توضیحات: 'notes',
};

export const VICTIM_COLUMNS: ReadonlySet<string> = new Set([
  ...SHARED_VICTIM_COLUMNS,
  ...OWN_VICTIM_COLUMNS,
  ...DERIVED_VICTIM_COLUMNS,
]);

/** Source details carried by our own export, so that a fresh database gets the same sources. */
export interface SourceDraft {
  id: string | null;
  kind: string;
  title: string;
  publisher: string | null;
  author: string | null;
  url: string | null;
  archivedUrl: string | null;
  language: string | null;
  reliability: string;
  interestNote: string | null;
  restricted: boolean;
  publishedFrom: string | null;
  publishedTo: string | null;
  publishedPrecision: string | null;
  publishedOriginal: string | null;
}

export interface AttestationDraft {
  sourceId: string | null;
  url: string | null;
  source: SourceDraft | null;
  credibility: number;
  locator: string | null;
  excerpt: string | null;
  assertedFields: string[];
  primaryEvidence: boolean;
}

export interface VictimDraft extends Omit<
  VictimFields,
  'dateFrom' | 'dateTo' | 'datePrecision' | 'dateCalendar' | 'dateOriginal'
> {
  id: string | null;
  /** The list's own id of the person ("jvn_0412"): external_id, or an `id` that is no UUID. */
  externalId: string | null;
  date: DateFields | null;
  placeOutcome: PlaceOutcome;
  placeText: string;
  /** An approximate place: the gazetteer name the text was taken for. */
  placeSuggestion?: string;
  incidentId: string | null;
  status: string;
  attestations: AttestationDraft[];
}

export interface VictimRowOptions {
  /** Harm of rows without a harm column (the shared lists are lists of the dead). */
  harm: string;
  /** Workflow status of rows without one. */
  status: string;
  /** Incident of rows without an incident_id. */
  incidentId: string | null;
  /** Credibility (1–6) of attestations without one: 6, cannot be judged, for community lists. */
  credibility: number;
  /**
   * Refuse a row for any field that cannot be read (the behaviour before 3 December). Without
   * it a row is refused only when no record can be made of it (no source, no name, no harm, a
   * broken row); an unreadable optional field is left empty, its text kept, with a warning.
   */
  strict?: boolean;
  /** The year of dates written without one ("۱۲ آبان"): Solar Hijri below 1700, else Gregorian. */
  defaultYear?: number | null;
}

export type VictimRowResult =
  { ok: true; draft: VictimDraft; warnings: FieldIssue[] } | { ok: false; issues: FieldIssue[] };

const STRICT_GENDER_WORDS = new Set(['male', 'female', 'other', 'مرد', 'زن']);

/** Fields whose problems can never be set aside: without them there is no record. */
const SOURCE_FIELDS = /^(source_url|source_ids|attestations)/;
const KEPT_AS_WRITTEN = new Set([
  'external_id',
  'name_fa',
  'name_en',
  'name_variants',
  'source_url',
  'source_ids',
  'attestations',
  'id',
  'import_key',
]);

function fatal(i: FieldIssue, hasSource: boolean): boolean {
  return (
    i.field === 'row' ||
    i.field === 'harm' ||
    i.rule === 'the row has no name' ||
    i.rule === 'the row has no source' ||
    (SOURCE_FIELDS.test(i.field) && !hasSource)
  );
}

// The bounds of each band, read from its name once rather than for every row.
const BAND_BOUNDS = AGE_BANDS.map((b) => {
  const [lo, hi] = b.endsWith('+') ? [Number(b.slice(0, -1)), Infinity] : b.split('-').map(Number);
  return { band: b, lo, hi };
});

function bandOf(a: number): string {
  for (const { band, lo, hi } of BAND_BOUNDS) if (a >= lo && a <= hi) return band;
  return AGE_BANDS[AGE_BANDS.length - 1];
}

/** Age band of an age, or of an age range lying within one band. */
export function ageBandOf(min: number | null, max: number | null): string | null {
  if (min === null || max === null) return null;
  const a = bandOf(min);
  return a === bandOf(max) ? a : null;
}

function readSource(f: RowFields, field: string, v: unknown): SourceDraft | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'object' || Array.isArray(v)) {
    f.problem(field, `${field} must be an object`);
    return null;
  }
  const s = new RowFields(v as Record<string, unknown>);
  const kind = s.oneOf('kind', SOURCE_KINDS) ?? 'dataset';
  const title = s.text('title', 1000);
  const url = s.text('url', 2000);
  if (url !== null && !URL_RE.test(url)) s.problem('url', 'url is not an http(s) URL');
  const published = s.storedDate('published');
  const src: SourceDraft = {
    id: s.uuid('id'),
    kind,
    title: title ?? url ?? '',
    publisher: s.text('publisher', 500),
    author: s.text('author', 500),
    url,
    archivedUrl: s.text('archived_url', 2000),
    language: s.text('language', 20),
    reliability: (s.text('reliability', 1) ?? 'F').toUpperCase(),
    interestNote: s.text('interest_note', 2000),
    restricted: s.bool('restricted') ?? false,
    publishedFrom: published?.from ?? null,
    publishedTo: published?.to ?? null,
    publishedPrecision: published?.precision ?? null,
    publishedOriginal: published?.original ?? null,
  };
  if (!(RELIABILITIES as readonly string[]).includes(src.reliability))
    s.problem('reliability', 'reliability must be A–F');
  if (!src.title) s.problem('title', 'a source needs a title or a URL');
  for (const i of s.issues) f.problem(`${field}.${i.field}`, i.rule, i.reason);
  return s.issues.length ? null : src;
}

function readAttestations(
  f: RowFields,
  credibility: number,
  asserted: string[],
): AttestationDraft[] {
  const out: AttestationDraft[] = [];
  const seen = new Set<string>();
  const add = (a: AttestationDraft): void => {
    const key = a.sourceId ?? a.url ?? a.source?.url ?? '';
    if (key && seen.has(key)) return;
    if (key) seen.add(key);
    out.push(a);
  };
  const base = {
    credibility,
    locator: null,
    excerpt: null,
    assertedFields: asserted,
    primaryEvidence: false,
    source: null,
  };

  const structured = f.json('attestations');
  if (structured !== null) {
    if (!Array.isArray(structured)) f.problem('attestations', 'attestations must be a list');
    else {
      structured.forEach((item: unknown, i) => {
        const field = `attestations[${i}]`;
        if (typeof item !== 'object' || item === null || Array.isArray(item)) {
          f.problem(field, 'an attestation must be an object');
          return;
        }
        const a = new RowFields(item as Record<string, unknown>);
        const sourceId = a.uuid('source_id');
        const source = readSource(a, 'source', (item as Record<string, unknown>).source);
        let url = a.text('source_url', 2000) ?? source?.url ?? null;
        if (url !== null) url = a.url('source_url', url);
        const cred = a.int('credibility', 1, 6);
        const fields = a.list('asserted_fields');
        const draft: AttestationDraft = {
          sourceId: sourceId ?? source?.id ?? null,
          url,
          source,
          credibility: cred ?? credibility,
          locator: a.text('locator', 2000),
          excerpt: a.text('excerpt'),
          assertedFields: fields.length ? fields : asserted,
          primaryEvidence: a.bool('primary_evidence') ?? false,
        };
        if (!draft.sourceId && !draft.url)
          a.problem('source_id', 'an attestation needs a source_id or a source_url');
        for (const issue of a.issues)
          f.problem(`${field}.${issue.field}`, issue.rule, issue.reason);
        if (!a.issues.length) add(draft);
      });
    }
  }
  for (const raw of f.list('source_ids')) {
    if (!UUID_RE.test(raw))
      f.problem('source_ids', 'source_ids holds a value that is not a UUID', `got "${raw}"`);
    else add({ ...base, sourceId: raw.toLowerCase(), url: null });
  }
  for (const raw of f.list('source_url')) {
    const url = f.url('source_url', raw);
    if (url) add({ ...base, sourceId: null, url });
  }
  return out;
}

function sharedNotes(f: RowFields): string | null {
  const parts: [string, string | null][] = [
    ['Datasets', f.text('datasets')],
    ['Source tags', f.text('dataset_a_source_tags')],
    ['Date basis', f.text('date_basis')],
    ['Place in Boroumand', f.text('place_in_boroumand')],
    ['Age conflict', f.text('age_conflict')],
    ['Notes', f.text('notes')],
  ];
  const text = parts
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return text || null;
}

/**
 * A stable key of what a row says (not where it is in the file), so re-importing a file adds
 * nothing. Everything the row asserts is in it, its sources and notes included: two unnamed
 * victims of one city, known from two different reports, are two people, not one. The
 * workflow status and the incident are left out: they are what the importer decides.
 */
export function victimKey(d: VictimDraft): string {
  const text = (v: string | null): string => (v === null ? '' : keyText(v));
  const parts = [
    d.harm,
    text(d.nameFa),
    text(d.nameEn),
    d.nameVariants.map(keyText).sort(),
    d.gender,
    d.age,
    d.ageMin,
    d.ageMax,
    text(d.occupation),
    d.date?.from ?? null,
    d.date?.to ?? null,
    // The place as written, not as resolved: a gazetteer that grows must not change the key.
    d.placeOriginal === null ? d.locationId : text(d.placeOriginal),
    d.cause,
    d.perpetrator,
    d.armed,
    d.attestations.map((a) => a.sourceId ?? a.url ?? '').sort(),
    text(d.internalNotes),
    text(d.witnessNames),
    text(d.familyContact),
    // Only when there is one, so that the keys of rows imported before it existed stay as they were.
    ...(d.fatherName ? [`father=${text(d.fatherName)}`] : []),
    // Only when there is some, so that the keys of rows imported before it existed stay as they were.
    ...(d.originalValues
      ? [
          Object.entries(d.originalValues)
            .map(([k, v]) => `${k}=${keyText(v)}`)
            .sort(),
        ]
      : []),
  ];
  return `victim:${createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 32)}`;
}

/**
 * One row of a victims file → a victim with its attestations, or every problem it has.
 * Nothing is guessed: gender only as given, an age only when it is a number, a place only
 * when the gazetteer knows it (otherwise its text is kept and the row imported unplaced).
 */
export function readVictimRow(
  values: Record<string, unknown>,
  places: PlaceMatcher,
  opt: VictimRowOptions,
): VictimRowResult {
  const strict = opt.strict ?? false;
  const original: Record<string, string> = {};
  const warnings: FieldIssue[] = [];
  const warn = (field: string, rule: string, reason: string, text?: string): void => {
    warnings.push({ field, rule, reason: `${rule}: ${reason}` });
    if (text !== undefined) original[field] = text;
  };
  let unknownCause = false;
  let unknownPerpetrator = false;
  if (!strict) {
    // "ن. م", "نامعلوم", "؟": unknown, read as no value rather than as an unreadable one.
    const cleaned: Record<string, unknown> = { ...values };
    for (const [k, v] of Object.entries(values)) {
      if (KEPT_AS_WRITTEN.has(k) || !isUnknownMarker(v)) continue;
      delete cleaned[k];
      if (k === 'cause') unknownCause = true;
      if (k === 'perpetrator') unknownPerpetrator = true;
    }
    const ageText = typeof cleaned.age === 'string' ? cleaned.age : null;
    const stated =
      ageText !== null && !/^\s*[\d۰-۹٠-٩]+\s*$/u.test(ageText) ? statedAge(ageText) : null;
    if (stated !== null) {
      cleaned.age = String(stated);
      original.age = ageText!;
    }
    values = cleaned;
  }
  const f = new RowFields(values);
  if (values.__fieldCount !== undefined) {
    f.problem(
      'row',
      'the row has the wrong number of fields',
      `${values.__fieldCount as number} fields, the header has ${values.__expectedFieldCount as number}`,
    );
    return { ok: false, issues: f.issues };
  }

  // A list's own ids ("jvn_0412") are kept as its external ids (strict: an id must be a UUID).
  const idText = f.has('id') ? String(values.id).trim() : null;
  const ownId = !strict && idText !== null && !UUID_RE.test(idText);
  const id = ownId ? null : f.uuid('id');
  const externalId = f.text('external_id', 200) ?? (ownId ? idText.slice(0, 200) : null);
  const nameFa = f.text('name_fa', 500);
  const nameEn = f.text('name_en', 500);
  const nameVariants = f.list('name_variants');
  if (!nameFa && !nameEn) {
    f.problem(
      'name_fa',
      'the row has no name',
      'give name_fa or name_en (an unnamed person is written ناشناس or Unknown)',
    );
  }

  const genderText = f.text('gender', 50);
  let gender: string | null = null;
  if (genderText !== null) {
    const word = genderText.toLowerCase();
    // --strict reads the words it always read; otherwise M/F, man/woman, مذکر/مونث … too.
    gender = !strict || STRICT_GENDER_WORDS.has(word) ? (GENDER_WORDS[word] ?? null) : null;
    if (!gender)
      f.problem(
        'gender',
        'gender is not male, female or other',
        `got "${genderText}" (gender is recorded only as given)`,
      );
  }

  let age = f.int('age', 0, 130);
  let ageMin = f.int('age_min', 0, 130);
  let ageMax = f.int('age_max', 0, 130);
  const conflict = f.text('age_conflict', 500);
  if (conflict !== null && ageMin === null && ageMax === null) {
    // "B (Boroumand) age 59 vs A age 50": two sources disagree, so the age is the range
    // spanning both, and the conflict itself is kept in the notes.
    const ages = [...conflict.matchAll(/\bage\s+(\d{1,3})\b/gi)]
      .map((m) => Number(m[1]))
      .filter((a) => a <= 130);
    if (ages.length >= 2) {
      const [lo, hi] = [Math.min(...ages), Math.max(...ages)];
      [age, ageMin, ageMax] = lo === hi ? [lo, null, null] : [null, lo, hi];
    }
  }
  if (age !== null && (ageMin !== null || ageMax !== null)) {
    f.problem('age', 'give either age or age_min/age_max, not both');
  }
  if (ageMin !== null && ageMax !== null && ageMin > ageMax) {
    f.problem('age_max', 'age_max is below age_min', `${ageMax} < ${ageMin}`);
  }
  if ((ageMin === null) !== (ageMax === null)) {
    f.problem(ageMin === null ? 'age_min' : 'age_max', 'age_min and age_max go together');
  }
  const derivedBand = age !== null ? ageBandOf(age, age) : ageBandOf(ageMin, ageMax);
  let ageBand = f.oneOf('age_band', AGE_BANDS);
  if (ageBand !== null && derivedBand !== null && ageBand !== derivedBand) {
    f.problem(
      'age_band',
      'age_band does not contain the age',
      `${ageBand} against age ${age ?? `${ageMin}–${ageMax}`}`,
    );
  }
  ageBand ??= derivedBand;

  const harm = f.oneOf('harm', HARMS) ?? opt.harm;
  // A vocabulary: the value when the text is one, else (unless strict) the value the published
  // text maps to, the text kept beside it; text that maps to nothing is reported, not refused.
  const vocabulary = (
    field: 'cause' | 'perpetrator',
    allowed: readonly string[],
    map: (t: string) => string | null,
    unknown: boolean,
  ): string | null => {
    if (unknown) return 'unknown';
    if (strict) return f.oneOf(field, allowed);
    const t = f.text(field, 2000);
    if (t === null) return null;
    if (allowed.includes(t.toLowerCase())) return t.toLowerCase();
    original[field] = t;
    const mapped = map(t);
    if (mapped === null)
      warn(
        field,
        `${field} text maps to no value of the vocabulary`,
        `"${t.length > 80 ? `${t.slice(0, 77)}…` : t}" kept verbatim; the field is left empty (values: ${allowed.join(', ')})`,
      );
    return mapped;
  };
  const cause = vocabulary('cause', CAUSES, mapCause, unknownCause);
  const perpetrator = vocabulary('perpetrator', PERPETRATORS, mapPerpetrator, unknownPerpetrator);
  const status = f.oneOf('status', WORKFLOW_STATUSES) ?? opt.status;
  const armed = f.bool('armed');
  const incidentId = f.uuid('incident_id') ?? opt.incidentId;

  // Dates: our stored form, a typed date, or the shared lists' Gregorian and Jalali columns.
  const readDate = (field: string, calendar?: Calendar): DateFields | null =>
    strict
      ? f.date(field, calendar)
      : lenientDate(f, field, calendar, opt.defaultYear ?? null, warn);
  let date = f.storedDate('date');
  if (!date && f.has('date')) {
    const cal = f.oneOf('date_calendar', ['gregorian', 'jalali']) ?? undefined;
    date = readDate('date', cal as 'gregorian' | 'jalali' | undefined);
  }
  if (!date) {
    const g = readDate('date_of_death', 'gregorian');
    const j = readDate('date_of_death_jalali', 'jalali');
    date = g ?? j;
    if (g && j && (g.from !== j.from || g.to !== j.to)) {
      // Calendars that agree at the coarser precision ("2022-09-21" and "شهریور ۱۴۰۱") say
      // the same thing, one more precisely: the narrower is taken.
      if (g.from! >= j.from! && g.to! <= j.to!) date = g;
      else if (j.from! >= g.from! && j.to! <= g.to!) date = j;
      else {
        const rule = 'date_of_death and date_of_death_jalali disagree';
        const reason = `${g.original} is ${g.from}–${g.to}, ${j.original} (Solar Hijri) is ${j.from}–${j.to}`;
        if (strict) f.problem('date_of_death_jalali', rule, reason);
        else {
          warn('date_of_death_jalali', rule, `${reason}; both kept verbatim, the date left empty`);
          original.date_of_death = g.original ?? '';
          original.date_of_death_jalali = j.original ?? '';
          date = null;
        }
      }
    }
  }

  // Place: a gazetteer id from our own export, or free text resolved through the gazetteer.
  let locationId: string | null = null;
  let placePrecision: string | null = f.oneOf('place_precision', PLACE_PRECISIONS);
  let placeOriginal = f.text('place_original', 2000);
  let placeOutcome: PlaceOutcome = 'unresolved';
  let placeText = '';
  let placeSuggestion: string | undefined;
  const locText = f.text('location', 500);
  const locId =
    f.uuid('location_id') ?? (locText && UUID_RE.test(locText) ? locText.toLowerCase() : null);
  if (locId) {
    const p = places.get(locId);
    if (!p)
      f.problem(
        f.has('location_id') ? 'location_id' : 'location',
        'an unknown location id',
        `no place in the gazetteer has id ${locId}`,
      );
    else {
      locationId = p.id;
      placePrecision ??= 'exact';
      placeOutcome =
        placePrecision === 'exact'
          ? 'exact'
          : placePrecision === 'approximate'
            ? 'approximate'
            : 'parent';
      placeText = placeOriginal ?? p.nameEn;
    }
  } else {
    const city = f.text('city', 500) ?? locText;
    const cityFa = f.text('city_source_verbatim', 500);
    const province = f.text('province', 200);
    const provinceFa = f.text('province_source_verbatim', 200);
    if (city || cityFa || province || provinceFa) {
      const m = places.resolve({
        city,
        cityVerbatim: cityFa,
        province,
        provinceVerbatim: provinceFa,
      });
      locationId = m.locationId;
      placePrecision = m.precision;
      placeOutcome = m.outcome;
      placeText = m.text;
      placeSuggestion = m.suggestion;
      if (!placeOriginal) {
        const shown = [city, cityFa && cityFa !== city ? cityFa : null].filter(Boolean).join(' / ');
        const prov = province ?? provinceFa;
        placeOriginal =
          [shown, prov && prov !== shown ? prov : null].filter(Boolean).join(', ') || null;
      }
    } else {
      placePrecision = null;
      placeText = placeOriginal ?? '(no place given)';
    }
  }

  const asserted = [
    nameFa || nameEn ? 'name' : null,
    age !== null || ageMin !== null ? 'age' : null,
    gender ? 'gender' : null,
    date ? 'date' : null,
    locationId || placeOriginal ? 'place' : null,
    'harm',
    cause ? 'cause' : null,
    perpetrator ? 'perpetrator' : null,
  ].filter((x): x is string => x !== null);
  const credibility = f.int('credibility', 1, 6) ?? opt.credibility;
  const attestations = readAttestations(f, credibility, asserted);
  if (
    !attestations.length &&
    !f.issues.some(
      (i) =>
        i.field.startsWith('attestations') || i.field === 'source_url' || i.field === 'source_ids',
    )
  ) {
    f.problem(
      'source_url',
      'the row has no source',
      'every record needs at least one source (source_url, source_ids or attestations)',
    );
  }

  const own = f.text('internal_notes');
  const shared = sharedNotes(f);
  const internalNotes = [own, shared].filter(Boolean).join('\n') || null;

  let issues = f.issues;
  if (!strict && issues.length) {
    const hasSource = attestations.length > 0;
    const kept: FieldIssue[] = [];
    for (const i of issues) {
      if (fatal(i, hasSource)) {
        kept.push(i);
        continue;
      }
      // Set aside: the field is left empty (each reader returned null), its text kept.
      const raw = values[i.field];
      warnings.push(i);
      if (typeof raw === 'string' || typeof raw === 'number') original[i.field] ??= String(raw);
      switch (i.field) {
        case 'age':
          age = null;
          break;
        case 'age_min':
        case 'age_max':
          ageMin = ageMax = null;
          break;
        case 'location':
        case 'location_id':
          locationId = null;
          break;
        default:
          if (i.field.startsWith('date')) date = null;
      }
    }
    if (kept.length) issues = [...kept, ...warnings.filter((w) => !kept.includes(w))];
    else issues = [];
    if (ageBand !== null && warnings.some((w) => w.field.startsWith('age')))
      ageBand =
        f.has('age_band') && !warnings.some((w) => w.field === 'age_band')
          ? ageBand
          : age !== null
            ? ageBandOf(age, age)
            : ageBandOf(ageMin, ageMax);
  }

  if (!locationId) placePrecision = null;
  const draft: VictimDraft = {
    id,
    externalId,
    importKey: f.text('import_key', 200),
    nameFa,
    nameEn,
    nameVariants,
    nameSearch: nameSearchText([nameEn, nameFa, ...nameVariants]),
    gender,
    age,
    ageMin,
    ageMax,
    ageBand,
    occupation: f.text('occupation', 500),
    fatherName: f.text('father_name', 300),
    harm,
    date,
    locationId,
    placePrecision,
    placeOriginal,
    placeOutcome,
    placeText,
    placeSuggestion,
    cause,
    perpetrator,
    armed,
    incidentId,
    status,
    witnessNames: f.text('witness_names'),
    familyContact: f.text('family_contact'),
    internalNotes,
    attestations,
    originalValues: Object.keys(original).length ? original : null,
  };
  if (issues.length) return { ok: false, issues };
  if (!draft.id && !draft.importKey) draft.importKey = victimKey(draft);
  return { ok: true, draft, warnings };
}

const HAS_YEAR = /\d{4}/;

/**
 * A date cell read without refusing the row: a leading unknown day ("؟ بهمن ۱۴۰۴") reads as the
 * month; a date without a year takes `defaultYear` ("۱۲ آبان" + 1401), or is kept verbatim with
 * the date left empty (its precision unknown); anything else unreadable likewise, with a warning.
 */
function lenientDate(
  f: RowFields,
  field: string,
  calendar: Calendar | undefined,
  defaultYear: number | null,
  warn: (field: string, rule: string, reason: string, text?: string) => void,
): DateFields | null {
  const t = f.text(field, 200);
  if (t === null) return null;
  const text = t.replace(/^[؟?]+\s*/u, '').trim();
  if (!text) return null;
  const first = parsedDate(text, calendar);
  if (typeof first !== 'string') return text === t ? first : { ...first, original: t };
  if (!HAS_YEAR.test(normalizeDigits(text))) {
    if (defaultYear !== null) {
      const cal = calendar ?? (defaultYear < 1700 ? 'jalali' : 'gregorian');
      const withYear = parsedDate(`${text} ${defaultYear}`, cal);
      if (typeof withYear !== 'string') {
        warn(
          field,
          `${field} has no year: the file's default year was taken`,
          `"${t}" read as ${withYear.original} (${withYear.from}${withYear.to !== withYear.from ? `–${withYear.to}` : ''})`,
          t,
        );
        return withYear;
      }
    }
    warn(
      field,
      `${field} has no year`,
      `"${t}" kept verbatim, the date left empty (precision unknown); give the file's year with --default-year (CLI) or defaultYear= (HTTP)`,
      t,
    );
    return null;
  }
  warn(field, `${field} is not a date`, `${first}; kept verbatim, the date left empty`, t);
  return null;
}
