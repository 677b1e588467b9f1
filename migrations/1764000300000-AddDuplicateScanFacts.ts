import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the linkage scan's blocks need to leave out, in SQL, the pairs the score would veto
 * whatever their names (src/duplicates/duplicates-scan.ts): each key row also holds its
 * record's last known day, its age range, its gender, whether its place is a city or below and
 * whether its name is common. The scan's three working tables are unlogged: they are rebuilt by
 * every scan and emptied after it, so writing them to the WAL only slows the scan down.
 */
export class AddDuplicateScanFacts1764000300000 implements MigrationInterface {
  name = 'AddDuplicateScanFacts1764000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "duplicate_scan_keys" ADD "day_to" integer, ADD "age_lo" integer, ADD "age_hi" integer, ADD "gender" text, ADD "in_city" boolean NOT NULL DEFAULT false, ADD "common" boolean NOT NULL DEFAULT false`,
    );
    for (const t of ['duplicate_scan_keys', 'duplicate_scan_candidates', 'duplicate_scan_names'])
      await q.query(`ALTER TABLE "${t}" SET UNLOGGED`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['duplicate_scan_keys', 'duplicate_scan_candidates', 'duplicate_scan_names'])
      await q.query(`ALTER TABLE "${t}" SET LOGGED`);
    await q.query(
      `ALTER TABLE "duplicate_scan_keys" DROP COLUMN "common", DROP COLUMN "in_city", DROP COLUMN "gender", DROP COLUMN "age_hi", DROP COLUMN "age_lo", DROP COLUMN "day_to"`,
    );
  }
}
