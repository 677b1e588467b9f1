import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type AuditEntry, type DualDate, type Page, type PlaceRef, type Victim } from '../api';
import { enumLabel, num } from '../i18n';
import type { Session } from '../session';
import { dualDate, ErrorBox, placeName } from '../ui';
import { Clusters } from './ReviewClusters';
import {
  Excerpt,
  Facts,
  QueueSection,
  WorkflowActions,
  type Kind,
  type SourceRef,
} from './review-parts';

interface Candidate {
  victim: Victim;
  score: number;
  reasons: string[];
}

interface Claim {
  id: string;
  category: string;
  qualifier: string;
  low: number | null;
  best: number | null;
  high: number | null;
  source: SourceRef;
  attributedSource: SourceRef | null;
  location: PlaceRef | null;
  date: DualDate | null;
  population: string;
  populationNote: string | null;
  basis: string;
  excerpt: string | null;
  locator: string | null;
  credibility: number;
  status: string;
  version: number;
}

interface Incident {
  id: string;
  title: string;
  titleFa: string | null;
  description: string | null;
  date: DualDate | null;
  location: PlaceRef | null;
  category: string;
  perpetrators: string[];
  status: string;
  version: number;
  attestations: {
    id: string;
    source: SourceRef;
    locator: string | null;
    excerpt: string | null;
    credibility: number;
  }[];
}

/** The record kinds the workflow moves, as their routes name them. */

/** Who created a record: the actor of its `create` entry in the audit log. */
async function creatorOf(kind: Kind, id: string): Promise<string | null> {
  let cursor: string | undefined;
  for (let i = 0; i < 5; i++) {
    const page = await api<{ items: AuditEntry[]; nextCursor: string | null }>(
      `/api/${kind}/${id}/history`,
      { query: { limit: 100, cursor } },
    );
    const created = page.items.find((e) => e.action === 'create');
    if (created) return created.actor?.id ?? null;
    if (!page.nextCursor) return null;
    cursor = page.nextCursor;
  }
  return null;
}

/**
 * The submitted records of one kind that someone else created (the API refuses a reviewer's
 * own anyway; the queue does not offer them), and how many of one's own were left out.
 */
async function queueOf<T extends { id: string }>(
  kind: Kind,
  me: string | null,
  full: (item: T) => Promise<T> = (x) => Promise.resolve(x),
): Promise<{ items: T[]; own: number }> {
  const page = await api<Page<T>>(`/api/${kind}`, {
    query: { status: 'submitted', limit: 50, ...(kind === 'victims' ? { sort: 'created' } : {}) },
  });
  const withCreator = await Promise.all(
    page.items.map(async (x) => ({ x: await full(x), by: await creatorOf(kind, x.id) })),
  );
  const own = withCreator.filter((w) => w.by !== null && w.by === me).length;
  return { items: withCreator.filter((w) => w.by === null || w.by !== me).map((w) => w.x), own };
}

interface Queue {
  victims: Victim[];
  claims: Claim[];
  incidents: Incident[];
  own: number;
}

export function ReviewPage({ session }: { session: Session }): ReactNode {
  const { t } = useTranslation();
  const me = session.kind === 'user' ? session.me.id : null;
  const [queue, setQueue] = useState<Queue | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      const [victims, claims, incidents] = await Promise.all([
        queueOf<Victim>('victims', me, (v) => api<Victim>(`/api/victims/${v.id}`)),
        queueOf<Claim>('claims', me),
        queueOf<Incident>('incidents', me),
      ]);
      setQueue({
        victims: victims.items,
        claims: claims.items,
        incidents: incidents.items,
        own: victims.own + claims.own + incidents.own,
      });
    } catch (e) {
      setError(e);
    }
  }, [me]);
  useEffect(() => void load(), [load]);
  const reload = (): void => void load();
  return (
    <section aria-labelledby="review-title">
      <h1 id="review-title">{t('review.title')}</h1>
      <ErrorBox error={error} />
      {queue && queue.own > 0 && <p className="note">{t('review.own', { n: queue.own })}</p>}
      <QueueSection id="review-victims" title={t('review.victims')} items={queue?.victims}>
        {(v) => <VictimItem key={v.id} victim={v} onDone={reload} />}
      </QueueSection>
      <QueueSection id="review-claims" title={t('review.claims')} items={queue?.claims}>
        {(c) => <ClaimItem key={c.id} claim={c} onDone={reload} />}
      </QueueSection>
      <QueueSection id="review-incidents" title={t('review.incidents')} items={queue?.incidents}>
        {(i) => <IncidentItem key={i.id} incident={i} onDone={reload} />}
      </QueueSection>
      <Clusters onDone={reload} />
    </section>
  );
}

