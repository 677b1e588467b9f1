import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Bucket, type CountsResponse, type Query } from '../api';
import { enumLabel, num } from '../i18n';
import { dtoEnum, paramEnum } from '../schema';
import { can, type Session } from '../session';
import { DateWindow, ErrorBox, FilterForm, Select, toLatinDigits } from '../ui';

export function bucketLabel(b: Bucket, lang: string): string {
  return b.key
    .map((k) => {
      if (lang === 'fa') return k.labelFa ?? k.nameFa ?? enumLabel(k.value ?? k.label);
      if (['gender', 'perpetrator', 'cause'].includes(k.groupBy))
        return enumLabel(k.value ?? k.label);
      return k.label;
    })
    .join(' · ');
}

/** Horizontal bars in SVG; mirrored for right-to-left. */
export function BarChart({
  buckets,
  title,
  onPick,
}: {
  buckets: Bucket[];
  title: string;
  onPick: (b: Bucket) => void;
}): ReactNode {
  const { i18n } = useTranslation();
  const rtl = i18n.language === 'fa';
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const rowH = 26;
  const labelW = 170;
  const barW = 300;
  const w = labelW + barW + 70;
  const h = buckets.length * rowH + 10;
  return (
    <figure className="chart">
      <svg
        role="img"
        aria-label={title}
        width="100%"
        viewBox={`0 0 ${w} ${h}`}
        style={{ maxWidth: w }}
      >
        <title>{title}</title>
        {buckets.map((b, i) => {
          const len = (b.count / max) * barW;
          const y = 5 + i * rowH;
          const label = bucketLabel(b, i18n.language);
          const barX = rtl ? w - labelW - len : labelW;
          return (
            <g key={i} className="bar" onClick={() => onPick(b)} style={{ cursor: 'pointer' }}>
              <text
                x={rtl ? w - 8 : labelW - 8}
                y={y + rowH / 2 + 4}
                textAnchor={rtl ? 'start' : 'end'}
                direction={rtl ? 'rtl' : 'ltr'}
                fontSize="12"
              >
                {label.length > 34 ? `${label.slice(0, 33)}…` : label}
              </text>
              <rect x={barX} y={y + 3} width={Math.max(1, len)} height={rowH - 8} rx="2" />
              <text
                x={rtl ? barX - 6 : labelW + len + 6}
                y={y + rowH / 2 + 4}
                textAnchor={rtl ? 'end' : 'start'}
                fontSize="12"
              >
                {num(b.count)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

export function CountsPage({ session }: { session: Session }): ReactNode {
  const { t, i18n } = useTranslation();
  const [groupBy, setGroupBy] = useState('province');
  const [category, setCategory] = useState('killed');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [calendar, setCalendar] = useState('jalali');
  const [status, setStatus] = useState('');
  const [data, setData] = useState<CountsResponse | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [picked, setPicked] = useState<Bucket | null>(null);
  const [applied, setApplied] = useState(0);
  useEffect(() => {
    const q: Query = {
      groupBy,
      category,
      from: toLatinDigits(from.trim()),
      to: toLatinDigits(to.trim()),
      calendar: from || to ? calendar : undefined,
      status,
      sourcesPerBucket: 10,
    };
    setError(null);
    setPicked(null);
    api<CountsResponse>('/api/counts', { query: q })
      .then(setData)
      .catch((e: unknown) => {
        setData(null);
        setError(e);
      });
    // Filters apply on submit; the grouping applies at once.
  }, [groupBy, applied]);
  const groupings = dtoEnum('BucketKeyDto', 'groupBy');
  return (
    <section aria-labelledby="counts-title">
      <h1 id="counts-title">{t('counts.title')}</h1>
      <FilterForm onApply={() => setApplied((n) => n + 1)}>
        <Select
          label={t('counts.groupBy')}
          value={groupBy}
          options={groupings.length ? groupings : ['province', 'city', 'day', 'ageBand']}
          onChange={setGroupBy}
          empty={false}
        />
        <Select
          label={t('common.category')}
          value={category}
          options={paramEnum('/api/counts', 'category')}
          onChange={setCategory}
          empty={false}
        />
        <DateWindow
          calendar={calendar}
          from={from}
          to={to}
          onCalendar={setCalendar}
          onFrom={setFrom}
          onTo={setTo}
        />
        {can(session, 'researcher') && (
          <Select
            label={t('common.status')}
            value={status}
            options={dtoEnum('ChangeStatusDto', 'to')}
            onChange={setStatus}
          />
        )}
      </FilterForm>
      <ErrorBox error={error} />
      {data && (
        <>
          <p>
            {t('counts.total', { n: num(data.totals.count) })}
            {data.query.statuses && (
              <span className="sub"> ({data.query.statuses.map(enumLabel).join(', ')})</span>
            )}
          </p>
          <div className="counts-layout">
            <BarChart buckets={data.buckets} title={t('counts.chart')} onPick={setPicked} />
            <table aria-label={t('counts.table')}>
              <thead>
                <tr>
                  <th scope="col">{enumLabel(groupBy)}</th>
                  <th scope="col">{t('common.count')}</th>
                  <th scope="col">{t('common.confidence')}</th>
                  <th scope="col">{t('common.sources')}</th>
                </tr>
              </thead>
              <tbody>
                {data.buckets.map((b, i) => (
                  <tr key={i} className={picked === b ? 'picked' : ''}>
                    <td dir="auto">{bucketLabel(b, i18n.language)}</td>
                    <td className="n">{num(b.count)}</td>
                    <td className="sub">
                      {Object.entries(b.byConfidence)
                        .filter(([, n]) => n > 0)
                        .map(([k, n]) => `${enumLabel(k)} ${num(n)}`)
                        .join(', ')}
                    </td>
                    <td>
                      <button
                        type="button"
                        onClick={() => setPicked(b)}
                        aria-label={`${num(b.sourceCount)} ${t('counts.showSources')}: ${bucketLabel(b, i18n.language)}`}
                      >
                        {num(b.sourceCount)}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {picked && (
            <div
              className="card"
              role="region"
              aria-label={t('counts.bucketSources', { label: bucketLabel(picked, i18n.language) })}
            >
              <h2>{t('counts.bucketSources', { label: bucketLabel(picked, i18n.language) })}</h2>
              <ul>
                {picked.sources.map((s) => (
                  <li key={s.id} dir="auto">
                    {s.title} {s.publisher ? `— ${s.publisher}` : ''} ({num(s.victims)})
                  </li>
                ))}
              </ul>
              <button type="button" onClick={() => setPicked(null)}>
                {t('common.close')}
              </button>
            </div>
          )}
          {data.notes.length > 0 && (
            <ul className="notes" lang="en" dir="ltr">
              {data.notes.map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
