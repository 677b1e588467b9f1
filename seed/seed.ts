import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { DataSource, EntityManager } from 'typeorm';
import { seedFile } from '../src/common/project-root.js';
import { stableId } from '../src/common/stable-id.js';
import { auditCopySql, NO_SOURCE_LINKS } from '../src/audit/audit-writer.js';
import { loadGazetteer, loadMergedPlaces, locationSeedId } from './gazetteer.js';
import { moveSeededPlaces } from './gazetteer-moves.js';
import { mergeSeededPlaces } from './gazetteer-merges.js';

/** Fixed ids of the founding case, so that tests, docs and later seeds can name them. */
export const SEED = {
  iran: locationSeedId('country', 'Iran'),
  sources: {
    jointStatement: stableId('source:joint-statement-2020-05-23'),
    amnesty: stableId('source:amnesty-2020-05-21'),
    reuters: stableId('source:reuters-2019-12-23'),
  },
  incident: stableId('incident:aban-1398-crackdown'),
  incidentAttestation: stableId('attestation:aban-1398-crackdown:joint-statement'),
  claims: {
    amnesty304: stableId('claim:amnesty-at-least-304'),
    reutersRange: stableId('claim:reuters-350-1500'),
    detainedThousands: stableId('claim:amnesty-thousands-detained'),
  },
} as const;

const STATEMENT_FILE = 'seed-statement-2020-05-23.txt';

export interface SeedResult {
  created: number;
  present: number;
  /** Places seeded before that got what the national gazetteer added (coordinates, names). */
  updated?: number;
  /** Places seeded before moved into the county the gazetteer now puts them in (and below them). */
  moved?: number;
  movedBelow?: number;
  /** City entries that are their county, merged into it (seed/gazetteer-merges.ts), and what moved with them. */
  merged?: number;
  mergedRecords?: number;
  mergedBelow?: number;
}

type Row = Record<string, unknown>;

/** INSERT … ON CONFLICT (id) DO NOTHING, with an audit entry for what was really created. */
async function upsert(
  m: EntityManager,
  table: string,
  row: Row,
  r: SeedResult,
  key = 'id',
): Promise<void> {
  const cols = Object.keys(row);
  const params = cols.map((_, i) => `$${i + 1}`);
  // Audited as the API audits a creation (the record as stored, the entity's keys: audit-writer.ts).
  const idCol = key === 'id' ? 'id' : 'source_id';
  const inserted = await m.query<{ id: string }[]>(
    `WITH ins AS (
       INSERT INTO ${table} (${cols.join(', ')}) VALUES (${params.join(', ')})
       ON CONFLICT (${key}) DO NOTHING RETURNING *
     ), aud AS (
       INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after, reason)
       SELECT NULL, 'create', '${table}', ins.${idCol}, NULL, ${auditCopySql(m, table, 'ins')}${table === 'sources' ? ` || ${NO_SOURCE_LINKS}` : ''}, 'seed' FROM ins
     )
     SELECT ${idCol} AS id FROM ins`,
    cols.map((c) => row[c]),
  );
  if (inserted.length) r.created++;
  else r.present++;
}

const PLACE_COLUMNS = `id uuid, kind text, parent_id uuid, name_en text, name_fa text, variants_en text[],
  variants_fa text[], names_norm text[], path uuid[], depth int, lat double precision,
  lon double precision, precision text`;

/**
 * The national gazetteer (seed/gazetteer.ts), one statement per level of the tree: places are
 * inserted with their fixed ids when missing (an audit entry each), and a place the seed made
 * earlier gets, audited, what the gazetteer has learned since and it lacks: coordinates (the
 * provinces had none), a Persian name, variants ("Sistan va Baluchestan"), and a town still
 * under its province moves into its county (seed/gazetteer-moves.ts); a city entry that is its
 * county is merged into it, its records with it (seed/gazetteer-merges.ts). Nothing a researcher
 * wrote is removed or overwritten.
 */
