import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { seesStatus, statusesVisibleTo, type Actor } from '../common/actor.js';
import { dualDate } from '../common/date-columns.js';
import { AppError } from '../common/errors.js';
import { AuditService } from '../audit/audit.service.js';
import { buildVictimFilter } from '../victims/victim-filter.js';
import { VictimsService } from '../victims/victims.service.js';
import { scanDuplicates, type ScanProgress, type ScanResult } from './duplicates-scan.js';
import type {
  DecideDuplicatesDto,
  DuplicateClusterDto,
  DuplicateClusterPageDto,
  DuplicateRecordDto,
  ListDuplicatesQueryDto,
} from './dto/duplicates.dto.js';

interface ClusterRow {
  id: string;
  state: string;
  score: number;
  size: number;
  created_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
}

interface MemberRow {
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

/** Every pair of a list, each once, as [a, b] with a < b (the order the tables hold them in). */
export function orderedPairs(ids: string[]): [string, string][] {
  const sorted = [...new Set(ids)].sort();
  const out: [string, string][] = [];
  for (let i = 0; i < sorted.length; i++)
    for (let j = i + 1; j < sorted.length; j++) out.push([sorted[i], sorted[j]]);
  return out;
}

/**
 * The review queue of record linkage: clusters of likely duplicates with their records side by
 * side and the evidence for each pair; a reviewer's decision on a cluster (same person: merged;
 * different people: never proposed again; not sure), each an audited record of its own.
 */
@Injectable()
export class DuplicatesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly victims: VictimsService,
    private readonly audit: AuditService,
  ) {}

  scan(onProgress?: (p: ScanProgress) => void): Promise<ScanResult> {
    return scanDuplicates(this.ds, { onProgress });
  }

  async list(q: ListDuplicatesQueryDto, actor: Actor): Promise<DuplicateClusterPageDto> {
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const params: unknown[] = [];
    const p = (v: unknown): string => {
      params.push(v);
      return `$${params.length}`;
    };
    const conds = [`c.state = ${p(q.state ?? 'open')}`];
    if (q.minScore !== undefined) conds.push(`c.score >= ${p(q.minScore)}`);
    if (q.maxScore !== undefined) conds.push(`c.score <= ${p(q.maxScore)}`);
    if (q.location !== undefined || q.from !== undefined || q.to !== undefined) {
      const f = await buildVictimFilter(
        this.ds.manager,
        { location: q.location, from: q.from, to: q.to },
        params.length + 1,
      );
      params.push(...f.params);
      conds.push(`EXISTS (SELECT 1 FROM duplicate_cluster_members fm JOIN victims v ON v.id = fm.victim_id
                           WHERE fm.cluster_id = c.id AND ${f.where.replace('v.merged_into IS NULL AND ', '')})`);
    }
    const where = conds.join(' AND ');
    const [{ total }] = await this.ds.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM duplicate_clusters c WHERE ${where}`,
      params,
    );
    const rows = await this.ds.query<ClusterRow[]>(
      `SELECT c.id, c.state, c.score, c.size, c.created_at, c.decided_by, c.decided_at
         FROM duplicate_clusters c WHERE ${where}
        ORDER BY c.score DESC, c.id LIMIT ${p(limit)} OFFSET ${p(offset)}`,
      params,
    );
    return { items: await this.describe(this.ds.manager, rows, actor), total, limit, offset };
  }

  async get(id: string, actor: Actor): Promise<DuplicateClusterDto> {
    const rows = await this.ds.query<ClusterRow[]>(
      `SELECT id, state, score, size, created_at, decided_by, decided_at FROM duplicate_clusters WHERE id = $1`,
      [id],
    );
    if (!rows.length) throw AppError.notFound('duplicate cluster', id);
    const [out] = await this.describe(this.ds.manager, rows, actor);
    return out;
  }

  /** The clusters' records and pairs; a record the actor may not see is shown by id only. */
  private async describe(
    m: EntityManager,
    clusters: ClusterRow[],
    actor: Actor,
  ): Promise<DuplicateClusterDto[]> {
    if (!clusters.length) return [];
    const ids = clusters.map((c) => c.id);
    const members = await m.query<MemberRow[]>(
      `SELECT cm.cluster_id, v.id, v.name_en, v.name_fa, v.name_variants, v.gender, v.age, v.harm,
              v.date_from, v.date_to, v.date_precision, v.date_original, v.location_id,
              l.name_en AS place, l.name_fa AS place_fa, v.status, v.confidence, v.merged_into, v.version,
              (SELECT count(DISTINCT a.source_id)::int FROM attestations a WHERE a.victim_id = v.id) AS sources
         FROM duplicate_cluster_members cm JOIN victims v ON v.id = cm.victim_id
         LEFT JOIN locations l ON l.id = v.location_id
        WHERE cm.cluster_id = ANY($1::uuid[])
        ORDER BY v.id`,
      [ids],
    );
    const pairs = await m.query<
      {
        cluster_id: string;
        a: string;
        b: string;
        score: number;
        evidence: Record<string, unknown>;
      }[]
    >(
      `SELECT cluster_id, victim_a AS a, victim_b AS b, score, evidence FROM duplicate_pairs
        WHERE cluster_id = ANY($1::uuid[]) ORDER BY score DESC, victim_a, victim_b`,
      [ids],
    );
    return clusters.map((c) => ({
      id: c.id,
      state: c.state,
      score: Math.round(c.score * 1000) / 1000,
      size: c.size,
      createdAt: c.created_at,
      decidedBy: c.decided_by,
      decidedAt: c.decided_at,
      records: members.filter((r) => r.cluster_id === c.id).map((r) => record(r, actor)),
      pairs: pairs
        .filter((r) => r.cluster_id === c.id)
        .map((r) => ({
          a: r.a,
          b: r.b,
          score: Math.round(r.score * 1000) / 1000,
          evidence: r.evidence,
        })),
    }));
  }

  /**
   * A reviewer's decision on a cluster. same: every other record is merged into `into` (the
   * existing merge, audited and reversible, every attestation kept); different and unsure are
   * remembered pair by pair (a pair decided different is never proposed again). The decision
   * is an audited record of its own, with who and when.
   */
  async decide(id: string, dto: DecideDuplicatesDto, actor: Actor): Promise<DuplicateClusterDto> {
    const cluster = await this.get(id, actor);
    if (cluster.state !== 'open' && cluster.state !== 'unsure') {
      throw new AppError(
        'conflict',
        `duplicate cluster ${id} is already decided (${cluster.state})`,
        {
          errors: [{ field: 'id', reason: `already decided: ${cluster.state}` }],
        },
      );
    }
    const memberIds = cluster.records.map((r) => r.id);
    if (dto.decision === 'same') {
      const live = cluster.records.filter((r) => r.mergedInto === null);
      const into =
        dto.into ?? (live.find((r) => r.status === 'verified') ?? live[0] ?? cluster.records[0]).id;
      if (!memberIds.includes(into)) {
        throw AppError.unprocessable('into', `victim ${into} is not a record of cluster ${id}`);
      }
      const target = cluster.records.find((r) => r.id === into)!;
      if (target.mergedInto !== null) {
        throw AppError.unprocessable(
          'into',
          `victim ${into} is itself merged into ${target.mergedInto}`,
        );
      }
      for (const r of live.filter((x) => x.id !== into)) {
        await this.victims.merge(r.id, { into, version: r.version, reason: dto.reason }, actor);
      }
    }
    await this.ds.transaction(async (m) => {
      await recordDecision(m, this.audit, actor, {
        clusterId: id,
        members: memberIds,
        decision: dto.decision,
        reason: dto.reason,
        ...(dto.decision === 'same' ? { into: dto.into ?? null } : {}),
      });
    });
    return this.get(id, actor);
  }
}

/**
 * Writes a decision on a cluster's records (every pair of them), sets the cluster's state,
 * and audits it. Used by the API and by `duplicates import-decisions`.
 */
export async function recordDecision(
  m: EntityManager,
  audit: AuditService,
  actor: Actor,
  d: {
    clusterId: string | null;
    members: string[];
    decision: string;
    reason: string;
    into?: string | null;
  },
): Promise<void> {
  const pairs = orderedPairs(d.members);
  if (pairs.length) {
    await m.query(
      `INSERT INTO duplicate_decisions (victim_a, victim_b, decision, note, decided_by)
       SELECT a, b, $3, $4, $5 FROM unnest($1::uuid[], $2::uuid[]) AS x(a, b)
       ON CONFLICT (victim_a, victim_b) DO UPDATE
         SET decision = excluded.decision, note = excluded.note, decided_by = excluded.decided_by, decided_at = now()`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1]), d.decision, d.reason, actor.userId],
    );
  }
  if (d.clusterId) {
    await m.query(
      `UPDATE duplicate_clusters SET state = $2, decided_by = $3, decided_at = now() WHERE id = $1`,
      [d.clusterId, d.decision, actor.userId],
    );
  }
  await audit.record(m, actor, {
    action: 'decide',
    entity: 'duplicate_clusters',
    entityId: d.clusterId ?? pairs[0]?.[0] ?? d.members[0],
    before: null,
    after: {
      decision: d.decision,
      records: [...d.members].sort(),
      ...(d.into ? { into: d.into } : {}),
    },
    reason: d.reason,
  });
}

function record(r: MemberRow, actor: Actor): DuplicateRecordDto {
  const visible = seesStatus(actor, r.status) && statusesVisibleTo(actor, [r.status]).length > 0;
  return {
    id: r.id,
    nameEn: visible ? r.name_en : null,
    nameFa: visible ? r.name_fa : null,
    nameVariants: visible ? (r.name_variants ?? []) : [],
    gender: visible ? r.gender : null,
    age: visible ? r.age : null,
    harm: r.harm,
    date: visible ? dualDate(r.date_from, r.date_to, r.date_precision, r.date_original) : null,
    locationId: visible ? r.location_id : null,
    place: visible ? r.place : null,
    placeFa: visible ? r.place_fa : null,
    status: r.status,
    confidence: r.confidence,
    mergedInto: r.merged_into,
    sources: r.sources,
    version: r.version,
  };
}
