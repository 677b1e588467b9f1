import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type Location, type Source } from '../api';
import { enumLabel, num } from '../i18n';
import { dtoEnum, dtoHas } from '../schema';
import type { Session } from '../session';
import {
  DateInput,
  draftFields,
  dateText,
  dualDate,
  emptyDate,
  ErrorBox,
  placeLabel,
  searchPlaces,
  searchSources,
  Select,
  sourceLabel,
  TextInput,
  TypeAhead,
  type DateValue,
} from '../ui';

export interface SourceDraft {
  kind: string;
  title: string;
  publisher: string;
  author: string;
  published: DateValue;
  url: string;
  reliability: string;
  interest: string;
  interestNote: string;
  restricted: boolean;
}

export const emptySource = (): SourceDraft => ({
  kind: 'report',
  title: '',
  publisher: '',
  author: '',
  published: { ...emptyDate('gregorian'), precision: 'unknown' },
  url: '',
  reliability: 'F',
  interest: '',
  interestNote: '',
  restricted: false,
});

export function sourceBody(s: SourceDraft): Record<string, unknown> {
  const published = dateText(s.published);
  return {
    kind: s.kind,
    title: s.title.trim(),
    publisher: s.publisher.trim() || undefined,
    author: s.author.trim() || undefined,
    published,
    publishedCalendar: published ? s.published.calendar : undefined,
    url: s.url.trim() || undefined,
    reliability: s.reliability,
    // Sent only when the API has the field (read from its OpenAPI document).
    interest: dtoHas('CreateSourceDto', 'interest') ? s.interest || undefined : undefined,
    interestNote: s.interestNote.trim() || undefined,
    restricted: s.restricted || undefined,
  };
}

/** The fields of a source; used here and inline in case entry. */
export function SourceFields(props: {
  draft: SourceDraft;
  onChange: (d: SourceDraft) => void;
  error: ApiError | null;
}): ReactNode {
  const { t } = useTranslation();
  const s = props.draft;
  const set = (patch: Partial<SourceDraft>): void => props.onChange({ ...s, ...patch });
  const e = props.error;
  const f = draftFields(s, set, e);
  const interests = dtoEnum('CreateSourceDto', 'interest');
  return (
    <div className="source-fields">
      <ErrorBox error={e && !(e.body.errors ?? []).length ? e : null} />
      <div className="grid">
        {f.select('kind', t('sources.kind'), dtoEnum('CreateSourceDto', 'kind'), { empty: false })}
        {f.text('title', t('sources.sourceTitle'))}
        {f.text('publisher', t('sources.publisher'))}
        {f.text('author', t('sources.author'))}
        {f.text('url', t('sources.url'), { dir: 'ltr' })}
        {f.select(
          'reliability',
          t('sources.reliability'),
          dtoEnum('CreateSourceDto', 'reliability'),
          { labels: (x) => x, empty: false },
        )}
        {interests.length > 0 &&
          f.select('interest', t('sources.interest'), interests, { empty: '—' })}
        {f.text('interestNote', t('sources.interestNote'))}
      </div>
      <DateInput
        legend={t('sources.published')}
        name="published"
        value={s.published}
        onChange={(d) => set({ published: d })}
        error={e}
      />
      <label className="check">
        <input
          type="checkbox"
          checked={s.restricted}
          onChange={(ev) => set({ restricted: ev.target.checked })}
        />{' '}
        {t('sources.restricted')}
      </label>
    </div>
  );
}

interface Claim {
  id: string;
  category: string;
  qualifier: string;
  figures?: { low: number | null; best: number | null; high: number | null };
  low?: number | null;
  best?: number | null;
  high?: number | null;
  status: string;
  excerpt: string | null;
  source?: { title: string } | null;
  sourceId: string;
}

/** Which figures a qualifier needs (the API's CreateClaimDto says the same). */
const FIGURES: Record<string, ('low' | 'best' | 'high')[]> = {
  exact: ['best'],
  at_least: ['low'],
  more_than: ['low'],
  about: ['best'],
  at_most: ['high'],
  up_to: ['high'],
  between: ['low', 'high'],
  estimates_range: ['low', 'high'],
};

