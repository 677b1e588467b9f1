import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { atLeast, type Actor } from '../common/actor.js';
import { AppError } from '../common/errors.js';
import type { AuditEntryResponseDto, AuditPageDto } from './dto/audit-entry-response.dto.js';
import type { AuditPageQueryDto, ListAuditQueryDto } from './dto/list-audit-query.dto.js';

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

interface Row {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  action: string;
  entity: string;
  entity_id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason: string | null;
}

function toAuditEntry(r: Row): AuditEntryResponseDto {
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
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async list(q: ListAuditQueryDto, actor: Actor): Promise<AuditPageDto> {
    const conds: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown): string => `$${params.push(v)}`;
    if (!atLeast(actor, 'admin')) {
      if (q.entity && ACCOUNT_ENTITIES.includes(q.entity)) {
        throw new AppError('forbidden', 'Changes to accounts and tokens are for admins to read', {
          errors: [{ field: 'entity', reason: 'admins only' }],
        });
      }
      conds.push(`a.entity <> ALL(${p(ACCOUNT_ENTITIES)}::text[])`);
    }
    if (q.entity) conds.push(`a.entity = ${p(q.entity)}`);
    const id = q.id ? `${p(q.id)}::uuid` : null;
    if (id) conds.push(`(a.entity_id = ${id} OR a.entity_ids @> ARRAY[${id}])`);
    if (q.actor) conds.push(`a.actor_id = ${p(q.actor)}::uuid`);
    if (q.action) conds.push(`a.action = ${p(q.action)}`);
    return this.page(conds, params, q, id);
  }

  async history(subject: HistorySubject, id: string, q: AuditPageQueryDto): Promise<AuditPageDto> {
    const { table, entities, label } = HISTORY_SUBJECTS[subject];
    const page = await this.page(
      ['a.entity = ANY($1::text[])', '(a.entity_id = $2::uuid OR a.entity_ids @> ARRAY[$2::uuid])'],
      [entities, id],
      q,
      '$2::uuid',
    );
    if (page.items.length === 0 && !q.cursor) {
      // A deleted record keeps its history; only a record that never was gets 404.
      const [exists] = await this.ds.query<unknown[]>(`SELECT 1 FROM ${table} WHERE id = $1`, [id]);
      if (!exists) throw AppError.notFound(label, id);
    }
    return page;
  }

  /**
   * `record`: the one record asked about (SQL of its id). An entry about many records (an
   * import's batch, src/audit/audit-writer.ts) is then shown as that record's entry: its id, its
   * copy, and the file's line in the reason; listed without a record, as the batch with its ids
   * and lines, without the copies.
   */
  private async page(
    conds: string[],
    params: unknown[],
    q: AuditPageQueryDto,
    record: string | null = null,
  ): Promise<AuditPageDto> {
    const limit = q.limit ?? 50;
    const all = [...conds];
    const args = [...params];
    if (q.cursor) all.push(`a.id < $${args.push(q.cursor)}::bigint`);
    args.push(limit + 1);
    const batch = (one: string, all: string): string =>
      `CASE WHEN a.entity_ids IS NULL THEN ${one} ELSE ${all} END`;
    const [entityId, after, reason] = record
      ? [
          batch('a.entity_id', record),
          batch('a.after', `a.after->'records'->(${record})::text`),
          batch(
            'a.reason',
            `concat_ws(', ', a.reason, 'line ' || (a.after->'lines'->>(${record})::text))`,
          ),
        ]
      : ['a.entity_id', batch('a.after', `a.after - 'records'`), 'a.reason'];
    const rows = await this.ds.query<Row[]>(
      `SELECT a.id::text AS id, a.at, a.actor_id, u.name AS actor_name, u.role AS actor_role,
              a.action, a.entity, ${entityId} AS entity_id, a.before, ${after} AS after, ${reason} AS reason
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
        ${all.length ? `WHERE ${all.join(' AND ')}` : ''}
        ORDER BY a.id DESC
        LIMIT $${args.length}`,
      args,
    );
    const more = rows.length > limit;
    const items = rows.slice(0, limit).map(toAuditEntry);
    return { items, limit, nextCursor: more ? items[items.length - 1].id : null };
  }
}
