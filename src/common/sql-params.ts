import type { EntityManager } from 'typeorm';

/**
 * The bound parameters of a statement built piece by piece: `p(value)` adds one and returns its
 * placeholder, so that no value is ever written into the SQL text.
 */
export class SqlParams {
  readonly values: unknown[] = [];
  readonly p = (v: unknown): string => {
    this.values.push(v);
    return `$${this.values.length}`;
  };
}

/**
 * One page of ids and the total, in two statements over the same `FROM … WHERE …` (`from`, with
 * the placeholders of `params`): the count, then `id` (a column of the alias) in `order`.
 */
export async function pageOfIds(
  m: EntityManager,
  q: { from: string; id: string; order: string; params: SqlParams },
  limit: number,
  offset: number,
): Promise<{ ids: string[]; total: number }> {
  const [{ n }] = await m.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${q.from}`, [
    ...q.params.values,
  ]);
  const k = q.params.values.length;
  const rows = await m.query<{ id: string }[]>(
    `SELECT ${q.id} AS id FROM ${q.from} ORDER BY ${q.order} LIMIT $${k + 1} OFFSET $${k + 2}`,
    [...q.params.values, limit, offset],
  );
  return { ids: rows.map((r) => r.id), total: n };
}
