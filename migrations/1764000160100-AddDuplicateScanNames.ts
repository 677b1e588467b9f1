import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The linkage scan's name counts (a working table, no entity): how many records carry each
 * full name (its transliteration key), so that a common name (Mohammad Ahmadi) needs the same
 * day and city to be proposed. The scan's keys learn the names (on one row per record) and the city (a place at city
 * level or below) they came from, and whether they are a fine block (block, city and day),
 * the only blocks a record with a common name is put in; and whether the record is one an
 * import just brought in (the scan that follows an import pairs only those).
 */
export class AddDuplicateScanNames1764000160100 implements MigrationInterface {
  name = 'AddDuplicateScanNames1764000160100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "duplicate_scan_names" ("name" text NOT NULL PRIMARY KEY, "n" integer NOT NULL)`,
    );
    await q.query(`ALTER TABLE "duplicate_scan_keys" ADD "names" text[]`);
    await q.query(`ALTER TABLE "duplicate_scan_keys" ADD "city" uuid`);
    await q.query(`ALTER TABLE "duplicate_scan_keys" ADD "fine" boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE "duplicate_scan_keys" ADD "fresh" boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "duplicate_scan_keys" DROP COLUMN "fresh"`);
    await q.query(`ALTER TABLE "duplicate_scan_keys" DROP COLUMN "fine"`);
    await q.query(`ALTER TABLE "duplicate_scan_keys" DROP COLUMN "city"`);
    await q.query(`ALTER TABLE "duplicate_scan_keys" DROP COLUMN "names"`);
    await q.query(`DROP TABLE "duplicate_scan_names"`);
  }
}
