import type { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../common/errors.js';
import {
  BLOCK_WINDOW_DAYS,
  clusterPairs,
  COMMON_NAME_RECORDS,
  conflictFacts,
  nameKeys,
  PAIR_THRESHOLD,
  type ConflictFacts,
  scorePair,
  type LinkRecord,
  type PairEvidence,
} from './linkage.js';
import { refreshNameKeys } from './name-keys.js';

export interface ScanProgress {
  phase: 'keys' | 'candidates' | 'scoring' | 'clusters';
  done: number;
  total: number;
}

export interface ScanResult {
  records: number;
  candidates: number;
  pairs: number;
  clusters: number;
  /** Records in the clusters found. */
  clustered: number;
  /** Pairs kept but left out of every cluster: they would chain records that conflict. */
  refused: number;
  seconds: number;
  /** Where the time went: seconds per phase (keys, candidates, scoring, clusters). */
  phases: Record<ScanProgress['phase'], number>;
  /**
   * With `fresh`: the clusters that hold a fresh record (after merging with the open clusters
   * they touch), by id.
   */
  freshClusters?: string[];
}

export interface RecordRow {
  id: string;
  name_en: string | null;
  name_fa: string | null;
  name_variants: string[];
  gender: string | null;
  age: number | null;
  age_min: number | null;
  age_max: number | null;
  date_from: string | null;
  date_to: string | null;
  path: string[];
  sources: string[];
  father_name: string | null;
}

const PAIR_PAGE = 5_000;

/** Sixteen slices of the uuid space, [from, to) (the last open): the scan's statements run slice by slice. */
const ID_SLICES: [string, string | null][] = [...'0123456789abcdef'].map((h, i, all) => [
  `${h}0000000-0000-0000-0000-000000000000`,
  i + 1 < all.length ? `${all[i + 1]}0000000-0000-0000-0000-000000000000` : null,
]);

/**
 * A record's age range as linkage.ts reads it (ageRange): the age, else the bounds given (0 and
 * 130 for a missing one), else none; in SQL over the victims row `v`.
 */
const AGE_RANGE = `CASE WHEN v.age IS NOT NULL THEN v.age
                        WHEN v.age_min IS NOT NULL OR v.age_max IS NOT NULL THEN coalesce(v.age_min, 0) END AS age_lo,
                   CASE WHEN v.age IS NOT NULL THEN v.age
                        WHEN v.age_min IS NOT NULL OR v.age_max IS NOT NULL THEN coalesce(v.age_max, 130) END AS age_hi`;

/** Ages known on both key rows `a` and `b`, each to within `y` years and within `y` of each other. */
const closeAges = (y: number): string =>
  `(a.age_hi - a.age_lo <= ${y} AND b.age_hi - b.age_lo <= ${y}
    AND greatest(a.age_lo, b.age_lo) - least(a.age_hi, b.age_hi) <= ${y})`;

/**
 * The vetoes of linkage.ts scorePair that need no name, in SQL over two key rows `a` and `b`:
 * a pair they hold is scored below the threshold whatever else agrees, so it is never made a
 * candidate. Each is the score's own rule, to the day and the year: different genders; ages more
 * than five years apart (two for a common name); dates of harm the score reads as unrelated; and
 * a common name without what commonNameHolds asks (the same place and the same day or short
 * span, with ages close enough where the day or the city is missing). The vetoes that read the
 * names (different given names, different fathers' names) stay with the score.
 */
const NOT_VETOED = `NOT coalesce(a.gender <> b.gender, false)
  AND NOT coalesce(greatest(a.age_lo, b.age_lo) - least(a.age_hi, b.age_hi)
                   > CASE WHEN a.common OR b.common THEN 2 ELSE 5 END, false)
  AND NOT coalesce(CASE WHEN a.day = a.day_to AND b.day = b.day_to THEN abs(a.day - b.day) > 3
                        ELSE greatest(a.day, b.day) - least(a.day_to, b.day_to) > 1 END, false)
  AND (NOT (a.common OR b.common)
       OR coalesce(a.day = b.day AND a.day_to = b.day_to AND a.city = b.city
                   AND CASE WHEN a.in_city AND b.in_city THEN a.day_to - a.day <= 4 OR ${closeAges(2)}
                            ELSE a.day_to - a.day <= 4 AND ${closeAges(1)} END, false))`;

/** Records that the linkage compares: every record not merged and not retracted. */
const LINKED = `v.merged_into IS NULL AND v.status <> 'retracted'`;

export function linkRecord(r: RecordRow): LinkRecord {
  return {
    id: r.id,
    names: [r.name_en, r.name_fa, ...(r.name_variants ?? [])].filter((n): n is string => !!n),
    gender: r.gender,
    age: r.age,
    ageMin: r.age_min,
    ageMax: r.age_max,
    dateFrom: r.date_from,
    dateTo: r.date_to,
    placePath: r.path ?? [],
    sources: r.sources ?? [],
    father: r.father_name,
  };
}

let running = false;

/** Another scan is running in this process (one at a time): 409. */
export class ScanRunning extends AppError {
  constructor() {
    super('conflict', 'A duplicates scan is already running: try again when it has finished', {
      errors: [{ field: 'scan', reason: 'a scan is already running' }],
    });
  }
}

/**
 * The batch job of record linkage over the whole database (docs/duplicates.md):
 *
 * 1. keys: the records are read in pages by id; each gets its blocking keys (linkage.ts
 *    blockKeys: transliteration keys of the family and given names, in both scripts) and its
 *    first known day, written to duplicate_scan_keys;
 * 2. candidates: one statement joins the keys with themselves, block by block, for records
 *    whose days lie within a day of each other, leaving out the pairs a reviewer has decided,
 *    into duplicate_scan_candidates;
 * 3. scoring: the candidates are read back page by page, their records fetched by id (the
 *    last pages' kept in a bounded cache), each pair scored (linkage.ts scorePair);
 * 4. clusters: the pairs kept are grouped (connected records) and stored, replacing the open
 *    clusters of the previous scan; clusters a reviewer marked unsure, and every decision, stay.
 *
 * Memory holds one page and the pairs kept (about as many as there are duplicates), whatever
 * the number of records. One scan runs at a time in a process.
 */
export async function scanDuplicates(
  ds: DataSource,
  opts: {
    onProgress?: (p: ScanProgress) => void;
    threshold?: number;
    /**
     * Only pairs with at least one of these records (an import's new records, against the whole
     * database and among themselves); the open clusters they touch are grown, the others stay.
     */
    fresh?: string[];
  } = {},
): Promise<ScanResult> {
  if (running) throw new ScanRunning();
  running = true;
  const started = Date.now();
  try {
    const report = opts.onProgress ?? (() => undefined);
    const threshold = opts.threshold ?? PAIR_THRESHOLD;
    const fresh = opts.fresh ? new Set(opts.fresh) : null;
    const phases: ScanResult['phases'] = { keys: 0, candidates: 0, scoring: 0, clusters: 0 };
    let mark = Date.now();
    const lap = (phase: ScanProgress['phase']): void => {
      const now = Date.now();
      phases[phase] = Math.round((now - mark) / 100) / 10;
      mark = now;
    };
    await ds.query(`TRUNCATE duplicate_scan_keys, duplicate_scan_candidates, duplicate_scan_names`);
    const [{ n: total }] = await ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM victims v WHERE ${LINKED}`,
    );

    // 1. keys
    // After an import, only the records its new ones can meet: the same provinces (every block
    // key holds the province) and first days within the window (or undated). How common a name is
    // is then counted among those records.
    let scope = '';
    const scopeParams: unknown[] = [];
    if (fresh) {
      const [f] = await ds.query<
        { provinces: string[]; lo: number | null; hi: number | null; undated: boolean }[]
      >(
        `SELECT array_agg(DISTINCT coalesce(l.path[2]::text, '')) AS provinces,
                min(v.date_from - DATE '1970-01-01') AS lo, max(v.date_from - DATE '1970-01-01') AS hi,
                bool_or(v.date_from IS NULL) AS undated
           FROM victims v LEFT JOIN locations l ON l.id = v.location_id
          WHERE v.id = ANY($1::uuid[])`,
        [[...fresh]],
      );
      scope = ` AND coalesce(l.path[2]::text, '') = ANY($1::text[])
                AND ($2::boolean OR v.date_from IS NULL
                     OR (v.date_from - DATE '1970-01-01') BETWEEN $3::int AND $4::int)`;
      scopeParams.push(
        f.provinces ?? [],
        f.undated || f.lo === null,
        (f.lo ?? 0) - BLOCK_WINDOW_DAYS,
        (f.hi ?? 0) + BLOCK_WINDOW_DAYS,
      );
    }
    // The name keys kept with the records, computed again for those whose names changed.
    await refreshNameKeys(ds, LINKED, [], (done, stale) =>
      report({ phase: 'keys', done, total: stale }),
    );
    // How common each full name is; then the blocks, set-based: the province is added to each
    // kept key; a record with a common name is put only in its fine blocks (block, place, day:
    // the column is named city), where the score asks the same day and place of it; every other
    // record in both (so that it still meets a common name of its day and place).
    const linked = `victims v JOIN victim_name_keys k ON k.victim_id = v.id
                    LEFT JOIN locations l ON l.id = v.location_id`;
    // Each statement over a sixteenth of the records (by id: the victims and their keys each
    // read by that range of their key), in a transaction of its own with a limit of its own: at a million records one statement over all of them takes longer than
    // the driver waits for any query, and a long transaction would stall the embedded engine.
    const n = scopeParams.length;
    const sliced = async (sql: (range: string) => string, params: unknown[]): Promise<void> => {
      for (const [lo, hi] of ID_SLICES)
        await ds.transaction(async (m) => {
          await m.query(`SET LOCAL statement_timeout = '30min'`);
          await m.query(
            sql(`$${params.length + 1}::uuid AND ($${params.length + 2}::uuid IS NULL OR`),
            [...params, lo, hi],
          );
        });
    };
    await sliced(
      (r) => `INSERT INTO duplicate_scan_names (name, n)
         SELECT nm, count(*)::int FROM ${linked}, unnest(k.names) AS nm
          WHERE ${LINKED}${scope} AND v.id >= ${r} v.id < $${n + 2}::uuid)
            AND k.victim_id >= ${r} k.victim_id < $${n + 2}::uuid) GROUP BY nm
         ON CONFLICT (name) DO UPDATE SET n = duplicate_scan_names.n + excluded.n`,
      scopeParams,
    );
    // Whether a record's name is common, once per record (not once per key).
    await sliced(
      (
        r,
      ) => `WITH r AS (SELECT v.id, k.blocks, k.names, '@' || coalesce(l.path[2]::text, '') AS province,
                               (v.date_from - DATE '1970-01-01') AS day, l.id AS city,
                               (v.date_to - DATE '1970-01-01') AS day_to, ${AGE_RANGE}, v.gender,
                               coalesce(cardinality(l.path) >= 3, false) AS in_city,
                               v.id = ANY($${n + 1}::uuid[]) AS fresh
                          FROM ${linked}
                         WHERE ${LINKED}${scope} AND v.id >= ${r} v.id < $${n + 3}::uuid)
                           AND k.victim_id >= ${r} k.victim_id < $${n + 3}::uuid)),
              c AS (SELECT r.id, bool_or(x.n >= ${COMMON_NAME_RECORDS}) AS common
                      FROM r, unnest(r.names) AS nm JOIN duplicate_scan_names x ON x.name = nm
                     GROUP BY r.id)
         INSERT INTO duplicate_scan_keys (block, victim_id, day, city, fine, fresh,
                                          day_to, age_lo, age_hi, gender, in_city, common)
         SELECT CASE WHEN f.fine THEN s.stem || r.province || '|' || r.city || '|' || r.day
                     ELSE s.stem || r.province END,
                r.id, r.day, r.city, f.fine, r.fresh,
                r.day_to, r.age_lo, r.age_hi, r.gender, r.in_city, coalesce(c.common, false)
           FROM r LEFT JOIN c ON c.id = r.id, unnest(r.blocks) AS s(stem),
                (VALUES (false), (true)) AS f(fine)
          WHERE CASE WHEN f.fine THEN r.city IS NOT NULL AND r.day IS NOT NULL
                     ELSE NOT coalesce(c.common, false) END`,
      [...scopeParams, [...(fresh ?? [])]],
    );
    await ds.query(`ANALYZE duplicate_scan_keys`);
    lap('keys');

    // 2. candidates
    report({ phase: 'candidates', done: 0, total: 1 });
    // Block by block, for the pairs whose first record is in each slice in turn.
    await sliced(
      (r) => `INSERT INTO duplicate_scan_candidates (victim_a, victim_b)
       SELECT DISTINCT a.victim_id, b.victim_id
         FROM duplicate_scan_keys a
         JOIN duplicate_scan_keys b
              ON b.block = a.block AND b.victim_id > a.victim_id
              AND (a.day IS NULL OR b.day IS NULL OR abs(a.day - b.day) <= ${BLOCK_WINDOW_DAYS})
              AND ${NOT_VETOED}
        WHERE a.victim_id >= ${r} a.victim_id < $2::uuid)
          AND ${fresh ? '(a.fresh OR b.fresh) AND' : ''} NOT EXISTS (SELECT 1 FROM duplicate_decisions d
                           WHERE d.victim_a = a.victim_id AND d.victim_b = b.victim_id)
       ON CONFLICT DO NOTHING`,
      [],
    );
    const [{ n: candidates }] = await ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM duplicate_scan_candidates`,
    );
    report({ phase: 'candidates', done: 1, total: 1 });
    lap('candidates');

    // 3. scoring
    // Pairs come in order of their first record: its neighbours' records are asked for again
    // and again, and are kept (at most 20,000, then the cache starts again). The next page is
    // read while this one is scored (the engine and the scoring each have a core), and only the
    // kept pairs' ids and scores stay (their evidence is scored again as the clusters are stored).
    const cache = new Map<string, LinkRecord>();
    const kept: KeptPair[] = [];
    // What the clustering needs of the records in kept pairs (about one per duplicate).
    const facts = new Map<string, ConflictFacts>();
    const readPage = async (after: [string, string]): Promise<ScoringPage> => {
      const pairs = await ds.query<{ a: string; b: string }[]>(
        `SELECT victim_a AS a, victim_b AS b FROM duplicate_scan_candidates
          WHERE (victim_a, victim_b) > ($1::uuid, $2::uuid)
          ORDER BY victim_a, victim_b LIMIT ${PAIR_PAGE}`,
        after,
      );
      const records = new Map<string, LinkRecord>();
      const missing: string[] = [];
      for (const id of new Set(pairs.flatMap((p) => [p.a, p.b]))) {
        const r = cache.get(id);
        if (r) records.set(id, r);
        else missing.push(id);
      }
      if (missing.length) {
        const recs = (await recordsById(ds, missing)).map(linkRecord);
        await countNamesFrom(ds, recs);
        if (cache.size + recs.length > 20_000) cache.clear();
        for (const r of recs) {
          cache.set(r.id, r);
          records.set(r.id, r);
        }
      }
      return { pairs, records };
    };
    const ZERO_ID = '00000000-0000-0000-0000-000000000000';
    let next: Promise<ScoringPage> | null = readPage([ZERO_ID, ZERO_ID]);
    let scored = 0;
    while (next) {
      const { pairs, records }: ScoringPage = await next;
      if (!pairs.length) break;
      const last = pairs[pairs.length - 1];
      next = pairs.length < PAIR_PAGE ? null : readPage([last.a, last.b]);
      for (let i = 0; i < pairs.length; i++) {
        // Now and then the next page's statements are let through.
        if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
        const a = records.get(pairs[i].a);
        const b = records.get(pairs[i].b);
        if (!a || !b) continue;
        const { score } = scorePair(a, b);
        if (score >= threshold) {
          kept.push({ a: a.id, b: b.id, score });
          if (!facts.has(a.id)) facts.set(a.id, conflictFacts(a));
          if (!facts.has(b.id)) facts.set(b.id, conflictFacts(b));
        }
      }
      scored += pairs.length;
      report({ phase: 'scoring', done: scored, total: candidates });
    }

    lap('scoring');

    // 4. clusters
    let freshClusters: string[] | undefined;
    let clusters: ReturnType<typeof clusterPairs<KeptPair>>;
    if (!fresh) {
      clusters = clusterPairs(kept, (id) => facts.get(id));
      await ds.transaction(async (m) => {
        await m.query(`DELETE FROM duplicate_clusters WHERE state = 'open'`);
        await storeClusters(m, clusters);
      });
    } else {
      // Grow the open clusters the new pairs touch: their pairs and the new ones, clustered again.
      const touched = [...new Set(kept.flatMap((p) => [p.a, p.b]))];
      const old = await ds.query<
        { cluster_id: string; a: string; b: string; score: number; evidence: PairEvidence }[]
      >(
        `SELECT p.cluster_id, p.victim_a AS a, p.victim_b AS b, p.score, p.evidence
           FROM duplicate_pairs p JOIN duplicate_clusters k ON k.id = p.cluster_id
          WHERE k.state = 'open' AND p.cluster_id IN (
                SELECT cm.cluster_id FROM duplicate_cluster_members cm WHERE cm.victim_id = ANY($1::uuid[]))`,
        [touched],
      );
      const unknown = [...new Set(old.flatMap((p) => [p.a, p.b]))].filter((id) => !facts.has(id));
      if (unknown.length)
        for (const r of await recordsById(ds, unknown))
          facts.set(r.id, conflictFacts(linkRecord(r)));
      clusters = clusterPairs(
        [...kept, ...old.map(({ a, b, score, evidence }) => ({ a, b, score, evidence }))],
        (id) => facts.get(id),
      );
      const oldIds = [...new Set(old.map((p) => p.cluster_id))];
      const ids = await ds.transaction(async (m) => {
        if (oldIds.length)
          await m.query(`DELETE FROM duplicate_clusters WHERE id = ANY($1::uuid[])`, [oldIds]);
        return storeClusters(m, clusters);
      });
      freshClusters = ids.filter((_, i) => clusters[i].members.some((v) => fresh.has(v)));
    }
    report({ phase: 'clusters', done: clusters.length, total: clusters.length });
    lap('clusters');
    await ds.query(`TRUNCATE duplicate_scan_keys, duplicate_scan_candidates, duplicate_scan_names`);
    return {
      records: total,
      candidates,
      pairs: kept.length,
      clusters: clusters.length,
      clustered: clusters.reduce((n, c) => n + c.members.length, 0),
      refused: clusters.refused ?? 0,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      phases,
      ...(freshClusters ? { freshClusters } : {}),
    };
  } finally {
    running = false;
  }
}

