import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statistics on the words of each record's names (the expression ix_victims_name_words
 * indexes), so that the planner knows how common a name word is. Without them it guesses 0.5 %
 * of the table for any word: a name search's page of records holding محمد محمدی (86,793 of a
 * million hold both words) was read as a bitmap of every one of them and sorted by id
 * (237 ms); with them, the planner walks the primary key until the page is full (20 ms), and
 * still takes the bitmap for a rare name.
 */
export class AddVictimNameWordStatistics1764000008000 implements MigrationInterface {
  name = 'AddVictimNameWordStatistics1764000008000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE STATISTICS "st_victims_name_words" ON (string_to_array(name_search, ' ')) FROM "victims"`,
    );
    // Statistics exist from the next ANALYZE: now, rather than when autovacuum comes by.
    await q.query(`ANALYZE "victims"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP STATISTICS "st_victims_name_words"`);
  }
}
