import type { EntityManager } from 'typeorm';
import type { MergedPlace } from './gazetteer.js';

const REASON =
  'seed: the national gazetteer merged a city entry that is its county into the county';

/**
 * A database seeded before seed/county-entries.ts holds, as cities, entries of the city list that
 * are counties (Dashtestan, Tangestan …), beside the county itself. The seed merges each such
 * place into its county (seed/data/gazetteer-merged.csv), audited, in the seed's transaction:
 *
 * - only when the place is still what the seed made: a city directly under its county or under
 *   the county's province (one a researcher moved elsewhere or re-kinded is left alone);
 * - the records placed there (victims, incidents, claims) are placed in the county instead,
 *   each one version up with an audit entry (a victim no longer counts in a "city" Dashtestan,
 *   which was never a town; it counts in the county and its province as before);
 * - the places a researcher added inside it move into the county, their paths with them;
 * - its names, and any a researcher added, become the county's variants, so that the published
 *   text that named it still resolves to the same place; its external ids follow it, and its
 *   own id is kept as an external id of the county (scope `gazetteer-merged`), so that an id a
 *   list or an export recorded can still be looked up;
 * - then the place is deleted (audited with its last state). A second run finds nothing.
 */
export async function mergeSeededPlaces(
  m: EntityManager,
  merged: MergedPlace[],
): Promise<{ merged: number; records: number; below: number }> {
  const input = JSON.stringify(merged.map((p) => ({ id: p.id, into_id: p.intoId })));
  const pairs = await m.query<{ x: string; y: string }[]>(
    `SELECT x.id AS x, y.id AS y
       FROM jsonb_to_recordset($1::jsonb) AS i(id uuid, into_id uuid)
       JOIN locations x ON x.id = i.id AND x.kind = 'city'
       JOIN locations y ON y.id = i.into_id AND y.kind = 'county'
      WHERE x.parent_id = y.id OR x.parent_id = y.parent_id
      ORDER BY x.id FOR UPDATE OF x, y`,
    [input],
  );
  if (!pairs.length) return { merged: 0, records: 0, below: 0 };
  const xs = pairs.map((p) => p.x);
  const ys = pairs.map((p) => p.y);
  const pairSql = `SELECT * FROM unnest($1::uuid[], $2::uuid[]) AS p(x, y)`;

  let records = 0;
  for (const table of ['victims', 'incidents', 'count_claims']) {
    const [r] = await m.query<{ n: number }[]>(
      `WITH p AS (${pairSql}),
            old AS (SELECT t.* FROM ${table} t JOIN p ON t.location_id = p.x ORDER BY t.id FOR UPDATE OF t),
            upd AS (UPDATE ${table} t SET location_id = p.y, version = t.version + 1, updated_at = now()
                      FROM old o JOIN p ON p.x = o.location_id WHERE t.id = o.id
                    RETURNING t.id, t.location_id, t.version),
            aud AS (INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after, reason)
                    SELECT NULL, 'update', '${table}', upd.id,
                           jsonb_build_object('locationId', old.location_id, 'version', old.version),
                           jsonb_build_object('locationId', upd.location_id, 'version', upd.version),
                           $3
                      FROM upd JOIN old USING (id) RETURNING 1)
       SELECT (SELECT count(*) FROM aud)::int AS n`,
      [xs, ys, REASON],
    );
    records += r.n;
  }

  // The places inside a merged one: the county takes its place in their paths.
  const [below] = await m.query<{ n: number }[]>(
    `WITH p AS (${pairSql}),
          old AS (SELECT d.*, p.x AS merged_id, y.path AS into_path
                    FROM locations d JOIN p ON d.path @> ARRAY[p.x] AND d.id <> p.x
                    JOIN locations y ON y.id = p.y
                   ORDER BY d.id FOR UPDATE OF d),
          upd AS (UPDATE locations d
                     SET parent_id = CASE WHEN d.parent_id = o.merged_id THEN o.into_path[cardinality(o.into_path)]
                                          ELSE d.parent_id END,
                         path = o.into_path || d.path[array_position(d.path, o.merged_id) + 1:],
                         depth = cardinality(o.into_path) + cardinality(d.path)
                                 - array_position(d.path, o.merged_id) - 1,
                         version = d.version + 1, updated_at = now()
                    FROM old o WHERE d.id = o.id
               RETURNING d.*),
          aud AS (INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after, reason)
                  SELECT NULL, 'update', 'locations', u.id,
                         to_jsonb(o) - 'merged_id' - 'into_path', to_jsonb(u), $3
                    FROM upd u JOIN old o USING (id) RETURNING 1)
     SELECT (SELECT count(*) FROM aud)::int AS n`,
    [xs, ys, REASON],
  );

  // The county learns the merged place's names (the gazetteer's and any a researcher added).
  await m.query(
    `WITH p AS (${pairSql}),
          src AS (SELECT p.y, array_agg(DISTINCT v) FILTER (WHERE v IS NOT NULL) AS en,
                         array_agg(DISTINCT f) FILTER (WHERE f IS NOT NULL) AS fa,
                         array_agg(DISTINCT n) FILTER (WHERE n IS NOT NULL) AS norm
                    FROM p JOIN locations x ON x.id = p.x
                    LEFT JOIN LATERAL unnest(x.name_en || x.variants_en) v ON true
                    LEFT JOIN LATERAL unnest(array_remove(x.name_fa || x.variants_fa, NULL)) f ON true
                    LEFT JOIN LATERAL unnest(x.names_norm) n ON true
                   GROUP BY p.y),
          old AS (SELECT y.* FROM locations y JOIN src s ON s.y = y.id
                   WHERE NOT y.names_norm @> s.norm
                      OR NOT (y.variants_en || y.name_en) @> s.en
                      OR NOT (y.variants_fa || COALESCE(y.name_fa, '')) @> COALESCE(s.fa, '{}')
                   ORDER BY y.id FOR UPDATE OF y),
          upd AS (UPDATE locations y
                     SET variants_en = y.variants_en || ARRAY(SELECT v FROM unnest(s.en) v
                                                               WHERE v <> ALL (y.variants_en) AND v <> y.name_en),
                         variants_fa = y.variants_fa || ARRAY(SELECT f FROM unnest(s.fa) f
                                                               WHERE f <> ALL (y.variants_fa)
                                                                 AND f IS DISTINCT FROM y.name_fa),
                         names_norm = y.names_norm || ARRAY(SELECT n FROM unnest(s.norm) n
                                                             WHERE n <> ALL (y.names_norm)),
                         version = y.version + 1, updated_at = now()
                    FROM src s, old o WHERE s.y = y.id AND o.id = y.id
               RETURNING y.*)
     INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after, reason)
     SELECT NULL, 'update', 'locations', u.id, to_jsonb(o), to_jsonb(u), $3
       FROM upd u JOIN old o USING (id)`,
    [xs, ys, REASON],
  );

  await m.query(
    `WITH p AS (${pairSql})
     UPDATE location_external_ids e SET location_id = p.y FROM p WHERE e.location_id = p.x`,
    [xs, ys],
  );
  await m.query(
    `INSERT INTO location_external_ids (scope, external_id, location_id)
     SELECT 'gazetteer-merged', x::text, y FROM unnest($1::uuid[], $2::uuid[]) AS p(x, y)
     ON CONFLICT DO NOTHING`,
    [xs, ys],
  );
  await m.query(
    `WITH del AS (DELETE FROM locations l WHERE l.id = ANY($1::uuid[]) RETURNING l.*)
     INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after, reason)
     SELECT NULL, 'delete', 'locations', del.id, to_jsonb(del), NULL, $2 FROM del`,
    [xs, REASON],
  );
  return { merged: pairs.length, records, below: below.n };
}
