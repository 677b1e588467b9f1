import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MERGED_ROOTS } from '../victim-scope/merged-groups.js';
import {
  attestationPairs,
  mergedAttestations,
  populationCondition,
} from '../victim-scope/victim-sql.js';
import { CONFIDENCES } from '../common/domain.js';
import { areaRows, rollupRows, type RollupLevel } from '../victim-scope/rollup-sql.js';
import { areaDocumentedSources, topSources, withoutFolded } from './documented-sources.js';
import { AWAITING_STATUSES } from '../victim-scope/documented.js';
import type { BuiltFilter } from '../victim-scope/victim-filter.js';

export interface PlaceRow {
  id: string;
  kind: string;
  nameEn: string;
  nameFa: string | null;
  path: string[];
}

export interface IncidentRow {
  id: string;
  title: string;
  titleFa: string | null;
}

export interface SourceRow {
  id: string;
  title: string;
  publisher: string | null;
  reliability: string;
  url: string | null;
  publishedFrom: string | null;
  publishedTo: string | null;
  publishedPrecision: string | null;
  publishedOriginal: string | null;
  interest?: string | null;
  /** Sources this one declares it relays. */
  relays?: string[] | null;
}

export interface DocumentedRow {
  /** Victims whose whole known date lies in the window (all of them without a window). */
  total: number;
  /** Victims whose date only overlaps the window: they may be in scope, and are not counted. */
  possible: number;
  /** Records in scope awaiting review (draft, submitted) that the count leaves out. */
  awaitingReview: number;
  /** Disputed records in scope that the count leaves out. */
  disputed: number;
  byConfidence: Record<string, number>;
  /** The DOCUMENTED_SOURCES attesting most of the counted victims (then by id), largest first. */
  sources: (SourceRow & { victims: number })[];
  /** How many sources attest the counted victims in all. */
  sourceCount: number;
}

export interface ClaimRow {
  id: string;
  category: string;
  qualifier: string;
  low: number | null;
  best: number | null;
  high: number | null;
  locationId: string | null;
  location: PlaceRow | null;
  dateFrom: string | null;
  dateTo: string | null;
  incidentId: string | null;
  incidentTitle: string | null;
  incidentTitleFa: string | null;
  population: string;
  populationNote: string | null;
  basis: string;
  publishedDate: string | null;
  excerpt: string | null;
  locator: string | null;
  credibility: number;
  relaysClaimId: string | null;
  status: string;
  asOf: string | null;
  perpetrator: string | null;
  breakdown:
    | {
        population: string;
        qualifier: string;
        low: number | null;
        best: number | null;
        high: number | null;
      }[]
    | null;
  source: SourceRow;
  attributedTo: SourceRow | null;
}

/** SourceRow's fields and the columns of `sources` they come from. */
const SOURCE_FIELDS: [keyof SourceRow, string][] = [
  ['id', 'id'],
  ['title', 'title'],
  ['publisher', 'publisher'],
  ['reliability', 'reliability'],
  ['url', 'url'],
  ['publishedFrom', 'published_from'],
  ['publishedTo', 'published_to'],
  ['publishedPrecision', 'published_precision'],
  ['publishedOriginal', 'published_original'],
  ['interest', 'interest'],
];

// The sources each source of the claims declares it relays, directly or through others, as an
// array of ids per source (restricted ones only for readers who may see them): one walk for every
// source the claims name, not two subqueries per claim.
const CLAIM_SOURCE_RELAYS = (seesRestricted: boolean) =>
  `claim_sources(id) AS (
       SELECT source_id FROM count_claims
       UNION
       SELECT attributed_source_id FROM count_claims WHERE attributed_source_id IS NOT NULL),
     reach(start, id) AS (
       SELECT sl.source_id, sl.target_id FROM source_links sl JOIN claim_sources cs ON cs.id = sl.source_id
        WHERE sl.relation = 'relays'
       UNION
       SELECT r.start, sl.target_id FROM source_links sl JOIN reach r ON sl.source_id = r.id WHERE sl.relation = 'relays'),
     relays(start, ids) AS (
       SELECT r.start, array_agg(r.id ORDER BY r.id) FROM reach r
       ${seesRestricted ? '' : 'JOIN sources st ON st.id = r.id AND NOT st.restricted'}
        GROUP BY r.start)`;

/** A source as columns named like SourceRow's fields. */
const SOURCE_COLUMNS = (a: string) =>
  SOURCE_FIELDS.map(([field, col]) => `${a}.${col} AS "${field}"`).join(', ');

