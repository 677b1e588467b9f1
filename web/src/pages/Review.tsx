import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  api,
  ApiError,
  type AuditEntry,
  type DualDate,
  type Page,
  type PlaceRef,
  type Victim,
} from '../api';
import { enumLabel, num } from '../i18n';
import type { Session } from '../session';
import { dualDate, ErrorBox, placeName, TextInput } from '../ui';

interface Candidate {
  victim: Victim;
  score: number;
  reasons: string[];
}

interface SourceRef {
  id: string;
  title: string;
  publisher: string | null;
  reliability: string;
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
type Kind = 'victims' | 'claims' | 'incidents';

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

/** One kind of record in the queue: loading, empty, or each item. */
function QueueSection<T>(props: {
  id: string;
  title: string;
  items: T[] | undefined;
  children: (item: T) => ReactNode;
}): ReactNode {
  const { t } = useTranslation();
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {props.items === undefined ? (
        <p>{t('common.loading')}</p>
      ) : props.items.length === 0 ? (
        <p>{t('review.empty')}</p>
      ) : (
        props.items.map(props.children)
      )}
    </section>
  );
}

/**
 * Verify, dispute or send back one record, with the reviewer's comment kept in the audit log.
 * The workflow has no move from submitted back to draft: a record sent back is disputed with
 * the comment saying what to correct, and its researcher resubmits it (docs/workflow.md).
 */
function WorkflowActions(props: {
  kind: Kind;
  id: string;
  version: number;
  onDone: () => void;
  children?: ReactNode;
}): ReactNode {
  const { t } = useTranslation();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const move = (to: string, fallbackReason: string): void => {
    setError(null);
    api(`/api/${props.kind}/${props.id}/status`, {
      method: 'POST',
      body: { to, reason: comment.trim() || fallbackReason, version: props.version },
    })
      .then(() => {
        setDone(to);
        setTimeout(props.onDone, 600);
      })
      .catch(setError);
  };
  return (
    <>
      {props.children}
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
            {t('review.dispute')}
          </button>
          <button
            type="button"
            disabled={!comment.trim()}
            aria-describedby={`${props.id}-send-back`}
            onClick={() => move('disputed', comment)}
          >
            {t('review.sendBack')}
          </button>
          <span id={`${props.id}-send-back`} className="sub">
            {t('review.sendBackHelp')}
          </span>
        </div>
      )}
    </>
  );
}

/** One source's word for the record: title, grades, locator and the excerpt as published. */
function Excerpt(props: {
  source: SourceRef | null;
  fallback?: string;
  credibility: number;
  locator: string | null;
  excerpt: string | null;
}): ReactNode {
  return (
    <li>
      <strong dir="auto">{props.source?.title ?? props.fallback}</strong> [
      {props.source?.reliability}
      {props.credibility}] {props.locator && <span>— {props.locator}</span>}
      {props.excerpt && <blockquote dir="auto">{props.excerpt}</blockquote>}
    </li>
  );
}

function Facts({ rows }: { rows: [string, ReactNode][] }): ReactNode {
  return (
    <dl>
      {rows.map(([k, v]) => (
        <div key={k} className="fact">
          <dt>{k}</dt>
          <dd>{v ?? '—'}</dd>
        </div>
      ))}
    </dl>
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

function Clusters({ onDone }: { onDone: () => void }): ReactNode {
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
