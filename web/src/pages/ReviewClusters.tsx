import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type DualDate } from '../api';
import { enumLabel, num } from '../i18n';
import { dualDate, ErrorBox, TextInput } from '../ui';
import { Facts } from './review-parts';

// The duplicate clusters of the review queue: records side by side, the evidence per pair, and
// the reviewer's decision (same person, different people, not sure).

interface ClusterRecord {
  id: string;
  nameEn: string | null;
  nameFa: string | null;
  nameVariants: string[];
  gender: string | null;
  age: number | null;
  harm: string;
  date: DualDate | null;
  place: string | null;
  placeFa: string | null;
  status: string;
  confidence: string;
  sources: number;
}

interface PairEvidence {
  score: number;
  name?: { score: number; given: number; family: number | null; compared: [string, string] };
  date?: number;
  place?: number;
  age?: number;
  gender?: number;
  sources?: number;
  veto?: string | null;
}

interface Cluster {
  id: string;
  state: string;
  score: number;
  size: number;
  records: ClusterRecord[];
  pairs: { a: string; b: string; score: number; evidence: PairEvidence }[];
}

const pct = (x: number | null | undefined): string =>
  x === null || x === undefined ? '—' : `${num(Math.round(x * 100))}%`;

export function Clusters({ onDone }: { onDone: () => void }): ReactNode {
  const { t } = useTranslation();
  const [page, setPage] = useState<{ items: Cluster[]; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api<{ items: Cluster[]; total: number }>('/api/duplicates', { query: { limit: 20 } })
      .then(setPage)
      .catch(setError);
  }, []);
  useEffect(load, [load]);
  return (
    <section aria-labelledby="clusters-title">
      <h2 id="clusters-title">{t('review.clusters')}</h2>
      <ErrorBox error={error} />
      {page === null ? (
        <p>{t('common.loading')}</p>
      ) : page.items.length === 0 ? (
        <p>{t('review.noDuplicates')}</p>
      ) : (
        <>
          <p className="sub">{t('review.clustersTotal', { n: num(page.total) })}</p>
          {page.items.map((c) => (
            <ClusterItem
              key={c.id}
              cluster={c}
              onDone={() => {
                load();
                onDone();
              }}
            />
          ))}
        </>
      )}
    </section>
  );
}

function ClusterItem({ cluster, onDone }: { cluster: Cluster; onDone: () => void }): ReactNode {
  const { t, i18n } = useTranslation();
  const [keep, setKeep] = useState(
    (cluster.records.find((r) => r.status === 'verified') ?? cluster.records[0])?.id ?? '',
  );
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const nameOf = (id: string): string => {
    const r = cluster.records.find((x) => x.id === id);
    if (!r) return id;
    return (
      [r.nameFa, r.nameEn && r.nameFa ? `(${r.nameEn})` : r.nameEn].filter(Boolean).join(' ') || id
    );
  };
  const title = t('review.cluster', {
    names: cluster.records
      .map((r) =>
        [r.nameFa, r.nameEn && r.nameFa ? `(${r.nameEn})` : r.nameEn].filter(Boolean).join(' '),
      )
      .join(' / '),
    score: pct(cluster.score),
  });
  const decide = (decision: 'same' | 'different' | 'unsure'): void => {
    setError(null);
    api(`/api/duplicates/${cluster.id}/decision`, {
      method: 'POST',
      body: { decision, reason: reason.trim(), ...(decision === 'same' ? { into: keep } : {}) },
    })
      .then(() => {
        setDone(decision);
        setTimeout(onDone, 600);
      })
      .catch(setError);
  };
  return (
    <article className="card cluster" aria-label={title}>
      <h3 dir="auto">{title}</h3>
      <fieldset className="cluster-records">
        <legend>{t('review.keep')}</legend>
        <div className="side-by-side">
          {cluster.records.map((r) => (
            <label key={r.id} className="card cluster-record">
              <span className="keep">
                <input
                  type="radio"
                  name={`keep-${cluster.id}`}
                  value={r.id}
                  checked={keep === r.id}
                  onChange={() => setKeep(r.id)}
                />{' '}
                <strong dir="auto">{r.nameFa ?? r.nameEn ?? '—'}</strong>
                {r.nameFa && r.nameEn && <span className="sub"> ({r.nameEn})</span>}
              </span>
              <Facts
                rows={[
                  [t('common.harm'), enumLabel(r.harm)],
                  [t('common.date'), dualDate(r.date, i18n.language)],
                  [
                    t('common.place'),
                    (i18n.language === 'fa' ? (r.placeFa ?? r.place) : r.place) ?? '—',
                  ],
                  [t('entry.age'), r.age ?? '—'],
                  [t('entry.gender'), enumLabel(r.gender)],
                  [t('common.status'), enumLabel(r.status)],
                  [t('common.confidence'), enumLabel(r.confidence)],
                  [t('review.sourceCount'), num(r.sources)],
                ]}
              />
              <a href={`#/victims/${r.id}`}>{t('search.record')}</a>
            </label>
          ))}
        </div>
      </fieldset>
      <table className="evidence">
        <caption>{t('review.evidence')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('review.pair')}</th>
            <th scope="col">{t('review.score')}</th>
            <th scope="col">{t('review.name')}</th>
            <th scope="col">{t('common.date')}</th>
            <th scope="col">{t('common.place')}</th>
            <th scope="col">{t('entry.age')}</th>
            <th scope="col">{t('entry.gender')}</th>
            <th scope="col">{t('review.sourceCount')}</th>
            <th scope="col">{t('review.veto')}</th>
          </tr>
        </thead>
        <tbody>
          {cluster.pairs.map((p) => (
            <tr key={`${p.a}-${p.b}`}>
              <th scope="row" dir="auto">
                {nameOf(p.a)} ↔ {nameOf(p.b)}
              </th>
              <td className="n">{pct(p.score)}</td>
              <td>
                {pct(p.evidence.name?.score)}
                {p.evidence.name && (
                  <span className="sub" dir="auto">
                    {' '}
                    ({p.evidence.name.compared.join(' / ')})
                  </span>
                )}
              </td>
              <td className="n">{pct(p.evidence.date)}</td>
              <td className="n">{pct(p.evidence.place)}</td>
              <td className="n">{pct(p.evidence.age)}</td>
              <td className="n">{pct(p.evidence.gender)}</td>
              <td className="n">{pct(p.evidence.sources)}</td>
              <td>{p.evidence.veto ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <TextInput
        label={t('review.decisionReason')}
        value={reason}
        onChange={setReason}
        multiline
        name="reason"
        error={error instanceof ApiError ? error : null}
      />
      <ErrorBox error={error} />
      {done ? (
        <p className="ok" role="status">
          {t('review.decided', { decision: t(`review.${done === 'unsure' ? 'notSure' : done}`) })}
        </p>
      ) : (
        <div className="actions">
          <button type="button" className="primary" onClick={() => decide('same')}>
            {t('review.same')}
          </button>
          <button type="button" onClick={() => decide('different')}>
            {t('review.different')}
          </button>
          <button type="button" onClick={() => decide('unsure')}>
            {t('review.notSure')}
          </button>
        </div>
      )}
    </article>
  );
}
