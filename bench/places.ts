import { loadGazetteer, namesNormOf, type GazetteerPlace } from '../seed/gazetteer.js';
import { normalizeText, toPersianDigits } from '../src/common/persian.js';
import { stableId } from '../src/common/stable-id.js';
import { type Rng, Weighted, zipf } from './prng.js';

/** A place of the seeded gazetteer, or a district the benchmark adds under a city. */
export interface Place extends GazetteerPlace {
  provinceId: string | null;
  cityId: string | null;
  /** True for the districts the benchmark generates (inserted by it; the rest is seeded). */
  generated: boolean;
}

/**
 * Where victims of November 2019 were recorded: a few provinces hold most cases (Tehran,
 * Khuzestan with Mahshahr, Alborz, Kermanshah, Fars); the other provinces share the rest.
 */
const PROVINCE_SHARE: Record<string, number> = {
  Tehran: 0.27,
  Khuzestan: 0.2,
  Alborz: 0.1,
  Kermanshah: 0.08,
  Fars: 0.07,
  Isfahan: 0.05,
  Kurdistan: 0.03,
};

/** Relative weight of a city inside its province (default 3). */
const CITY_WEIGHT: Record<string, number> = {
  Tehran: 40,
  Shahriar: 9,
  Eslamshahr: 7,
  'Shahr-e Qods': 6,
  Malard: 5,
  Baharestan: 4,
  Karaj: 22,
  Fardis: 10,
  'Bandar-e Mahshahr': 26,
  Ahvaz: 16,
  'Shahrak-e Chamran': 9,
  Behbahan: 6,
  Kermanshah: 20,
  Javanrud: 9,
  Shiraz: 22,
  Sadra: 7,
  Isfahan: 14,
  Marivan: 6,
  Sanandaj: 6,
};

/** Share of victims recorded only at province level (a suburb nobody could place). */
const PROVINCE_ONLY = 0.08;
/** Share of a city's victims recorded in one of its districts. */
const IN_DISTRICT = 0.55;

export interface PlaceModel {
  all: Place[];
  byId: Map<string, Place>;
  provinces: Place[];
  cities: Place[];
  districts: Place[];
  country: Place;
  /** Whether a normalised name names exactly one place (else a query must use the id). */
  uniqueName: (place: Place) => string | null;
  /** Draws the place a victim or an incident is recorded at. */
  sampleVictimPlace: (rng: Rng) => Place;
  /** Share of victims in each province, by province id (for weighting queries). */
  provinceShare: Map<string, number>;
  citiesWithWeight: Weighted<Place>;
}

function district(city: Place, k: number): Place {
  const id = stableId(`bench:district:${city.nameEn}:${k}`);
  const nameEn = `${city.nameEn} District ${k}`;
  const variantsEn = [`${city.nameEn} Region ${k}`];
  const nameFa = city.nameFa ? `منطقه ${toPersianDigits(String(k))} ${city.nameFa}` : null;
  const variantsFa = city.nameFa ? [`ناحیه ${k} ${city.nameFa}`] : [];
  const base = { nameEn, variantsEn, nameFa, variantsFa };
  return {
    ...base,
    id,
    kind: 'district',
    parentId: city.id,
    path: [...city.path, id],
    depth: city.depth + 1,
    lat: null,
    lon: null,
    precision: null,
    namesNorm: namesNormOf(base),
    origin: 'bench',
    provinceId: city.provinceId,
    cityId: city.id,
    generated: true,
  };
}

