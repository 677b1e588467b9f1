import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { answers, api, type AuditEntry, type Page, type Victim } from '../api';
import { enumLabel } from '../i18n';
import type { Session } from '../session';
import { dualDate, ErrorBox, placeName, TextInput } from '../ui';

interface Candidate {
  victim: Victim;
  score: number;
  reasons: string[];
}

/** Who created a record: the actor of its `create` entry in the audit log. */
async function creatorOf(id: string): Promise<string | null> {
  let cursor: string | undefined;
  for (let i = 0; i < 5; i++) {
    const page = await api<{ items: AuditEntry[]; nextCursor: string | null }>(
      `/api/victims/${id}/history`,
      {
        query: { limit: 100, cursor },
      },
    );
    const created = page.items.find((e) => e.action === 'create');
    if (created) return created.actor?.id ?? null;
    if (!page.nextCursor) return null;
    cursor = page.nextCursor;
  }
  return null;
}

export function ReviewPage({ session }: { session: Session }): ReactNode {
  const { t } = useTranslation();
  const me = session.kind === 'user' ? session.me.id : null;
  const [items, setItems] = useState<Victim[] | null>(null);
  const [own, setOwn] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [clusters, setClusters] = useState<unknown>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      const page = await api<Page<Victim>>('/api/victims', {
        query: { status: 'submitted', limit: 50, sort: 'created' },
      });
      const full = await Promise.all(
        page.items.map(async (v) => ({
          v: await api<Victim>(`/api/victims/${v.id}`),
          by: await creatorOf(v.id),
        })),
      );
      // Never one's own: the API refuses it anyway; the queue does not offer it.
      setOwn(full.filter((x) => x.by !== null && x.by === me).length);
      setItems(full.filter((x) => x.by === null || x.by !== me).map((x) => x.v));
    } catch (e) {
      setError(e);
    }
  }, [me]);
  useEffect(() => {
    void load();
    // The duplicates queue is another part of the API: shown only once the route answers.
    void answers('/api/duplicates').then(async (ok) => {
      if (ok) setClusters(await api<unknown>('/api/duplicates'));
    });
  }, [load]);
  return (
    <section aria-labelledby="review-title">
      <h1 id="review-title">{t('review.title')}</h1>
      <ErrorBox error={error} />
      {own > 0 && <p className="note">{t('review.own', { n: own })}</p>}
      {items === null ? (
        <p>{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p>{t('review.empty')}</p>
      ) : (
        items.map((v) => <ReviewItem key={v.id} victim={v} onDone={() => void load()} />)
      )}
      {clusters !== null && <Clusters data={clusters} />}
    </section>
  );
}

function ReviewItem({ victim, onDone }: { victim: Victim; onDone: () => void }): ReactNode {
  const { t, i18n } = useTranslation();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [dups, setDups] = useState<Candidate[] | null>(null);
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => {
    api<{ candidates: Candidate[] }>(`/api/victims/${victim.id}/duplicates`)
      .then((r) => setDups(r.candidates.slice(0, 3)))
      .catch(() => setDups([]));
  }, [victim.id]);
  const move = (to: string, fallbackReason: string): void => {
    setError(null);
    api(`/api/victims/${victim.id}/status`, {
      method: 'POST',
      body: { to, reason: comment.trim() || fallbackReason, version: victim.version },
    })
      .then(() => {
        setDone(to);
        setTimeout(onDone, 600);
      })
      .catch(setError);
  };
  const merge = (other: Victim): void => {
    api(`/api/victims/${victim.id}/merge`, {
      method: 'POST',
      body: {
        into: other.id,
        reason: comment.trim() || 'same person (review)',
        version: victim.version,
      },
    })
      .then(onDone)
      .catch(setError);
  };
  const title =
    `${victim.nameFa ?? ''} ${victim.nameEn ? `(${victim.nameEn})` : ''}`.trim() || victim.id;
  return (
    <article className="card review-item" aria-label={title}>
      <h2 dir="auto">{title}</h2>
      <div className="side-by-side">
        <dl>
          <dt>{t('common.harm')}</dt>
          <dd>{enumLabel(victim.harm)}</dd>
          <dt>{t('common.date')}</dt>
          <dd>{dualDate(victim.date, i18n.language)}</dd>
          <dt>{t('common.place')}</dt>
          <dd>
            {placeName(victim.location, i18n.language)}{' '}
            {victim.placeOriginal ? `(“${victim.placeOriginal}”)` : ''}
          </dd>
          <dt>{t('entry.age')}</dt>
          <dd>{victim.age ?? '—'}</dd>
          <dt>{t('entry.cause')}</dt>
          <dd>{enumLabel(victim.cause)}</dd>
          <dt>{t('common.confidence')}</dt>
          <dd>{enumLabel(victim.confidence)}</dd>
        </dl>
        <div>
          <h3>{t('review.attestations')}</h3>
          <ul className="attestations">
            {(victim.attestations ?? []).map((a) => (
              <li key={a.id}>
                <strong dir="auto">{a.source?.title ?? a.sourceId}</strong> [{a.source?.reliability}
                {a.credibility}] {a.locator && <span>— {a.locator}</span>}
                {a.excerpt && <blockquote dir="auto">{a.excerpt}</blockquote>}
              </li>
            ))}
          </ul>
        </div>
      </div>
      {dups && dups.length > 0 && (
        <div className="dups">
          <h3>{t('review.duplicates')}</h3>
          {dups.map((d) => (
            <div key={d.victim.id} className="dup">
              <span dir="auto">
                {d.victim.nameFa ?? ''} {d.victim.nameEn ?? ''} —{' '}
                {placeName(d.victim.location, i18n.language)} —{' '}
                {dualDate(d.victim.date, i18n.language)} ({Math.round(d.score * 100)}%)
              </span>
              <button type="button" onClick={() => merge(d.victim)}>
                {t('review.same')}
              </button>
            </div>
          ))}
        </div>
      )}
      <TextInput label={t('review.comment')} value={comment} onChange={setComment} multiline />
      <ErrorBox error={error} />
      {done ? (
        <p className="ok" role="status">
          {t('review.done', { status: enumLabel(done) })}
        </p>
      ) : (
        <div className="actions">
          <button
            type="button"
            className="primary"
            onClick={() => move('verified', 'checked against its sources')}
          >
            {t('review.verify')}
          </button>
          <button type="button" onClick={() => move('disputed', 'review found a problem')}>
            {t('review.sendBack')}
          </button>
        </div>
      )}
    </article>
  );
}

/** GET /api/duplicates, whatever its shape: clusters of records shown side by side. */
function Clusters({ data }: { data: unknown }): ReactNode {
  const { t, i18n } = useTranslation();
  const list = Array.isArray(data) ? data : ((data as { items?: unknown[] }).items ?? []);
  return (
    <section aria-labelledby="clusters-title">
      <h2 id="clusters-title">{t('review.clusters')}</h2>
      {list.length === 0 && <p>{t('review.noDuplicates')}</p>}
      {list.map((c, i) => {
        const members =
          (c as { victims?: Victim[]; members?: Victim[] }).victims ??
          (c as { members?: Victim[] }).members ??
          [];
        return (
          <div key={i} className="cluster side-by-side">
            {members.map((m) => (
              <div key={m.id} className="card">
                <strong dir="auto">{m.nameFa ?? m.nameEn}</strong>
                <div>{placeName(m.location, i18n.language)}</div>
                <div>{dualDate(m.date, i18n.language)}</div>
                <a href={`#/victims/${m.id}`}>{t('search.record')}</a>
              </div>
            ))}
          </div>
        );
      })}
    </section>
  );
}
