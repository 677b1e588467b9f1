import type { EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';

/**
 * Four eyes after publication: a change to what a verified record says sends it back to
 * submitted (out of viewer and public output) until a reviewer verifies it again, and that
 * reviewer must be someone other than everyone who changed it since it was last verified
 * (checkTransition). docs/workflow.md.
 */

export type ReviewedKind = 'victims' | 'incidents' | 'claims';

const TABLE: Record<ReviewedKind, { table: string; auditEntity: string }> = {
  victims: { table: 'victims', auditEntity: 'victims' },
  incidents: { table: 'incidents', auditEntity: 'incidents' },
  claims: { table: 'count_claims', auditEntity: 'count_claims' },
};

/**
 * Fields whose change does not alter what a record says to its readers: bookkeeping, what is
 * derived from other rows, and restricted notes that no published output carries.
 */
const NOT_MEANING = new Set([
  'id',
  'version',
  'createdBy',
  'createdAt',
  'updatedAt',
  'status',
  'editorsSinceReview',
  'confidence',
  'publicConfidence',
  'cityId',
  'nameSearch',
  'internalNotes',
  'familyContact',
]);

interface Reviewable {
  id: string;
  status: string;
  version: number;
  editorsSinceReview: string[];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The fields of `after` that say something else than in `before`. */
export function meaningChanges(before: object, after: object): string[] {
  const b = before as Record<string, unknown>;
  return Object.entries(after)
    .filter(([k, v]) => !NOT_MEANING.has(k) && !same(b[k], v))
    .map(([k]) => k);
}

function withEditor(editors: readonly string[], actor: Actor): string[] {
  return actor.userId && !editors.includes(actor.userId)
    ? [...editors, actor.userId]
    : [...editors];
}

/**
 * Marks an edit on a row about to be saved by the caller (in its transaction): the actor joins
 * the editors since the last review and a verified row goes back to submitted. Returns the
 * status it had when it was demoted (the caller then calls auditDemotion after its save), or null.
 */
export function markEdited(row: Reviewable, actor: Actor, changed: string[]): string | null {
  if (!changed.length) return null;
  row.editorsSinceReview = withEditor(row.editorsSinceReview ?? [], actor);
  if (row.status !== 'verified') return null;
  row.status = 'submitted';
  return 'verified';
}

/** The audit entry of a demotion: a status move like a reviewer's, with why it happened. */
export async function auditDemotion(
  m: EntityManager,
  audit: AuditService,
  actor: Actor,
  kind: ReviewedKind,
  row: { id: string; status: string; version: number },
  changed: string[],
): Promise<void> {
  await audit.record(m, actor, {
    action: 'status',
    entity: TABLE[kind].auditEntity,
    entityId: row.id,
    before: { status: 'verified' },
    after: { status: row.status, version: row.version },
    reason: `changed after verification (${changed.join(', ')}): back for review`,
  });
}

/**
 * An edit of a record made through another row (an attestation of a victim or an incident
 * added, changed or removed): the same as markEdited, on the record's own row, which the caller
 * has locked. A demotion bumps the record's version, as any status move does.
 */
export async function markSubjectEdited(
  m: EntityManager,
  audit: AuditService,
  actor: Actor,
  kind: 'victims' | 'incidents',
  id: string,
  what: string,
): Promise<void> {
  const { table } = TABLE[kind];
  const [row] = await m.query<Reviewable[]>(
    `SELECT id, status, version, editors_since_review AS "editorsSinceReview" FROM ${table} WHERE id = $1`,
    [id],
  );
  if (!row) return;
  const editors = row.editorsSinceReview.length;
  const demoted = markEdited(row, actor, [what]);
  if (!demoted && row.editorsSinceReview.length === editors) return;
  if (demoted) {
    row.version += 1;
    await m.query(
      `UPDATE ${table} SET editors_since_review = $2::uuid[], status = $3, version = $4, updated_at = now()
        WHERE id = $1`,
      [id, row.editorsSinceReview, row.status, row.version],
    );
    await auditDemotion(m, audit, actor, kind, row, [what]);
  } else {
    await m.query(`UPDATE ${table} SET editors_since_review = $2::uuid[] WHERE id = $1`, [
      id,
      row.editorsSinceReview,
    ]);
  }
}