/** A source as one JSON object shaped like SourceRow. */
const SOURCE_JSON = (a: string) =>
  `json_build_object(${SOURCE_FIELDS.map(([field, col]) => `'${field}', ${a}.${col}`).join(', ')})`;

/** The SQL behind GET /api/reconciliation (and the claims of GET /api/counts). */
/** What the documented count is asked for: who counts, who may see what, and where it reads. */
interface DocumentedOptions {
  population: string;
  seesRestricted: boolean;
  fromRollups: RollupLevel;
  counted: string[];
  folded: string[];
  /** For the compact rollups: the category and the province the query is limited to. */
  scope?: { harm: string | null; province?: string };
}

@Injectable()
export class ReconciliationRepository {
  /** The gazetteer's root when there is exactly one (the country of the ledger). */
  async singleRoot(m: EntityManager): Promise<PlaceRow | null> {
    const rows = await m.query<PlaceRow[]>(
      `SELECT id, kind, name_en AS "nameEn", name_fa AS "nameFa", path
         FROM locations WHERE parent_id IS NULL ORDER BY name_en LIMIT 2`,
    );
    return rows.length === 1 ? rows[0] : null;
  }

  async places(m: EntityManager, ids: string[]): Promise<Map<string, PlaceRow>> {
    if (!ids.length) return new Map();
    const rows = await m.query<PlaceRow[]>(
      `SELECT id, kind, name_en AS "nameEn", name_fa AS "nameFa", path
         FROM locations WHERE id = ANY($1::uuid[])`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /**
   * The incident a query names. `publicOnly` (a reader who may not see restricted data): only a
   * verified incident a source that is not restricted attests; any other is not there for them.
   */
  async incident(m: EntityManager, id: string, publicOnly = false): Promise<IncidentRow | null> {
    const rows = await m.query<IncidentRow[]>(
      `SELECT id, title, title_fa AS "titleFa" FROM incidents i WHERE id = $1
          AND (NOT $2::boolean OR (i.status = 'verified' AND EXISTS (
                SELECT 1 FROM attestations a JOIN sources s ON s.id = a.source_id
                 WHERE a.incident_id = i.id AND NOT s.restricted)))`,
      [id, publicOnly],
    );
    return rows[0] ?? null;
  }

  /**
   * Distinct victims in scope, by confidence, with the sources behind them: aggregates only.
   * `certain` counts a victim only when its whole known date lies in the window; those that
   * merely overlap it are reported apart (`possible`). Only records of the `counted` statuses
   * are counted (the documented rule, src/victim-scope/documented.ts), less the `folded` members of
   * unresolved duplicate clusters; the other records in scope are reported beside the count
   * (awaiting review, disputed).
   */
  async documented(
    m: EntityManager,
    filter: BuiltFilter,
    opts: DocumentedOptions,
  ): Promise<DocumentedRow> {
    const all = await this.allDocumented(m, filter, opts);
    return 'sourceCount' in all
      ? all
      : { ...all, sources: topSources(all.sources), sourceCount: all.sources.length };
  }

  private async allDocumented(
    m: EntityManager,
    filter: BuiltFilter,
    opts: DocumentedOptions,
  ): Promise<DocumentedRow | Omit<DocumentedRow, 'sourceCount'>> {
    const params = [...filter.params];
    const p = (v: unknown): string => {
      params.push(v);
      return `$${params.length}`;
    };
    const conds = [filter.where];
    const pop = populationCondition(opts.population);
    if (pop) conds.push(pop);
    const certainSql = this.certainSql(filter, p);
    const certainParams = params.length;
    const where = conds.join(' AND ');
    const counted = `v.status = ANY(${p(opts.counted)}::text[])`;
    const awaiting = `v.status = ANY(${p(AWAITING_STATUSES)}::text[])`;
    const beside = (c: string) => `NOT in_rule AND certain AND ${c}`;
    if (opts.fromRollups) {
      // The same numbers from the rollups (src/victim-scope/rollup-sql.ts): sums of pre-counted keys.
      // Two statements in the caller's snapshot; the sources come back as rows, not as one
      // JSON aggregate (a whole country's 20,000 sources are a 7 MB value to hold and parse).
      const area = opts.fromRollups === 'area' && !opts.folded.length;
      const [totals] = await m.query<Omit<DocumentedRow, 'sources' | 'sourceCount'>[]>(
        `WITH scoped AS MATERIALIZED (
           SELECT v.n, v.${filter.confidenceColumn} AS confidence, ${certainSql} AS certain, ${counted} AS counted,
                  ${counted} AS in_rule, ${awaiting} AS awaiting, v.status = 'disputed' AS disputed
             FROM ${area ? areaRows('victim_area_rollup') : rollupRows('victim_rollup')} v
            WHERE ${where} ${opts.seesRestricted ? '' : 'AND v.public'}
         )
         SELECT coalesce(sum(n) FILTER (WHERE counted AND certain), 0)::int AS total,
                coalesce(sum(n) FILTER (WHERE counted AND NOT certain), 0)::int AS possible,
                coalesce(sum(n) FILTER (WHERE ${beside('awaiting')}), 0)::int AS "awaitingReview",
                coalesce(sum(n) FILTER (WHERE ${beside('disputed')}), 0)::int AS disputed,
                json_build_object(${CONFIDENCES.map(
                  (c) =>
                    `'${c}', coalesce(sum(n) FILTER (WHERE counted AND certain AND confidence = '${c}'), 0)::int`,
                ).join(', ')}) AS "byConfidence"
           FROM scoped`,
        params,
      );
      if (area) {
        const certain: BuiltFilter = {
          ...filter,
          where: `${where} AND ${certainSql}`,
          params: params.slice(0, certainParams),
        };
        const top = await areaDocumentedSources(m, certain, {
          seesRestricted: opts.seesRestricted,
          counted: opts.counted,
          harm: opts.scope?.harm ?? null,
          province: opts.scope?.province,
        });
        const rows = top.victims.size
          ? await m.query<SourceRow[]>(
              `SELECT ${SOURCE_COLUMNS('s')} FROM sources s WHERE s.id = ANY($1::uuid[])`,
              [[...top.victims.keys()]],
            )
          : [];
        return {
          ...totals,
          sources: topSources(rows.map((r) => ({ ...r, victims: top.victims.get(r.id)! }))),
          sourceCount: top.count,
        };
      }
      const sources = await m.query<DocumentedRow['sources']>(
        `WITH pairs AS (
           SELECT v.source_id, sum(v.n)::int AS n FROM ${rollupRows('victim_source_rollup')} v
            ${opts.seesRestricted ? '' : 'JOIN sources vs ON vs.id = v.source_id AND NOT vs.restricted'}
            WHERE ${where} AND ${certainSql} AND ${counted}
            GROUP BY v.source_id
         )
         SELECT ${SOURCE_COLUMNS('s')}, x.n AS victims
           FROM pairs x JOIN sources s ON s.id = x.source_id
          ORDER BY x.n DESC, s.title, s.id`,
        // Without the last parameter (the awaiting statuses), which this statement does not use.
        params.slice(0, -1),
      );
      const row = { ...totals, sources };
      return opts.folded.length
        ? withoutFolded(m, row, { ...opts, confidenceColumn: filter.confidenceColumn })
        : row;
    }
    const folded = `NOT (v.id = ANY(${p(opts.folded)}::uuid[]))`;
    const countedSql = `(${counted} AND ${folded})`;
    const [row] = await m.query<Omit<DocumentedRow, 'sourceCount'>[]>(
      `WITH RECURSIVE ${MERGED_ROOTS},
       ${mergedAttestations(opts.seesRestricted)},
       scoped AS MATERIALIZED (
         SELECT v.id, v.${filter.confidenceColumn} AS confidence, ${certainSql} AS certain, ${countedSql} AS counted,
                ${counted} AS in_rule, ${awaiting} AS awaiting, v.status = 'disputed' AS disputed
           FROM victims v WHERE ${where}
       ),
       pairs AS MATERIALIZED (${attestationPairs(
         'scoped',
         [
           { name: 'certain', sql: certainSql },
           { name: 'counted', sql: countedSql },
         ],
         { where, seesRestricted: opts.seesRestricted },
       )}),
       visible AS (SELECT * FROM scoped ${opts.seesRestricted ? '' : 'WHERE id IN (SELECT id FROM pairs)'}),
       totals AS (
         SELECT count(*) FILTER (WHERE counted AND certain)::int AS total,
                count(*) FILTER (WHERE counted AND NOT certain)::int AS possible,
                count(*) FILTER (WHERE ${beside('awaiting')})::int AS "awaitingReview",
                count(*) FILTER (WHERE ${beside('disputed')})::int AS disputed,
                count(*) FILTER (WHERE counted AND certain AND confidence = 'confirmed')::int AS confirmed,
                count(*) FILTER (WHERE counted AND certain AND confidence = 'probable')::int AS probable,
                count(*) FILTER (WHERE counted AND certain AND confidence = 'possible')::int AS "possibleConfidence",
                count(*) FILTER (WHERE counted AND certain AND confidence = 'unattested')::int AS unattested
           FROM visible
       )
       SELECT t.total, t.possible, t."awaitingReview", t.disputed,
              json_build_object('confirmed', t.confirmed, 'probable', t.probable,
                                'possible', t."possibleConfidence", 'unattested', t.unattested) AS "byConfidence",
              (SELECT coalesce(json_agg(${SOURCE_JSON('s')}::jsonb || jsonb_build_object('victims', x.n)
                                        ORDER BY x.n DESC, s.title, s.id), '[]'::json)
                 FROM (SELECT source_id, count(*)::int AS n FROM pairs WHERE certain AND counted GROUP BY source_id) x
                 JOIN sources s ON s.id = x.source_id) AS sources
         FROM totals t`,
      params,
    );
    return row;
  }

  /** Whether a victim's whole known date lies in the filter's window (TRUE without one). */
  certainSql(filter: BuiltFilter, p: (v: unknown) => string): string {
    const certain: string[] = [];
    if (filter.window.from) certain.push(`v.date_from >= ${p(filter.window.from)}::date`);
    if (filter.window.to) certain.push(`v.date_to <= ${p(filter.window.to)}::date`);
    return certain.length ? certain.join(' AND ') : 'TRUE';
  }

  /**
   * Count claims of a category (every category when null) in the given workflow statuses,
   * with their source, attributed source, place and incident. Claims resting on a restricted
   * source are left out for actors who may not see restricted data.
   */
  async claims(
    m: EntityManager,
    opts: { category: string | null; statuses: string[]; seesRestricted: boolean },
  ): Promise<ClaimRow[]> {
    const conds = ['c.status = ANY($1::text[])'];
    const params: unknown[] = [opts.statuses];
    if (opts.category) {
      params.push(opts.category);
      conds.push(`c.category = $${params.length}`);
    }
    if (!opts.seesRestricted) conds.push('NOT s.restricted AND coalesce(NOT att.restricted, TRUE)');
    return await m.query<ClaimRow[]>(
      `WITH RECURSIVE ${CLAIM_SOURCE_RELAYS(opts.seesRestricted)}
       SELECT c.id, c.category, c.qualifier, c.low, c.best, c.high,
              c.location_id AS "locationId",
              CASE WHEN l.id IS NULL THEN NULL ELSE json_build_object(
                'id', l.id, 'kind', l.kind, 'nameEn', l.name_en, 'nameFa', l.name_fa, 'path', l.path) END AS location,
              c.date_from AS "dateFrom", c.date_to AS "dateTo",
              c.incident_id AS "incidentId", i.title AS "incidentTitle", i.title_fa AS "incidentTitleFa",
              c.population, c.population_note AS "populationNote", c.basis,
              c.published_date AS "publishedDate", c.excerpt, c.locator, c.credibility::int AS credibility,
              c.relays_claim_id AS "relaysClaimId", c.status,
              to_char(c.as_of, 'YYYY-MM-DD') AS "asOf", c.perpetrator, c.breakdown,
              ${SOURCE_JSON('s')}::jsonb || jsonb_build_object('relays', sr.ids) AS source,
              CASE WHEN att.id IS NULL THEN NULL ELSE ${SOURCE_JSON('att')}::jsonb || jsonb_build_object('relays', ar.ids) END AS "attributedTo"
         FROM count_claims c
         JOIN sources s ON s.id = c.source_id
         LEFT JOIN relays sr ON sr.start = s.id
         LEFT JOIN sources att ON att.id = c.attributed_source_id
         LEFT JOIN relays ar ON ar.start = att.id
         LEFT JOIN locations l ON l.id = c.location_id
         LEFT JOIN incidents i ON i.id = c.incident_id ${
           opts.seesRestricted
             ? ''
             : `AND i.status = 'verified' AND EXISTS (
                  SELECT 1 FROM attestations ia JOIN sources isrc ON isrc.id = ia.source_id
                   WHERE ia.incident_id = i.id AND NOT isrc.restricted)`
         }
        WHERE ${conds.join(' AND ')}
        ORDER BY c.published_date NULLS LAST, c.created_at, c.id`,
      params,
    );
  }
}
