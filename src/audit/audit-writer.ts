import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * The record of changes as SQL, for the writes that run as set-based statements (imports, the
 * seed): entries written here read as those AuditService writes for the API (issue 21's one
 * write path), whichever way a record arrived.
 */

const copies = new Map<string, string>();

/**
 * SQL for a row's audit copy as the API records it (AuditService: the entity, serialised): the
 * entity's property names (camelCase), every column, nulls included. `alias` names the row in
 * the statement (a CTE of `INSERT … RETURNING *`, or the row before an UPDATE).
 */
export function auditCopySql(
  m: EntityManager,
  target: EntityTarget<ObjectLiteral>,
  alias: string,
): string {
  const meta = m.connection.getMetadata(target);
  const key = `${meta.tableName}:${alias}`;
  let sql = copies.get(key);
  if (sql === undefined) {
    const pairs = meta.columns.map((c) => `'${c.propertyName}', ${alias}."${c.databaseName}"`);
    // jsonb_build_object takes at most 100 arguments: 40 pairs a call, joined.
    const parts: string[] = [];
    for (let i = 0; i < pairs.length; i += 40)
      parts.push(`jsonb_build_object(${pairs.slice(i, i + 40).join(', ')})`);
    sql = parts.join(' || ');
    copies.set(key, sql);
  }
  return sql;
}

/**
 * What the API adds to a new source's entry beside its columns (sources.service.ts): its links,
 * none yet when an import or the seed creates it (the seed's links get entries of their own).
 */
export const NO_SOURCE_LINKS = `jsonb_build_object('relays', '[]'::jsonb, 'cites', '[]'::jsonb, 'relayedBy', '[]'::jsonb)`;

/** Who and what a batch of an import is audited as (one entry per batch and table). */
export interface BatchAudit {
  actorId: string | null;
  importId: string;
  file: string | null;
  /** Which import, of which file. */
  reason: string;
  /** The line of the file of each row of the batch, in the order of the rows. */
  lines: number[];
}

export interface AuditBatchSql {
  target: EntityTarget<ObjectLiteral>;
  /** The entity name entries of this table carry (`victims`, `attestations`). */
  entity: string;
  /** The CTE holding the rows written (`INSERT … RETURNING *`). */
  rows: string;
  /** Its column the lines are keyed by: `id` for the records, `victim_id` for their attestations. */
  lineKey: string;
  /** Bound parameters ($n): the actor, the import's id, the file's name, the reason. */
  actor: string;
  importId: string;
  file: string;
  reason: string;
  /** Bound parameters ($n): the rows' ids (uuid[]) and their lines in the file (int[]). */
  ids: string;
  lines: string;
}

/**
 * A CTE body writing ONE entry for the records a batch created (an import's: one entry per
 * batch and table instead of one per record): entity_ids lists them, `after.records` holds each
 * one's copy (as auditCopySql), `after.lines` the line of the file each came from. The history
 * of a record shows its part of the entry as its creation (AuditQueryService). No entry when
 * the batch wrote nothing.
 */
export function auditBatchSql(m: EntityManager, a: AuditBatchSql): string {
  return `INSERT INTO audit_log (actor_id, action, entity, entity_id, entity_ids, after, reason)
     SELECT ${a.actor}::uuid, 'create', '${a.entity}', ${a.importId}::uuid, array_agg(r.id ORDER BY ln.line, r.id),
            jsonb_build_object('importId', ${a.importId}::uuid, 'file', ${a.file}::text,
                               'lines', jsonb_object_agg(r.id, ln.line),
                               'records', jsonb_object_agg(r.id, ${auditCopySql(m, a.target, 'r')})),
            ${a.reason}::text
       FROM ${a.rows} r
       JOIN unnest(${a.ids}::uuid[], ${a.lines}::int[]) AS ln(id, line) ON ln.id = r.${a.lineKey}
     HAVING count(*) > 0`;
}
