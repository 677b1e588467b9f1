import { atLeast, type Actor } from '../common/actor.js';
import { AppError } from '../common/errors.js';

/**
 * Who may DELETE what (docs/access.md). A record that anyone but its author may have read, relied
 * on or reviewed is never deleted: it is retracted through the workflow, which keeps it, its
 * history and its sources. Deleting is for one's own mistakes before review: a researcher
 * deletes the drafts they created. An admin may delete anything (the erasure of a record that
 * must not be kept at all), audited like every change.
 */

/** A victim, an incident or a claim: its creator while it is a draft, or an admin. */
export function checkDeleteRecord(
  actor: Actor,
  label: 'victim' | 'incident' | 'claim',
  path: string,
  row: { id: string; status: string; createdBy: string | null },
): void {
  if (actor.role === 'system' || atLeast(actor, 'admin')) return;
  const own = row.createdBy !== null && row.createdBy === actor.userId;
  if (own && row.status === 'draft') return;
  const why = own
    ? `this ${label} is ${row.status}, no longer a draft`
    : `this ${label} was created by someone else`;
  throw new AppError(
    'forbidden',
    `A ${label} is deleted only by its creator while it is a draft (${why}): retract it instead, POST /api/${path}/${row.id}/status {"to": "retracted"}`,
    {
      rule: 'retract_instead',
      errors: [{ field: 'id', reason: `${why}: retract it instead of deleting it` }],
    },
  );
}

/**
 * An attestation: a reviewer or an admin (removing it is an edit of its record, which a verified
 * record answers by going back to review), or the researcher who made it while its record is a
 * draft.
 */
export function checkDeleteAttestation(
  actor: Actor,
  row: { id: string; createdBy: string | null },
  subjectStatus: string,
): void {
  if (actor.role === 'system' || atLeast(actor, 'reviewer')) return;
  const own = row.createdBy !== null && row.createdBy === actor.userId;
  if (own && subjectStatus === 'draft') return;
  const why = own
    ? `its record is ${subjectStatus}, no longer a draft`
    : 'it was made by someone else';
  throw new AppError(
    'forbidden',
    `An attestation is deleted by a reviewer, or by the researcher who made it while its record is a draft (${why}): ask a reviewer, or retract the record`,
    {
      rule: 'retract_instead',
      requiredRole: 'reviewer',
      errors: [{ field: 'id', reason: `${why}: a reviewer may remove it` }],
    },
  );
}

/** A source (nothing may refer to it: 409 otherwise): a reviewer or an admin, or whoever recorded it. */
export function checkDeleteSource(
  actor: Actor,
  row: { id: string; createdBy: string | null },
): void {
  if (actor.role === 'system' || atLeast(actor, 'reviewer')) return;
  if (row.createdBy !== null && row.createdBy === actor.userId) return;
  throw new AppError(
    'forbidden',
    'A source is deleted by whoever recorded it, or by a reviewer: this one was recorded by someone else',
    {
      rule: 'not_yours',
      requiredRole: 'reviewer',
      errors: [{ field: 'id', reason: 'recorded by someone else: a reviewer may delete it' }],
    },
  );
}
