import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The father's name of a victim, as a list gives it (نام پدر): the usual way Iranian records
 * of people who share a name are told apart. Record linkage compares it (docs/duplicates.md).
 */
export class AddVictimFatherName1764000160000 implements MigrationInterface {
  name = 'AddVictimFatherName1764000160000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "victims" ADD "father_name" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "victims" DROP COLUMN "father_name"`);
  }
}
