import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A dataset's own ids of the people it lists ("jvn_0412"), per list (`scope`), each naming the
 * victim record it became: a re-import of a corrected list finds its records by them and
 * updates them (docs/import-export.md, "Re-importing").
 */
export class CreateVictimExternalIds1764000140001 implements MigrationInterface {
  name = 'CreateVictimExternalIds1764000140001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "victim_external_ids" ("scope" text NOT NULL, "external_id" text NOT NULL, "victim_id" uuid NOT NULL, "victim_version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_victim_external_ids_external_id" CHECK (length(btrim(external_id)) > 0), CONSTRAINT "ck_victim_external_ids_scope" CHECK (length(btrim(scope)) > 0), CONSTRAINT "PK_f6e94d54ab883b53528b1bc8c97" PRIMARY KEY ("scope", "external_id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_victim_external_ids_victim" ON "victim_external_ids"  ("victim_id")`,
    );
    await q.query(
      `ALTER TABLE "victim_external_ids" ADD CONSTRAINT "FK_3fdeeb6e401c1a79ecf420cea46" FOREIGN KEY ("victim_id") REFERENCES "victims"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "victim_external_ids" DROP CONSTRAINT "FK_3fdeeb6e401c1a79ecf420cea46"`,
    );
    await q.query(`DROP INDEX "ix_victim_external_ids_victim"`);
    await q.query(`DROP TABLE "victim_external_ids"`);
  }
}
