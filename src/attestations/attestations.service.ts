import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { seesRestricted, statusesVisibleTo, type Actor } from '../common/actor.js';
import { WORKFLOW_STATUSES } from '../common/domain.js';
import { AppError } from '../common/errors.js';
import { pageOf, type Page } from '../common/pagination.js';
import { lockForUpdate } from '../common/versioned.js';
import { checkDeleteAttestation } from '../workflow/deletion.js';
import { markSubjectEdited } from '../workflow/review.js';
import { SourceEntity } from '../sources/source.entity.js';
import { AttestationEntity } from './attestation.entity.js';
import { AttestationsRepository, type AttestationViewer } from './attestations.repository.js';
import { refreshConfidence } from './confidence.repository.js';
import type { AttestationResponseDto } from './dto/attestation-response.dto.js';
import type { CreateAttestationDto } from './dto/create-attestation.dto.js';
import type { ListAttestationsQueryDto } from './dto/list-attestations-query.dto.js';
import type { NewAttestationDto } from './dto/new-attestation.dto.js';
import type { UpdateAttestationDto } from './dto/update-attestation.dto.js';

export type AttestationSubject =
  { victimId: string; incidentId?: undefined } | { incidentId: string; victimId?: undefined };

export function toAttestationResponse(
  a: AttestationEntity,
  s: SourceEntity,
): AttestationResponseDto {
  return {
    id: a.id,
    sourceId: a.sourceId,
    source: {
      id: s.id,
      title: s.title,
      publisher: s.publisher,
      reliability: s.reliability,
      restricted: s.restricted,
    },
    victimId: a.victimId,
    incidentId: a.incidentId,
    locator: a.locator,
    excerpt: a.excerpt,
    assertedFields: a.assertedFields,
    credibility: a.credibility,
    primaryEvidence: a.primaryEvidence,
    version: a.version,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

/** What an attestation says about its record: a change to any of these is an edit of the record. */
const ATTESTED = [
  'sourceId',
  'locator',
  'excerpt',
  'assertedFields',
  'credibility',
  'primaryEvidence',
] as const;

function columns(dto: Partial<NewAttestationDto>): Partial<AttestationEntity> {
  const out: Partial<AttestationEntity> = {};
  if (dto.sourceId !== undefined) out.sourceId = dto.sourceId;
  if (dto.locator !== undefined) out.locator = dto.locator ?? null;
  if (dto.excerpt !== undefined) out.excerpt = dto.excerpt ?? null;
  if (dto.assertedFields !== undefined) out.assertedFields = [...new Set(dto.assertedFields ?? [])];
  if (dto.credibility !== undefined) out.credibility = dto.credibility;
  if (dto.primaryEvidence !== undefined) out.primaryEvidence = dto.primaryEvidence ?? false;
  return out;
}

@Injectable()
export class AttestationsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    // The duplicates CLI builds this service by hand; Nest injects the module's instance.
    private readonly repo: AttestationsRepository = new AttestationsRepository(),
  ) {}

  /** The sources, each known and visible to the actor; otherwise a 422 naming the field. */
  private async sources(
    m: EntityManager,
    refs: { sourceId: string; field: string }[],
    actor: Actor,
  ): Promise<Map<string, SourceEntity>> {
    const ids = [...new Set(refs.map((r) => r.sourceId))];
    const rows = ids.length ? await m.getRepository(SourceEntity).findBy({ id: In(ids) }) : [];
    const found = new Map(
      rows.filter((s) => !s.restricted || seesRestricted(actor)).map((s) => [s.id, s]),
    );
    const missing = refs.find((r) => !found.has(r.sourceId));
    if (missing)
      throw AppError.unprocessable(missing.field, `no source with id ${missing.sourceId}`);
    return found;
  }

  /**
   * Attests a record inside the caller's transaction: the way a victim or an incident gets its
   * first attestations in the request that creates it. Does not refresh confidence: the caller
   * does, once, after all its writes.
   */
  async createFor(
    m: EntityManager,
    subject: AttestationSubject,
    dtos: NewAttestationDto[],
    actor: Actor,
    field: string | null = 'attestations',
  ): Promise<AttestationResponseDto[]> {
    const refs = dtos.map((d, i) => ({
      sourceId: d.sourceId,
      field: field === null ? 'sourceId' : `${field}[${i}].sourceId`,
    }));
    const sources = await this.sources(m, refs, actor);
    const entities = dtos.map((d) =>
      m.create(AttestationEntity, {
        ...columns(d),
        victimId: subject.victimId ?? null,
        incidentId: subject.incidentId ?? null,
        createdBy: actor.userId,
      }),
    );
    const saved = await m.save(entities);
    await this.audit.recordMany(
      m,
      actor,
      saved.map((a) => ({
        action: 'create' as const,
        entity: 'attestations',
        entityId: a.id,
        after: a,
      })),
    );
    return saved.map((a) => toAttestationResponse(a, sources.get(a.sourceId)!));
  }

  async create(dto: CreateAttestationDto, actor: Actor): Promise<AttestationResponseDto> {
    const subjects = [dto.victimId, dto.incidentId].filter((s) => s !== undefined && s !== null);
    if (subjects.length !== 1) {
      throw AppError.invalid(
        dto.victimId ? 'incidentId' : 'victimId',
        'give exactly one of victimId and incidentId',
      );
    }
    return this.ds.transaction(async (m) => {
      const subject = await this.lockSubject(
        m,
        dto.victimId ?? null,
        dto.incidentId ?? null,
        'unprocessable',
      );
      const { victimId: _v, incidentId: _i, ...attestation } = dto;
      const [created] = await this.createFor(m, subject, [attestation], actor, null);
      await this.edited(m, actor, subject, 'attestation added');
      if (subject.victimId) await refreshConfidence(m, [subject.victimId]);
      return created;
    });
  }

  /** A new, changed or removed attestation changes what its record rests on (workflow/review.ts). */
  private async edited(
    m: EntityManager,
    actor: Actor,
    subject: { victimId?: string | null; incidentId?: string | null },
    what: string,
  ): Promise<void> {
    if (subject.victimId)
      await markSubjectEdited(m, this.audit, actor, 'victims', subject.victimId, what);
    else if (subject.incidentId)
      await markSubjectEdited(m, this.audit, actor, 'incidents', subject.incidentId, what);
  }

  /** Locks the attested record so that concurrent deletes cannot remove its last attestation. */
  private async lockSubject(
    m: EntityManager,
    victimId: string | null,
    incidentId: string | null,
    missing: 'unprocessable' | 'not_found',
  ): Promise<AttestationSubject> {
    const [table, id, field] = victimId
      ? (['victims', victimId, 'victimId'] as const)
      : (['incidents', incidentId!, 'incidentId'] as const);
    if (!(await this.repo.lockSubject(m, table, id))) {
      const label = victimId ? 'victim' : 'incident';
      throw missing === 'unprocessable'
        ? AppError.unprocessable(field, `no ${label} with id ${id}`)
        : AppError.notFound(label, id, field);
    }
    return victimId ? { victimId } : { incidentId: incidentId! };
  }

  private visible(
    a: AttestationEntity | null,
    sources: Map<string, SourceEntity>,
    actor: Actor,
    id: string,
  ): SourceEntity {
    const s = a ? sources.get(a.sourceId) : undefined;
    if (!a || !s || (s.restricted && !seesRestricted(actor)))
      throw AppError.notFound('attestation', id);
    return s;
  }

  /** Viewers and the public see attestations of published records only. */
  private viewer(actor: Actor): AttestationViewer {
    const all = seesRestricted(actor);
    return {
      seesRestricted: all,
      subjectStatuses: all ? null : statusesVisibleTo(actor, WORKFLOW_STATUSES),
    };
  }

  async get(id: string, actor: Actor): Promise<AttestationResponseDto> {
    const a = await this.repo.findOne(this.ds.manager, id, this.viewer(actor));
    const sources = await this.sourcesById(this.ds.manager, a ? [a.sourceId] : []);
    return toAttestationResponse(a!, this.visible(a, sources, actor, id));
  }

  async list(q: ListAttestationsQueryDto, actor: Actor): Promise<Page<AttestationResponseDto>> {
    const [rows, total] = await this.repo.list(
      this.ds.manager,
      { victimId: q.victimId, incidentId: q.incidentId, sourceId: q.sourceId },
      this.viewer(actor),
      q.limit ?? 50,
      q.offset ?? 0,
    );
    const sources = await this.sourcesById(
      this.ds.manager,
      rows.map((r) => r.sourceId),
    );
    return pageOf(
      rows.map((r) => toAttestationResponse(r, sources.get(r.sourceId)!)),
      total,
      q,
    );
  }

  /** Every attestation of these victims, for their records' responses (visible ones only). */
  async forVictims(
    m: EntityManager,
    victimIds: string[],
    actor: Actor,
  ): Promise<AttestationResponseDto[]> {
    if (!victimIds.length) return [];
    const rows = await m.getRepository(AttestationEntity).find({
      where: { victimId: In(victimIds) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    const sources = await this.sourcesById(
      m,
      rows.map((r) => r.sourceId),
    );
    return rows
      .filter((r) => !sources.get(r.sourceId)!.restricted || seesRestricted(actor))
      .map((r) => toAttestationResponse(r, sources.get(r.sourceId)!));
  }

  private async sourcesById(m: EntityManager, ids: string[]): Promise<Map<string, SourceEntity>> {
    const unique = [...new Set(ids)];
    const rows = unique.length
      ? await m.getRepository(SourceEntity).findBy({ id: In(unique) })
      : [];
    return new Map(rows.map((s) => [s.id, s]));
  }

  async update(
    id: string,
    dto: UpdateAttestationDto,
    actor: Actor,
  ): Promise<AttestationResponseDto> {
    return this.ds.transaction(async (m) => {
      const peek = await m.getRepository(AttestationEntity).findOneBy({ id });
      if (!peek) throw AppError.notFound('attestation', id);
      // The subject first, then the attestation: the same lock order as create and remove.
      await this.lockSubject(m, peek.victimId, peek.incidentId, 'not_found');
      const current = await lockForUpdate(m, AttestationEntity, 'attestation', id, dto.version);
      const visible = await this.sourcesById(m, [current.sourceId]);
      this.visible(current, visible, actor, id);
      if (dto.credibility === null) throw AppError.invalid('credibility', 'cannot be cleared');
      if (dto.sourceId === null) throw AppError.invalid('sourceId', 'cannot be cleared');
      const { version: _version, ...patch } = dto;
      const sources = await this.sources(
        m,
        [{ sourceId: dto.sourceId ?? current.sourceId, field: 'sourceId' }],
        actor,
      );
      const before = { ...current };
      Object.assign(current, columns(patch), { version: current.version + 1 });
      const saved = await m.save(current);
      await this.audit.record(m, actor, {
        action: 'update',
        entity: 'attestations',
        entityId: id,
        before,
        after: saved,
      });
      const changed = ATTESTED.filter(
        (k) => JSON.stringify(before[k]) !== JSON.stringify(saved[k]),
      );
      if (changed.length)
        await this.edited(m, actor, saved, `attestation ${id} changed (${changed.join(', ')})`);
      if (saved.victimId) await refreshConfidence(m, [saved.victimId]);
      return toAttestationResponse(saved, sources.get(saved.sourceId)!);
    });
  }

  /** Refused (409) for a record's last attestation: a record can't exist without a source. */
  async remove(id: string, version: number | undefined, actor: Actor): Promise<void> {
    await this.ds.transaction(async (m) => {
      const peek = await m.getRepository(AttestationEntity).findOneBy({ id });
      if (!peek) throw AppError.notFound('attestation', id);
      this.visible(peek, await this.sourcesById(m, [peek.sourceId]), actor, id);
      // The subject first, then the attestation: the same lock order as create.
      await this.lockSubject(m, peek.victimId, peek.incidentId, 'not_found');
      const current = await lockForUpdate(m, AttestationEntity, 'attestation', id, version);
      const table = current.victimId ? 'victims' : 'incidents';
      const subjectId = (current.victimId ?? current.incidentId)!;
      checkDeleteAttestation(actor, current, await this.repo.subjectStatus(m, table, subjectId));
      const n = await this.repo.countOf(m, table, subjectId);
      if (n <= 1) {
        const label = current.victimId ? 'victim' : 'incident';
        throw new AppError(
          'conflict',
          `attestation ${id} is the last one of ${label} ${subjectId}: a record can't exist without a source. Attest it with another source first, or delete or retract the ${label}.`,
          { errors: [{ field: 'id', reason: `last attestation of ${label} ${subjectId}` }] },
        );
      }
      await m.delete(AttestationEntity, { id });
      await this.audit.record(m, actor, {
        action: 'delete',
        entity: 'attestations',
        entityId: id,
        before: current,
      });
      await this.edited(m, actor, current, `attestation ${id} removed`);
      if (current.victimId) await refreshConfidence(m, [current.victimId]);
    });
  }
}
