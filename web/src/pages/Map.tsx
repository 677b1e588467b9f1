import { geoMercator, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { useEffect, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type CountsResponse, type Location, type Page, type Victim } from '../api';
import provincesJson from '../data/iran-provinces.json';
import { enumLabel, num } from '../i18n';
import { paramEnum } from '../schema';
import type { Session } from '../session';
import { dualDate, ErrorBox, placeName, Select } from '../ui';

const W = 640;
const H = 560;

interface ProvinceProps {
  nameEn: string;
  nameFa: string;
  wikidata: string;
}
/** Natural Earth's 31 provinces, each keyed by the gazetteer's province id (build-provinces.mjs). */
const provinces = provincesJson as unknown as FeatureCollection<Geometry, ProvinceProps> & {
  attribution: string;
};

interface Spot {
  id: string;
  nameEn: string;
  nameFa: string | null;
  count: number;
  /** Null when the gazetteer has no coordinates for the place (listed, not drawn). */
  xy: [number, number] | null;
}

/** Every place of one kind with its coordinates, page by page (the API pages by 200). */
async function placesOf(kind: string): Promise<Location[]> {
  const out: Location[] = [];
  for (let offset = 0; offset < 2000; offset += 200) {
    const page = await api<{ items: Location[]; total: number }>('/api/locations', {
      query: { kind, limit: 200, offset },
    });
    out.push(...page.items);
    if (out.length >= page.total || page.items.length === 0) break;
  }
  return out;
}

/** Five classes on a square-root scale: a few large counts do not wash out the rest. */
const CLASSES = 5;
const classFloor = (k: number, max: number): number =>
  Math.max(1, Math.ceil(max * ((k - 1) / CLASSES) ** 2));
/** The highest class whose floor the count reaches; 0 for none counted. */
const classOf = (n: number, max: number): number => {
  if (n <= 0) return 0;
  let k = 1;
  while (k < CLASSES && n >= classFloor(k + 1, max)) k++;
  return k;
};
/** The classes that hold some count from 1 to max, with their ranges (low, high). */
const legendOf = (max: number): { k: number; lo: number; hi: number }[] =>
  Array.from({ length: CLASSES }, (_, i) => i + 1)
    .map((k) => ({
      k,
      lo: classFloor(k, max),
      hi: k < CLASSES ? classFloor(k + 1, max) - 1 : max,
    }))
    .filter((c) => c.hi >= c.lo);

function activate(e: KeyboardEvent, go: () => void): void {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    go();
  }
}

