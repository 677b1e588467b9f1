import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { seesRestricted, seesStatus, statusesVisibleTo, type Actor } from '../common/actor.js';
import { dateColumns, dualDate } from '../common/date-columns.js';
import { AppError, type FieldProblem } from '../common/errors.js';
import { pageOf } from '../common/pagination.js';
import { queriedLocation, type LocatedPage } from '../locations/dto/location-resolution.dto.js';
import { lockForUpdate } from '../common/versioned.js';
import { checkDeleteRecord } from '../workflow/deletion.js';
import { auditDemotion, markEdited, meaningChanges } from '../workflow/review.js';
import type { SourceSummaryDto } from '../incidents/dto/incident-response.dto.js';
import { incidentsVisibleTo } from '../incidents/incident-visibility.js';
import { IncidentEntity } from '../incidents/incident.entity.js';
import type { PlaceRefDto } from '../locations/dto/location-response.dto.js';
import { resolveLocationFilter, type ResolvedLocation } from '../locations/location-resolver.js';
import { LocationsService } from '../locations/locations.service.js';
import { SourceEntity } from '../sources/source.entity.js';
import { SourcesService } from '../sources/sources.service.js';
import { parseStatuses } from '../victim-scope/victim-filter.js';
import {
  ClaimShapeError,
  expandBreakdown,
  type ClaimComponent as ClaimInputComponent,
  type Population,
  type Qualifier,
} from '../reconciliation/reconcile.js';
import { ClaimEntity, type ClaimComponent } from './claim.entity.js';
import { checkFigures, describeFigures, withExactBest } from './claim-figures.js';
import type { ClaimIntervalDto, ClaimResponseDto } from './dto/claim-response.dto.js';
import type { CreateClaimDto } from './dto/create-claim.dto.js';
import type { ListClaimsQueryDto } from './dto/list-claims-query.dto.js';
import { ClaimsRepository } from './claims.repository.js';
import type { UpdateClaimDto } from './dto/update-claim.dto.js';

function sourceRef(s: SourceEntity): SourceSummaryDto {
  return {
    id: s.id,
    kind: s.kind,
    title: s.title,
    publisher: s.publisher,
    reliability: s.reliability,
  };
}

function intervalOf(c: ClaimEntity): ClaimIntervalDto | null {
  try {
    const i = checkFigures(c);
    return {
      low: i.low,
      lowInclusive: i.lowInclusive,
      high: i.high,
      highInclusive: i.highInclusive,
      best: i.best,
      kind: i.hard ? 'bound' : 'estimate',
      text: describeFigures(c),
    };
  } catch (e) {
    // A row written around the API (psql, an old import) must still be readable.
    if (e instanceof AppError) return null;
    throw e;
  }
}

export interface ClaimRelations {
  sources: Map<string, SourceEntity>;
  places: Map<string, PlaceRefDto>;
  relayedBy: Map<string, string[]>;
}

