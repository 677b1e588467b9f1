import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A record a list made before, found by the list's own id, with the record's current state. */
export interface HeldRecord {
  external_id: string;
  victim_id: string;
  /** The record's version the last import of the list left. */
  victim_version: number;
  version: number;
  import_key: string | null;
  location_id: string | null;
  place_precision: string | null;
}

/** The imports' own table: which record each list's own id ("jvn_0412") stands for. */
@Injectable()
export class ImportsRepository {
  async heldRecords(m: EntityManager, scope: string, externalIds: string[]): Promise<HeldRecord[]> {
    if (!externalIds.length) return [];
    return m.query<HeldRecord[]>(
      `SELECT e.external_id, e.victim_id, e.victim_version, v.version, v.import_key, v.location_id, v.place_precision
         FROM victim_external_ids e JOIN victims v ON v.id = e.victim_id
        WHERE e.scope = $1 AND e.external_id = ANY($2::text[])`,
      [scope, externalIds],
    );
  }

  /** Links new records to their ids in the list, at version 1. */
  async linkNew(
    m: EntityManager,
    scope: string,
    links: { externalId: string; victimId: string }[],
  ): Promise<void> {
    if (!links.length) return;
    await m.query(
      `INSERT INTO victim_external_ids (scope, external_id, victim_id, victim_version)
       SELECT $1, t.external_id, t.victim_id, 1 FROM unnest($2::text[], $3::uuid[]) AS t(external_id, victim_id)`,
      [scope, links.map((l) => l.externalId), links.map((l) => l.victimId)],
    );
  }

  /** The version of its record this import of the list leaves. */
  async setVersion(
    m: EntityManager,
    scope: string,
    externalId: string,
    version: number,
  ): Promise<void> {
    await m.query(
      `UPDATE victim_external_ids SET victim_version = $3 WHERE scope = $1 AND external_id = $2`,
      [scope, externalId, version],
    );
  }
}