export function MapPage({ session: _session }: { session: Session }): ReactNode {
  const { t, i18n } = useTranslation();
  const [level, setLevel] = useState<'province' | 'city'>('province');
  const [category, setCategory] = useState('killed');
  const [byProvince, setByProvince] = useState<Map<string, number>>(new Map());
  const [spots, setSpots] = useState<Spot[]>([]);
  const [unplaced, setUnplaced] = useState(0);
  const [picked, setPicked] = useState<Spot | null>(null);
  const [victims, setVictims] = useState<Victim[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const projection = useMemo(
    () =>
      geoMercator().fitExtent(
        [
          [20, 20],
          [W - 20, H - 20],
        ],
        provinces,
      ),
    [],
  );
  const path = useMemo(() => geoPath(projection), [projection]);
  useEffect(() => {
    setError(null);
    setPicked(null);
    Promise.all([
      api<CountsResponse>('/api/counts', { query: { groupBy: 'province', category } }),
      level === 'city'
        ? api<CountsResponse>('/api/counts', { query: { groupBy: 'city', category } })
        : null,
      level === 'city' ? placesOf('city') : Promise.resolve([]),
    ])
      .then(([perProvince, perCity, cities]) => {
        const shapes = new Map(provinces.features.map((f) => [String(f.id), f]));
        const counts = new Map<string, number>();
        for (const b of perProvince.buckets) {
          const id = b.key[0]?.id;
          if (id) counts.set(id, b.count);
        }
        setByProvince(counts);
        const out: Spot[] = [];
        let missing = 0;
        if (level === 'province') {
          for (const b of perProvince.buckets) {
            const id = b.key[0]?.id;
            const shape = id ? shapes.get(id) : undefined;
            if (!id || !shape) {
              missing += b.count;
              continue;
            }
            const c = path.centroid(shape);
            out.push({
              id,
              nameEn: shape.properties.nameEn,
              nameFa: shape.properties.nameFa,
              count: b.count,
              xy: Number.isFinite(c[0]) ? [c[0], c[1]] : null,
            });
          }
        } else {
          const byId = new Map(cities.map((p) => [p.id, p]));
          for (const b of perCity?.buckets ?? []) {
            const id = b.key[0]?.id;
            const p = id ? byId.get(id) : undefined;
            if (!p) {
              missing += b.count;
              continue;
            }
            const xy = p.lat !== null && p.lon !== null ? projection([p.lon, p.lat]) : null;
            out.push({
              id: p.id,
              nameEn: p.nameEn,
              nameFa: p.nameFa,
              count: b.count,
              xy: xy ? [xy[0], xy[1]] : null,
            });
          }
        }
        setSpots(out.sort((a, b) => b.count - a.count));
        setUnplaced(missing);
      })
      .catch(setError);
  }, [level, category, projection, path]);
  useEffect(() => {
    if (!picked) return;
    setVictims(null);
    api<Page<Victim>>('/api/victims', { query: { location: picked.id, category, limit: 100 } })
      .then((r) => setVictims(r.items))
      .catch(setError);
  }, [picked, category]);
  const maxProvince = Math.max(1, ...byProvince.values());
  const max = Math.max(1, ...spots.map((s) => s.count));
  const radius = (n: number): number => 4 + 22 * Math.sqrt(n / max);
  const spotOf = new Map(spots.map((s) => [s.id, s]));
  const labelOf = (s: { nameEn: string; nameFa: string | null }, n: number): string =>
    `${placeName(s, i18n.language)}: ${num(n)}`;
  return (
    <section aria-labelledby="map-title">
      <h1 id="map-title">{t('map.title')}</h1>
      <div className="card filters row">
        <Select
          label={t('map.level')}
          value={level}
          options={['province', 'city']}
          labels={(x) => t(`map.${x}`)}
          onChange={(x) => setLevel(x as 'province' | 'city')}
          empty={false}
        />
        <Select
          label={t('common.category')}
          value={category}
          options={paramEnum('/api/counts', 'category')}
          onChange={setCategory}
          empty={false}
        />
      </div>
      <ErrorBox error={error} />
      <div className="map-layout">
        <figure className="map">
          <svg
            viewBox={`0 0 ${W} ${H}`}
            width="100%"
            style={{ maxWidth: W }}
            role="group"
            aria-label={t('map.title')}
          >
            {provinces.features.map((f: Feature<Geometry, ProvinceProps>) => {
              const id = String(f.id);
              const n = byProvince.get(id) ?? 0;
              const spot = level === 'province' ? spotOf.get(id) : undefined;
              const cls = `province q${classOf(n, maxProvince)}${picked?.id === id ? ' picked' : ''}`;
              const label = labelOf(f.properties, n);
              // A province with victims is a button (at the province level); the others are
              // drawn, named on hover, and left out of the tab order.
              return spot ? (
                <path
                  key={id}
                  d={path(f) ?? ''}
                  className={`${cls} spot`}
                  data-province={f.properties.nameEn}
                  role="button"
                  tabIndex={0}
                  aria-label={label}
                  onClick={() => setPicked(spot)}
                  onKeyDown={(e) => activate(e, () => setPicked(spot))}
                >
                  <title>{label}</title>
                </path>
              ) : (
                <path
                  key={id}
                  d={path(f) ?? ''}
                  className={cls}
                  data-province={f.properties.nameEn}
                  aria-hidden="true"
                >
                  <title>{label}</title>
                </path>
              );
            })}
            {level === 'province' &&
              spots.map((s) =>
                s.xy ? (
                  <text
                    key={s.id}
                    className="province-count"
                    x={s.xy[0]}
                    y={s.xy[1] + 4}
                    textAnchor="middle"
                    fontSize="12"
                    aria-hidden="true"
                  >
                    {num(s.count)}
                  </text>
                ) : null,
              )}
            {level === 'city' &&
              spots.map((s) => {
                if (!s.xy) return null;
                const [x, y] = s.xy;
                const label = labelOf(s, s.count);
                return (
                  <g
                    key={s.id}
                    className={`spot city${picked?.id === s.id ? ' picked' : ''}`}
                    role="button"
                    tabIndex={0}
                    aria-label={label}
                    onClick={() => setPicked(s)}
                    onKeyDown={(e) => activate(e, () => setPicked(s))}
                  >
                    <circle cx={x} cy={y} r={radius(s.count)} />
                    <text x={x} y={y + 4} textAnchor="middle" fontSize="11">
                      {num(s.count)}
                    </text>
                    <title>{label}</title>
                  </g>
                );
              })}
          </svg>
          <figcaption>
            <ul className="legend" aria-label={t('map.legend')}>
              {legendOf(maxProvince).map((c) => (
                <li key={c.k}>
                  <span className={`swatch q${c.k}`} aria-hidden="true" />
                  {c.lo === c.hi ? num(c.lo) : `${num(c.lo)}–${num(c.hi)}`}
                </li>
              ))}
            </ul>
            {t('map.caption')}
          </figcaption>
        </figure>
        <div className="map-side">
          <table>
            <thead>
              <tr>
                <th scope="col">{t(`map.${level}`)}</th>
                <th scope="col">{t('common.count')}</th>
              </tr>
            </thead>
            <tbody>
              {spots.map((s) => (
                <tr key={s.id} className={picked?.id === s.id ? 'picked' : ''}>
                  <td>
                    <button type="button" className="link" onClick={() => setPicked(s)}>
                      {placeName(s, i18n.language)}
                    </button>
                  </td>
                  <td className="n">{num(s.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {unplaced > 0 && (
            <p className="sub">
              + {num(unplaced)} ({t('date.unknown')} {t('common.place')})
            </p>
          )}
        </div>
      </div>
      <div
        role="region"
        aria-live="polite"
        aria-label={
          picked ? t('map.listFor', { place: placeName(picked, i18n.language) }) : t('map.pick')
        }
        className="card"
      >
        {!picked ? (
          <p>{t('map.pick')}</p>
        ) : (
          <>
            <h2>{t('map.listFor', { place: placeName(picked, i18n.language) })}</h2>
            {victims === null ? (
              <p>{t('common.loading')}</p>
            ) : (
              <ul className="victim-list">
                {victims.map((v) => (
                  <li key={v.id}>
                    <span dir="auto">{v.nameFa ?? v.nameEn ?? '—'}</span>{' '}
                    {v.nameFa && v.nameEn ? <span className="sub">({v.nameEn})</span> : null} —{' '}
                    {placeName(v.location, i18n.language)} — {dualDate(v.date, i18n.language)} —{' '}
                    {enumLabel(v.status)}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </section>
  );
}
