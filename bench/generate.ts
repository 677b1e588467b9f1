import { deriveConfidence, type AttestationGrade } from '../src/attestations/confidence.js';
import {
  addDays,
  GREGORIAN_MONTHS as MONTHS_EN,
  isoToJalali,
  JALALI_MONTHS_FA as MONTHS_JALALI_FA,
  parseDateInput,
} from '../src/common/dates.js';
import { toPersianDigits } from '../src/common/persian.js';
import { stableId } from '../src/common/stable-id.js';
import type { Reliability } from '../src/reconciliation/reconcile.js';
import {
  arabicLetters,
  latinSpelling,
  NameSampler,
  persianSpelling,
  type PersonName,
} from './names.js';
import { buildPlaces, type Place, type PlaceModel } from './places.js';
import { Rng, table, Weighted, zipf } from './prng.js';

// ---------------------------------------------------------------------------------------------
// Scale

export interface Scale {
  name: string;
  victims: number;
  incidents: number;
  sources: number;
  /** Attestations of victims and incidents together (victims carry ~2.93 each, incidents 1). */
  attestations: number;
  claims: number;
  /** Rows imported by W5 (through the service, and again by the floor's COPY). */
  importRows: number;
}

export const PRESETS: Record<string, number> = { smoke: 2_000, '100k': 100_000, '1m': 1_000_000 };

/** `--scale`: a preset (smoke, 100k, 1m) or a number of victims; other counts scale with it. */
export function scaleOf(arg: string): Scale {
  const preset = PRESETS[arg.toLowerCase()];
  const victims = preset ?? Number(arg.replace(/_/g, ''));
  if (!Number.isInteger(victims) || victims < 100 || victims > 20_000_000) {
    throw new RangeError(
      `--scale must be smoke, 100k, 1m or a whole number of victims from 100 to 20,000,000 (got "${arg}")`,
    );
  }
  const name = preset !== undefined ? arg.toLowerCase() : String(victims);
  return {
    name,
    victims,
    incidents: Math.max(50, Math.round(victims / 10)),
    sources: Math.max(200, Math.round(victims / 50)),
    attestations: victims * 3,
    claims: Math.max(40, Math.round(victims / 500)),
    importRows: Math.min(100_000, Math.max(500, Math.round(victims / 10))),
  };
}

// ---------------------------------------------------------------------------------------------
// Shared vocabulary draws

const DAY0 = '2019-11-15';
/** The five days of November 2019 hold most cases; the rest trail off over the next year. */
const PEAK_DAYS = new Weighted([0, 1, 2, 3, 4], [8, 31, 25, 12, 7]);
const PEAK_SHARE = 0.83;

/** A day: mostly 15–19 Nov 2019, else a tail decaying over about a year. */
function drawDay(rng: Rng): string {
  if (rng.chance(PEAK_SHARE)) return addDays(DAY0, PEAK_DAYS.sample(rng));
  const offset = 5 + Math.min(400, Math.floor(-Math.log(1 - rng.next()) * 45));
  return addDays(DAY0, offset);
}

export interface GenDate {
  from: string;
  to: string;
  precision: string;
  calendar: string;
  /** As a researcher typed it: ISO, an English phrase, Solar Hijri with a marker, Persian digits. */
  original: string;
}

/** A date as lists give it: a day in either calendar, a month, a range of days, or a year. */
function drawDate(rng: Rng): GenDate | null {
  const r = rng.next();
  let original: string;
  if (r < 0.035) return null;
  const day = drawDay(rng);
  const [y, m, d] = day.split('-').map(Number);
  const [jy, jm, jd] = isoToJalali(day).split('-').map(Number);
  if (r < 0.8) {
    const form = rng.next();
    if (form < 0.5) original = day;
    else if (form < 0.62) original = `${d} ${MONTHS_EN[m - 1]} ${y}`;
    else if (form < 0.85) original = `${isoToJalali(day)} SH`;
    else original = toPersianDigits(`${jd} ${MONTHS_JALALI_FA[jm - 1]} ${jy}`);
  } else if (r < 0.89) {
    original = rng.chance(0.7) ? `${y}-${String(m).padStart(2, '0')}` : `${MONTHS_EN[m - 1]} ${y}`;
  } else if (r < 0.985) {
    const len = rng.int(1, 4);
    const start = addDays(day, -rng.int(0, len));
    const end = addDays(start, len);
    original = rng.chance(0.7) ? `${start}/${end}` : `${start}..${end}`;
  } else {
    original = String(y);
  }
  const p = parseDateInput(original);
  return { from: p.from, to: p.to, precision: p.precision, calendar: p.calendar, original };
}

