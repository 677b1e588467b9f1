import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Bound, type Location, type Reconciliation, type SourceBrief } from '../api';
import { enumLabel, num } from '../i18n';
import { paramEnum } from '../schema';
import type { Session } from '../session';
import {
  DateWindow,
  dualDate,
  ErrorBox,
  FilterForm,
  placeLabel,
  searchPlaces,
  Select,
  toLatinDigits,
  TypeAhead,
} from '../ui';

function who(s: SourceBrief | null | undefined, lang: string): string {
  if (!s) return '';
  return `${s.publisher ?? s.title}, “${s.title}”, ${dualDate(s.published, lang)} [${s.reliability}]`;
}

function BoundView({ label, bound }: { label: string; bound: Bound | null }): ReactNode {
  const { t, i18n } = useTranslation();
  return (
    <div className="bound card">
      <h3>{label}</h3>
      <p className="big">
        {bound?.value === null || bound?.value === undefined ? '—' : num(bound.value)}
      </p>
      {bound?.setBy && (
        <p>
          {t('rec.setBy')}: {enumLabel(bound.setBy.qualifier ?? bound.setBy.kind)}
          {bound.setBy.basis ? ` (${enumLabel(bound.setBy.basis)})` : ''} —{' '}
          <bdi>{who(bound.setBy.source, i18n.language)}</bdi>
          {bound.setBy.origin && (
            <>
              {' '}
              · {t('rec.origin')}: <bdi>{who(bound.setBy.origin, i18n.language)}</bdi>
            </>
          )}
        </p>
      )}
      {bound?.note && (
        <p className="sub" lang="en" dir="ltr">
          {bound.note}
        </p>
      )}
    </div>
  );
}

export function ReconciliationPage({ session: _session }: { session: Session }): ReactNode {
  const { t, i18n } = useTranslation();
  const [category, setCategory] = useState('killed');
  const [placeText, setPlaceText] = useState('');
  const [place, setPlace] = useState<Location | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [calendar, setCalendar] = useState('jalali');
  const [population, setPopulation] = useState('');
  const [data, setData] = useState<Reconciliation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [copied, setCopied] = useState(false);
  const [applied, setApplied] = useState(0);
  useEffect(() => {
    setError(null);
    api<Reconciliation>('/api/reconciliation', {
      query: {
        category,
        location: place?.id ?? (placeText.trim() || undefined),
        from: toLatinDigits(from.trim()),
        to: toLatinDigits(to.trim()),
        calendar: from || to ? calendar : undefined,
        population,
      },
    })
      .then(setData)
      .catch((e: unknown) => {
        setData(null);
        setError(e);
      });
  }, [applied]);
  const copy = async (): Promise<void> => {
    if (!data) return;
    try {
      await navigator.clipboard.writeText(data.statement);
    } catch {
      // No clipboard permission (plain http, say): copy by selection instead.
      const el = document.getElementById('statement-text');
      if (el) {
        const r = document.createRange();
        r.selectNodeContents(el);
        const sel = window.getSelection();
        sel?.removeAllRanges();
        sel?.addRange(r);
        document.execCommand('copy');
      }
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2500);
  };
  return (
    <section aria-labelledby="rec-title">
      <h1 id="rec-title">{t('rec.title')}</h1>
      <FilterForm onApply={() => setApplied((n) => n + 1)}>
        <Select
          label={t('common.category')}
          value={category}
          options={paramEnum('/api/reconciliation', 'category')}
          onChange={setCategory}
          empty={false}
        />
        <TypeAhead<Location>
          label={t('common.place')}
          text={placeText}
          onText={setPlaceText}
          chosen={place}
          onChoose={setPlace}
          search={searchPlaces}
          render={(l) => placeLabel(l, i18n.language)}
        />
        <DateWindow
          calendar={calendar}
          from={from}
          to={to}
          onCalendar={setCalendar}
          onFrom={setFrom}
          onTo={setTo}
        />
        <Select
          label={t('claims.population')}
          value={population}
          options={paramEnum('/api/reconciliation', 'population')}
          onChange={setPopulation}
        />
      </FilterForm>
      <ErrorBox error={error} />
      {data && (
        <>
          <h2>{t('rec.range')}</h2>
          <p className="range" data-testid="range">
            <span>
              {data.low?.value === null || data.low?.value === undefined
                ? '—'
                : num(data.low.value)}
            </span>
            {' – '}
            <span>
              {data.high?.value === null || data.high?.value === undefined
                ? t('rec.open')
                : num(data.high.value)}
            </span>
          </p>
          <p className="sub">{t('rec.documented', { n: num(data.documented.total) })}</p>
          <div className="bounds">
            <BoundView label={t('rec.low')} bound={data.low} />
            <BoundView label={t('rec.high')} bound={data.high} />
          </div>
          <h2>{t('rec.statement')}</h2>
          <blockquote id="statement-text" lang="en" dir="ltr" className="statement">
            {data.statement}
          </blockquote>
          <button type="button" onClick={() => void copy()}>
            {t('rec.copy')}
          </button>{' '}
          <span role="status">{copied ? t('common.copied') : ''}</span>
          <h2>{t('rec.citations')}</h2>
          <ol className="citations" lang="en" dir="ltr">
            {data.citations.map((c) => (
              <li key={c.sourceId}>{c.text}</li>
            ))}
          </ol>
          <h2>{t('rec.claims')}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('claims.qualifier')}</th>
                <th scope="col">{t('claims.low')}</th>
                <th scope="col">{t('claims.best')}</th>
                <th scope="col">{t('claims.high')}</th>
                <th scope="col">{t('common.source')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{t('common.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {data.claims.map((c) => (
                <tr key={c.id}>
                  <td>
                    {enumLabel(c.qualifier)} <span className="sub">({enumLabel(c.basis)})</span>
                  </td>
                  <td className="n">{num(c.figures.low)}</td>
                  <td className="n">{num(c.figures.best)}</td>
                  <td className="n">{num(c.figures.high)}</td>
                  <td dir="auto">
                    {c.origin ? who(c.origin, i18n.language) : who(c.source, i18n.language)}
                  </td>
                  <td>
                    <span className={`badge ${c.status}`}>{enumLabel(c.status)}</span>
                  </td>
                  <td lang="en" dir="ltr" className="reason">
                    {c.reason}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
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
