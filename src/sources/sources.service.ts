import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { refreshConfidence } from '../attestations/confidence.repository.js';
import { AuditService } from '../audit/audit.service.js';
import { atLeast, seesRestricted, SYSTEM_ACTOR, type Actor } from '../common/actor.js';
import { dateColumns, dualDate } from '../common/date-columns.js';
import { AppError } from '../common/errors.js';
import { pageOf, type Page } from '../common/pagination.js';
import { lockForUpdate } from '../common/versioned.js';
import { checkDeleteSource } from '../workflow/deletion.js';
import type { CreateSourceDto } from './dto/create-source.dto.js';
import type { ListSourcesQueryDto } from './dto/list-sources-query.dto.js';
import type { SourceResponseDto } from './dto/source-response.dto.js';
import type { UpdateSourceDto } from './dto/update-source.dto.js';
import { targetsLeadingBack } from './source-cycles.js';
import { SourceLinkEntity } from './source-link.entity.js';
import { SourcesRepository } from './sources.repository.js';
import { SourceEntity } from './source.entity.js';

interface Links {
  relays: string[];
  cites: string[];
  relayedBy: string[];
}

export function toSourceResponse(s: SourceEntity, links: Links, actor: Actor): SourceResponseDto {
  const dto: SourceResponseDto = {
    id: s.id,
    kind: s.kind,
    title: s.title,
    publisher: s.publisher,
    author: s.author,
    published: dualDate(s.publishedFrom, s.publishedTo, s.publishedPrecision, s.publishedOriginal),
    language: s.language,
    url: s.url,
    archivedUrl: s.archivedUrl,
    sha256: s.sha256,
    reliability: s.reliability,
    interest: s.interest,
    interestNote: s.interestNote,
    restricted: s.restricted,
    relays: links.relays,
    cites: links.cites,
    relayedBy: links.relayedBy,
    version: s.version,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
  if (seesRestricted(actor)) dto.internalNotes = s.internalNotes;
  return dto;
}

@Injectable()
export class SourcesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly repo: SourcesRepository,
  ) {}

  private columns(dto: Partial<CreateSourceDto>): Partial<SourceEntity> {
    const out: Partial<SourceEntity> = {};
    const copy = [
      'kind',
      'title',
      'publisher',
      'author',
      'language',
      'url',
      'archivedUrl',
      'reliability',
      'interest',
      'interestNote',
      'restricted',
      'internalNotes',
    ] as const;
    for (const k of copy) if (dto[k] !== undefined) (out as Record<string, unknown>)[k] = dto[k];
    if (dto.sha256 !== undefined) out.sha256 = dto.sha256.toLowerCase();
    if (dto.published !== undefined) {
      const d = dateColumns('published', dto.published, dto.publishedCalendar);
      Object.assign(out, {
        publishedFrom: d.from,
        publishedTo: d.to,
        publishedPrecision: d.precision,
        publishedOriginal: d.original,
      });
    }
    return out;
  }

  /**
   * What the sources relay and cite, and what relays them. For a reader who may not see
   * restricted sources, a link to or from one is left out: a public source's `relays` never names
   * a confidential informant's id.
   */
  private async links(
    m: EntityManager,
    ids: string[],
    actor: Actor = SYSTEM_ACTOR,
  ): Promise<Map<string, Links>> {
    const map = new Map<string, Links>(
      ids.map((id) => [id, { relays: [], cites: [], relayedBy: [] }]),
    );
    if (!ids.length) return map;
    let rows = await m.getRepository(SourceLinkEntity).find({
      where: [{ sourceId: In(ids) }, { targetId: In(ids) }],
      order: { createdAt: 'ASC' },
    });
    if (!seesRestricted(actor) && rows.length) {
      const hidden = new Set(
        (
          await m.getRepository(SourceEntity).find({
            select: { id: true },
            where: {
              id: In([...new Set(rows.flatMap((r) => [r.sourceId, r.targetId]))]),
              restricted: true,
            },
          })
        ).map((s) => s.id),
      );
      rows = rows.filter((r) => !hidden.has(r.sourceId) && !hidden.has(r.targetId));
    }
    for (const r of rows) {
      const own = map.get(r.sourceId);
      if (own) (r.relation === 'relays' ? own.relays : own.cites).push(r.targetId);
      const target = map.get(r.targetId);
      if (target && r.relation === 'relays') target.relayedBy.push(r.sourceId);
    }
    return map;
  }

  private async setLinks(
    m: EntityManager,
    id: string,
    relation: 'relays' | 'cites',
    targets: string[],
  ): Promise<void> {
    const unique = [...new Set(targets)];
    if (unique.includes(id))
      throw AppError.unprocessable(relation, 'a source cannot relay or cite itself');
    if (unique.length) {
      const found = await m.getRepository(SourceEntity).countBy({ id: In(unique) });
      if (found !== unique.length) {
        const existing = new Set(
          (await m.getRepository(SourceEntity).findBy({ id: In(unique) })).map((s) => s.id),
        );
        const missing = unique.filter((t) => !existing.has(t));
        throw AppError.unprocessable(relation, `unknown source id(s): ${missing.join(', ')}`);
      }
    }
    await m.delete(SourceLinkEntity, { sourceId: id, relation });
    if (unique.length)
      await m.insert(
        SourceLinkEntity,
        unique.map((targetId) => ({ sourceId: id, targetId, relation })),
      );
    const back = await targetsLeadingBack(m, id, unique);
    if (back.length) {
      throw AppError.unprocessable(
        relation,
        `would make a loop: ${back.join(', ')} already relays or cites this source (directly or through others)`,
      );
    }
  }

  async create(dto: CreateSourceDto, actor: Actor): Promise<SourceResponseDto> {
    return this.ds.transaction(async (m) => {
      const columns = this.columns(dto);
      if (dto.allowDuplicate !== true) {
        const existing = await this.repo.duplicateOf(m, columns);
        if (existing !== null) {
          throw new AppError(
            'conflict',
            `this source is already entered as ${existing}: use that id, or send allowDuplicate: true to enter it again`,
            {
              duplicateOf: existing,
              errors: [
                {
                  field: columns.url ? 'url' : 'title',
                  reason: `the same document is already entered as source ${existing}`,
                },
              ],
            },
          );
        }
      }
      const entity = m.create(SourceEntity, { ...columns, createdBy: actor.userId });
      const saved = await m.save(entity);
      await this.setLinks(m, saved.id, 'relays', dto.relays ?? []);
      await this.setLinks(m, saved.id, 'cites', dto.cites ?? []);
      const links = (await this.links(m, [saved.id])).get(saved.id)!;
      await this.audit.record(m, actor, {
        action: 'create',
        entity: 'sources',
        entityId: saved.id,
        after: { ...saved, ...links },
      });
      return toSourceResponse(saved, links, actor);
    });
  }

  private visible(s: SourceEntity | null, actor: Actor, id: string): SourceEntity {
    if (!s || (s.restricted && !seesRestricted(actor))) throw AppError.notFound('source', id);
    return s;
  }

  async get(id: string, actor: Actor): Promise<SourceResponseDto> {
    const s = this.visible(await this.ds.getRepository(SourceEntity).findOneBy({ id }), actor, id);
    return toSourceResponse(s, (await this.links(this.ds.manager, [id], actor)).get(id)!, actor);
  }

  async list(q: ListSourcesQueryDto, actor: Actor): Promise<Page<SourceResponseDto>> {
    const [rows, total] = await this.repo.list(this.ds.manager, q, seesRestricted(actor));
    const links = await this.links(
      this.ds.manager,
      rows.map((r) => r.id),
      actor,
    );
    return pageOf(
      rows.map((r) => toSourceResponse(r, links.get(r.id)!, actor)),
      total,
      q,
    );
  }

  async update(id: string, dto: UpdateSourceDto, actor: Actor): Promise<SourceResponseDto> {
    return this.ds.transaction(async (m) => {
      const current = await lockForUpdate(m, SourceEntity, 'source', id, dto.version);
      // Making a restricted source public exposes a confidential informant: a reviewer decides.
      const unrestricting = current.restricted && dto.restricted === false;
      if (unrestricting && !atLeast(actor, 'reviewer')) {
        throw new AppError(
          'forbidden',
          'Only a reviewer or an admin may make a restricted source public',
          {
            requiredRole: 'reviewer',
            errors: [{ field: 'restricted', reason: 'setting it to false needs a reviewer' }],
          },
        );
      }
      const beforeLinks = (await this.links(m, [id])).get(id)!;
      const before = { ...current, ...beforeLinks };
      Object.assign(current, this.columns(dto), { version: current.version + 1 });
      const saved = await m.save(current);
      if (dto.relays) await this.setLinks(m, id, 'relays', dto.relays);
      if (dto.cites) await this.setLinks(m, id, 'cites', dto.cites);
      const links = (await this.links(m, [id])).get(id)!;
      // The public confidence of the victims it attests rests on whether it is restricted.
      if (
        before.reliability !== saved.reliability ||
        before.restricted !== saved.restricted ||
        dto.relays
      )
        await this.refreshAttested(m, id);
      await this.audit.record(m, actor, {
        action: 'update',
        entity: 'sources',
        entityId: id,
        before,
        after: { ...saved, ...links },
        reason: unrestricting ? 'restricted source made public' : null,
      });
      return toSourceResponse(saved, links, actor);
    });
  }

  async remove(id: string, version: number | undefined, actor: Actor): Promise<void> {
    await this.ds.transaction(async (m) => {
      const current = await lockForUpdate(m, SourceEntity, 'source', id, version);
      checkDeleteSource(actor, current);
      const n = await this.repo.references(m, id);
      if (n > 0) {
        throw new AppError(
          'conflict',
          `source ${id} still attests ${n} record(s), claim(s) or relay(s); it cannot be deleted`,
          {
            errors: [{ field: 'id', reason: `referenced ${n} time(s)` }],
          },
        );
      }
      await m.delete(SourceEntity, { id });
      await this.audit.record(m, actor, {
        action: 'delete',
        entity: 'sources',
        entityId: id,
        before: current,
      });
    });
  }

  /**
   * A victim's confidence rests on its sources' grades and origins, and its public confidence on
   * which of them are restricted: when a source's reliability, relays or restricted flag change,
   * re-derive both for every victim attested by that source or by any source relaying it, in
   * the same transaction.
   */
  private async refreshAttested(m: EntityManager, id: string): Promise<void> {
    await refreshConfidence(m, await this.repo.victimsAttestedThrough(m, id));
  }

  /** Sources by id, for other modules (attestations, claims, counts). */
  async existing(m: EntityManager, ids: string[]): Promise<Map<string, SourceEntity>> {
    const rows = ids.length
      ? await m.getRepository(SourceEntity).findBy({ id: In([...new Set(ids)]) })
      : [];
    return new Map(rows.map((r) => [r.id, r]));
  }
}