const HARM = table({ killed: 35, injured: 20, detained: 38, disappeared: 3, executed: 4 });
const STATUS = table({ verified: 40, submitted: 35, draft: 20, disputed: 4, retracted: 1 });
const CAUSE_BY_HARM: Record<string, Weighted<string | null>> = {
  killed: new Weighted(
    [
      'gunshot_head',
      'gunshot_chest',
      'gunshot_neck',
      'gunshot_abdomen',
      'gunshot_back',
      'gunshot_unspecified',
      'pellets',
      'beating',
      'vehicle',
      'unknown',
      null,
    ],
    [25, 20, 5, 5, 5, 18, 2, 4, 1, 10, 5],
  ),
  injured: new Weighted(
    ['pellets', 'gunshot_limb', 'beating', 'tear_gas', 'gunshot_unspecified', null],
    [30, 25, 20, 10, 5, 10],
  ),
  detained: new Weighted(['beating', 'torture', null], [5, 2, 93]),
  disappeared: new Weighted(['unknown', null], [30, 70]),
  executed: new Weighted(['execution'], [1]),
};
const PERPETRATOR_BY_HARM: Record<string, Weighted<string | null>> = {
  killed: new Weighted(
    ['security_forces', 'irgc', 'basij', 'police', 'nopo', 'plainclothes', 'unknown', null],
    [30, 20, 15, 10, 5, 5, 10, 5],
  ),
  injured: new Weighted(
    ['security_forces', 'irgc', 'basij', 'police', 'nopo', 'plainclothes', 'unknown', null],
    [30, 15, 15, 15, 5, 5, 10, 5],
  ),
  detained: new Weighted(
    ['police', 'irgc', 'security_forces', 'plainclothes', 'unknown', null],
    [30, 20, 20, 5, 10, 15],
  ),
  disappeared: new Weighted(['security_forces', 'irgc', 'unknown', null], [20, 20, 40, 20]),
  executed: new Weighted(['judiciary', 'prison_authorities'], [80, 20]),
};
const AGE = new Weighted(
  [
    [12, 17],
    [18, 24],
    [25, 34],
    [35, 44],
    [45, 59],
    [60, 80],
  ],
  [6, 34, 33, 15, 9, 3],
);
const CREDIBILITY = new Weighted([1, 2, 3, 4, 5, 6], [10, 35, 30, 12, 3, 10]);
/** Sources per victim: mean about 2.93. */
const SOURCES_PER_VICTIM = new Weighted([1, 2, 3, 4, 5, 6], [18, 25, 25, 16, 10, 6]);

export function ageBandOf(age: number): string {
  if (age <= 11) return '0-11';
  if (age <= 17) return '12-17';
  if (age <= 24) return '18-24';
  if (age <= 34) return '25-34';
  if (age <= 44) return '35-44';
  if (age <= 59) return '45-59';
  return '60+';
}

// ---------------------------------------------------------------------------------------------
// Sources

export interface GenSource {
  id: string;
  kind: string;
  title: string;
  publisher: string;
  publishedFrom: string;
  publishedTo: string;
  publishedPrecision: string;
  publishedOriginal: string;
  language: string;
  url: string;
  reliability: Reliability;
  restricted: boolean;
  /** The source this one relays, if any (a source_links row). */
  relays: number | null;
  /** Where its information comes from after following relays: two relays of one origin are one. */
  origin: number;
}

const KNOWN_PUBLISHERS = [
  'Amnesty International',
  'Human Rights Watch',
  'Iran Human Rights',
  'HRANA',
  'Abdorrahman Boroumand Center',
  'Hengaw',
  'Kurdistan Human Rights Network',
  'Center for Human Rights in Iran',
  'Justice for Iran',
  'UN OHCHR',
  'BBC Persian',
  'Radio Farda',
  'IranWire',
  'Iran International',
  'Reuters',
  'Associated Press',
  'AFP',
  'The Guardian',
  'The New York Times',
  'Deutsche Welle Persian',
  'IRNA',
  'Fars News Agency',
  'Tasnim News Agency',
  'Islamic Consultative Assembly',
  'Ahwaz Human Rights Organisation',
];
const SOURCE_KIND = table({
  news: 35,
  social_media: 20,
  testimony: 15,
  report: 10,
  statement: 5,
  official: 5,
  dataset: 5,
  court: 5,
});
const RELIABILITY = new Weighted<Reliability>(
  ['A', 'B', 'C', 'D', 'E', 'F'],
  [4, 25, 35, 15, 6, 15],
);
const LANGUAGE = table({ fa: 60, en: 35, ar: 5 });

