import { atLeast, type Actor } from '../common/actor.js';
import type { WorkflowStatus } from '../common/domain.js';
import { AppError } from '../common/errors.js';

/**
 * Who may make a move: any researcher or above; a reviewer or above; or a reviewer or the
 * record's own creator (a researcher may withdraw their entry while it is unreviewed).
 */
export type Mover = 'researcher' | 'reviewer' | 'reviewer_or_creator';

export interface Transition {
  from: WorkflowStatus;
  to: WorkflowStatus;
  who: Mover;
  meaning: string;
}

/** The workflow of victims, incidents and count claims. docs/workflow.md mirrors this table. */
export const TRANSITIONS: readonly Transition[] = [
  { from: 'draft', to: 'submitted', who: 'researcher', meaning: 'ready for review' },
  {
    from: 'draft',
    to: 'retracted',
    who: 'reviewer_or_creator',
    meaning: 'withdrawn before review',
  },
  {
    from: 'submitted',
    to: 'verified',
    who: 'reviewer',
    meaning: 'checked against its sources by someone other than its creator',
  },
  { from: 'submitted', to: 'disputed', who: 'reviewer', meaning: 'review found a problem' },
  { from: 'submitted', to: 'retracted', who: 'reviewer_or_creator', meaning: 'withdrawn' },
  { from: 'verified', to: 'disputed', who: 'reviewer', meaning: 'new evidence contradicts it' },
  { from: 'verified', to: 'retracted', who: 'reviewer', meaning: 'withdrawn from publication' },
  { from: 'disputed', to: 'submitted', who: 'researcher', meaning: 'corrected, back for review' },
  {
    from: 'disputed',
    to: 'verified',
    who: 'reviewer',
    meaning: 'the dispute is resolved in its favour',
  },
  { from: 'disputed', to: 'retracted', who: 'reviewer', meaning: 'withdrawn' },
  { from: 'retracted', to: 'submitted', who: 'reviewer', meaning: 'un-retracted, back for review' },
];

export function movesFrom(status: string): WorkflowStatus[] {
  return TRANSITIONS.filter((t) => t.from === status).map((t) => t.to);
}

/**
 * Checks a move against the table and the actor: 409 when the move does not exist from the
 * current status (with the allowed ones), 403 when the actor may not make it, including a
 * reviewer verifying their own entry.
 */
export function checkTransition(
  from: string,
  to: string,
  actor: Actor,
  createdBy: string | null,
  editorsSinceReview: readonly string[] = [],
): Transition {
  const t = TRANSITIONS.find((x) => x.from === from && x.to === to);
  if (!t) {
    const allowed = movesFrom(from);
    throw new AppError('conflict', `A record in status ${from} cannot move to ${to}`, {
      currentStatus: from,
      allowed,
      errors: [
        { field: 'to', reason: `from ${from} the moves are: ${allowed.join(', ') || 'none'}` },
      ],
    });
  }
  const own = createdBy !== null && actor.userId === createdBy;
  const permitted =
    t.who === 'researcher'
      ? atLeast(actor, 'researcher')
      : t.who === 'reviewer'
        ? atLeast(actor, 'reviewer')
        : atLeast(actor, 'reviewer') || (own && atLeast(actor, 'researcher'));
  if (!permitted) {
    const needs =
      t.who === 'reviewer_or_creator'
        ? 'a reviewer or the record’s creator'
        : `the role ${t.who} or above`;
    throw new AppError('forbidden', `Moving from ${from} to ${to} needs ${needs}`, {
      errors: [{ field: 'to', reason: `needs ${needs}` }],
    });
  }
  if (to === 'verified' && own) {
    throw new AppError(
      'forbidden',
      'A reviewer cannot verify their own entry: another reviewer must',
      {
        rule: 'creator_cannot_verify',
        errors: [{ field: 'to', reason: 'you created this record' }],
      },
    );
  }
  if (to === 'verified' && actor.userId !== null && editorsSinceReview.includes(actor.userId)) {
    throw new AppError(
      'forbidden',
      'A reviewer cannot verify a record they changed since it was last verified: another reviewer must',
      {
        rule: 'editor_cannot_verify',
        errors: [{ field: 'to', reason: 'you changed this record since its last review' }],
      },
    );
  }
  return t;
}
