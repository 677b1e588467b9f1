import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The published text of a victim's fields as a list gave it, where the ledger could not read it
 * or mapped it to its vocabulary: `{"date": "۱۲ آبان", "cause": "shot by security forces
 * at the protest", "age": "about 20"}`. An import keeps the person with the field empty and the
 * text here, rather than dropping the person (docs/import-export.md). Null when there is none.
 */
export class AddVictimOriginalValues1764000140000 implements MigrationInterface {
  name = 'AddVictimOriginalValues1764000140000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "victims" ADD "original_values" jsonb`);
    await q.query(
      `ALTER TABLE "victims" ADD CONSTRAINT "ck_victims_original_values" CHECK (jsonb_typeof(original_values) = 'object')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "victims" DROP CONSTRAINT "ck_victims_original_values"`);
    await q.query(`ALTER TABLE "victims" DROP COLUMN "original_values"`);
  }
}