export function generateSources(seed: number, n: number): GenSource[] {
  const rng = Rng.derive(seed, 'sources');
  const publishers = new Weighted(
    [...KNOWN_PUBLISHERS, ...Array.from({ length: 275 }, (_, i) => `Local outlet ${i + 1}`)],
    zipf(300, 1),
  );
  const out: GenSource[] = [];
  for (let i = 0; i < n; i++) {
    const kind = SOURCE_KIND.sample(rng);
    const publisher = publishers.sample(rng);
    const published = addDays('2019-11-16', Math.floor(-Math.log(1 - rng.next()) * 120));
    const monthOnly = rng.chance(0.1);
    const relays = i > 10 && rng.chance(0.08) ? rng.int(0, Math.min(i - 1, 200)) : null;
    out.push({
      id: stableId(`bench:${seed}:source:${i}`),
      kind,
      title: `${publisher}: ${kind.replace('_', ' ')} on the November 2019 protests #${i + 1}`,
      publisher,
      publishedFrom: monthOnly ? `${published.slice(0, 7)}-01` : published,
      publishedTo: monthOnly ? lastDayOfMonth(published) : published,
      publishedPrecision: monthOnly ? 'month' : 'day',
      publishedOriginal: monthOnly ? published.slice(0, 7) : published,
      language: LANGUAGE.sample(rng),
      url: `https://${kind.replace('_', '-')}.bench.example/${published.slice(0, 7)}/${i + 1}`,
      reliability: RELIABILITY.sample(rng),
      restricted: kind === 'testimony' ? rng.chance(0.4) : rng.chance(0.01),
      relays,
      origin: relays === null ? i : out[relays].origin,
    });
  }
  return out;
}

function lastDayOfMonth(iso: string): string {
  const [y, m] = iso.split('-').map(Number);
  return addDays(`${m === 12 ? y + 1 : y}-${String((m % 12) + 1).padStart(2, '0')}-01`, -1);
}

/**
 * Which source attests a record: Zipf over a shuffled order, so a few large lists (the kind
 * that name thousands) attest much of the data, and most sources attest a handful.
 */
export class SourcePicker {
  private readonly order: number[];
  private readonly weights: Weighted<number>;

  constructor(seed: number, n: number) {
    const rng = Rng.derive(seed, 'source-order');
    this.order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [this.order[i], this.order[j]] = [this.order[j], this.order[i]];
    }
    this.weights = new Weighted(this.order, zipf(n, 1));
  }

  pick(rng: Rng): number {
    return this.weights.sample(rng);
  }
}

// ---------------------------------------------------------------------------------------------
// Incidents

export interface GenIncident {
  id: string;
  title: string;
  titleFa: string | null;
  date: GenDate | null;
  place: Place;
  category: string;
  perpetrators: string[];
  status: string;
  attestation: { source: number; credibility: number; locator: string };
}

const INCIDENT_CATEGORY = table({
  protest: 50,
  shooting: 25,
  mass_arrest: 12,
  raid: 5,
  funeral: 5,
  execution: 1,
  other: 2,
});
const INCIDENT_PERPETRATORS = [
  'irgc',
  'basij',
  'police',
  'nopo',
  'security_forces',
  'plainclothes',
];

export function generateIncidents(
  seed: number,
  n: number,
  places: PlaceModel,
  picker: SourcePicker,
): GenIncident[] {
  const rng = Rng.derive(seed, 'incidents');
  const out: GenIncident[] = [];
  for (let i = 0; i < n; i++) {
    const place = places.sampleVictimPlace(rng);
    const category = INCIDENT_CATEGORY.sample(rng);
    const date = drawDate(rng);
    const perps = rng.distinct(rng.int(1, 2), INCIDENT_PERPETRATORS.length, () => rng.int(0, 5));
    out.push({
      id: stableId(`bench:${seed}:incident:${i}`),
      title: `${category.replace('_', ' ')} in ${place.nameEn}${date ? `, ${date.original}` : ''} (#${i + 1})`,
      titleFa: place.nameFa ? `رویداد ${toPersianDigits(String(i + 1))} در ${place.nameFa}` : null,
      date,
      place,
      category,
      perpetrators: perps.map((k) => INCIDENT_PERPETRATORS[k]),
      status: STATUS.sample(rng),
      attestation: {
        source: picker.pick(rng),
        credibility: CREDIBILITY.sample(rng),
        locator: `para. ${rng.int(1, 40)}`,
      },
    });
  }
  return out;
}

