import { queriedLocation } from '../locations/dto/location-resolution.dto.js';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AttestationEntity } from '../attestations/attestation.entity.js';
import { AttestationsService } from '../attestations/attestations.service.js';
import { CONFIDENCE_LEVELS, CONFIDENCE_RULE } from '../attestations/confidence.js';
import { refreshConfidence } from '../attestations/confidence.repository.js';
import { AuditService } from '../audit/audit.service.js';
import { hydrate } from '../database/hydrate.js';
import { seesRestricted, seesStatus, type Actor } from '../common/actor.js';
import { dateColumns, dualDate, NO_DATE, type DateColumns } from '../common/date-columns.js';
import { dateMatch } from '../common/dates.js';
import { AppError } from '../common/errors.js';
import { lockForUpdate } from '../common/versioned.js';
import { checkDeleteRecord } from '../workflow/deletion.js';
import { auditDemotion, markEdited, meaningChanges } from '../workflow/review.js';
import { incidentsVisibleTo } from '../incidents/incident-visibility.js';
import { IncidentEntity } from '../incidents/incident.entity.js';
import { LocationEntity } from '../locations/location.entity.js';
import { resolveLocationRef, subtreeIds } from '../locations/location-resolver.js';
import { SourceEntity } from '../sources/source.entity.js';
import type { CreateVictimDto, VictimFieldsDto } from './dto/create-victim.dto.js';
import type { ListVictimsQueryDto } from './dto/list-victims-query.dto.js';
import type { MergeVictimDto, UnmergeVictimDto } from './dto/merge-victim.dto.js';
import type { UpdateVictimDto } from './dto/update-victim.dto.js';
import type {
  ConfidenceRuleDto,
  DuplicateCandidateDto,
  PlaceSummaryDto,
  VictimListItemDto,
  VictimPageDto,
  VictimResponseDto,
  VictimSummaryDto,
} from './dto/victim-response.dto.js';
import { nameQuery, nameSearchText, withoutScriptKeys, type NameQuery } from './name-search.js';
import { ageColumns } from '../victim-scope/age-bands.js';
import { decodeCursor, encodeCursor, type VictimSort } from './victim-cursor.js';
import { attestedForReader, victimScope, visibleStatuses } from '../victim-scope/visibility.js';
import { VictimEntity } from './victim.entity.js';
import { summaryColumns, summaryFromRow } from './victim-summary-row.js';
import { VictimsRepository } from './victims.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface MergeResult {
  victim: VictimResponseDto;
  into: VictimResponseDto;
}

export function toVictimSummary(
  v: VictimEntity,
  place: LocationEntity | null,
  actor: Actor,
): VictimSummaryDto {
  const dto: VictimSummaryDto = {
    id: v.id,
    nameFa: v.nameFa,
    nameEn: v.nameEn,
    nameVariants: v.nameVariants,
    gender: v.gender,
    age: v.age,
    ageMin: v.ageMin,
    ageMax: v.ageMax,
    ageBand: v.ageBand,
    occupation: v.occupation,
    fatherName: v.fatherName,
    harm: v.harm,
    date: dualDate(v.dateFrom, v.dateTo, v.datePrecision, v.dateOriginal),
    dateCalendar: v.dateCalendar,
    location: place ? placeSummary(place) : null,
    placePrecision: v.placePrecision,
    placeOriginal: v.placeOriginal,
    cause: v.cause,
    perpetrator: v.perpetrator,
    armed: v.armed,
    incidentId: v.incidentId,
    status: v.status,
    // A reader who may not see restricted sources gets the level the others support.
    confidence: seesRestricted(actor) ? v.confidence : v.publicConfidence,
    mergedInto: v.mergedInto,
    version: v.version,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
  };
  if (seesRestricted(actor)) {
    dto.witnessNames = v.witnessNames;
    dto.familyContact = v.familyContact;
    dto.internalNotes = v.internalNotes;
  }
  return dto;
}

function placeSummary(l: LocationEntity): PlaceSummaryDto {
  return { id: l.id, kind: l.kind, nameEn: l.nameEn, nameFa: l.nameFa };
}

// ---------------------------------------------------------------------------------------------

