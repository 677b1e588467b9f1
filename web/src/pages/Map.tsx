import { geoMercator, geoPath } from 'd3-geo';
import type { FeatureCollection } from 'geojson';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type CountsResponse, type Location, type Page, type Victim } from '../api';
import outline from '../data/iran-outline.json';
import { enumLabel, num } from '../i18n';
import { paramEnum } from '../schema';
import type { Session } from '../session';
import { dualDate, ErrorBox, placeName, Select } from '../ui';

const W = 640;
const H = 560;
const iran = outline as unknown as FeatureCollection;

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

export function MapPage({ session: _session }: { session: Session }): ReactNode {
  const { t, i18n } = useTranslation();
  const [level, setLevel] = useState<'province' | 'city'>('province');
  const [category, setCategory] = useState('killed');
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
        iran,
      ),
    [],
  );
  const path = useMemo(() => geoPath(projection), [projection]);
  useEffect(() => {
    setError(null);
    setPicked(null);
    Promise.all([
      api<CountsResponse>('/api/counts', { query: { groupBy: level, category } }),
      placesOf(level),
      level === 'province' ? placesOf('city') : Promise.resolve([]),
    ])
      .then(([counts, places, cities]) => {
        const byId = new Map(places.map((p) => [p.id, p]));
        // The gazetteer gives cities coordinates, not provinces: a province is drawn at the
        // mean position of its cities that have them.
        const centre = new Map<string, { lat: number; lon: number; n: number }>();
        for (const c of cities) {
          if (c.lat === null || c.lon === null || !c.parent) continue;
          const m = centre.get(c.parent.id) ?? { lat: 0, lon: 0, n: 0 };
          centre.set(c.parent.id, { lat: m.lat + c.lat, lon: m.lon + c.lon, n: m.n + 1 });
        }
        const out: Spot[] = [];
        let missing = 0;
        for (const b of counts.buckets) {
          const id = b.key[0]?.id;
          const p = id ? byId.get(id) : undefined;
          if (!p) {
            missing += b.count;
            continue;
          }
          const c = centre.get(p.id);
          const ll: [number, number] | null =
            p.lat !== null && p.lon !== null
              ? [p.lon, p.lat]
              : c
                ? [c.lon / c.n, c.lat / c.n]
                : null;
          const xy = ll ? projection(ll) : null;
          out.push({
            id: p.id,
            nameEn: p.nameEn,
            nameFa: p.nameFa,
            count: b.count,
            xy: xy ? [xy[0], xy[1]] : null,
          });
        }
        setSpots(out.sort((a, b) => b.count - a.count));
        setUnplaced(missing);
      })
      .catch(setError);
  }, [level, category, projection]);
  useEffect(() => {
    if (!picked) return;
    setVictims(null);
    api<Page<Victim>>('/api/victims', { query: { location: picked.id, category, limit: 100 } })
      .then((r) => setVictims(r.items))
      .catch(setError);
  }, [picked, category]);
  const max = Math.max(1, ...spots.map((s) => s.count));
  const radius = (n: number): number => 4 + 22 * Math.sqrt(n / max);
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
            <path d={path(iran) ?? ''} className="land" />
            {spots.map((s) => {
              if (!s.xy) return null;
              const [x, y] = s.xy;
              const label = `${placeName(s, i18n.language)}: ${num(s.count)}`;
              return (
                <g
                  key={s.id}
                  className={`spot${picked?.id === s.id ? ' picked' : ''}`}
                  role="button"
                  tabIndex={0}
                  aria-label={label}
                  onClick={() => setPicked(s)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      setPicked(s);
                    }
                  }}
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
          <figcaption>{t('map.caption')}</figcaption>
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
