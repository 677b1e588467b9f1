// Pieces the review queue's sections share: a section of one kind, the workflow buttons, a
// source's excerpt and a list of facts.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { enumLabel } from '../i18n';
import { ErrorBox, TextInput } from '../ui';

export type Kind = 'victims' | 'claims' | 'incidents';

export interface SourceRef {
  id: string;
  title: string;
  publisher: string | null;
  reliability: string;
}

/** One kind of record in the queue: loading, empty, or each item. */
export function QueueSection<T>(props: {
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
export function WorkflowActions(props: {
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
export function Excerpt(props: {
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

export function Facts({ rows }: { rows: [string, ReactNode][] }): ReactNode {
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
