import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who changed a victim, an incident or a count claim since a reviewer last verified it: none of
 * them may verify it (docs/workflow.md, four eyes). Kept on the record, so the check at
 * verification is one read of the row it locks anyway, not a walk of the audit log. Existing
 * records start with nobody: their edits so far were made before the rule. A constant default
 * adds the column without rewriting the table.
 */
export class AddEditorsSinceReview1764000110000 implements MigrationInterface {
  name = 'AddEditorsSinceReview1764000110000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['victims', 'incidents', 'count_claims']) {
      await q.query(
        `ALTER TABLE "${table}" ADD "editors_since_review" uuid array NOT NULL DEFAULT '{}'`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['count_claims', 'incidents', 'victims']) {
      await q.query(`ALTER TABLE "${table}" DROP COLUMN "editors_since_review"`);
    }
  }
}
