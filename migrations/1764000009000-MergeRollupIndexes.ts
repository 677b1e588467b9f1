import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One index per rollup table instead of two (migrations/1764000006000-AddVictimRollups.ts): the
 * unique constraint the refresh's upserts conflict on, and the covering index the counts read,
 * held the same columns in two orders. The constraint now has the counts' order (harm, then the
 * window) and carries `n`, so it serves both: uniqueness is over the same columns, and counts
 * still read it alone (index-only scans). Every record an import writes upserts about one
 * victim_rollup key and three victim_source_rollup keys (they barely aggregate: their keys
 * keep the exact place and date range); with one index to write instead of two, the upserts of
 * a 2,000-record batch at a million took 45–85 + 175–290 ms instead of 100–180 + 280–400
 * (docs/performance.md, seventh session).
 */
export class MergeRollupIndexes1764000009000 implements MigrationInterface {
  name = 'MergeRollupIndexes1764000009000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, last] of TABLES) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ux_${table}`);
      await q.query(`DROP INDEX ix_${table}_window`);
      await q.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ux_${table} UNIQUE NULLS NOT DISTINCT
           (harm, date_from, date_to, status, confidence, location_id, ${last}) INCLUDE (n)`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, last] of TABLES) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ux_${table}`);
      await q.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ux_${table} UNIQUE NULLS NOT DISTINCT
           (harm, status, confidence, location_id, date_from, date_to, ${last})`,
      );
      await q.query(
        `CREATE INDEX ix_${table}_window ON ${table}
           (harm, date_from, date_to, status, confidence, location_id, ${last}) INCLUDE (n)`,
      );
    }
  }
}

/** Each rollup table and the last column of its key. */
const TABLES = [
  ['victim_rollup', 'public'],
  ['victim_source_rollup', 'source_id'],
] as const;
