import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Villages are places of their own (a locations import brings them: docs/import-export.md,
 * "Places"), ranked just below cities: a village sits in a county, a province or a city's area, and
 * may hold districts and sites.
 */
export class AllowVillageLocations1764000170000 implements MigrationInterface {
  name = 'AllowVillageLocations1764000170000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "locations" DROP CONSTRAINT "ck_locations_kind"`);
    await q.query(
      `ALTER TABLE "locations" ADD CONSTRAINT "ck_locations_kind" CHECK (kind IN ('country', 'province', 'county', 'city', 'village', 'district', 'site'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // A village becomes the nearest kind the older schema knows (a site keeps it below cities'
    // rank only where its children allow: a village holding places becomes a city).
    await q.query(
      `UPDATE "locations" l SET kind = CASE WHEN EXISTS (SELECT 1 FROM "locations" c WHERE c.parent_id = l.id) THEN 'city' ELSE 'site' END WHERE kind = 'village'`,
    );
    await q.query(`ALTER TABLE "locations" DROP CONSTRAINT "ck_locations_kind"`);
    await q.query(
      `ALTER TABLE "locations" ADD CONSTRAINT "ck_locations_kind" CHECK (kind IN ('country', 'province', 'county', 'city', 'district', 'site'))`,
    );
  }
}
