import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { buildVictimFilter } from '../victims/victim-filter.js';

export interface ClusterRow {
  id: string;
  state: string;
  score: number;
  size: number;
  created_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
}

export interface MemberRow {
  cluster_id: string;
  id: string;
  name_en: string | null;
  name_fa: string | null;
  name_variants: string[];
  gender: string | null;
  age: number | null;
  harm: string;
  date_from: string | null;
  date_to: string | null;
  date_precision: string | null;
  date_original: string | null;
  location_id: string | null;
  place: string | null;
  place_fa: string | null;
  status: string;
  confidence: string;
  merged_into: string | null;
  sources: number;
  version: number;
}

export interface PairRow {
  cluster_id: string;
  a: string;
  b: string;
  score: number;
  evidence: Record<string, unknown>;
}

/** What GET /api/duplicates filters on, checked by the service. */
export interface ClusterFilter {
  state: string;
  minScore?: number;
  maxScore?: number;
  /** A record of the cluster in this place (or below it) or with a date overlapping from–to. */
  location?: string;
  from?: string;
  to?: string;
}

const CLUSTER_COLUMNS = `c.id, c.state, c.score, c.size, c.created_at, c.decided_by, c.decided_at`;

/** The queries of the review queue (clusters, their records and pairs, decisions). */
@Injectable()
export class DuplicatesRepository {
  /** One page of clusters, best score first, and the total. */
  async page(
    m: EntityManager,
    f: ClusterFilter,
    limit: number,
    offset: number,
  ): Promise<{ rows: ClusterRow[]; total: number }> {
    const params: unknown[] = [];
    const p = (v: unknown): string => {
      params.push(v);
      return `$${params.length}`;
    };
    const conds = [`c.state = ${p(f.state)}`];
    if (f.minScore !== undefined) conds.push(`c.score >= ${p(f.minScore)}`);
    if (f.maxScore !== undefined) conds.push(`c.score <= ${p(f.maxScore)}`);
    if (f.location !== undefined || f.from !== undefined || f.to !== undefined) {
      const vf = await buildVictimFilter(
        m,
        { location: f.location, from: f.from, to: f.to },
        params.length + 1,
      );
      params.push(...vf.params);
      conds.push(`EXISTS (SELECT 1 FROM duplicate_cluster_members fm JOIN victims v ON v.id = fm.victim_id
                           WHERE fm.cluster_id = c.id AND ${vf.where.replace('v.merged_into IS NULL AND ', '')})`);
    }
    const where = conds.join(' AND ');
    const [{ total }] = await m.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM duplicate_clusters c WHERE ${where}`,
      params,
    );
    const rows = await m.query<ClusterRow[]>(
      `SELECT ${CLUSTER_COLUMNS} FROM duplicate_clusters c WHERE ${where}
        ORDER BY c.score DESC, c.id LIMIT ${p(limit)} OFFSET ${p(offset)}`,
      params,
    );
    return { rows, total };
  }

  /** One cluster by id, or none. */
  async cluster(m: EntityManager, id: string): Promise<ClusterRow | undefined> {
    const rows = await m.query<ClusterRow[]>(
      `SELECT ${CLUSTER_COLUMNS} FROM duplicate_clusters c WHERE c.id = $1`,
      [id],
    );
    return rows[0];
  }

  /** The records of these clusters, by record id, with their place and number of sources. */
  members(m: EntityManager, clusterIds: string[]): Promise<MemberRow[]> {
    return m.query<MemberRow[]>(
      `SELECT cm.cluster_id, v.id, v.name_en, v.name_fa, v.name_variants, v.gender, v.age, v.harm,
              v.date_from, v.date_to, v.date_precision, v.date_original, v.location_id,
              l.name_en AS place, l.name_fa AS place_fa, v.status, v.confidence, v.merged_into, v.version,
              (SELECT count(DISTINCT a.source_id)::int FROM attestations a WHERE a.victim_id = v.id) AS sources
         FROM duplicate_cluster_members cm JOIN victims v ON v.id = cm.victim_id
         LEFT JOIN locations l ON l.id = v.location_id
        WHERE cm.cluster_id = ANY($1::uuid[])
        ORDER BY v.id`,
      [clusterIds],
    );
  }

  /** The scored pairs of these clusters, best first. */
  pairs(m: EntityManager, clusterIds: string[]): Promise<PairRow[]> {
    return m.query<PairRow[]>(
      `SELECT cluster_id, victim_a AS a, victim_b AS b, score, evidence FROM duplicate_pairs
        WHERE cluster_id = ANY($1::uuid[]) ORDER BY score DESC, victim_a, victim_b`,
      [clusterIds],
    );
  }

  /** A decision on pairs of records ([a, b], a < b), replacing an earlier one. */
  async decidePairs(
    m: EntityManager,
    pairs: [string, string][],
    decision: string,
    note: string,
    userId: string | null,
  ): Promise<void> {
    if (!pairs.length) return;
    await m.query(
      `INSERT INTO duplicate_decisions (victim_a, victim_b, decision, note, decided_by)
       SELECT a, b, $3, $4, $5 FROM unnest($1::uuid[], $2::uuid[]) AS x(a, b)
       ON CONFLICT (victim_a, victim_b) DO UPDATE
         SET decision = excluded.decision, note = excluded.note, decided_by = excluded.decided_by, decided_at = now()`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1]), decision, note, userId],
    );
  }

  /** A cluster's state after a decision, with who and when. */
  async setState(
    m: EntityManager,
    id: string,
    state: string,
    userId: string | null,
  ): Promise<void> {
    await m.query(
      `UPDATE duplicate_clusters SET state = $2, decided_by = $3, decided_at = now() WHERE id = $1`,
      [id, state, userId],
    );
  }
}