/** Incidents by the city (or province) they happened in, for tying victims to them. */
export function incidentsByArea(incidents: GenIncident[]): Map<string, number[]> {
  const map = new Map<string, number[]>();
  incidents.forEach((inc, i) => {
    const key = inc.place.cityId ?? inc.place.id;
    const list = map.get(key) ?? [];
    list.push(i);
    map.set(key, list);
  });
  return map;
}

// ---------------------------------------------------------------------------------------------
// Count claims

export interface GenClaim {
  id: string;
  source: number;
  attributedSource: number | null;
  relaysClaim: number | null;
  category: string;
  qualifier: string;
  low: number | null;
  best: number | null;
  high: number | null;
  locationId: string;
  dateFrom: string | null;
  dateTo: string | null;
  population: string;
  basis: string;
  publishedDate: string;
  excerpt: string;
  credibility: number;
  status: string;
}

const CLAIM_CATEGORY = table({
  killed: 60,
  detained: 20,
  injured: 15,
  disappeared: 3,
  executed: 2,
});
const QUALIFIER = table({
  at_least: 35,
  about: 15,
  exact: 10,
  between: 10,
  estimates_range: 5,
  more_than: 10,
  up_to: 10,
  at_most: 5,
});
const POPULATION = table({
  all: 50,
  non_security: 25,
  protesters: 10,
  children: 6,
  women: 4,
  security_forces: 3,
  bystanders: 2,
});
const BASIS = table({ named_list: 30, estimate: 35, official: 10, leak: 10, crowdsourced: 15 });
const WINDOWS: [string, string][] = [
  ['2019-11-15', '2019-11-19'],
  ['2019-11-15', '2019-11-30'],
  ['2019-11-16', '2019-11-19'],
  ['2019-11-15', '2019-12-31'],
  ['2019-11-01', '2019-11-30'],
];

/** The interval columns for a qualifier around a figure (obeying ck_count_claims_shape). */
function figure(qualifier: string, n: number, rng: Rng): Pick<GenClaim, 'low' | 'best' | 'high'> {
  switch (qualifier) {
    case 'exact':
    case 'about':
      return { low: null, best: n, high: null };
    case 'at_least':
    case 'more_than':
      return { low: n, best: null, high: null };
    case 'at_most':
    case 'up_to':
      return { low: null, best: null, high: n };
    default:
      return { low: n, best: null, high: n + Math.max(1, Math.round(n * rng.next() * 4)) };
  }
}

/**
 * Claims in groups about one scope: an origin's figure, revised upward by the same publisher
 * (superseded), relayed by other outlets (a few changing the figure), as real reporting goes.
 */
