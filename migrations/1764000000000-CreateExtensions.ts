import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Extensions present on both the Debian PostgreSQL 15 server and the embedded PGlite (18).
 * pg_trgm: fuzzy name search; unaccent, fuzzystrmatch: matching helpers; btree_gist: ranges.
 */
export class CreateExtensions1764000000000 implements MigrationInterface {
  name = 'CreateExtensions1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await q.query('CREATE EXTENSION IF NOT EXISTS unaccent');
    await q.query('CREATE EXTENSION IF NOT EXISTS fuzzystrmatch');
    await q.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP EXTENSION IF EXISTS btree_gist');
    await q.query('DROP EXTENSION IF EXISTS fuzzystrmatch');
    await q.query('DROP EXTENSION IF EXISTS unaccent');
    await q.query('DROP EXTENSION IF EXISTS pg_trgm');
  }
}
