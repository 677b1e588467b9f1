import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The linkage's name keys kept with each record (no entity; src/duplicates/name-keys.ts): its
 * blocking keys without the province, and its full names as transliteration keys, with the
 * fingerprint of the names they were computed from. The duplicates scan computes them again,
 * in JavaScript, only for a record whose names changed since (or that has none yet: the first
 * scan after this migration fills the table, whichever way the records were written), and
 * builds its blocks from them in SQL, instead of transliterating every name at every scan.
 */
export class CreateVictimNameKeys1764000180000 implements MigrationInterface {
  name = 'CreateVictimNameKeys1764000180000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "victim_name_keys" ("victim_id" uuid NOT NULL PRIMARY KEY REFERENCES "victims" ("id") ON DELETE CASCADE, "fingerprint" text NOT NULL, "blocks" text[] NOT NULL, "names" text[] NOT NULL)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "victim_name_keys"`);
  }
}
