import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A gazetteer's own ids of its places (a GeoNames id, "IR-23-0412"), per list (`scope`), each
 * naming the place it became: a re-import of the list finds its places by them, and a file's
 * rows may name their parent by them (docs/import-export.md, "Places").
 */
export class CreateLocationExternalIds1764000170001 implements MigrationInterface {
  name = 'CreateLocationExternalIds1764000170001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "location_external_ids" ("scope" text NOT NULL, "external_id" text NOT NULL, "location_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_location_external_ids_external_id" CHECK (length(btrim(external_id)) > 0), CONSTRAINT "ck_location_external_ids_scope" CHECK (length(btrim(scope)) > 0), CONSTRAINT "PK_location_external_ids" PRIMARY KEY ("scope", "external_id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_location_external_ids_location" ON "location_external_ids"  ("location_id")`,
    );
    await q.query(
      `ALTER TABLE "location_external_ids" ADD CONSTRAINT "fk_location_external_ids_location" FOREIGN KEY ("location_id") REFERENCES "locations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "location_external_ids" DROP CONSTRAINT "fk_location_external_ids_location"`,
    );
    await q.query(`DROP INDEX "ix_location_external_ids_location"`);
    await q.query(`DROP TABLE "location_external_ids"`);
  }
}