const COPIED = [
  'nameFa',
  'nameEn',
  'gender',
  'occupation',
  'fatherName',
  'harm',
  'placePrecision',
  'placeOriginal',
  'cause',
  'perpetrator',
  'armed',
  'incidentId',
  'witnessNames',
  'familyContact',
  'internalNotes',
] as const;

/** The columns that follow from the fields alone (no database): a 400 before any write. */
function columns(
  dto: Partial<VictimFieldsDto>,
  current: VictimEntity | null,
): Partial<VictimEntity> {
  const out: Partial<VictimEntity> = {};
  for (const k of COPIED)
    if (dto[k] !== undefined) (out as Record<string, unknown>)[k] = dto[k] ?? null;
  if (dto.harm === null)
    throw AppError.invalid('harm', 'cannot be cleared: every victim record has a harm');
  if (dto.nameVariants !== undefined)
    out.nameVariants = [...new Set((dto.nameVariants ?? []).map((n) => n.trim()))];
  const names = {
    nameFa: current?.nameFa,
    nameEn: current?.nameEn,
    nameVariants: current?.nameVariants ?? [],
    ...out,
  };
  if (!current || 'nameFa' in out || 'nameEn' in out || 'nameVariants' in out) {
    out.nameSearch = nameSearchText([names.nameEn, names.nameFa, ...(names.nameVariants ?? [])]);
  }

  let date: DateColumns | undefined;
  if (dto.date !== undefined) {
    date = dto.date === null ? NO_DATE : dateColumns('date', dto.date, dto.dateCalendar);
  } else if (dto.dateCalendar != null) {
    // A new calendar re-reads the date as it was typed.
    if (!current?.dateOriginal)
      throw AppError.invalid('dateCalendar', 'give the date it applies to');
    date = dateColumns('date', current.dateOriginal, dto.dateCalendar);
  }
  if (date) {
    Object.assign(out, {
      dateFrom: date.from,
      dateTo: date.to,
      datePrecision: date.precision,
      dateCalendar: date.calendar,
      dateOriginal: date.original,
    });
  }
  return { ...out, ...ageColumns(dto, current) };
}

