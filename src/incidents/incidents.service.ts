import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AttestationEntity } from '../attestations/attestation.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { seesRestricted, seesStatus, statusesVisibleTo, type Actor } from '../common/actor.js';
import { dateColumns, dualDate, type DateColumns } from '../common/date-columns.js';
import { AppError, type FieldProblem } from '../common/errors.js';
import { pageOf } from '../common/pagination.js';
import { queriedLocation, type LocatedPage } from '../locations/dto/location-resolution.dto.js';
import { lockForUpdate } from '../common/versioned.js';
import { checkDeleteRecord } from '../workflow/deletion.js';
import { auditDemotion, markEdited, meaningChanges } from '../workflow/review.js';
import type { PlaceRefDto } from '../locations/dto/location-response.dto.js';
import { resolveLocationFilter, type ResolvedLocation } from '../locations/location-resolver.js';
import { LocationsService } from '../locations/locations.service.js';
import { SourceEntity } from '../sources/source.entity.js';
import { SourcesService } from '../sources/sources.service.js';
import { parseStatuses } from '../victim-scope/victim-filter.js';
import type { AttestationInputDto } from './dto/attestation-input.dto.js';
import type { CreateIncidentDto } from './dto/create-incident.dto.js';
import type { IncidentAttestationDto, IncidentResponseDto } from './dto/incident-response.dto.js';
import type { ListIncidentsQueryDto } from './dto/list-incidents-query.dto.js';
import type { UpdateIncidentDto } from './dto/update-incident.dto.js';
import { IncidentEntity } from './incident.entity.js';
import { IncidentsRepository } from './incidents.repository.js';

/**
 * For readers who may not see restricted sources: an incident is public only when a source they
 * may see attests it. Known only from a restricted source (a confidential informant), it would
 * reach them as a record resting on nothing they can check, and its existence alone can expose
 * the informant.
 */