/** What the scoring needs of each record, read by id. */
export async function recordsById(
  m: DataSource | EntityManager,
  ids: string[],
): Promise<RecordRow[]> {
  return m.query<RecordRow[]>(
    `SELECT v.id, v.name_en, v.name_fa, v.name_variants, v.gender, v.age, v.age_min, v.age_max,
            v.date_from, v.date_to, coalesce(l.path, '{}') AS path, v.father_name,
            coalesce((SELECT array_agg(DISTINCT a.source_id) FROM attestations a WHERE a.victim_id = v.id), '{}') AS sources
       FROM victims v LEFT JOIN locations l ON l.id = v.location_id
      WHERE v.id = ANY($1::uuid[])`,
    [ids],
  );
}

/** Sets each record's nameFrequency from the scan's name counts. */
async function countNamesFrom(m: DataSource | EntityManager, recs: LinkRecord[]): Promise<void> {
  const keys = recs.map(nameKeys);
  const rows = await m.query<{ name: string; n: number }[]>(
    `SELECT name, n FROM duplicate_scan_names WHERE name = ANY($1::text[])`,
    [[...new Set(keys.flat())]],
  );
  const n = new Map(rows.map((r) => [r.name, r.n]));
  recs.forEach((r, i) => {
    r.nameFrequency = Math.max(1, ...keys[i].map((k) => n.get(k) ?? 1));
  });
}