/** The seeded gazetteer plus generated districts (several hundred at any scale), with weights. */
export function buildPlaces(): PlaceModel {
  // The benchmark's shape stays that of the founding gazetteer (75 places), whatever the
  // national gazetteer seeded beside it holds: runs stay comparable.
  const seeded: Place[] = loadGazetteer()
    .filter((p) => p.origin.includes('founding'))
    .map((p) => ({
      ...p,
      provinceId: p.kind === 'province' ? p.id : p.depth >= 1 ? p.path[1] : null,
      cityId: p.kind === 'city' ? p.id : null,
      generated: false,
    }));
  const country = seeded.find((p) => p.kind === 'country');
  if (!country) throw new Error('the gazetteer has no country');
  const provinces = seeded.filter((p) => p.kind === 'province');
  const cities = seeded.filter((p) => p.kind === 'city');

  const named = Object.values(PROVINCE_SHARE).reduce((a, b) => a + b, 0);
  const rest = provinces.filter((p) => PROVINCE_SHARE[p.nameEn] === undefined);
  const restWeights = zipf(rest.length, 0.8);
  const restTotal = restWeights.reduce((a, b) => a + b, 0);
  const provinceShare = new Map<string, number>();
  for (const p of provinces) {
    const known = PROVINCE_SHARE[p.nameEn];
    provinceShare.set(p.id, known ?? ((1 - named) * restWeights[rest.indexOf(p)]) / restTotal);
  }

  // By province, not parent: most towns sit in a county (not a founding place) since the gazetteer
  // has the chain province → county → city.
  const citiesOf = new Map<string, Place[]>();
  for (const c of cities) {
    const list = citiesOf.get(c.provinceId ?? '') ?? [];
    list.push(c);
    citiesOf.set(c.provinceId ?? '', list);
  }
  const cityShare = new Map<string, number>();
  for (const p of provinces) {
    const list = citiesOf.get(p.id) ?? [];
    const total = list.reduce((s, c) => s + (CITY_WEIGHT[c.nameEn] ?? 3), 0);
    for (const c of list) {
      const share = provinceShare.get(p.id) ?? 0;
      cityShare.set(c.id, (share * (1 - PROVINCE_ONLY) * (CITY_WEIGHT[c.nameEn] ?? 3)) / total);
    }
  }

  const districts: Place[] = [];
  const districtsOf = new Map<string, Place[]>();
  for (const c of cities) {
    const n = Math.min(30, Math.max(4, Math.round(Math.sqrt(cityShare.get(c.id) ?? 0) * 100)));
    const list = Array.from({ length: n }, (_, k) => district(c, k + 1));
    districtsOf.set(c.id, list);
    districts.push(...list);
  }

  const all = [...seeded, ...districts];
  const byId = new Map(all.map((p) => [p.id, p]));
  // A name is unique only if the whole gazetteer the service seeds (the national one, not just the
  // places the benchmark draws from) and the benchmark's districts give it to one place.
  const nameCount = new Map<string, number>();
  for (const p of [...loadGazetteer(), ...districts])
    for (const n of new Set(p.namesNorm)) nameCount.set(n, (nameCount.get(n) ?? 0) + 1);

  const provinceSampler = new Weighted(
    provinces,
    provinces.map((p) => provinceShare.get(p.id) ?? 0),
  );
  const citySamplers = new Map<string, Weighted<Place>>();
  for (const [pid, list] of citiesOf) {
    citySamplers.set(
      pid,
      new Weighted(
        list,
        list.map((c) => CITY_WEIGHT[c.nameEn] ?? 3),
      ),
    );
  }
  const districtSamplers = new Map<string, Weighted<Place>>();
  for (const [cid, list] of districtsOf) {
    districtSamplers.set(cid, new Weighted(list, zipf(list.length, 0.6)));
  }

  return {
    all,
    byId,
    provinces,
    cities,
    districts,
    country,
    provinceShare,
    citiesWithWeight: new Weighted(
      cities,
      cities.map((c) => cityShare.get(c.id) ?? 0),
    ),
    uniqueName(place) {
      const en = normalizeText(place.nameEn);
      if (nameCount.get(en) === 1) return place.nameEn;
      const fa = place.nameFa ? normalizeText(place.nameFa) : null;
      if (fa && nameCount.get(fa) === 1 && place.nameFa) return place.nameFa;
      return null;
    },
    sampleVictimPlace(rng) {
      const province = provinceSampler.sample(rng);
      const cs = citySamplers.get(province.id);
      if (!cs || rng.chance(PROVINCE_ONLY)) return province;
      const city = cs.sample(rng);
      const ds = districtSamplers.get(city.id);
      return ds && rng.chance(IN_DISTRICT) ? ds.sample(rng) : city;
    },
  };
}
