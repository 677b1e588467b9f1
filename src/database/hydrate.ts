import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * An entity from a raw row (as `SELECT t.*` returns it, or with every column's name prefixed),
 * converted column by column as TypeORM's own query builder does (dates, numbers, arrays): for
 * reads that join several tables in one round trip instead of one `findBy` per table.
 * Null when every column of the entity is null (a LEFT JOIN that found nothing).
 */
export function hydrate<T extends ObjectLiteral>(
  m: EntityManager,
  target: EntityTarget<T>,
  raw: Record<string, unknown>,
  prefix = '',
): T | null {
  const meta = m.connection.getMetadata(target);
  const entity = meta.create() as T;
  let found = false;
  for (const column of meta.columns) {
    const value = raw[prefix + column.databaseName];
    if (value === undefined) continue;
    if (value !== null) found = true;
    column.setEntityValue(entity, m.connection.driver.prepareHydratedValue(value, column));
  }
  return found ? entity : null;
}

/**
 * `t.col AS "<prefix>col", …` for the columns of an entity (all, or the database names in
 * `only`): its half of a joined read.
 */
export function prefixedColumns(
  m: EntityManager,
  target: EntityTarget<ObjectLiteral>,
  alias: string,
  prefix: string,
  only?: readonly string[],
): string {
  return m.connection
    .getMetadata(target)
    .columns.filter((c) => !only || only.includes(c.databaseName))
    .map((c) => `${alias}."${c.databaseName}" AS "${prefix}${c.databaseName}"`)
    .join(', ');
}