/** A pair kept by the scoring; its evidence is added as it is stored (an open cluster's has it). */
type KeptPair = { a: string; b: string; score: number; evidence?: PairEvidence };

interface ScoringPage {
  pairs: { a: string; b: string }[];
  records: Map<string, LinkRecord>;
}

/**
 * Stores clusters with their members and scored pairs, a few statements per thousand; their
 * ids in the order given.
 */
async function storeClusters(
  m: EntityManager,
  clusters: ReturnType<typeof clusterPairs<KeptPair>>,
): Promise<string[]> {
  const all: string[] = [];
  for (let i = 0; i < clusters.length; i += 1000) {
    const chunk = clusters.slice(i, i + 1000);
    const evidence = await evidenceOf(
      m,
      chunk.flatMap((c) => c.pairs.filter((p) => !p.evidence)),
    );
    const ids = await m.query<{ id: string }[]>(
      `INSERT INTO duplicate_clusters (state, score, size)
       SELECT 'open', s, n FROM unnest($1::real[], $2::int[]) WITH ORDINALITY AS x(s, n, o) ORDER BY o
       RETURNING id`,
      [chunk.map((c) => c.score), chunk.map((c) => c.members.length)],
    );
    all.push(...ids.map((r) => r.id));
    const memberRows: [string[], string[]] = [[], []];
    const pairRows: [string[], string[], string[], number[], string[]] = [[], [], [], [], []];
    chunk.forEach((c, k) => {
      const id = ids[k].id;
      for (const v of c.members) {
        memberRows[0].push(id);
        memberRows[1].push(v);
      }
      for (const p of c.pairs) {
        pairRows[0].push(id);
        pairRows[1].push(p.a);
        pairRows[2].push(p.b);
        pairRows[3].push(p.score);
        pairRows[4].push(JSON.stringify(p.evidence ?? evidence.get(`${p.a} ${p.b}`)));
      }
    });
    await m.query(
      `INSERT INTO duplicate_cluster_members (cluster_id, victim_id)
       SELECT * FROM unnest($1::uuid[], $2::uuid[])`,
      memberRows,
    );
    await m.query(
      `INSERT INTO duplicate_pairs (cluster_id, victim_a, victim_b, score, evidence)
       SELECT c, a, b, s, e::jsonb FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::real[], $5::text[]) AS x(c, a, b, s, e)`,
      pairRows,
    );
  }
  return all;
}

/** The evidence of pairs kept by the scoring, scored again (the same score), by "a b". */
async function evidenceOf(m: EntityManager, pairs: KeptPair[]): Promise<Map<string, PairEvidence>> {
  const out = new Map<string, PairEvidence>();
  if (!pairs.length) return out;
  const recs = (await recordsById(m, [...new Set(pairs.flatMap((p) => [p.a, p.b]))])).map(
    linkRecord,
  );
  await countNamesFrom(m, recs);
  const byId = new Map(recs.map((r) => [r.id, r]));
  for (const p of pairs) {
    const a = byId.get(p.a);
    const b = byId.get(p.b);
    if (a && b) out.set(`${p.a} ${p.b}`, scorePair(a, b));
  }
  return out;
}
