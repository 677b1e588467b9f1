import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Counts by province and by city: every place carries the province and the city it lies in (its
 * nearest ancestor of that kind, or itself), so a victim's province is one primary-key join
 * away, whatever the depth of its place (a district counts in its city). Kept by a trigger, so
 * places written by an import or by psql carry them too: on insert, on a change of path or
 * kind, and, when a place changes kind, for every place under it.
 */
export class AddLocationLevels1764000004500 implements MigrationInterface {
  name = 'AddLocationLevels1764000004500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "locations" ADD "province_id" uuid, ADD "city_id" uuid`);
    await q.query(`CREATE FUNCTION locations_set_levels() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT (array_agg(a.id ORDER BY a.depth DESC) FILTER (WHERE a.kind = 'province'))[1],
               (array_agg(a.id ORDER BY a.depth DESC) FILTER (WHERE a.kind = 'city'))[1]
          INTO NEW.province_id, NEW.city_id
          FROM locations a WHERE a.id = ANY(NEW.path) AND a.id <> NEW.id;
        IF NEW.kind = 'province' THEN NEW.province_id := NEW.id; END IF;
        IF NEW.kind = 'city' THEN NEW.city_id := NEW.id; END IF;
        RETURN NEW;
      END
    $$`);
    await q.query(
      `CREATE TRIGGER locations_set_levels BEFORE INSERT OR UPDATE OF path, kind, province_id, city_id ON "locations"
       FOR EACH ROW EXECUTE FUNCTION locations_set_levels()`,
    );
    await q.query(`CREATE FUNCTION locations_relevel_below() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE locations SET path = path WHERE path @> ARRAY[NEW.id] AND id <> NEW.id;
        RETURN NULL;
      END
    $$`);
    await q.query(
      `CREATE TRIGGER locations_relevel_below AFTER UPDATE OF kind ON "locations"
       FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind) EXECUTE FUNCTION locations_relevel_below()`,
    );
    await q.query(`UPDATE "locations" SET path = path`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER locations_relevel_below ON "locations"`);
    await q.query(`DROP FUNCTION locations_relevel_below()`);
    await q.query(`DROP TRIGGER locations_set_levels ON "locations"`);
    await q.query(`DROP FUNCTION locations_set_levels()`);
    await q.query(`ALTER TABLE "locations" DROP COLUMN "city_id", DROP COLUMN "province_id"`);
  }
}
