import { randomUUID } from 'node:crypto';
import type { ClientBase } from 'pg';
import { timeOrderedId } from '../src/common/time-ordered-id.js';
import type { Dataset, GenVictim } from './generate.js';
import {
  copyLines,
  csv,
  insertUnnest,
  pgArray,
  VICTIM_ATTESTATION_COLUMNS,
  VICTIM_COLUMNS,
  VICTIM_TYPES,
  victimValues,
} from './load.js';

/**
 * W5's floor: the fastest SQL we know for the same load into the same schema as the service's
 * import (docs/performance.md shows it). Rows already shaped (no parsing, no place matching, no
 * lookups); per batch of `batch` victims, in the caller's transaction:
 *
 *   SET LOCAL casualty_ledger.bulk = 'on'            -- once: the insert triggers stand aside
 *   COPY victims (…, city_id) FROM STDIN             -- city_id given, as the trigger would set it;
 *                                                       time-ordered ids, as the service's
 *   COPY attestations (…) FROM STDIN
 *   INSERT INTO victim_name_words SELECT unnest($words) ON CONFLICT DO NOTHING
 *   SELECT victim_rollup_add_new($ids)               -- the rollups, set-based
 *   INSERT INTO audit_log … one entry for the batch's victims, one for their attestations
 *
 * The embedded engine's socket has no COPY: multi-row INSERT … SELECT FROM unnest instead.
 * `cities`: each location's city (locations.city_id), read before the clock starts.
 */
export async function setBasedLoad(
  c: ClientBase,
  data: Dataset,
  from: number,
  to: number,
  get: (i: number) => GenVictim,
  opt: { copy: boolean; batch: number; cities: Map<string, string | null> },
): Promise<{ victims: number; attestations: number }> {
  await c.query(`SET LOCAL casualty_ledger.bulk = 'on'`);
  const importId = randomUUID();
  const seen = new Set<string>();
  let attestations = 0;
  for (let start = from; start < to; start += opt.batch) {
    const batch: GenVictim[] = [];
    for (let i = start; i < Math.min(to, start + opt.batch); i++) batch.push(get(i));
    // Time-ordered ids, as the service gives new records (the generator's are random: inserting
    // them would scatter the primary key's pages and make the floor slower than it need be).
    const ids = batch.map(() => timeOrderedId());
    const rows = batch.map((v, k) => {
      const values = victimValues(v, data);
      values[0] = ids[k];
      return [...values, opt.cities.get(v.place.id) ?? null];
    });
    const atts = batch.flatMap((v, k) =>
      v.attestations.map((a) => [data.sources[a.source].id, ids[k], a.locator, a.credibility]),
    );
    if (opt.copy) {
      await copyLines(
        c,
        `COPY victims (${VICTIM_COLUMNS.join(', ')}, city_id) FROM STDIN (FORMAT csv)`,
        rows.map((r) => r.map((x) => csv(Array.isArray(x) ? pgArray(x) : x)).join(',') + '\n'),
      );
      await copyLines(
        c,
        'COPY attestations (source_id, victim_id, locator, credibility) FROM STDIN (FORMAT csv)',
        atts.map((r) => r.map((x) => csv(x as string | number | null)).join(',') + '\n'),
      );
    } else {
      const columns = [...VICTIM_COLUMNS, 'city_id'].map((name, i) => ({
        name,
        type: VICTIM_TYPES[i] ?? 'uuid',
      }));
      await insertUnnest(c, 'victims', columns, rows, rows.length);
      await insertUnnest(c, 'attestations', VICTIM_ATTESTATION_COLUMNS, atts, atts.length);
    }
    attestations += atts.length;
    const words = new Set<string>();
    for (const r of rows)
      for (const w of String(r[4]).split(' ')) if (w && !seen.has(w)) words.add(w);
    for (const w of words) seen.add(w);
    await c.query(
      `INSERT INTO victim_name_words (word) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT DO NOTHING`,
      [[...words]],
    );
    await c.query(`SELECT victim_rollup_add_new($1::uuid[])`, [ids]);
    const lines = batch.map((_, k) => start - from + k + 2);
    for (const [entity, key] of [
      ['victims', 'id'],
      ['attestations', 'victim_id'],
    ] as const) {
      await c.query(
        `INSERT INTO audit_log (actor_id, action, entity, entity_id, entity_ids, after, reason)
         SELECT NULL, 'create', $4, $2::uuid, array_agg(r.id),
                jsonb_build_object('importId', $2::uuid, 'file', 'w5.csv', 'lines', jsonb_object_agg(r.id, ln.line),
                                   'records', jsonb_object_agg(r.id, to_jsonb(r))),
                'import ' || $2
           FROM unnest($1::uuid[], $3::int[]) AS ln(id, line)
           JOIN ${entity} r ON r.${key} = ln.id`,
        [ids, importId, lines, entity],
      );
    }
  }
  return { victims: to - from, attestations };
}
