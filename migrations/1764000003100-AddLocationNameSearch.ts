import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Type-ahead over place names (GET /api/locations?q=): a trigram index over every normalised
 * name of a place. array_to_string is only STABLE, so an index needs an IMMUTABLE wrapper;
 * on text[] it cannot vary.
 */
export class AddLocationNameSearch1764000003100 implements MigrationInterface {
  name = 'AddLocationNameSearch1764000003100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE FUNCTION location_names_text(text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
         AS $$ SELECT array_to_string($1, ' ') $$`,
    );
    await q.query(
      `CREATE INDEX "ix_locations_names_trgm" ON "locations" USING gin (location_names_text(names_norm) gin_trgm_ops)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_locations_names_trgm"`);
    await q.query(`DROP FUNCTION location_names_text(text[])`);
  }
}
