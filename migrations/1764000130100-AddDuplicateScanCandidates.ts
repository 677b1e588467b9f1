import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The linkage scan's second working table (no entity): the candidate pairs its blocking finds,
 * written by one set-based statement and then read back page by page in key order, so that the
 * scan scores them with flat memory and never holds a long transaction (which, on the embedded
 * engine, would stall every request). The scan's keys are read by block and day.
 */
export class AddDuplicateScanCandidates1764000130100 implements MigrationInterface {
  name = 'AddDuplicateScanCandidates1764000130100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "duplicate_scan_candidates" ("victim_a" uuid NOT NULL, "victim_b" uuid NOT NULL, PRIMARY KEY ("victim_a", "victim_b"))`,
    );
    await q.query(
      `CREATE INDEX "ix_duplicate_scan_keys_block" ON "duplicate_scan_keys" ("block", "day")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_duplicate_scan_keys_block"`);
    await q.query(`DROP TABLE "duplicate_scan_candidates"`);
  }
}
