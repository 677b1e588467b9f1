import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { atLeast, type Actor } from '../common/actor.js';
import { AppError } from '../common/errors.js';
import type { AuditEntryResponseDto, AuditPageDto } from './dto/audit-entry-response.dto.js';
import type { AuditPageQueryDto, ListAuditQueryDto } from './dto/list-audit-query.dto.js';
import { AuditRepository, type AuditFilter, type AuditRow } from './audit.repository.js';

/** Account changes (emails, roles, tokens issued) are for admins only, not every researcher. */
const ACCOUNT_ENTITIES = ['users', 'api_tokens'];

/** The resources with a history endpoint: route name → table, and the entity names audit entries use. */
export const HISTORY_SUBJECTS = {
  sources: { table: 'sources', entities: ['sources'], label: 'source' },
  locations: { table: 'locations', entities: ['locations'], label: 'location' },
  incidents: { table: 'incidents', entities: ['incidents'], label: 'incident' },
  victims: { table: 'victims', entities: ['victims'], label: 'victim' },
  attestations: { table: 'attestations', entities: ['attestations'], label: 'attestation' },
  claims: { table: 'count_claims', entities: ['count_claims', 'claims'], label: 'claim' },
} as const;
export type HistorySubject = keyof typeof HISTORY_SUBJECTS;

function toAuditEntry(r: AuditRow): AuditEntryResponseDto {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actor_id ? { id: r.actor_id, name: r.actor_name, role: r.actor_role } : null,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    before: r.before,
    after: r.after,
    reason: r.reason,
  };
}

/** Reads the record of changes, newest first, by keyset on the id (stable under concurrent inserts). */
@Injectable()
export class AuditQueryService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: AuditRepository,
  ) {}

  async list(q: ListAuditQueryDto, actor: Actor): Promise<AuditPageDto> {
    const f: AuditFilter = {};
    if (!atLeast(actor, 'admin')) {
      if (q.entity && ACCOUNT_ENTITIES.includes(q.entity)) {
        throw new AppError('forbidden', 'Changes to accounts and tokens are for admins to read', {
          errors: [{ field: 'entity', reason: 'admins only' }],
        });
      }
      f.notEntities = ACCOUNT_ENTITIES;
    }
    if (q.entity) f.entities = [q.entity];
    if (q.id) f.record = q.id;
    if (q.actor) f.actorId = q.actor;
    if (q.action) f.action = q.action;
    return this.page(f, q);
  }

  async history(subject: HistorySubject, id: string, q: AuditPageQueryDto): Promise<AuditPageDto> {
    const { table, entities, label } = HISTORY_SUBJECTS[subject];
    const page = await this.page({ entities, record: id }, q);
    // A deleted record keeps its history; only a record that never was gets 404.
    if (
      page.items.length === 0 &&
      !q.cursor &&
      !(await this.repo.exists(this.ds.manager, table, id))
    )
      throw AppError.notFound(label, id);
    return page;
  }

  private async page(f: AuditFilter, q: AuditPageQueryDto): Promise<AuditPageDto> {
    const limit = q.limit ?? 50;
    const rows = await this.repo.page(this.ds.manager, f, q.cursor, limit + 1);
    const more = rows.length > limit;
    const items = rows.slice(0, limit).map(toAuditEntry);
    return { items, limit, nextCursor: more ? items[items.length - 1].id : null };
  }
}
