import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { AppError } from './errors.js';

/**
 * Loads a row for update and checks the version the client edited. A stale version gets 409
 * with the current version: concurrent edits never silently overwrite each other.
 */
export async function lockForUpdate<T extends ObjectLiteral & { id: string; version: number }>(
  m: EntityManager,
  entity: EntityTarget<T>,
  label: string,
  id: string,
  version: number | undefined,
): Promise<T> {
  const row = await m.getRepository(entity).findOne({
    where: { id } as never,
    lock: { mode: 'pessimistic_write' },
  });
  if (!row) throw AppError.notFound(label, id);
  if (version === undefined) {
    throw AppError.invalid(
      'version',
      `required: the version you edited (current is ${row.version})`,
    );
  }
  if (row.version !== version) throw AppError.versionConflict(label, id, row.version, version);
  return row;
}