export function generateClaims(
  seed: number,
  n: number,
  sources: GenSource[],
  places: PlaceModel,
): GenClaim[] {
  const rng = Rng.derive(seed, 'claims');
  const scopePlace = (): Place => {
    const r = rng.next();
    if (r < 0.2) return places.country;
    if (r < 0.7) {
      const p = places.sampleVictimPlace(rng);
      return (p.provinceId && places.byId.get(p.provinceId)) || places.country;
    }
    return places.citiesWithWeight.sample(rng);
  };
  const out: GenClaim[] = [];
  while (out.length < n) {
    const place = scopePlace();
    const [dateFrom, dateTo] = rng.chance(0.1) ? [null, null] : rng.pick(WINDOWS);
    const category = CLAIM_CATEGORY.sample(rng);
    const population = POPULATION.sample(rng);
    const scale = place.kind === 'country' ? 1 : place.kind === 'province' ? 0.25 : 0.08;
    let base = Math.max(1, Math.round(Math.exp(rng.next() * Math.log(3000)) * scale * 4));
    const origin = rng.int(0, sources.length - 1);
    let published = addDays('2019-11-20', rng.int(0, 200));
    const revisions = rng.int(1, 4);
    for (let r = 0; r < revisions && out.length < n; r++) {
      const qualifier = QUALIFIER.sample(rng);
      const originIdx = out.length;
      out.push({
        id: stableId(`bench:${seed}:claim:${out.length}`),
        source: origin,
        attributedSource: null,
        relaysClaim: null,
        category,
        qualifier,
        ...figure(qualifier, base, rng),
        locationId: place.id,
        dateFrom,
        dateTo,
        population,
        basis: BASIS.sample(rng),
        publishedDate: published,
        excerpt: `${sources[origin].publisher} reports ${qualifier.replace('_', ' ')} ${base} ${category} in ${place.nameEn}`,
        credibility: CREDIBILITY.sample(rng),
        status: STATUS.sample(rng),
      });
      const relays = rng.chance(0.4) ? rng.int(1, 3) : 0;
      for (let k = 0; k < relays && out.length < n; k++) {
        const src = rng.int(0, sources.length - 1);
        const changed = rng.chance(0.1);
        const o = out[originIdx];
        const f = changed
          ? figure(o.qualifier, Math.round(base * 1.2) + 1, rng)
          : { low: o.low, best: o.best, high: o.high };
        out.push({
          ...o,
          ...f,
          id: stableId(`bench:${seed}:claim:${out.length}`),
          source: src,
          attributedSource: origin,
          relaysClaim: originIdx,
          publishedDate: addDays(published, rng.int(0, 10)),
          excerpt: `According to ${sources[origin].publisher}: ${o.excerpt}`,
          credibility: CREDIBILITY.sample(rng),
          status: STATUS.sample(rng),
        });
      }
      base = Math.round(base * (1 + rng.next()));
      published = addDays(published, rng.int(5, 60));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Victims

export interface GenAttestation {
  source: number;
  credibility: number;
  locator: string;
}

export interface GenVictim {
  /** Index in the generated sequence (W5 rows continue after the loaded ones). */
  index: number;
  id: string;
  importKey: string;
  nameFa: string | null;
  nameEn: string | null;
  nameVariants: string[];
  /** The name parts drawn (for workload parameters); null for an unnamed victim. */
  person: PersonName | null;
  gender: string | null;
  age: number | null;
  ageMin: number | null;
  ageMax: number | null;
  ageBand: string | null;
  harm: string;
  date: GenDate | null;
  place: Place;
  /** The place as the list wrote it: a name variant in either script. */
  placeText: string;
  provinceText: string | null;
  cause: string | null;
  perpetrator: string | null;
  armed: boolean | null;
  incident: number | null;
  status: string;
  confidence: string;
  /** The same from its sources that are not restricted (victims.public_confidence). */
  publicConfidence: string;
  attestations: GenAttestation[];
  /** An earlier victim this record duplicates (another list, another spelling), merged after load. */
  duplicateOf: number | null;
}

const UNNAMED = 'ناشناس';

function placeText(place: Place, rng: Rng): string {
  const r = rng.next();
  const fa = place.nameFa ? [place.nameFa, ...place.variantsFa] : [];
  const en = [place.nameEn, ...place.variantsEn];
  if (fa.length && r < 0.45) {
    const s = rng.pick(fa);
    return rng.chance(0.15) ? arabicLetters(s) : s;
  }
  return rng.chance(0.7) ? place.nameEn : rng.pick(en);
}

export class VictimGenerator {
  readonly places: PlaceModel;
  private readonly names = new NameSampler();

  constructor(
    readonly seed: number,
    readonly sources: GenSource[],
    readonly picker: SourcePicker,
    readonly incidents: GenIncident[],
    private readonly incidentAreas: Map<string, number[]>,
    places: PlaceModel,
  ) {
    this.places = places;
  }

  /** Victim i, always the same for the same seed, whatever was generated before. */
  at(i: number): GenVictim {
    const rng = Rng.derive(this.seed, `victim:${i}`);
    let duplicateOf: number | null = null;
    let base: GenVictim | null = null;
    if (i > 1000 && rng.chance(0.01)) {
      base = this.at(i - rng.int(1, 1000));
      // Merge into the first record of the person, never into another duplicate.
      duplicateOf = base.duplicateOf ?? base.index;
    }
    const genderDraw = rng.next();
    const gender = base
      ? base.gender
      : genderDraw < 0.82
        ? 'male'
        : genderDraw < 0.94
          ? 'female'
          : null;
    const person = base
      ? base.person
      : rng.chance(0.015)
        ? null
        : this.names.draw(rng, gender === 'female' ? 'female' : 'male');

    let nameFa: string | null = null;
    let nameEn: string | null = null;
    const nameVariants: string[] = [];
    if (person) {
      const variantRate = base ? 0.6 : 0.15;
      nameFa = `${persianSpelling(person.given, rng, variantRate)} ${persianSpelling(person.surname, rng, variantRate)}`;
      if (rng.chance(0.08)) nameFa = arabicLetters(nameFa);
      if (rng.chance(0.55)) {
        nameEn = `${latinSpelling(person.given, rng, 0.3)} ${latinSpelling(person.surname, rng, 0.3)}`;
      }
      if (rng.chance(0.2)) {
        nameVariants.push(
          `${latinSpelling(person.given, rng, 0.9)} ${latinSpelling(person.surname, rng, 0.9)}`,
        );
      }
    } else {
      nameFa = UNNAMED;
    }

    let age: number | null = null;
    let ageMin: number | null = null;
    let ageMax: number | null = null;
    const ageDraw = rng.next();
    if (base) {
      ({ age, ageMin, ageMax } = base);
    } else if (ageDraw < 0.6) {
      const [lo, hi] = AGE.sample(rng);
      age = rng.int(lo, hi);
    } else if (ageDraw < 0.65) {
      ageMin = rng.int(2, 5) * 10;
      ageMax = ageMin + 9;
    }
    const ageBand = age !== null ? ageBandOf(age) : null;

    const harm = base ? base.harm : HARM.sample(rng);
    const date = base ? base.date : drawDate(rng);
    const place = base ? base.place : this.places.sampleVictimPlace(rng);
    const province = place.provinceId ? this.places.byId.get(place.provinceId) : undefined;
    const areaIncidents = this.incidentAreas.get(place.cityId ?? place.id);
    const incident = areaIncidents && rng.chance(0.6) ? rng.pick(areaIncidents) : null;

    const k = SOURCES_PER_VICTIM.sample(rng);
    const picked = rng.distinct(k, this.sources.length, () => this.picker.pick(rng));
    const attestations = picked.map((source) => ({
      source,
      credibility: CREDIBILITY.sample(rng),
      locator: rng.chance(0.5) ? `p. ${rng.int(1, 400)}` : `row ${rng.int(1, 5000)}`,
    }));
    const grades: (AttestationGrade & { restricted: boolean })[] = attestations.map((a) => ({
      originId: String(this.sources[a.source].origin),
      reliability: this.sources[a.source].reliability,
      credibility: a.credibility,
      restricted: this.sources[a.source].restricted,
    }));

    return {
      index: i,
      id: stableId(`bench:${this.seed}:victim:${i}`),
      importKey: `bench-${this.seed}-${i}`,
      nameFa,
      nameEn,
      nameVariants,
      person,
      gender,
      age,
      ageMin,
      ageMax,
      ageBand,
      harm,
      date,
      place,
      placeText: placeText(place, rng),
      provinceText:
        province && province !== place
          ? rng.chance(0.5)
            ? province.nameEn
            : province.nameFa
          : null,
      cause: CAUSE_BY_HARM[harm].sample(rng),
      perpetrator: PERPETRATOR_BY_HARM[harm].sample(rng),
      armed: harm === 'killed' || harm === 'injured' ? (rng.chance(0.7) ? false : null) : null,
      incident,
      status: STATUS.sample(rng),
      confidence: deriveConfidence(grades),
      publicConfidence: deriveConfidence(grades.filter((g) => !g.restricted)),
      attestations,
      duplicateOf,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// The whole dataset

export interface Dataset {
  seed: number;
  scale: Scale;
  places: PlaceModel;
  sources: GenSource[];
  incidents: GenIncident[];
  claims: GenClaim[];
  victims: VictimGenerator;
}

export function generateDataset(seed: number, scale: Scale): Dataset {
  const places = buildPlaces();
  const sources = generateSources(seed, scale.sources);
  const picker = new SourcePicker(seed, sources.length);
  const incidents = generateIncidents(seed, scale.incidents, places, picker);
  const claims = generateClaims(seed, scale.claims, sources, places);
  const victims = new VictimGenerator(
    seed,
    sources,
    picker,
    incidents,
    incidentsByArea(incidents),
    places,
  );
  return { seed, scale, places, sources, incidents, claims, victims };
}
