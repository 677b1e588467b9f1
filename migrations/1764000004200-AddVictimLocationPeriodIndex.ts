import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Who was harmed in this place in this window": a victim's date is a window [date_from,
 * date_to], and a query window matches it by overlap. A btree on (location_id, date_from) can
 * bound only one end, so it reads every earlier record of the place; a GiST index on the place
 * and the date window (btree_gist for the uuid) returns just the overlapping ones, and serves
 * date-only queries too. buildVictimFilter states the overlap with the same expression.
 */
export class AddVictimLocationPeriodIndex1764000004200 implements MigrationInterface {
  name = 'AddVictimLocationPeriodIndex1764000004200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "ix_victims_location_period" ON "victims" USING gist (location_id, daterange(date_from, date_to, '[]'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_victims_location_period"`);
  }
}
