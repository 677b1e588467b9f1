import {
  resolutionFields,
  type ResolvedLocationResponseDto,
} from './dto/location-resolution.dto.js';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { LOCATION_KINDS } from '../common/domain.js';
import { AppError } from '../common/errors.js';
import { pageOf, type Page } from '../common/pagination.js';
import { normalizeText } from '../common/persian.js';
import { lockForUpdate } from '../common/versioned.js';
import type { CreateLocationDto } from './dto/create-location.dto.js';
import type { ListLocationsQueryDto } from './dto/list-locations-query.dto.js';
import type {
  LocationResponseDto,
  NameMatchDto,
  PlaceRefDto,
} from './dto/location-response.dto.js';
import type { UpdateLocationDto } from './dto/update-location.dto.js';
import { bestNameMatch, kindMaySitUnder, kindRank, locationNamesNorm } from './location-names.js';
import {
  resolveLocation,
  resolveLocationFilter,
  resolveLocationRef,
  type ResolvedLocation,
} from './location-resolver.js';
import { LocationEntity } from './location.entity.js';
import { LocationsRepository } from './locations.repository.js';
import { clearFeedCaches, LOCATION_FILTER_CACHE } from '../common/change-feed.js';

const ORDER = LOCATION_KINDS.join(' > ');

export function toLocationResponse(
  l: LocationEntity,
  refs: Map<string, PlaceRefDto>,
  matched?: NameMatchDto,
): LocationResponseDto {
  const ancestors = l.path
    .slice(0, -1)
    .map((id) => refs.get(id))
    .filter((r): r is PlaceRefDto => r !== undefined);
  return {
    id: l.id,
    kind: l.kind,
    nameEn: l.nameEn,
    nameFa: l.nameFa,
    variantsEn: l.variantsEn,
    variantsFa: l.variantsFa,
    parent: l.parentId ? (refs.get(l.parentId) ?? null) : null,
    ancestors,
    path: l.path,
    depth: l.depth,
    lat: l.lat,
    lon: l.lon,
    precision: l.precision,
    ...(matched ? { matched } : {}),
    version: l.version,
    createdAt: l.createdAt.toISOString(),
    updatedAt: l.updatedAt.toISOString(),
  };
}

function checkCoordinates(lat: number | null, lon: number | null, precision: string | null): void {
  if ((lat === null) !== (lon === null)) {
    throw AppError.invalid(
      lat === null ? 'lat' : 'lon',
      'lat and lon are given together, or neither',
    );
  }
  if (precision !== null && lat === null) {
    throw AppError.invalid('precision', 'describes coordinates: give lat and lon with it');
  }
}

function refusedKind(
  child: string,
  parent: ResolvedLocation | { kind: string; nameEn: string },
): AppError {
  return AppError.unprocessable(
    'parent',
    `a ${child} cannot sit under the ${parent.kind} ${parent.nameEn}: a place sits below its parent in ${ORDER} (a city may sit straight under a province)`,
  );
}

