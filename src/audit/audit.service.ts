import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { AuditEntryEntity } from './audit-entry.entity.js';

export const AUDIT_ACTIONS = [
  'create',
  'update',
  'delete',
  'status',
  'merge',
  'unmerge',
  'import',
  'decide',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditRecord {
  action: AuditAction;
  entity: string;
  entityId: string;
  before?: object | null;
  after?: object | null;
  reason?: string | null;
}

// Through JSON so that Dates, class instances and undefined become what jsonb stores.
function plain(v: object | null | undefined): never {
  return (v ? JSON.parse(JSON.stringify(v)) : null) as never;
}

/** Writes the record of changes, always inside the transaction that makes the change. */
@Injectable()
export class AuditService {
  async record(manager: EntityManager, actor: Actor, rec: AuditRecord): Promise<void> {
    await manager.insert(AuditEntryEntity, {
      actorId: actor.userId,
      action: rec.action,
      entity: rec.entity,
      entityId: rec.entityId,
      before: plain(rec.before),
      after: plain(rec.after),
      reason: rec.reason ?? null,
    });
  }

  async recordMany(manager: EntityManager, actor: Actor, recs: AuditRecord[]): Promise<void> {
    if (!recs.length) return;
    for (let i = 0; i < recs.length; i += 1000) {
      await manager.insert(
        AuditEntryEntity,
        recs.slice(i, i + 1000).map((rec) => ({
          actorId: actor.userId,
          action: rec.action,
          entity: rec.entity,
          entityId: rec.entityId,
          before: plain(rec.before),
          after: plain(rec.after),
          reason: rec.reason ?? null,
        })),
      );
    }
  }
}