export async function seedGazetteer(m: EntityManager, r: SeedResult): Promise<void> {
  const places = loadGazetteer();
  const depths = [...new Set(places.map((p) => p.depth))].sort((a, b) => a - b);
  for (const depth of depths) {
    const level = places
      .filter((p) => p.depth === depth)
      .map((p) => ({
        id: p.id,
        kind: p.kind,
        parent_id: p.parentId,
        name_en: p.nameEn,
        name_fa: p.nameFa,
        variants_en: p.variantsEn,
        variants_fa: p.variantsFa,
        names_norm: p.namesNorm,
        path: p.path,
        depth: p.depth,
        lat: p.lat,
        lon: p.lon,
        precision: p.precision,
      }));
    const [created] = await m.query<{ n: number }[]>(
      `WITH input AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(${PLACE_COLUMNS})),
            ins AS (INSERT INTO locations (id, kind, parent_id, name_en, name_fa, variants_en, variants_fa,
                                           names_norm, path, depth, lat, lon, precision)
                    SELECT id, kind, parent_id, name_en, name_fa, variants_en, variants_fa, names_norm,
                           path, depth, lat, lon, precision FROM input
                    ON CONFLICT (id) DO NOTHING RETURNING *),
            aud AS (INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after, reason)
                    SELECT NULL, 'create', 'locations', ins.id, NULL, ${auditCopySql(m, 'locations', 'ins')}, 'seed'
                      FROM ins RETURNING 1)
       SELECT (SELECT count(*) FROM ins)::int AS n, (SELECT count(*) FROM aud)::int AS audited`,
      [JSON.stringify(level)],
    );
    r.created += created.n;
    const [updated] = await m.query<{ n: number }[]>(
      `WITH input AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(${PLACE_COLUMNS})),
            old AS (SELECT l.* FROM locations l JOIN input i USING (id)
                     WHERE (l.lat IS NULL AND i.lat IS NOT NULL)
                        OR (l.name_fa IS NULL AND i.name_fa IS NOT NULL)
                        OR NOT l.names_norm @> i.names_norm
                     FOR UPDATE OF l),
            upd AS (UPDATE locations l
                       SET lat = CASE WHEN l.lat IS NULL THEN i.lat ELSE l.lat END,
                           lon = CASE WHEN l.lat IS NULL THEN i.lon ELSE l.lon END,
                           precision = CASE WHEN l.lat IS NULL THEN i.precision ELSE l.precision END,
                           name_fa = COALESCE(l.name_fa, i.name_fa),
                           -- The gazetteer's own name too, when the place has another (a county
                           -- named by romanisation before its seat was known: "Hftgl County").
                           variants_en = l.variants_en || ARRAY(SELECT v
                                                                  FROM unnest(i.name_en || i.variants_en) v
                                                                 WHERE v <> ALL (l.variants_en) AND v <> l.name_en),
                           variants_fa = l.variants_fa || ARRAY(SELECT v FROM unnest(i.variants_fa) v
                                                                 WHERE v <> ALL (l.variants_fa)
                                                                   AND v IS DISTINCT FROM COALESCE(l.name_fa, i.name_fa)),
                           names_norm = l.names_norm || ARRAY(SELECT n FROM unnest(i.names_norm) n
                                                               WHERE n <> ALL (l.names_norm)),
                           version = l.version + 1,
                           updated_at = now()
                      FROM input i, old o
                     WHERE l.id = i.id AND o.id = l.id
                 RETURNING l.*),
            aud AS (INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after, reason)
                    SELECT NULL, 'update', 'locations', u.id, ${auditCopySql(m, 'locations', 'o')},
                           ${auditCopySql(m, 'locations', 'u')},
                           'seed: what the national gazetteer adds to a place seeded before it'
                      FROM upd u JOIN old o USING (id) RETURNING 1)
       SELECT (SELECT count(*) FROM aud)::int AS n`,
      [JSON.stringify(level)],
    );
    r.updated = (r.updated ?? 0) + updated.n;
    r.present += level.length - created.n;
  }
  const moves = await moveSeededPlaces(m, places);
  r.moved = (r.moved ?? 0) + moves.moved;
  r.movedBelow = (r.movedBelow ?? 0) + moves.below;
  const merges = await mergeSeededPlaces(m, loadMergedPlaces());
  r.merged = (r.merged ?? 0) + merges.merged;
  r.mergedRecords = (r.mergedRecords ?? 0) + merges.records;
  r.mergedBelow = (r.mergedBelow ?? 0) + merges.below;
}

const EXCERPTS = {
  at304:
    'Based on its research and relying on its own documents, Amnesty International confirms the intentional murder of at least 304 victims of the regime repression',
  range: 'Several sources, according to Reuters, have put the death toll at between 350 and 1,500.',
  detained:
    'Amnesty International has also confirmed that the fate of the thousands detained across the country is still unclear',
  cause:
    '"in all but four cases, protesters have been killed by bullets fired by the regime security forces, including members of the Islamic Revolutionary Guard Corps (IRGC), the Basij and the security forces, who fired shots at the protesters on the head or upper body. This shows that they were shooting to kill."',
  days: 'the IR has not yet announced the actual number of killings during four days of protests from November 16 to 19',
};

/**
 * The founding case from seed/data/seed-statement-2020-05-23.txt: the joint statement of four
 * Iranian political organisations, relaying Amnesty International (21 May 2020) and Reuters.
 * Idempotent: fixed ids, existing rows left as they are.
 */
