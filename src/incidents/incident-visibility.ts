import type { EntityManager } from 'typeorm';
import { seesRestricted, type Actor } from '../common/actor.js';

/**
 * SQL: is the incident `alias` one a reader below researcher may see? Verified, and attested by
 * a source that is not restricted (known only from a confidential source, its existence alone
 * could expose the informant).
 */
export const publicIncidentSql = (alias: string): string =>
  `(${alias}.status = 'verified' AND EXISTS (
      SELECT 1 FROM attestations pia JOIN sources pis ON pis.id = pia.source_id
       WHERE pia.incident_id = ${alias}.id AND NOT pis.restricted))`;

/**
 * Of these incident ids, those the actor may see: all for researchers and above. A record a
 * reader may see that is tied to an incident they may not is shown without it (incidentId null).
 */
export async function incidentsVisibleTo(
  m: EntityManager,
  actor: Actor,
  ids: (string | null)[],
): Promise<Set<string>> {
  const unique = [...new Set(ids.filter((i): i is string => i !== null))];
  if (seesRestricted(actor) || !unique.length) return new Set(unique);
  const rows = await m.query<{ id: string }[]>(
    `SELECT i.id FROM incidents i WHERE i.id = ANY($1::uuid[]) AND ${publicIncidentSql('i')}`,
    [unique],
  );
  return new Set(rows.map((r) => r.id));
}