export function SourcesPage({ session }: { session: Session }): ReactNode {
  const { t, i18n } = useTranslation();
  const [q, setQ] = useState('');
  const [list, setList] = useState<Source[]>([]);
  const [draft, setDraft] = useState<SourceDraft>(emptySource);
  const [error, setError] = useState<ApiError | null>(null);
  const [other, setOther] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const load = useCallback(() => {
    api<{ items: Source[] }>('/api/sources', { query: { q, limit: 50 } })
      .then((r) => setList(r.items))
      .catch(setOther);
  }, [q]);
  useEffect(load, [load]);
  return (
    <>
      <section aria-labelledby="sources-title">
        <h1 id="sources-title">{t('sources.title')}</h1>
        <ErrorBox error={other} />
        <form
          className="card"
          aria-labelledby="source-new"
          onSubmit={(e) => {
            e.preventDefault();
            setError(null);
            setSaved(null);
            api<Source>('/api/sources', { method: 'POST', body: sourceBody(draft) })
              .then((s) => {
                setSaved(s.id);
                setDraft(emptySource());
                load();
              })
              .catch((x: unknown) => (x instanceof ApiError ? setError(x) : setOther(x)));
          }}
        >
          <h2 id="source-new">{t('sources.new')}</h2>
          {saved && (
            <p className="ok" role="status">
              {t('common.created', { id: saved })}
            </p>
          )}
          <SourceFields draft={draft} onChange={setDraft} error={error} />
          <button type="submit" className="primary">
            {t('sources.save')}
          </button>
        </form>
        <h2>{t('sources.list')}</h2>
        <TextInput label={t('sources.filter')} value={q} onChange={setQ} />
        <table>
          <thead>
            <tr>
              <th scope="col">{t('sources.sourceTitle')}</th>
              <th scope="col">{t('sources.publisher')}</th>
              <th scope="col">{t('sources.kind')}</th>
              <th scope="col">{t('sources.published')}</th>
              <th scope="col">{t('sources.reliability')}</th>
              <th scope="col">{t('sources.interest')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id}>
                <td dir="auto">{s.title}</td>
                <td dir="auto">{s.publisher ?? '—'}</td>
                <td>{enumLabel(s.kind)}</td>
                <td>{dualDate(s.published, i18n.language)}</td>
                <td>{s.reliability}</td>
                <td>{s.interest ? enumLabel(s.interest) : (s.interestNote ?? '—')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <ClaimsSection session={session} />
    </>
  );
}

function ClaimsSection({ session: _session }: { session: Session }): ReactNode {
  const { t, i18n } = useTranslation();
  const [sourceText, setSourceText] = useState('');
  const [source, setSource] = useState<Source | null>(null);
  const [category, setCategory] = useState('killed');
  const [qualifier, setQualifier] = useState('at_least');
  const [fig, setFig] = useState({ low: '', best: '', high: '' });
  const [basis, setBasis] = useState('estimate');
  const [placeText, setPlaceText] = useState('');
  const [place, setPlace] = useState<Location | null>(null);
  const [date, setDate] = useState<DateValue>({ ...emptyDate('gregorian'), precision: 'unknown' });
  const [population, setPopulation] = useState('all');
  const [excerpt, setExcerpt] = useState('');
  const [locator, setLocator] = useState('');
  const [credibility, setCredibility] = useState('3');
  const [error, setError] = useState<ApiError | null>(null);
  const [other, setOther] = useState<unknown>(null);
  const [claims, setClaims] = useState<Claim[]>([]);
  const [saved, setSaved] = useState<string | null>(null);
  const [submit, setSubmit] = useState(true);
  const load = useCallback(() => {
    api<{ items: Claim[] }>('/api/claims', { query: { limit: 50 } })
      .then((r) => setClaims(r.items))
      .catch(setOther);
  }, []);
  useEffect(load, [load]);
  const needed = FIGURES[qualifier] ?? ['low', 'best', 'high'];
  const dt = dateText(date);
  return (
    <section aria-labelledby="claims-title">
      <h1 id="claims-title">{t('claims.title')}</h1>
      <ErrorBox error={other} />
      <form
        className="card"
        aria-labelledby="claim-new"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          setSaved(null);
          const n = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s));
          api<{ id: string; version: number }>('/api/claims', {
            method: 'POST',
            body: {
              sourceId: source?.id ?? '',
              category,
              qualifier,
              low: needed.includes('low') ? n(fig.low) : undefined,
              best: needed.includes('best') ? n(fig.best) : undefined,
              high: needed.includes('high') ? n(fig.high) : undefined,
              basis,
              location: place?.id ?? (placeText.trim() || undefined),
              date: dt,
              dateCalendar: dt ? date.calendar : undefined,
              population,
              excerpt: excerpt.trim() || undefined,
              locator: locator.trim() || undefined,
              credibility: Number(credibility),
            },
          })
            .then(async (c) => {
              // Like a case, a claim is offered for review in the same step (draft otherwise).
              if (submit)
                await api(`/api/claims/${c.id}/status`, {
                  method: 'POST',
                  body: { to: 'submitted', reason: 'entered for review', version: c.version },
                });
              setSaved(c.id);
              load();
            })
            .catch((x: unknown) => (x instanceof ApiError ? setError(x) : setOther(x)));
        }}
      >
        <h2 id="claim-new">{t('claims.new')}</h2>
        {saved && (
          <p className="ok" role="status">
            {t('common.created', { id: saved })}
          </p>
        )}
        {error && !(error.body.errors ?? []).length && <ErrorBox error={error} />}
        <TypeAhead<Source>
          label={t('common.source')}
          name="sourceId"
          error={error}
          text={sourceText}
          onText={setSourceText}
          chosen={source}
          onChoose={setSource}
          search={searchSources}
          render={sourceLabel}
        />
        <div className="grid">
          <Select
            label={t('common.category')}
            name="category"
            value={category}
            options={dtoEnum('CreateClaimDto', 'category')}
            onChange={setCategory}
            error={error}
            empty={false}
          />
          <Select
            label={t('claims.qualifier')}
            name="qualifier"
            value={qualifier}
            options={dtoEnum('CreateClaimDto', 'qualifier')}
            onChange={setQualifier}
            error={error}
            empty={false}
          />
          {needed.map((k) => (
            <TextInput
              key={k}
              label={t(`claims.${k}`)}
              name={k}
              type="number"
              value={fig[k]}
              onChange={(x) => setFig({ ...fig, [k]: x })}
              error={error}
            />
          ))}
          <Select
            label={t('claims.basis')}
            name="basis"
            value={basis}
            options={dtoEnum('CreateClaimDto', 'basis')}
            onChange={setBasis}
            error={error}
            empty={false}
          />
          <Select
            label={t('claims.population')}
            name="population"
            value={population}
            options={dtoEnum('CreateClaimDto', 'population')}
            onChange={setPopulation}
            error={error}
            empty={false}
          />
          <TypeAhead<Location>
            label={t('claims.scopePlace')}
            name="location"
            error={error}
            text={placeText}
            onText={setPlaceText}
            chosen={place}
            onChoose={setPlace}
            search={searchPlaces}
            render={(l) => placeLabel(l, i18n.language)}
          />
          <Select
            label={t('entry.credibility')}
            name="credibility"
            value={credibility}
            options={['1', '2', '3', '4', '5', '6']}
            labels={(x) => x}
            onChange={setCredibility}
            error={error}
            empty={false}
          />
          <TextInput
            label={t('entry.locator')}
            name="locator"
            value={locator}
            onChange={setLocator}
            error={error}
          />
        </div>
        <DateInput
          legend={t('claims.scopeDate')}
          name="date"
          value={date}
          onChange={setDate}
          error={error}
        />
        <TextInput
          label={t('entry.excerpt')}
          name="excerpt"
          value={excerpt}
          onChange={setExcerpt}
          error={error}
          multiline
        />
        <label className="check">
          <input type="checkbox" checked={submit} onChange={(e) => setSubmit(e.target.checked)} />{' '}
          {t('entry.submitForReview')}
        </label>
        <button type="submit" className="primary">
          {t('claims.save')}
        </button>
      </form>
      <h2>{t('claims.list')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('common.category')}</th>
            <th scope="col">{t('claims.qualifier')}</th>
            <th scope="col">{t('claims.low')}</th>
            <th scope="col">{t('claims.best')}</th>
            <th scope="col">{t('claims.high')}</th>
            <th scope="col">{t('common.status')}</th>
            <th scope="col">{t('entry.excerpt')}</th>
          </tr>
        </thead>
        <tbody>
          {claims.map((c) => {
            const f = c.figures ?? {
              low: c.low ?? null,
              best: c.best ?? null,
              high: c.high ?? null,
            };
            return (
              <tr key={c.id}>
                <td>{enumLabel(c.category)}</td>
                <td>{enumLabel(c.qualifier)}</td>
                <td>{num(f.low)}</td>
                <td>{num(f.best)}</td>
                <td>{num(f.high)}</td>
                <td>{enumLabel(c.status)}</td>
                <td dir="auto" className="excerpt">
                  {c.excerpt ?? '—'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
