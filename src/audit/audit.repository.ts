import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** An entry as read, with its actor's name and role. */
export interface AuditRow {
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

/** Which entries: every condition given must hold. */
export interface AuditFilter {
  /** Entries of one of these entities only. */
  entities?: readonly string[];
  /** No entry of these entities. */
  notEntities?: readonly string[];
  /**
   * Entries about this record (its own, or an import batch listing it, src/audit/audit-writer.ts).
   * A batch entry is then shown as that record's entry: its id, its copy, and the file's line in
   * the reason; listed without a record, as the batch with its ids and lines, without the copies.
   */
  record?: string;
  actorId?: string;
  action?: string;
}

/** The queries over the record of changes; every value a bound parameter. */
@Injectable()
export class AuditRepository {
  /** Up to `limit` entries newest first, below the keyset `cursor` (an entry's id) when given. */
  page(
    m: EntityManager,
    f: AuditFilter,
    cursor: string | undefined,
    limit: number,
  ): Promise<AuditRow[]> {
    const conds: string[] = [];
    const args: unknown[] = [];
    const p = (v: unknown): string => `$${args.push(v)}`;
    if (f.notEntities) conds.push(`a.entity <> ALL(${p(f.notEntities)}::text[])`);
    if (f.entities) conds.push(`a.entity = ANY(${p(f.entities)}::text[])`);
    const record = f.record !== undefined ? `${p(f.record)}::uuid` : null;
    if (record) conds.push(`(a.entity_id = ${record} OR a.entity_ids @> ARRAY[${record}])`);
    if (f.actorId) conds.push(`a.actor_id = ${p(f.actorId)}::uuid`);
    if (f.action) conds.push(`a.action = ${p(f.action)}`);
    if (cursor) conds.push(`a.id < ${p(cursor)}::bigint`);
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
    return m.query<AuditRow[]>(
      `SELECT a.id::text AS id, a.at, a.actor_id, u.name AS actor_name, u.role AS actor_role,
              a.action, a.entity, ${entityId} AS entity_id, a.before, ${after} AS after, ${reason} AS reason
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
        ${conds.length ? `WHERE ${conds.join(' AND ')}` : ''}
        ORDER BY a.id DESC
        LIMIT ${p(limit)}`,
      args,
    );
  }

  /** Whether the table holds a record of this id. */
  async exists(m: EntityManager, table: string, id: string): Promise<boolean> {
    const rows = await m.query<unknown[]>(`SELECT 1 FROM ${table} WHERE id = $1`, [id]);
    return rows.length > 0;
  }
}
