import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { AppError } from '../common/errors.js';
import { lockForUpdate } from '../common/versioned.js';
import { ClaimEntity } from '../claims/claim.entity.js';
import { IncidentEntity } from '../incidents/incident.entity.js';
import { VictimEntity } from '../victims/victim.entity.js';
import type { ChangeStatusDto } from './dto/change-status.dto.js';
import type { StatusChangeResponseDto } from './dto/status-change-response.dto.js';
import { checkTransition, movesFrom } from './transitions.js';
import { WorkflowRepository } from './workflow.repository.js';

export type WorkflowKind = 'victims' | 'incidents' | 'claims';

const SUBJECTS = {
  victims: { entity: VictimEntity, label: 'victim', auditEntity: 'victims' },
  incidents: { entity: IncidentEntity, label: 'incident', auditEntity: 'incidents' },
  claims: { entity: ClaimEntity, label: 'claim', auditEntity: 'count_claims' },
} as const;

type Subject = VictimEntity | IncidentEntity | ClaimEntity;

/** Moves victims, incidents and count claims through draft → submitted → verified | disputed | retracted. */
@Injectable()
export class WorkflowService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly repo: WorkflowRepository,
  ) {}

  async changeStatus(
    kind: WorkflowKind,
    id: string,
    dto: ChangeStatusDto,
    actor: Actor,
  ): Promise<StatusChangeResponseDto> {
    const { entity, label, auditEntity } = SUBJECTS[kind];
    return this.ds.transaction(async (m) => {
      const row: Subject = await lockForUpdate<Subject>(m, entity, label, id, dto.version);
      const previous = row.status;
      checkTransition(previous, dto.to, actor, row.createdBy, row.editorsSinceReview);
      if (dto.to === 'verified') await this.assertEvidence(m, kind, row);
      // A verification is the review the editors so far needed: the next edit starts a new list.
      if (dto.to === 'verified') row.editorsSinceReview = [];
      row.status = dto.to;
      row.version += 1;
      const saved = await m.save(row);
      await this.audit.record(m, actor, {
        action: 'status',
        entity: auditEntity,
        entityId: id,
        before: { status: previous, version: saved.version - 1 },
        after: { status: saved.status, version: saved.version },
        reason: dto.reason,
      });
      return {
        id,
        kind,
        previousStatus: previous,
        status: saved.status,
        reason: dto.reason,
        version: saved.version,
        updatedAt: saved.updatedAt.toISOString(),
        next: movesFrom(saved.status),
      };
    });
  }

  /** Nothing is verified without a source behind it. */
  private async assertEvidence(m: EntityManager, kind: WorkflowKind, row: Subject): Promise<void> {
    if (kind === 'claims') {
      const found = await this.repo.sourceExists(m, (row as ClaimEntity).sourceId);
      if (!found)
        throw AppError.unprocessable(
          'to',
          'the claim’s source no longer exists: it cannot be verified',
        );
      return;
    }
    const n = await this.repo.attestationCount(m, kind, row.id);
    if (n === 0) {
      throw AppError.unprocessable(
        'to',
        `a ${SUBJECTS[kind].label} needs at least one attestation before it can be verified`,
      );
    }
  }
}
