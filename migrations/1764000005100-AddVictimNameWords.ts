import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Name search by a word dictionary. victims.name_search holds every key of every name,
 * space-separated (src/victims/name-search.ts): normalised words, word skeletons, joined
 * skeletons. A query word must match one of those words fuzzily (`key <% word`: pg_trgm word
 * similarity, a spelling variant, a typo, the start of a word). Asked of name_search directly,
 * the trigram index reads the posting lists of common trigrams and rechecks every row they hold
 * (1.6 s p95, 17 s at worst, at 1,000,000 victims). Instead:
 *
 * - victim_name_words holds every distinct word of every name_search (about 43,000 at 1,000,000
 *   victims), with a trigram index: a query word's fuzzy matches are looked up there, in a few
 *   milliseconds;
 * - ix_victims_name_words, a GIN index on the words of name_search, gives the records holding
 *   one of them (an array overlap), one bitmap per query word. Partial on unmerged records:
 *   every listing leaves merged duplicates out.
 *
 * The dictionary is kept by statement-level triggers on insert and update, so every write path
 * (the API, the bulk importer's INSERT ... SELECT, psql) fills it. Words are never removed: a
 * word no record holds any more matches no record. Backfill about 5 s, indexes about 9 s at
 * 1,000,000 victims.
 */
export class AddVictimNameWords1764000005100 implements MigrationInterface {
  name = 'AddVictimNameWords1764000005100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "ix_victims_name_words" ON "victims" USING gin (string_to_array(name_search, ' ')) WHERE merged_into IS NULL`,
    );
    await q.query(`CREATE TABLE "victim_name_words" ("word" text PRIMARY KEY)`);
    await q.query(`CREATE FUNCTION victim_name_words_add() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO victim_name_words (word)
        SELECT DISTINCT unnest(string_to_array(name_search, ' ')) FROM new_rows WHERE name_search <> ''
        ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$`);
    // A trigger with a transition table takes one event and no column list.
    await q.query(
      `CREATE TRIGGER victim_name_words_on_victims_insert AFTER INSERT ON "victims"
       REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION victim_name_words_add()`,
    );
    await q.query(
      `CREATE TRIGGER victim_name_words_on_victims_update AFTER UPDATE ON "victims"
       REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION victim_name_words_add()`,
    );
    await q.query(
      `INSERT INTO "victim_name_words" (word)
       SELECT DISTINCT unnest(string_to_array(name_search, ' ')) FROM "victims" WHERE name_search <> ''`,
    );
    await q.query(
      `CREATE INDEX "ix_victim_name_words_trgm" ON "victim_name_words" USING gin (word gin_trgm_ops)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER victim_name_words_on_victims_update ON "victims"`);
    await q.query(`DROP TRIGGER victim_name_words_on_victims_insert ON "victims"`);
    await q.query(`DROP FUNCTION victim_name_words_add()`);
    await q.query(`DROP TABLE "victim_name_words"`);
    await q.query(`DROP INDEX "ix_victims_name_words"`);
  }
}
