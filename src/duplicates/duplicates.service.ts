import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { seesStatus, statusesVisibleTo, type Actor } from '../common/actor.js';
import { dualDate } from '../common/date-columns.js';
import { AppError } from '../common/errors.js';
import { AuditService } from '../audit/audit.service.js';
import { VictimsService } from '../victims/victims.service.js';
import { scanDuplicates, type ScanProgress, type ScanResult } from './duplicates-scan.js';
import { DuplicatesRepository, type ClusterRow, type MemberRow } from './duplicates.repository.js';
import type {
  DecideDuplicatesDto,
  DuplicateClusterDto,
  DuplicateClusterPageDto,
  DuplicateRecordDto,
  ListDuplicatesQueryDto,
} from './dto/duplicates.dto.js';

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
    private readonly repo: DuplicatesRepository,
  ) {}

  scan(onProgress?: (p: ScanProgress) => void): Promise<ScanResult> {
    return scanDuplicates(this.ds, { onProgress });
  }

  async list(q: ListDuplicatesQueryDto, actor: Actor): Promise<DuplicateClusterPageDto> {
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const { rows, total } = await this.repo.page(
      this.ds.manager,
      {
        state: q.state ?? 'open',
        minScore: q.minScore,
        maxScore: q.maxScore,
        location: q.location,
        from: q.from,
        to: q.to,
      },
      limit,
      offset,
    );
    return { items: await this.describe(this.ds.manager, rows, actor), total, limit, offset };
  }

  async get(id: string, actor: Actor): Promise<DuplicateClusterDto> {
    const row = await this.repo.cluster(this.ds.manager, id);
    if (!row) throw AppError.notFound('duplicate cluster', id);
    const [out] = await this.describe(this.ds.manager, [row], actor);
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
    const members = await this.repo.members(m, ids);
    const pairs = await this.repo.pairs(m, ids);
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

// The free function below (also used by `duplicates import-decisions`) has no injector.
const REPO = new DuplicatesRepository();

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
  await REPO.decidePairs(m, pairs, d.decision, d.reason, actor.userId);
  if (d.clusterId) await REPO.setState(m, d.clusterId, d.decision, actor.userId);
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
