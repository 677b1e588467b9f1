import type { EntityManager } from 'typeorm';
import type { GazetteerPlace } from './gazetteer.js';

/**
 * A database seeded before the gazetteer had a parent chain city → county: its towns sit under
 * their province. The seed moves each such town one level down, into the county the gazetteer
 * now puts it in, with everything a researcher added inside it (districts, sites), audited:
 *
 * - only when the town is still where the seed put it, directly under the province that holds
 *   the county (a place someone moved elsewhere, by `PATCH /api/locations/{id}`, is left where
 *   it is);
 * - ids never change, nor a victim's place: a record counts where it counted before, in its
 *   province and its city (`province_id`, `city_id` of a moved place do not change), and now
 *   also in the county (a subtree is `path @> ARRAY[id]`, read at query time);
 * - the places below a moved town take its new path (one audit entry each, as a PATCH move);
 * - a second run finds nothing to move.
 */
export async function moveSeededPlaces(
  m: EntityManager,
  places: GazetteerPlace[],
): Promise<{ moved: number; below: number }> {
  const input = JSON.stringify(
    places.filter((p) => p.parentId).map((p) => ({ id: p.id, parent_id: p.parentId })),
  );
  const moved = await m.query<{ id: string }[]>(
    `WITH input AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(id uuid, parent_id uuid)),
          old AS (SELECT l.* FROM locations l JOIN input i USING (id)
                    JOIN locations np ON np.id = i.parent_id
                   WHERE l.parent_id IS DISTINCT FROM i.parent_id AND np.parent_id = l.parent_id
                     AND np.id <> l.id AND NOT np.path @> ARRAY[l.id]
                   ORDER BY l.id FOR UPDATE OF l),
          upd AS (UPDATE locations l
                     SET parent_id = np.id, path = np.path || l.id, depth = cardinality(np.path),
                         version = l.version + 1, updated_at = now()
                    FROM old o, input i, locations np
                   WHERE l.id = o.id AND i.id = l.id AND np.id = i.parent_id
               RETURNING l.*),
          aud AS (INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after, reason)
                  SELECT NULL, 'update', 'locations', u.id, to_jsonb(o), to_jsonb(u),
                         'seed: the national gazetteer places it in its county'
                    FROM upd u JOIN old o USING (id) RETURNING 1)
     SELECT id FROM upd`,
    [input],
  );
  const ids = moved.map((r) => r.id);
  let below = 0;
  if (ids.length) {
    const rows = await m.query<{ n: number }[]>(
      `WITH moved AS (SELECT id, path FROM locations WHERE id = ANY($1::uuid[])),
            old AS (SELECT d.*, mv.id AS moved_id, mv.path AS moved_path
                      FROM locations d JOIN moved mv ON d.path @> ARRAY[mv.id] AND d.id <> mv.id
                     ORDER BY d.id FOR UPDATE OF d),
            upd AS (UPDATE locations d
                       SET path = o.moved_path || d.path[array_position(d.path, o.moved_id) + 1:],
                           depth = cardinality(o.moved_path) + cardinality(d.path)
                                   - array_position(d.path, o.moved_id) - 1,
                           version = d.version + 1, updated_at = now()
                      FROM old o WHERE d.id = o.id
                 RETURNING d.*),
            aud AS (INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after, reason)
                    SELECT NULL, 'update', 'locations', u.id,
                           to_jsonb(o) - 'moved_id' - 'moved_path', to_jsonb(u),
                           'seed: the place it lies in moved into its county'
                      FROM upd u JOIN old o USING (id) RETURNING 1)
       SELECT (SELECT count(*) FROM aud)::int AS n`,
      [ids],
    );
    below = rows[0].n;
  }
  return { moved: ids.length, below };
}