export function toIncidentResponse(
  i: IncidentEntity,
  attestations: { a: AttestationEntity; source: SourceEntity }[],
  place: PlaceRefDto | null,
  actor: Actor,
): IncidentResponseDto {
  const restricted = seesRestricted(actor);
  const dto: IncidentResponseDto = {
    id: i.id,
    title: i.title,
    titleFa: i.titleFa,
    description: i.description,
    date: dualDate(i.dateFrom, i.dateTo, i.datePrecision, i.dateOriginal),
    location: place,
    category: i.category,
    perpetrators: i.perpetrators,
    status: i.status,
    attestations: attestations
      .filter(({ source }) => restricted || !source.restricted)
      .map(({ a, source }): IncidentAttestationDto => ({
        id: a.id,
        source: {
          id: source.id,
          kind: source.kind,
          title: source.title,
          publisher: source.publisher,
          reliability: source.reliability,
        },
        locator: a.locator,
        excerpt: a.excerpt,
        assertedFields: a.assertedFields,
        credibility: a.credibility,
        primaryEvidence: a.primaryEvidence,
      })),
    version: i.version,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
  if (restricted) dto.internalNotes = i.internalNotes;
  return dto;
}

function dateFields(d: DateColumns): Partial<IncidentEntity> {
  return { dateFrom: d.from, dateTo: d.to, datePrecision: d.precision, dateOriginal: d.original };
}

@Injectable()
export class IncidentsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly sources: SourcesService,
    private readonly locations: LocationsService,
    private readonly repo: IncidentsRepository,
  ) {}

  private async respond(
    m: EntityManager,
    rows: IncidentEntity[],
    actor: Actor,
  ): Promise<IncidentResponseDto[]> {
    const ids = rows.map((r) => r.id);
    const atts = ids.length
      ? await m.find(AttestationEntity, {
          where: { incidentId: In(ids) },
          order: { createdAt: 'ASC', id: 'ASC' },
        })
      : [];
    const sources = await this.sources.existing(
      m,
      atts.map((a) => a.sourceId),
    );
    const places = await this.locations.placeRefs(
      m,
      rows.map((r) => r.locationId).filter((id): id is string => id !== null),
    );
    return rows.map((r) =>
      toIncidentResponse(
        r,
        atts
          .filter((a) => a.incidentId === r.id)
          .map((a) => ({ a, source: sources.get(a.sourceId)! })),
        r.locationId ? (places.get(r.locationId) ?? null) : null,
        actor,
      ),
    );
  }

  /**
   * Writes an incident's attestations. Every unknown source is named by its position, and the
   * whole request (incident included) rolls back with it.
   */
  private async attest(
    m: EntityManager,
    actor: Actor,
    incidentId: string,
    list: AttestationInputDto[],
  ): Promise<AttestationEntity[]> {
    const known = await this.sources.existing(
      m,
      list.map((a) => a.sourceId),
    );
    const problems: FieldProblem[] = list
      .map((a, i) => ({ a, i }))
      .filter(({ a }) => !known.has(a.sourceId))
      .map(({ a, i }) => ({
        field: `attestations[${i}].sourceId`,
        reason: `no source with id ${a.sourceId}`,
      }));
    if (problems.length) {
      throw new AppError(
        'unprocessable',
        `${problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`,
        { errors: problems },
      );
    }
    const rows = list.map((a) =>
      m.create(AttestationEntity, {
        id: randomUUID(),
        sourceId: a.sourceId,
        incidentId,
        victimId: null,
        locator: a.locator ?? null,
        excerpt: a.excerpt ?? null,
        assertedFields: a.assertedFields ? [...new Set(a.assertedFields)] : [],
        credibility: a.credibility,
        primaryEvidence: a.primaryEvidence ?? false,
        createdBy: actor.userId,
      }),
    );
    await m.insert(AttestationEntity, rows);
    const saved = await m.find(AttestationEntity, { where: { id: In(rows.map((r) => r.id)) } });
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
    return saved;
  }

  async create(dto: CreateIncidentDto, actor: Actor): Promise<IncidentResponseDto> {
    const date = dateColumns('date', dto.date, dto.dateCalendar);
    return this.ds.transaction(async (m) => {
      const place =
        typeof dto.location === 'string' ? await this.locations.resolveRef(m, dto.location) : null;
      const id = randomUUID();
      await m.insert(IncidentEntity, {
        id,
        title: dto.title,
        titleFa: dto.titleFa ?? null,
        description: dto.description ?? null,
        ...dateFields(date),
        locationId: place?.id ?? null,
        category: dto.category ?? 'other',
        perpetrators: dto.perpetrators ?? [],
        status: 'draft',
        internalNotes: dto.internalNotes ?? null,
        createdBy: actor.userId,
      });
      const saved = await m.findOneByOrFail(IncidentEntity, { id });
      const atts = await this.attest(m, actor, id, dto.attestations);
      await this.audit.record(m, actor, {
        action: 'create',
        entity: 'incidents',
        entityId: id,
        after: { ...saved, attestations: atts.map((a) => a.id) },
      });
      return (await this.respond(m, [saved], actor))[0];
    });
  }

  async get(id: string, actor: Actor): Promise<IncidentResponseDto> {
    const row = await this.ds.manager.findOneBy(IncidentEntity, { id });
    if (!row || !seesStatus(actor, row.status)) throw AppError.notFound('incident', id);
    const [shown] = await this.respond(this.ds.manager, [row], actor);
    // The response carries only the attestations the reader may see: none, and it is not public.
    if (!seesRestricted(actor) && !shown.attestations.length)
      throw AppError.notFound('incident', id);
    return shown;
  }

  async list(q: ListIncidentsQueryDto, actor: Actor): Promise<LocatedPage<IncidentResponseDto>> {
    const m = this.ds.manager;
    let queried: ResolvedLocation | null = null;
    // Viewers and the public see verified records only, whatever they ask for.
    const statuses = statusesVisibleTo(actor, parseStatuses(q.status));
    let locationIds: string[] | undefined;
    if (q.location !== undefined) {
      const place = await resolveLocationFilter(m, q.location);
      queried = place;
      locationIds = place.ids;
    }
    const from = q.from !== undefined ? dateColumns('from', q.from, q.calendar).from : null;
    const to = q.to !== undefined ? dateColumns('to', q.to, q.calendar).to : null;
    if (from && to && from > to)
      throw AppError.invalid('to', `the window ends (${to}) before it starts (${from})`);
    const { ids, total: n } = await this.repo.page(
      m,
      {
        statuses,
        publicOnly: !seesRestricted(actor),
        locationIds,
        from,
        to,
        category: q.category,
      },
      q.limit ?? 50,
      q.offset ?? 0,
    );
    const rows = ids.length ? await m.findBy(IncidentEntity, { id: In(ids) }) : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const ordered = ids
      .map((id) => byId.get(id))
      .filter((r): r is IncidentEntity => r !== undefined);
    return {
      ...pageOf(await this.respond(m, ordered, actor), n, q),
      ...(queried ? { location: queriedLocation(queried) } : {}),
    };
  }

  async update(id: string, dto: UpdateIncidentDto, actor: Actor): Promise<IncidentResponseDto> {
    for (const field of ['title', 'category', 'perpetrators'] as const) {
      if (dto[field] === null) throw AppError.invalid(field, 'cannot be cleared');
    }
    if (dto.dateCalendar !== undefined && dto.date === undefined) {
      throw AppError.invalid('dateCalendar', 'names the calendar of date: send date with it');
    }
    const date = dto.date !== undefined ? dateColumns('date', dto.date, dto.dateCalendar) : null;
    return this.ds.transaction(async (m) => {
      const current = await lockForUpdate(m, IncidentEntity, 'incident', id, dto.version);
      const before = { ...current };
      const changes: Partial<IncidentEntity> = {};
      for (const k of [
        'title',
        'titleFa',
        'description',
        'category',
        'perpetrators',
        'internalNotes',
      ] as const) {
        if (dto[k] !== undefined) (changes as Record<string, unknown>)[k] = dto[k];
      }
      if (date) Object.assign(changes, dateFields(date));
      if (dto.location !== undefined) {
        changes.locationId =
          dto.location === null ? null : (await this.locations.resolveRef(m, dto.location)).id;
      }
      Object.assign(current, changes, { version: current.version + 1 });
      const changed = meaningChanges(before, current);
      const demoted = markEdited(current, actor, changed);
      const saved = await m.save(current);
      await this.audit.record(m, actor, {
        action: 'update',
        entity: 'incidents',
        entityId: id,
        before,
        after: saved,
      });
      if (demoted) await auditDemotion(m, this.audit, actor, 'incidents', saved, changed);
      return (await this.respond(m, [saved], actor))[0];
    });
  }

  /** Deletes an incident nothing else refers to, with its own attestations. Retraction is a workflow status. */
  async remove(id: string, version: number | undefined, actor: Actor): Promise<void> {
    await this.ds.transaction(async (m) => {
      const current = await lockForUpdate(m, IncidentEntity, 'incident', id, version);
      checkDeleteRecord(actor, 'incident', 'incidents', current);
      const refs = await this.repo.references(m, id);
      if (refs.victims > 0 || refs.claims > 0) {
        const uses = (['victims', 'claims'] as const).filter((k) => refs[k] > 0);
        throw new AppError(
          'conflict',
          `incident ${id} is still referenced by ${uses.map((k) => `${refs[k]} ${k}`).join(' and ')}; it cannot be deleted (retract it instead)`,
          {
            errors: uses.map((k) => ({ field: 'id', reason: `referenced by ${refs[k]} ${k}` })),
            references: refs,
          },
        );
      }
      const atts = await m.findBy(AttestationEntity, { incidentId: id });
      await m.delete(IncidentEntity, { id });
      await this.audit.recordMany(m, actor, [
        ...atts.map((a) => ({
          action: 'delete' as const,
          entity: 'attestations',
          entityId: a.id,
          before: a,
        })),
        { action: 'delete' as const, entity: 'incidents', entityId: id, before: current },
      ]);
    });
  }
}