@Injectable()
export class VictimsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly attestations: AttestationsService,
    private readonly repo: VictimsRepository,
  ) {}

  confidenceRule(): ConfidenceRuleDto {
    return { levels: [...CONFIDENCE_LEVELS], rule: CONFIDENCE_RULE };
  }

  /** Location and incident: references that need the database. */
  private async references(
    m: EntityManager,
    dto: Partial<VictimFieldsDto>,
    out: Partial<VictimEntity>,
  ): Promise<void> {
    if (dto.location !== undefined) {
      if (dto.location === null) {
        out.locationId = null;
      } else {
        const place = await resolveLocationRef(m, dto.location, 'location');
        out.locationId = place.id;
        // A place typed by name is kept as typed, unless the researcher gave the original too.
        if (dto.placeOriginal === undefined && !UUID.test(dto.location.trim()))
          out.placeOriginal = dto.location;
      }
    }
    if (dto.incidentId) {
      const found = await m.getRepository(IncidentEntity).existsBy({ id: dto.incidentId });
      if (!found)
        throw AppError.unprocessable('incidentId', `no incident with id ${dto.incidentId}`);
    }
  }

  async create(dto: CreateVictimDto, actor: Actor): Promise<VictimResponseDto> {
    const { attestations, ...fields } = dto;
    const cols = columns(fields, null);
    return this.ds.transaction(async (m) => {
      await this.references(m, fields, cols);
      const saved = await m.save(m.create(VictimEntity, { ...cols, createdBy: actor.userId }));
      await this.attestations.createFor(m, { victimId: saved.id }, attestations, actor);
      await refreshConfidence(m, [saved.id]);
      const after = await m.getRepository(VictimEntity).findOneByOrFail({ id: saved.id });
      await this.audit.record(m, actor, {
        action: 'create',
        entity: 'victims',
        entityId: saved.id,
        after,
      });
      return this.view(m, after, actor);
    });
  }

  async get(id: string, actor: Actor): Promise<VictimResponseDto> {
    const v = await this.ds.getRepository(VictimEntity).findOneBy({ id });
    if (!v || !seesStatus(actor, v.status)) throw AppError.notFound('victim', id);
    const shown = await this.view(this.ds.manager, v, actor);
    // The view carries only the attestations the reader may see (its merged records' included):
    // known only from restricted sources, the record is not public (as in counts and exports).
    if (!attestedForReader(seesRestricted(actor), shown.attestations.length))
      throw AppError.notFound('victim', id);
    return shown;
  }

  /** A record with its attestations and those of every record merged into it. */
  private async view(m: EntityManager, v: VictimEntity, actor: Actor): Promise<VictimResponseDto> {
    const group = await this.repo.mergedGroup(m, v.id);
    const mergedFrom = (
      await m
        .getRepository(VictimEntity)
        .find({ select: { id: true }, where: { mergedInto: v.id }, order: { id: 'ASC' } })
    ).map((r) => r.id);
    const place = v.locationId
      ? await m.getRepository(LocationEntity).findOneBy({ id: v.locationId })
      : null;
    const incidents = await incidentsVisibleTo(m, actor, [v.incidentId]);
    return {
      ...toVictimSummary(v, place, actor),
      incidentId: v.incidentId && incidents.has(v.incidentId) ? v.incidentId : null,
      attestations: await this.attestations.forVictims(m, group, actor),
      mergedFrom,
    };
  }

  async update(id: string, dto: UpdateVictimDto, actor: Actor): Promise<VictimResponseDto> {
    return this.ds.transaction(async (m) => {
      const current = await lockForUpdate(m, VictimEntity, 'victim', id, dto.version);
      const before = { ...current };
      const { version: _version, ...patch } = dto;
      const cols = columns(patch, current);
      await this.references(m, patch, cols);
      Object.assign(current, cols, { version: current.version + 1 });
      const changed = meaningChanges(before, current);
      const demoted = markEdited(current, actor, changed);
      const saved = await m.save(current);
      await this.audit.record(m, actor, {
        action: 'update',
        entity: 'victims',
        entityId: id,
        before,
        after: saved,
      });
      if (demoted) await auditDemotion(m, this.audit, actor, 'victims', saved, changed);
      return this.view(m, saved, actor);
    });
  }

  /** Its creator while it is a draft, or an admin: anything else is retracted (workflow/deletion.ts). */
  async remove(id: string, version: number | undefined, actor: Actor): Promise<void> {
    await this.ds.transaction(async (m) => {
      const current = await lockForUpdate(m, VictimEntity, 'victim', id, version);
      checkDeleteRecord(actor, 'victim', 'victims', current);
      const merged = await m.getRepository(VictimEntity).countBy({ mergedInto: id });
      if (merged > 0) {
        throw new AppError(
          'conflict',
          `${merged} record(s) are merged into victim ${id}: unmerge them first`,
          {
            errors: [{ field: 'id', reason: `${merged} record(s) merged into it` }],
          },
        );
      }
      const attestations = await m.getRepository(AttestationEntity).findBy({ victimId: id });
      await m.delete(VictimEntity, { id });
      await this.audit.record(m, actor, {
        action: 'delete',
        entity: 'victims',
        entityId: id,
        before: { ...current, attestations },
      });
      await this.audit.recordMany(
        m,
        actor,
        attestations.map((a) => ({
          action: 'delete' as const,
          entity: 'attestations',
          entityId: a.id,
          before: a,
          reason: `victim ${id} deleted`,
        })),
      );
      if (current.mergedInto) await refreshConfidence(m, [current.mergedInto]);
    });
  }

  /**
   * Marks a record as a duplicate of another. Both stay, with every attestation; only the target
   * is counted, with the attestations of both. The target must not itself be merged, and the
   * record must not be merged already: so a merge never closes a cycle.
   */
  async merge(id: string, dto: MergeVictimDto, actor: Actor): Promise<MergeResult> {
    if (dto.into.toLowerCase() === id.toLowerCase())
      throw AppError.unprocessable('into', 'a record cannot be merged into itself');
    return this.ds.transaction(async (m) => {
      const current = await lockForUpdate(m, VictimEntity, 'victim', id, dto.version);
      if (current.mergedInto) {
        throw new AppError(
          'conflict',
          `victim ${id} is already merged into ${current.mergedInto}: unmerge it first`,
          {
            errors: [{ field: 'id', reason: `already merged into ${current.mergedInto}` }],
          },
        );
      }
      const target = await m
        .getRepository(VictimEntity)
        .findOne({ where: { id: dto.into }, lock: { mode: 'pessimistic_write' } });
      if (!target) throw AppError.unprocessable('into', `no victim with id ${dto.into}`);
      if (target.mergedInto) {
        throw AppError.unprocessable(
          'into',
          `victim ${dto.into} is itself merged into ${target.mergedInto}: merge into that record`,
        );
      }
      const before = { ...current };
      Object.assign(current, { mergedInto: target.id, version: current.version + 1 });
      await m.save(current);
      await this.audit.record(m, actor, {
        action: 'merge',
        entity: 'victims',
        entityId: id,
        before,
        after: current,
        reason: dto.reason,
      });
      await refreshConfidence(m, [id, target.id]);
      return this.pair(m, id, target.id, actor);
    });
  }

  async unmerge(id: string, dto: UnmergeVictimDto, actor: Actor): Promise<MergeResult> {
    return this.ds.transaction(async (m) => {
      const current = await lockForUpdate(m, VictimEntity, 'victim', id, dto.version);
      const formerTarget = current.mergedInto;
      if (!formerTarget) {
        throw new AppError('conflict', `victim ${id} is not merged into another record`, {
          errors: [{ field: 'id', reason: 'not merged' }],
        });
      }
      const before = { ...current };
      Object.assign(current, { mergedInto: null, version: current.version + 1 });
      await m.save(current);
      await this.audit.record(m, actor, {
        action: 'unmerge',
        entity: 'victims',
        entityId: id,
        before,
        after: current,
        reason: dto.reason,
      });
      await refreshConfidence(m, [id, formerTarget]);
      return this.pair(m, id, formerTarget, actor);
    });
  }

  private async pair(
    m: EntityManager,
    id: string,
    other: string,
    actor: Actor,
  ): Promise<MergeResult> {
    const repo = m.getRepository(VictimEntity);
    return {
      victim: await this.view(m, await repo.findOneByOrFail({ id }), actor),
      into: await this.view(m, await repo.findOneByOrFail({ id: other }), actor),
    };
  }

  async list(q: ListVictimsQueryDto, actor: Actor): Promise<VictimPageDto> {
    const m = this.ds.manager;
    const sort = (q.sort ?? (q.q ? 'relevance' : 'date')) as VictimSort;
    if (sort === 'relevance' && !q.q)
      throw AppError.invalid('sort', 'relevance ranks by name similarity: give q as well');
    const search = q.q ? nameQuery(q.q) : null;
    if (q.q && !search) throw AppError.invalid('q', 'holds no letters or digits to search for');
    const cursor = q.cursor !== undefined ? decodeCursor(q.cursor, sort) : null;
    await this.checkFilterReferences(m, q, actor);
    const limit = q.limit ?? 50;
    // Viewers and the public see verified records only, whatever statuses they ask for.
    const statuses = visibleStatuses(actor, q.status);
    if (!statuses.length) return { items: [], nextCursor: null, limit };
    const filter = await victimScope(m, q, actor, { statuses, records: true });
    const restricted = filter.seesRestricted;
    const rows = await this.repo.page(m, filter, {
      search,
      sort,
      cursor,
      limit: limit + 1,
      recordColumns: summaryColumns(restricted),
    });
    const page = rows.slice(0, limit);
    const victims = new Map(page.map((r) => [r.id, summaryFromRow(r.record!, restricted)]));
    if (!restricted) {
      const all = [...victims.values()];
      const incidents = await incidentsVisibleTo(
        m,
        actor,
        all.map((v) => v.incidentId),
      );
      for (const v of all) if (v.incidentId && !incidents.has(v.incidentId)) v.incidentId = null;
    }
    const items = page.map((r): VictimListItemDto => {
      const v = victims.get(r.id)!;
      const match = dateMatch(
        v.date?.gregorian.from ?? null,
        v.date?.gregorian.to ?? null,
        filter.window.from,
        filter.window.to,
      );
      return {
        ...v,
        dateMatch: match === 'certain' ? 'certain' : 'possible',
        ...(r.relevance !== null ? { relevance: Math.round(r.relevance * 1000) / 1000 } : {}),
        ...(r.nameMatch !== null ? { nameMatch: r.nameMatch } : {}),
      };
    });
    const last = page.at(-1);
    return {
      items,
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ sort, key: last.sort_key, id: last.id })
          : null,
      limit,
      ...(filter.location ? { location: queriedLocation(filter.location) } : {}),
    };
  }

  /** An unknown incident or source in a filter is a mistake to report, not an empty answer. */
  private async checkFilterReferences(
    m: EntityManager,
    q: ListVictimsQueryDto,
    actor: Actor,
  ): Promise<void> {
    // An incident the reader may not see is not there for them (incident-visibility.ts).
    if (
      q.incident &&
      (!(await m.getRepository(IncidentEntity).existsBy({ id: q.incident })) ||
        !(await incidentsVisibleTo(m, actor, [q.incident])).has(q.incident))
    ) {
      throw AppError.invalid('incident', `no incident with id ${q.incident}`);
    }
    if (q.source) {
      const s = await m.getRepository(SourceEntity).findOneBy({ id: q.source });
      if (!s || (s.restricted && !seesRestricted(actor)))
        throw AppError.invalid('source', `no source with id ${q.source}`);
    }
  }

  private async summaries(
    m: EntityManager,
    ids: string[],
    actor: Actor,
  ): Promise<Map<string, VictimSummaryDto>> {
    if (!ids.length) return new Map();
    // One round trip: the records with their places.
    return this.summariesOf(m, await this.repo.summaryRows(m, ids), actor);
  }

  /** Summaries from rows of `v.*` with the place's columns prefixed `l_`. */
  private summariesOf(
    m: EntityManager,
    rows: Record<string, unknown>[],
    actor: Actor,
  ): Map<string, VictimSummaryDto> {
    return new Map(
      rows.map((r) => {
        const v = hydrate(m, VictimEntity, r)!;
        return [v.id, toVictimSummary(v, hydrate(m, LocationEntity, r, 'l_'), actor)];
      }),
    );
  }

  /**
   * Records that may be the same person: by normalised and fuzzy name, scored with date
   * overlap and place containment. Candidates for a reviewer, never a decision.
   */
  async duplicates(
    id: string,
    actor: Actor,
  ): Promise<{ victimId: string; candidates: DuplicateCandidateDto[] }> {
    const m = this.ds.manager;
    const v = await m.getRepository(VictimEntity).findOneBy({ id });
    if (!v) throw AppError.notFound('victim', id);
    const names = [
      ...new Set([v.nameEn, v.nameFa, ...v.nameVariants].filter((n): n is string => !!n)),
    ]
      .slice(0, 6)
      .map(nameQuery)
      .filter((n): n is NameQuery => n !== null)
      .map(withoutScriptKeys);
    if (!names.length) return { victimId: id, candidates: [] };
    const up = await this.repo.mergeChain(m, id);
    const place = v.locationId
      ? await m.getRepository(LocationEntity).findOneBy({ id: v.locationId })
      : null;
    const rows = await this.repo.duplicateRows(
      m,
      {
        names,
        dateFrom: v.dateFrom,
        dateTo: v.dateTo,
        locationId: v.locationId,
        locationPath: place?.path ?? null,
        nearLocations: place
          ? [...new Set([...place.path, ...(await subtreeIds(m, place.id))])]
          : [],
        exclude: up,
      },
      20,
    );
    const summaries = await this.summaries(
      m,
      rows.map((r) => r.id),
      actor,
    );
    const candidates = rows.map((r): DuplicateCandidateDto => {
      const c = summaries.get(r.id)!;
      const reasons = [
        r.name_similarity >= 0.999
          ? 'names match (similarity 1.00)'
          : `similar names (similarity ${r.name_similarity.toFixed(2)})`,
        r.dates_overlap === null
          ? 'date unknown on one side'
          : r.dates_overlap
            ? `dates overlap (${c.date!.gregorian.label})`
            : `dates differ (${c.date!.gregorian.label})`,
        r.same_place === null
          ? 'place unknown on one side'
          : r.same_place
            ? `same place: ${c.location!.nameEn}`
            : `different places (${c.location!.nameEn})`,
      ];
      return {
        victim: c,
        score: r.score,
        nameSimilarity: r.name_similarity,
        datesOverlap: r.dates_overlap,
        samePlace: r.same_place,
        reasons,
      };
    });
    return { victimId: id, candidates };
  }
}