function VictimItem({ victim, onDone }: { victim: Victim; onDone: () => void }): ReactNode {
  const { t, i18n } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [dups, setDups] = useState<Candidate[] | null>(null);
  useEffect(() => {
    api<{ candidates: Candidate[] }>(`/api/victims/${victim.id}/duplicates`)
      .then((r) => setDups(r.candidates.slice(0, 3)))
      .catch(() => setDups([]));
  }, [victim.id]);
  const merge = (other: Victim): void => {
    api(`/api/victims/${victim.id}/merge`, {
      method: 'POST',
      body: { into: other.id, reason: 'same person (review)', version: victim.version },
    })
      .then(onDone)
      .catch(setError);
  };
  const title =
    `${victim.nameFa ?? ''} ${victim.nameEn ? `(${victim.nameEn})` : ''}`.trim() || victim.id;
  return (
    <article className="card review-item" aria-label={title}>
      <h3 dir="auto">{title}</h3>
      <div className="side-by-side">
        <Facts
          rows={[
            [t('common.harm'), enumLabel(victim.harm)],
            [t('common.date'), dualDate(victim.date, i18n.language)],
            [
              t('common.place'),
              `${placeName(victim.location, i18n.language)} ${victim.placeOriginal ? `(“${victim.placeOriginal}”)` : ''}`,
            ],
            [t('entry.age'), victim.age ?? '—'],
            [t('entry.cause'), enumLabel(victim.cause)],
            [t('common.confidence'), enumLabel(victim.confidence)],
          ]}
        />
        <div>
          <h4>{t('review.attestations')}</h4>
          <ul className="attestations">
            {(victim.attestations ?? []).map((a) => (
              <Excerpt key={a.id} {...a} fallback={a.sourceId} />
            ))}
          </ul>
        </div>
      </div>
      {dups && dups.length > 0 && (
        <div className="dups">
          <h4>{t('review.duplicates')}</h4>
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
      <ErrorBox error={error} />
      <WorkflowActions kind="victims" id={victim.id} version={victim.version} onDone={onDone} />
    </article>
  );
}

function figures(c: Pick<Claim, 'qualifier' | 'low' | 'best' | 'high'>): string {
  const parts = [
    c.low !== null ? `low ${num(c.low)}` : '',
    c.best !== null ? `best ${num(c.best)}` : '',
    c.high !== null ? `high ${num(c.high)}` : '',
  ].filter(Boolean);
  return `${enumLabel(c.qualifier)}: ${parts.join(' · ')}`;
}

function ClaimItem({ claim, onDone }: { claim: Claim; onDone: () => void }): ReactNode {
  const { t, i18n } = useTranslation();
  const title = `${enumLabel(claim.category)} — ${figures(claim)} — ${claim.source.title}`;
  return (
    <article className="card review-item" aria-label={title}>
      <h3 dir="auto">{title}</h3>
      <div className="side-by-side">
        <Facts
          rows={[
            [t('claims.qualifier'), enumLabel(claim.qualifier)],
            [t('claims.figures'), figures(claim)],
            [t('common.place'), placeName(claim.location, i18n.language)],
            [t('common.date'), dualDate(claim.date, i18n.language)],
            [
              t('claims.population'),
              `${enumLabel(claim.population)}${claim.populationNote ? ` (${claim.populationNote})` : ''}`,
            ],
            [t('claims.basis'), enumLabel(claim.basis)],
            [t('review.attributedTo'), claim.attributedSource?.title ?? '—'],
          ]}
        />
        <div>
          <h4>{t('review.attestations')}</h4>
          <ul className="attestations">
            <Excerpt
              source={claim.source}
              credibility={claim.credibility}
              locator={claim.locator}
              excerpt={claim.excerpt}
            />
          </ul>
        </div>
      </div>
      <WorkflowActions kind="claims" id={claim.id} version={claim.version} onDone={onDone} />
    </article>
  );
}

function IncidentItem({ incident, onDone }: { incident: Incident; onDone: () => void }): ReactNode {
  const { t, i18n } = useTranslation();
  const title = i18n.language === 'fa' && incident.titleFa ? incident.titleFa : incident.title;
  return (
    <article className="card review-item" aria-label={title}>
      <h3 dir="auto">{title}</h3>
      <div className="side-by-side">
        <Facts
          rows={[
            [t('common.category'), enumLabel(incident.category)],
            [t('common.date'), dualDate(incident.date, i18n.language)],
            [t('common.place'), placeName(incident.location, i18n.language)],
            [t('review.perpetrators'), incident.perpetrators.map(enumLabel).join(', ') || '—'],
            [t('review.description'), <span dir="auto">{incident.description ?? '—'}</span>],
          ]}
        />
        <div>
          <h4>{t('review.attestations')}</h4>
          <ul className="attestations">
            {incident.attestations.map((a) => (
              <Excerpt key={a.id} {...a} />
            ))}
          </ul>
        </div>
      </div>
      <WorkflowActions
        kind="incidents"
        id={incident.id}
        version={incident.version}
        onDone={onDone}
      />
    </article>
  );
}

// ---------------------------------------------------------------------------------------------
// Duplicate clusters (GET /api/duplicates): the records side by side, the evidence per pair,
// and the reviewer's decision.