export function toClaimResponse(
  c: ClaimEntity,
  rel: ClaimRelations,
  actor: Actor,
): ClaimResponseDto {
  const attributed = c.attributedSourceId ? rel.sources.get(c.attributedSourceId) : undefined;
  const dto: ClaimResponseDto = {
    id: c.id,
    category: c.category,
    qualifier: c.qualifier,
    low: c.low,
    best: c.best,
    high: c.high,
    interval: intervalOf(c),
    source: sourceRef(rel.sources.get(c.sourceId)!),
    attributedSource: attributed ? sourceRef(attributed) : null,
    relaysClaimId: c.relaysClaimId,
    relayedBy: rel.relayedBy.get(c.id) ?? [],
    location: c.locationId ? (rel.places.get(c.locationId) ?? null) : null,
    date: dualDate(c.dateFrom, c.dateTo, null),
    incidentId: c.incidentId,
    population: c.population,
    populationNote: c.populationNote,
    basis: c.basis,
    perpetrator: c.perpetrator,
    breakdown: c.breakdown,
    asOf: c.asOf === null ? null : dualDate(c.asOf, c.asOf, 'day'),
    publishedDate: dualDate(c.publishedDate, c.publishedDate, 'day'),
    excerpt: c.excerpt,
    locator: c.locator,
    credibility: c.credibility,
    status: c.status,
    version: c.version,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
  if (seesRestricted(actor)) dto.internalNotes = c.internalNotes;
  return dto;
}

/** A claim's publication date is one day: the day the figure was made public (so is "as of"). */
function publishedDay(
  text: string | null | undefined,
  calendar: string | undefined,
  field = 'publishedDate',
): string | null {
  const d = dateColumns(field, text, calendar);
  if (d.from !== null && d.precision !== 'day') {
    throw AppError.invalid(
      field,
      `must be a single day, not a ${d.precision} (${d.from} – ${d.to})`,
    );
  }
  return d.from;
}

/** The parts of a figure, checked against its population and total as reconciliation reads them. */
function checkedBreakdown(
  c: Pick<ClaimEntity, 'qualifier' | 'low' | 'best' | 'high' | 'population'>,
  parts: ClaimComponent[] | null,
): ClaimComponent[] | null {
  if (parts === null || parts.length === 0) return null;
  const normalised = parts.map((p) =>
    withExactBest({
      population: p.population,
      qualifier: p.qualifier,
      low: p.low ?? null,
      best: p.best ?? null,
      high: p.high ?? null,
    }),
  );
  const seen = new Set<string>();
  normalised.forEach((p, i) => {
    if (seen.has(p.population))
      throw AppError.invalid(`breakdown[${i}].population`, `${p.population} is given twice`);
    seen.add(p.population);
    try {
      checkFigures(p);
    } catch (e) {
      if (e instanceof AppError) {
        const problem = e.details.errors?.[0];
        throw AppError.invalid(
          `breakdown[${i}].${problem?.field ?? 'qualifier'}`,
          problem?.reason ?? e.message,
        );
      }
      throw e;
    }
  });
  try {
    expandBreakdown(
      {
        id: 'claim',
        category: 'killed',
        qualifier: c.qualifier as Qualifier,
        low: c.low,
        best: c.best,
        high: c.high,
        scope: {
          locationPath: [],
          dateFrom: null,
          dateTo: null,
          incidentId: null,
          population: c.population as Population,
        },
        basis: 'unspecified',
        credibility: 1,
        publishedDate: null,
        excerpt: null,
        source: { id: 's', title: 's', publisher: null, publishedDate: null, reliability: 'F' },
        relaysClaimId: null,
        attributedTo: null,
        breakdown: normalised as ClaimInputComponent[],
      },
      checkFigures(c),
    );
  } catch (e) {
    if (e instanceof ClaimShapeError) throw AppError.invalid(e.field, e.reason);
    throw e;
  }
  return normalised;
}

@Injectable()
export class ClaimsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly sources: SourcesService,
    private readonly locations: LocationsService,
    private readonly repo: ClaimsRepository,
  ) {}

  private async respond(
    m: EntityManager,
    rows: ClaimEntity[],
    actor: Actor,
  ): Promise<ClaimResponseDto[]> {
    const sources = await this.sources.existing(
      m,
      rows.flatMap((r) => [r.sourceId, ...(r.attributedSourceId ? [r.attributedSourceId] : [])]),
    );
    const places = await this.locations.placeRefs(
      m,
      rows.map((r) => r.locationId).filter((id): id is string => id !== null),
    );
    const relayedBy = await this.repo.relayedBy(
      m,
      rows.map((r) => r.id),
    );
    const incidents = await incidentsVisibleTo(
      m,
      actor,
      rows.map((r) => r.incidentId),
    );
    return rows.map((r) => {
      const dto = toClaimResponse(r, { sources, places, relayedBy }, actor);
      if (dto.incidentId && !incidents.has(dto.incidentId)) dto.incidentId = null;
      return dto;
    });
  }

  /**
   * The records a claim points at must exist (422 naming each field). A relay repeats a figure
   * about the same category, and following relays must end at an origin, never loop.
   */
  private async checkReferences(
    m: EntityManager,
    c: ClaimEntity,
    changed: Set<string>,
  ): Promise<void> {
    const problems: FieldProblem[] = [];
    const known = await this.sources.existing(
      m,
      [c.sourceId, c.attributedSourceId].filter((id): id is string => id !== null),
    );
    if (changed.has('sourceId') && !known.has(c.sourceId)) {
      problems.push({ field: 'sourceId', reason: `no source with id ${c.sourceId}` });
    }
    if (
      changed.has('attributedSourceId') &&
      c.attributedSourceId !== null &&
      !known.has(c.attributedSourceId)
    ) {
      problems.push({
        field: 'attributedSourceId',
        reason: `no source with id ${c.attributedSourceId}`,
      });
    }
    if (
      (changed.has('attributedSourceId') || changed.has('sourceId')) &&
      c.attributedSourceId === c.sourceId
    ) {
      problems.push({
        field: 'attributedSourceId',
        reason: 'is the claim’s own source: leave it empty',
      });
    }
    if (
      changed.has('incidentId') &&
      c.incidentId !== null &&
      !(await m.existsBy(IncidentEntity, { id: c.incidentId }))
    ) {
      problems.push({ field: 'incidentId', reason: `no incident with id ${c.incidentId}` });
    }
    if ((changed.has('relaysClaimId') || changed.has('category')) && c.relaysClaimId !== null) {
      const origin = await m.findOneBy(ClaimEntity, { id: c.relaysClaimId });
      if (!origin) {
        problems.push({ field: 'relaysClaimId', reason: `no claim with id ${c.relaysClaimId}` });
      } else if (origin.category !== c.category) {
        problems.push({
          field: 'relaysClaimId',
          reason: `a relay repeats a figure of the same category: claim ${origin.id} is about ${origin.category}, this one about ${c.category}`,
        });
      } else if (c.id) {
        const chain = await this.repo.relayChain(m, c.relaysClaimId);
        if (chain.includes(c.id)) {
          problems.push({
            field: 'relaysClaimId',
            reason:
              'would make a loop of relays: a claim cannot repeat itself, even through others',
          });
        }
      }
    }
    if (changed.has('category') && c.id) {
      const n = await this.repo.relaysOfOtherCategory(m, c.id, c.category);
      if (n > 0) {
        problems.push({
          field: 'category',
          reason: `${n} claim(s) relay this one as a figure of another category: change them first`,
        });
      }
    }
    if (problems.length) {
      throw new AppError(
        'unprocessable',
        problems.map((p) => `${p.field}: ${p.reason}`).join('; '),
        { errors: problems },
      );
    }
  }

  async create(dto: CreateClaimDto, actor: Actor): Promise<ClaimResponseDto> {
    const figures = withExactBest({
      qualifier: dto.qualifier,
      low: dto.low ?? null,
      best: dto.best ?? null,
      high: dto.high ?? null,
    });
    checkFigures(figures);
    const breakdown = checkedBreakdown(
      { ...figures, population: dto.population ?? 'all' },
      (dto.breakdown ?? null) as ClaimComponent[] | null,
    );
    const date = dateColumns('date', dto.date, dto.dateCalendar);
    const publishedDate = publishedDay(dto.publishedDate, dto.publishedCalendar);
    const asOf = publishedDay(dto.asOf, dto.asOfCalendar, 'asOf');
    return this.ds.transaction(async (m) => {
      const place =
        typeof dto.location === 'string' ? await this.locations.resolveRef(m, dto.location) : null;
      const claim = m.create(ClaimEntity, {
        sourceId: dto.sourceId,
        attributedSourceId: dto.attributedSourceId ?? null,
        relaysClaimId: dto.relaysClaimId ?? null,
        category: dto.category,
        ...figures,
        locationId: place?.id ?? null,
        dateFrom: date.from,
        dateTo: date.to,
        incidentId: dto.incidentId ?? null,
        population: dto.population ?? 'all',
        populationNote: dto.populationNote ?? null,
        perpetrator: dto.perpetrator ?? null,
        breakdown,
        basis: dto.basis,
        asOf,
        publishedDate,
        excerpt: dto.excerpt ?? null,
        locator: dto.locator ?? null,
        credibility: dto.credibility,
        status: 'draft',
        internalNotes: dto.internalNotes ?? null,
        createdBy: actor.userId,
      });
      await this.checkReferences(
        m,
        claim,
        new Set(['sourceId', 'attributedSourceId', 'incidentId', 'relaysClaimId']),
      );
      const id = randomUUID();
      await m.insert(ClaimEntity, { ...claim, id });
      const saved = await m.findOneByOrFail(ClaimEntity, { id });
      await this.audit.record(m, actor, {
        action: 'create',
        entity: 'count_claims',
        entityId: id,
        after: saved,
      });
      return (await this.respond(m, [saved], actor))[0];
    });
  }

  private async visible(m: EntityManager, id: string, actor: Actor): Promise<ClaimEntity> {
    const row = await m.findOneBy(ClaimEntity, { id });
    if (!row || !seesStatus(actor, row.status)) throw AppError.notFound('claim', id);
    if (!seesRestricted(actor)) {
      const ids = [row.sourceId, row.attributedSourceId].filter((s): s is string => s !== null);
      if (await m.existsBy(SourceEntity, { id: In(ids), restricted: true }))
        throw AppError.notFound('claim', id);
    }
    return row;
  }

  async get(id: string, actor: Actor): Promise<ClaimResponseDto> {
    const m = this.ds.manager;
    return (await this.respond(m, [await this.visible(m, id, actor)], actor))[0];
  }

  async list(q: ListClaimsQueryDto, actor: Actor): Promise<LocatedPage<ClaimResponseDto>> {
    const m = this.ds.manager;
    let queried: ResolvedLocation | null = null;
    // Viewers and the public see verified records only, whatever they ask for.
    const statuses = statusesVisibleTo(actor, parseStatuses(q.status));
    let incident: string | null | undefined;
    if (q.incident) {
      // An incident the reader may not see matches nothing, as an unknown id does.
      const shown = (await incidentsVisibleTo(m, actor, [q.incident])).has(q.incident);
      incident = shown ? q.incident : null;
    }
    let locationIds: string[] | undefined;
    if (q.location !== undefined) {
      const place = await resolveLocationFilter(m, q.location);
      queried = place;
      locationIds = place.ids;
    }
    const { ids, total: n } = await this.repo.page(
      m,
      {
        statuses,
        withoutRestrictedSources: !seesRestricted(actor),
        category: q.category,
        qualifier: q.qualifier,
        source: q.source,
        incident,
        locationIds,
      },
      q.limit ?? 50,
      q.offset ?? 0,
    );
    const rows = ids.length ? await m.findBy(ClaimEntity, { id: In(ids) }) : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const ordered = ids.map((id) => byId.get(id)).filter((r): r is ClaimEntity => r !== undefined);
    return {
      ...pageOf(await this.respond(m, ordered, actor), n, q),
      ...(queried ? { location: queriedLocation(queried) } : {}),
    };
  }

  async update(id: string, dto: UpdateClaimDto, actor: Actor): Promise<ClaimResponseDto> {
    for (const field of [
      'sourceId',
      'category',
      'qualifier',
      'basis',
      'credibility',
      'population',
    ] as const) {
      if (dto[field] === null) throw AppError.invalid(field, 'cannot be cleared');
    }
    if (dto.dateCalendar !== undefined && dto.date === undefined) {
      throw AppError.invalid('dateCalendar', 'names the calendar of date: send date with it');
    }
    if (dto.asOfCalendar !== undefined && dto.asOf === undefined) {
      throw AppError.invalid('asOfCalendar', 'names the calendar of asOf: send asOf with it');
    }
    if (dto.publishedCalendar !== undefined && dto.publishedDate === undefined) {
      throw AppError.invalid(
        'publishedCalendar',
        'names the calendar of publishedDate: send publishedDate with it',
      );
    }
    const date = dto.date !== undefined ? dateColumns('date', dto.date, dto.dateCalendar) : null;
    const publishedDate =
      dto.publishedDate !== undefined
        ? publishedDay(dto.publishedDate, dto.publishedCalendar)
        : undefined;
    const asOf =
      dto.asOf !== undefined ? publishedDay(dto.asOf, dto.asOfCalendar, 'asOf') : undefined;
    return this.ds.transaction(async (m) => {
      const current = await lockForUpdate(m, ClaimEntity, 'claim', id, dto.version);
      const before = { ...current };
      const changed = new Set<string>();
      const copy = [
        'sourceId',
        'attributedSourceId',
        'relaysClaimId',
        'category',
        'qualifier',
        'low',
        'best',
        'high',
        'incidentId',
        'population',
        'populationNote',
        'perpetrator',
        'basis',
        'excerpt',
        'locator',
        'credibility',
        'internalNotes',
      ] as const;
      for (const k of copy) {
        if (dto[k] !== undefined && dto[k] !== current[k]) {
          (current as unknown as Record<string, unknown>)[k] = dto[k];
          changed.add(k);
        }
      }
      if (current.relaysClaimId === id) {
        throw AppError.unprocessable('relaysClaimId', 'a claim cannot repeat itself');
      }
      Object.assign(current, withExactBest(current));
      checkFigures(current);
      if (dto.breakdown !== undefined) {
        current.breakdown = (dto.breakdown ?? null) as ClaimComponent[] | null;
        changed.add('breakdown');
      }
      current.breakdown = checkedBreakdown(current, current.breakdown);
      if (asOf !== undefined && asOf !== current.asOf) {
        current.asOf = asOf;
        changed.add('asOf');
      }
      if (date) Object.assign(current, { dateFrom: date.from, dateTo: date.to });
      if (publishedDate !== undefined) current.publishedDate = publishedDate;
      if (dto.location !== undefined) {
        current.locationId =
          dto.location === null ? null : (await this.locations.resolveRef(m, dto.location)).id;
      }
      await this.checkReferences(m, current, changed);
      current.version += 1;
      const edited = meaningChanges(before, current);
      const demoted = markEdited(current, actor, edited);
      const saved = await m.save(current);
      await this.audit.record(m, actor, {
        action: 'update',
        entity: 'count_claims',
        entityId: id,
        before,
        after: saved,
      });
      if (demoted) await auditDemotion(m, this.audit, actor, 'claims', saved, edited);
      return (await this.respond(m, [saved], actor))[0];
    });
  }

  async remove(id: string, version: number | undefined, actor: Actor): Promise<void> {
    await this.ds.transaction(async (m) => {
      const current = await lockForUpdate(m, ClaimEntity, 'claim', id, version);
      checkDeleteRecord(actor, 'claim', 'claims', current);
      const relays = await this.repo.relaysOf(m, id);
      if (relays.length) {
        throw new AppError(
          'conflict',
          `claim ${id} is repeated by ${relays.length} other claim(s); it cannot be deleted while they relay it`,
          {
            errors: [{ field: 'id', reason: `relayed by ${relays.join(', ')}` }],
            relayedBy: relays,
          },
        );
      }
      await m.delete(ClaimEntity, { id });
      await this.audit.record(m, actor, {
        action: 'delete',
        entity: 'count_claims',
        entityId: id,
        before: current,
      });
    });
  }
}