export async function seedFoundingCase(ds: DataSource): Promise<SeedResult> {
  const r: SeedResult = { created: 0, present: 0 };
  const text = fs.readFileSync(seedFile(STATEMENT_FILE));
  await ds.transaction(async (m) => {
    await seedGazetteer(m, r);
    const S = SEED.sources;
    await upsert(
      m,
      'sources',
      {
        id: S.amnesty,
        kind: 'statement',
        title:
          'Amnesty International statement urging a UN investigation of the killings of November 2019 protesters',
        publisher: 'Amnesty International',
        published_from: '2020-05-21',
        published_to: '2020-05-21',
        published_precision: 'day',
        published_original: 'May 21, 2020',
        language: 'en',
        reliability: 'B',
        interest_note: null,
      },
      r,
    );
    await upsert(
      m,
      'sources',
      {
        id: S.reuters,
        kind: 'news',
        title:
          'Reuters report on the death toll of the November 2019 protests (three Interior Ministry officials: about 1,500)',
        publisher: 'Reuters',
        published_from: '2019-12-23',
        published_to: '2019-12-23',
        published_precision: 'day',
        published_original: '23 Dec 2019',
        language: 'en',
        reliability: 'B',
        interest_note: 'Figures from anonymous officials; not independently verifiable',
      },
      r,
    );
    await upsert(
      m,
      'sources',
      {
        id: S.jointStatement,
        kind: 'statement',
        title:
          "We support Amnesty International's Request to Investigate the November 2019 Protests!",
        publisher:
          "United Republicans of Iran; The Left Party of Iran (People's Fadaian); Iran National Front Organizations Abroad; Union for Secular Republic and Human Rights in Iran (USRHR)",
        author: 'Political-Executive Boards of the four organisations',
        published_from: '2020-05-23',
        published_to: '2020-05-23',
        published_precision: 'day',
        published_original: 'May 23, 2020',
        language: 'en',
        sha256: createHash('sha256').update(text).digest('hex'),
        reliability: 'C',
        interest: 'opposition',
        interest_note: 'Opposition political organisations: a party to the political conflict',
      },
      r,
    );
    for (const target of [S.amnesty, S.reuters]) {
      await upsert(
        m,
        'source_links',
        { source_id: S.jointStatement, target_id: target, relation: 'relays' },
        r,
        'source_id, target_id, relation',
      );
    }
    await upsert(
      m,
      'incidents',
      {
        id: SEED.incident,
        title: 'Crackdown on the November 2019 (Aban 1398) protests',
        title_fa: 'سرکوب اعتراضات آبان ۱۳۹۸',
        description:
          'Four days of protests across Iran, 16–19 November 2019 (25–28 Aban 1398), met with lethal force. ' +
          'According to Amnesty International, as relayed by the joint statement of 23 May 2020, in all but four cases ' +
          'protesters were killed by bullets fired by security forces, including members of the IRGC and the Basij, ' +
          'shooting at the head or upper body. None of the victims were armed. Thousands were detained. ' +
          'The authorities have announced no figure.',
        date_from: '2019-11-16',
        date_to: '2019-11-19',
        date_precision: 'range',
        date_original: 'four days of protests from November 16 to 19',
        location_id: SEED.iran,
        category: 'protest',
        perpetrators: ['irgc', 'basij', 'security_forces'],
        status: 'submitted',
      },
      r,
    );
    await upsert(
      m,
      'attestations',
      {
        id: SEED.incidentAttestation,
        source_id: S.jointStatement,
        incident_id: SEED.incident,
        locator: 'paragraphs 2–3',
        excerpt: `${EXCERPTS.days}. ${EXCERPTS.cause}`,
        asserted_fields: ['date', 'location', 'perpetrators', 'cause', 'armed'],
        credibility: 2,
      },
      r,
    );
    const scope = {
      location_id: SEED.iran,
      date_from: '2019-11-16',
      date_to: '2019-11-19',
      incident_id: SEED.incident,
    };
    await upsert(
      m,
      'count_claims',
      {
        id: SEED.claims.amnesty304,
        source_id: S.jointStatement,
        attributed_source_id: S.amnesty,
        category: 'killed',
        qualifier: 'at_least',
        low: 304,
        ...scope,
        population: 'non_security',
        population_note: 'victims of the regime repression (protesters and bystanders), none armed',
        basis: 'named_list',
        published_date: '2020-05-21',
        excerpt: EXCERPTS.at304,
        locator: 'paragraph 3',
        credibility: 2,
        status: 'submitted',
      },
      r,
    );
    await upsert(
      m,
      'count_claims',
      {
        id: SEED.claims.reutersRange,
        source_id: S.jointStatement,
        attributed_source_id: S.reuters,
        category: 'killed',
        qualifier: 'estimates_range',
        low: 350,
        high: 1500,
        ...scope,
        population: 'all',
        population_note: 'death toll',
        basis: 'estimate',
        published_date: '2020-05-23',
        excerpt: EXCERPTS.range,
        locator: 'paragraph 6',
        credibility: 3,
        status: 'submitted',
      },
      r,
    );
    await upsert(
      m,
      'count_claims',
      {
        id: SEED.claims.detainedThousands,
        source_id: S.jointStatement,
        attributed_source_id: S.amnesty,
        category: 'detained',
        qualifier: 'at_least',
        low: 2000,
        ...scope,
        population: 'all',
        population_note: '"thousands detained across the country" (read as at least 2,000)',
        basis: 'estimate',
        published_date: '2020-05-21',
        excerpt: EXCERPTS.detained,
        locator: 'paragraph 4',
        credibility: 3,
        status: 'submitted',
      },
      r,
    );
  });
  return r;
}
