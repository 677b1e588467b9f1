import { Fragment, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type AuditEntry, type Page, type Query, type Victim } from '../api';
import { enumLabel, num } from '../i18n';
import { go } from '../router';
import { dtoEnum, paramEnum } from '../schema';
import { can, type Session } from '../session';
import {
  DateWindow,
  dualDate,
  ErrorBox,
  FilterForm,
  placeName,
  Select,
  TextInput,
  toLatinDigits,
} from '../ui';

interface Filters {
  q: string;
  location: string;
  from: string;
  to: string;
  calendar: string;
  category: string;
  status: string;
  minConfidence: string;
}

const empty: Filters = {
  q: '',
  location: '',
  from: '',
  to: '',
  calendar: 'jalali',
  category: '',
  status: '',
  minConfidence: '',
};

export function SearchPage({ session }: { session: Session }): ReactNode {
  const { t, i18n } = useTranslation();
  const [f, setF] = useState<Filters>(empty);
  const [applied, setApplied] = useState<Filters | null>(null);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<Page<Victim> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const set = (patch: Partial<Filters>): void => setF((x) => ({ ...x, ...patch }));
  const cursor = cursors[cursors.length - 1];
  useEffect(() => {
    if (!applied) return;
    const query: Query = {
      q: applied.q.trim(),
      location: applied.location.trim(),
      from: toLatinDigits(applied.from.trim()),
      to: toLatinDigits(applied.to.trim()),
      calendar: applied.from || applied.to ? applied.calendar : undefined,
      category: applied.category,
      status: applied.status,
      minConfidence: applied.minConfidence,
      limit: 20,
      cursor,
    };
    setError(null);
    api<Page<Victim>>('/api/victims', { query })
      .then(setPage)
      .catch((e: unknown) => {
        setPage(null);
        setError(e);
      });
  }, [applied, cursor]);
  const statuses = dtoEnum('ChangeStatusDto', 'to');
  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">{t('search.title')}</h1>
      <FilterForm
        role="search"
        onApply={() => {
          setCursors([undefined]);
          setApplied({ ...f });
        }}
      >
        <TextInput label={t('search.q')} name="q" value={f.q} onChange={(x) => set({ q: x })} />
        <TextInput
          label={t('search.location')}
          name="location"
          value={f.location}
          onChange={(x) => set({ location: x })}
        />
        <DateWindow
          calendar={f.calendar}
          from={f.from}
          to={f.to}
          onCalendar={(x) => set({ calendar: x })}
          onFrom={(x) => set({ from: x })}
          onTo={(x) => set({ to: x })}
          hints
        />
        <Select
          label={t('common.harm')}
          value={f.category}
          options={paramEnum('/api/victims', 'category')}
          onChange={(x) => set({ category: x })}
        />
        {can(session, 'researcher') && (
          <Select
            label={t('common.status')}
            value={f.status}
            options={statuses}
            onChange={(x) => set({ status: x })}
          />
        )}
        <Select
          label={t('search.minConfidence')}
          value={f.minConfidence}
          options={paramEnum('/api/victims', 'minConfidence')}
          onChange={(x) => set({ minConfidence: x })}
        />
      </FilterForm>
      <ErrorBox error={error} />
      {page && (
        <>
          <h2>{t('search.results')}</h2>
          {page.items.length === 0 ? (
            <p>{t('common.none')}</p>
          ) : (
            <table className="results">
              <thead>
                <tr>
                  <th scope="col">{t('common.name')}</th>
                  <th scope="col">{t('common.date')}</th>
                  <th scope="col">{t('common.place')}</th>
                  <th scope="col">{t('common.harm')}</th>
                  <th scope="col">{t('common.status')}</th>
                  <th scope="col">{t('common.confidence')}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((v) => (
                  <tr key={v.id}>
                    <td>
                      <a href={`#/victims/${v.id}`} dir="auto">
                        {v.nameFa ?? v.nameEn ?? v.id}
                      </a>
                      {v.nameFa && v.nameEn && (
                        <div className="sub" dir="ltr">
                          {v.nameEn}
                        </div>
                      )}
                      {v.nameMatch && <span className="badge">{v.nameMatch}</span>}
                    </td>
                    <td>
                      {dualDate(v.date, i18n.language)}{' '}
                      {v.dateMatch && (
                        <span className={`badge ${v.dateMatch}`}>{t(`date.${v.dateMatch}`)}</span>
                      )}
                    </td>
                    <td>
                      {placeName(v.location, i18n.language)}{' '}
                      <span className="sub">
                        {t('search.precision')}: {enumLabel(v.placePrecision ?? 'exact')}
                      </span>
                    </td>
                    <td>{enumLabel(v.harm)}</td>
                    <td>{enumLabel(v.status)}</td>
                    <td>{enumLabel(v.confidence)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <nav className="pager" aria-label={t('search.results')}>
            <button
              type="button"
              disabled={cursors.length <= 1}
              onClick={() => setCursors((c) => c.slice(0, -1))}
            >
              {t('common.previous')}
            </button>
            <span>{num(cursors.length)}</span>
            <button
              type="button"
              disabled={!page.nextCursor}
              onClick={() => setCursors((c) => [...c, page.nextCursor ?? undefined])}
            >
              {t('common.next')}
            </button>
          </nav>
        </>
      )}
    </section>
  );
}

export function RecordPage({ session, id }: { session: Session; id: string }): ReactNode {
  const { t, i18n } = useTranslation();
  const [v, setV] = useState<Victim | null>(null);
  const [history, setHistory] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<Victim>(`/api/victims/${id}`).then(setV).catch(setError);
    if (can(session, 'researcher')) {
      api<{ items: AuditEntry[] }>(`/api/victims/${id}/history`, { query: { limit: 50 } })
        .then((r) => setHistory(r.items))
        .catch(setError);
    }
  }, [id, session]);
  if (error) return <ErrorBox error={error} />;
  if (!v) return <p>{t('common.loading')}</p>;
  return (
    <section aria-labelledby="record-title">
      <h1 id="record-title" dir="auto">
        {v.nameFa ?? v.nameEn ?? v.id}{' '}
        {v.nameFa && v.nameEn ? <span dir="ltr">({v.nameEn})</span> : null}
      </h1>
      {can(session, 'researcher') && (
        <button type="button" onClick={() => go(`/victims/${id}/edit`)}>
          {t('search.edit')}
        </button>
      )}
      <dl className="record">
        <dt>{t('common.harm')}</dt>
        <dd>{enumLabel(v.harm)}</dd>
        <dt>{t('common.date')}</dt>
        <dd>
          {dualDate(v.date, i18n.language)}{' '}
          {v.date?.original ? <span className="sub">(“{v.date.original}”)</span> : null}
        </dd>
        <dt>{t('common.place')}</dt>
        <dd>
          {[...(v.location?.ancestors ?? []), ...(v.location ? [v.location] : [])]
            .map((p) => placeName(p, i18n.language))
            .join(' › ') || '—'}{' '}
          <span className="sub">
            {t('search.precision')}: {enumLabel(v.placePrecision ?? 'exact')}
          </span>
        </dd>
        <dt>{t('entry.fatherName')}</dt>
        <dd dir="auto">{v.fatherName ?? '—'}</dd>
        <dt>{t('entry.gender')}</dt>
        <dd>{enumLabel(v.gender)}</dd>
        <dt>{t('entry.age')}</dt>
        <dd>{v.age !== null ? num(v.age) : (v.ageBand ?? '—')}</dd>
        <dt>{t('entry.cause')}</dt>
        <dd>{enumLabel(v.cause)}</dd>
        <dt>{t('entry.perpetrator')}</dt>
        <dd>{enumLabel(v.perpetrator)}</dd>
        <dt>{t('common.status')}</dt>
        <dd>
          {enumLabel(v.status)} (v{v.version})
        </dd>
        <dt>{t('common.confidence')}</dt>
        <dd>{enumLabel(v.confidence)}</dd>
        {/* The API sends these to researchers and above only; the page shows them to no one else. */}
        {can(session, 'researcher') &&
          (['witnessNames', 'familyContact', 'internalNotes'] as const).map((k) => (
            <Fragment key={k}>
              <dt className="restricted">{t(`entry.${k}`)}</dt>
              <dd dir="auto">{v[k] ?? '—'}</dd>
            </Fragment>
          ))}
      </dl>
      <h2>{t('review.attestations')}</h2>
      <ul className="attestations">
        {(v.attestations ?? []).map((a) => (
          <li key={a.id}>
            <strong dir="auto">{a.source?.title ?? a.sourceId}</strong> [{a.source?.reliability}
            {a.credibility}] {a.locator ?? ''}
            {a.excerpt && <blockquote dir="auto">{a.excerpt}</blockquote>}
          </li>
        ))}
      </ul>
      {history && (
        <>
          <h2>{t('search.history')}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('common.date')}</th>
                <th scope="col">{t('common.name')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{t('common.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.id}>
                  <td dir="ltr">{new Date(h.at).toISOString().replace('T', ' ').slice(0, 19)}</td>
                  <td>{h.actor?.name ?? 'system'}</td>
                  <td>
                    {h.action}
                    {h.action === 'status' && h.before && h.after
                      ? `: ${enumLabel(String(h.before.status))} → ${enumLabel(String(h.after.status))}`
                      : ''}
                  </td>
                  <td dir="auto">{h.reason ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
