import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { textArrayLiteral } from '../common/sql-arrays.js';
import { auditBatchSql, type BatchAudit } from '../audit/audit-writer.js';
import { AttestationEntity } from './attestation.entity.js';

/** An attestation of a victim as an import writes it. */
export interface NewVictimAttestation {
  id: string;
  victimId: string;
  sourceId: string;
  credibility: number;
  locator: string | null;
  excerpt: string | null;
  assertedFields: string[];
  primaryEvidence: boolean;
}

/**
 * The attestations' writes of an import, set-based, in the caller's transaction (the bulk path:
 * src/victims/victims-bulk.repository.ts).
 */
@Injectable()
export class AttestationsBulkRepository {
  /**
   * Inserts a batch's attestations of victims with one statement, audited as one entry
   * (auditBatchSql) keyed by the victims' ids: `audit.lines` gives the line of each of
   * `victimIds`. How many were inserted.
   */
  async insertMany(
    m: EntityManager,
    list: NewVictimAttestation[],
    victimIds: string[],
    audit: BatchAudit,
  ): Promise<number> {
    if (!list.length) return 0;
    const [{ n }] = await m.query<{ n: number }[]>(
      `WITH ins AS (
         INSERT INTO attestations (id, victim_id, source_id, credibility, locator, excerpt, asserted_fields,
                                   primary_evidence, created_by)
         SELECT t.id, t.victim_id, t.source_id, t.credibility, t.locator, t.excerpt, t.asserted_fields::text[],
                t.primary_evidence, $8::uuid
           FROM unnest($1::uuid[], $2::uuid[], $3::smallint[], $4::text[], $5::text[], $6::text[], $7::boolean[],
                       $10::uuid[])
             AS t(victim_id, source_id, credibility, locator, excerpt, asserted_fields, primary_evidence, id)
         RETURNING *
       ), audit AS (
         ${auditBatchSql(m, { target: AttestationEntity, entity: 'attestations', rows: 'ins', lineKey: 'victim_id', actor: '$8', importId: '$11', file: '$12', reason: '$9', ids: '$13', lines: '$14' })}
       )
       SELECT count(*)::int AS n FROM ins`,
      [
        list.map((x) => x.victimId),
        list.map((x) => x.sourceId),
        list.map((x) => x.credibility),
        list.map((x) => x.locator),
        list.map((x) => x.excerpt),
        list.map((x) => textArrayLiteral(x.assertedFields)),
        list.map((x) => x.primaryEvidence),
        audit.actorId,
        audit.reason,
        list.map((x) => x.id),
        audit.importId,
        audit.file,
        victimIds,
        audit.lines,
      ],
    );
    return n;
  }

  /** The sources attesting a victim. */
  async sourcesOfVictim(m: EntityManager, victimId: string): Promise<string[]> {
    const rows = await m.query<{ source_id: string }[]>(
      `SELECT source_id FROM attestations WHERE victim_id = $1`,
      [victimId],
    );
    return rows.map((x) => x.source_id);
  }
}