@Injectable()
export class LocationsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly repo: LocationsRepository,
  ) {}

  /** A place named in another record's body (id or name): unknown id 422, unknown or ambiguous name 400. */
  resolveRef(m: EntityManager, input: string, field = 'location'): Promise<ResolvedLocation> {
    return resolveLocationRef(m, input, field);
  }

  /** Brief references (id, kind, names) for places other records point at. */
  placeRefs(m: EntityManager, ids: string[]): Promise<Map<string, PlaceRefDto>> {
    return this.repo.placeRefs(m, ids);
  }

  private async respond(
    m: EntityManager,
    rows: LocationEntity[],
    q?: string,
  ): Promise<LocationResponseDto[]> {
    const refs = await this.repo.placeRefs(
      m,
      rows.flatMap((r) => r.path.slice(0, -1)),
    );
    return rows.map((r) =>
      toLocationResponse(r, refs, q === undefined ? undefined : bestNameMatch(r, q)),
    );
  }

  private async parentFor(
    m: EntityManager,
    kind: string,
    input: string | null | undefined,
  ): Promise<ResolvedLocation | null> {
    if (input === null || input === undefined) {
      if (kind !== 'country')
        throw AppError.invalid('parent', `a ${kind} needs a parent place (its id or name)`);
      return null;
    }
    const parent = await resolveLocationRef(m, input, 'parent');
    if (!kindMaySitUnder(kind, parent.kind)) throw refusedKind(kind, parent);
    return parent;
  }

  /** A write to places in one transaction; the `location=` filters kept here are dropped after it. */
  private async changingPlaces<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.ds.transaction(work);
    } finally {
      clearFeedCaches(this.ds, LOCATION_FILTER_CACHE);
    }
  }

  async create(dto: CreateLocationDto, actor: Actor): Promise<LocationResponseDto> {
    checkCoordinates(dto.lat ?? null, dto.lon ?? null, dto.precision ?? null);
    return this.changingPlaces(async (m) => {
      const parent = await this.parentFor(m, dto.kind, dto.parent);
      const id = randomUUID();
      const names = {
        nameEn: dto.nameEn,
        nameFa: dto.nameFa ?? null,
        variantsEn: dto.variantsEn ?? [],
        variantsFa: dto.variantsFa ?? [],
      };
      await m.insert(LocationEntity, {
        id,
        kind: dto.kind,
        parentId: parent?.id ?? null,
        ...names,
        namesNorm: locationNamesNorm(names),
        path: [...(parent?.path ?? []), id],
        depth: parent ? parent.path.length : 0,
        lat: dto.lat ?? null,
        lon: dto.lon ?? null,
        precision: dto.precision ?? null,
      });
      const saved = await m.findOneByOrFail(LocationEntity, { id });
      await this.audit.record(m, actor, {
        action: 'create',
        entity: 'locations',
        entityId: id,
        after: saved,
      });
      return (await this.respond(m, [saved]))[0];
    });
  }

  async get(id: string): Promise<LocationResponseDto> {
    const m = this.ds.manager;
    const row = await m.findOneBy(LocationEntity, { id });
    if (!row) throw AppError.notFound('location', id);
    return (await this.respond(m, [row]))[0];
  }

  /**
   * GET /api/locations/resolve: the one place a name means, or a 400 with the candidates. A
   * name shared by a province and its capital is read as a filter reads it: the province, with
   * the city among `alternatives` (the answer says so in `note`).
   */
  async resolve(name: string): Promise<ResolvedLocationResponseDto> {
    const place = await resolveLocation(this.ds.manager, name, 'name', false, {
      containing: true,
    });
    return { ...(await this.get(place.id)), ...resolutionFields(place) };
  }

  async list(q: ListLocationsQueryDto): Promise<Page<LocationResponseDto>> {
    const m = this.ds.manager;
    let text: string | undefined;
    if (q.q !== undefined) {
      text = normalizeText(q.q);
      if (!text) throw AppError.invalid('q', 'must contain a letter or a digit');
    }
    const parent = q.parent !== undefined ? await resolveLocation(m, q.parent, 'parent') : null;
    const within =
      q.within !== undefined ? await resolveLocationFilter(m, q.within, 'within') : null;
    const { ids, total } = await this.repo.search(
      m,
      { kind: q.kind, parentId: parent?.id, withinId: within?.id, q: text },
      q.limit ?? 50,
      q.offset ?? 0,
    );
    const rows = ids.length ? await m.findBy(LocationEntity, { id: In(ids) }) : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const ordered = ids
      .map((id) => byId.get(id))
      .filter((r): r is LocationEntity => r !== undefined);
    return pageOf(await this.respond(m, ordered, text), total, q);
  }

  async update(id: string, dto: UpdateLocationDto, actor: Actor): Promise<LocationResponseDto> {
    for (const field of ['kind', 'nameEn', 'variantsEn', 'variantsFa'] as const) {
      if (dto[field] === null) throw AppError.invalid(field, 'cannot be cleared');
    }
    return this.changingPlaces(async (m) => {
      const current = await lockForUpdate(m, LocationEntity, 'location', id, dto.version);
      const before = { ...current };
      const kind = dto.kind ?? current.kind;

      let parentId = current.parentId;
      let parentPath = current.path.slice(0, -1);
      let parent: { kind: string; nameEn: string } | null = null;
      if (dto.parent !== undefined) {
        if (dto.parent === null) {
          parentId = null;
          parentPath = [];
        } else {
          const resolved = await resolveLocationRef(m, dto.parent, 'parent');
          const locked = await this.repo.lockPlace(m, resolved.id);
          if (locked.path.includes(id)) {
            throw AppError.unprocessable(
              'parent',
              resolved.id === id
                ? 'a place cannot be its own parent'
                : `${resolved.nameEn} lies inside ${current.nameEn}: a place cannot become its own descendant`,
            );
          }
          parentId = resolved.id;
          parentPath = locked.path;
          parent = { kind: locked.kind, nameEn: resolved.nameEn };
        }
      }

      if (kind !== current.kind || parentId !== current.parentId) {
        if (parentId === null) {
          if (kind !== 'country')
            throw AppError.invalid('parent', `a ${kind} needs a parent place (its id or name)`);
        } else {
          const above = parent ?? (await m.findOneByOrFail(LocationEntity, { id: parentId }));
          if (!kindMaySitUnder(kind, above.kind)) throw refusedKind(kind, above);
        }
        const blocking = (await this.repo.children(m, id)).filter(
          (c) => kindRank(c.kind) <= kindRank(kind),
        );
        if (blocking.length) {
          throw AppError.unprocessable(
            'kind',
            `a ${kind} cannot hold ${blocking.map((c) => `the ${c.kind} ${c.nameEn}`).join(', ')}: a place sits below its parent in ${ORDER}`,
          );
        }
      }

      const names = {
        nameEn: dto.nameEn ?? current.nameEn,
        nameFa: dto.nameFa !== undefined ? dto.nameFa : current.nameFa,
        variantsEn: dto.variantsEn ?? current.variantsEn,
        variantsFa: dto.variantsFa ?? current.variantsFa,
      };
      const coords = {
        lat: dto.lat !== undefined ? dto.lat : current.lat,
        lon: dto.lon !== undefined ? dto.lon : current.lon,
        precision: dto.precision !== undefined ? dto.precision : current.precision,
      };
      checkCoordinates(coords.lat, coords.lon, coords.precision);

      const moved = parentId !== current.parentId;
      const path = moved ? [...parentPath, id] : current.path;
      if (moved) {
        const below = await this.repo.descendants(m, id);
        await this.repo.movePaths(m, id, current.depth, path);
        const shift = path.length - 1 - current.depth;
        await this.audit.recordMany(
          m,
          actor,
          below.map((d) => ({
            action: 'update' as const,
            entity: 'locations',
            entityId: d.id,
            before: { path: d.path, depth: d.depth },
            after: { path: [...path, ...d.path.slice(current.depth + 1)], depth: d.depth + shift },
            reason: `moved with ${current.nameEn}`,
          })),
        );
      }

      Object.assign(current, names, coords, {
        kind,
        parentId,
        path,
        depth: path.length - 1,
        namesNorm: locationNamesNorm(names),
        version: current.version + 1,
      });
      const saved = await m.save(current);
      await this.audit.record(m, actor, {
        action: 'update',
        entity: 'locations',
        entityId: id,
        before,
        after: saved,
      });
      return (await this.respond(m, [saved]))[0];
    });
  }

  async remove(id: string, version: number | undefined, actor: Actor): Promise<void> {
    await this.changingPlaces(async (m) => {
      const current = await lockForUpdate(m, LocationEntity, 'location', id, version);
      const refs = await this.repo.references(m, id);
      const uses = (Object.entries(refs) as [keyof typeof refs, number][]).filter(([, n]) => n > 0);
      if (uses.length) {
        const said = uses
          .map(([what, n]) => `${n} ${what === 'children' ? 'place(s) inside it' : what}`)
          .join(', ');
        throw new AppError(
          'conflict',
          `location ${current.nameEn} is still referenced by ${said}; it cannot be deleted`,
          {
            errors: uses.map(([what, n]) => ({
              field: 'id',
              reason: `referenced by ${n} ${what}`,
            })),
            references: refs,
          },
        );
      }
      await m.delete(LocationEntity, { id });
      await this.audit.record(m, actor, {
        action: 'delete',
        entity: 'locations',
        entityId: id,
        before: current,
      });
    });
  }
}
