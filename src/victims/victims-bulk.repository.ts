import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { textArrayLiteral } from '../common/sql-arrays.js';
import { auditBatchSql, auditCopySql, type BatchAudit } from '../audit/audit-writer.js';
import { VictimEntity } from './victim.entity.js';

/**
 * The victims' writes of an import (issue 21's one write path, issue 22's bulk path): set-based,
 * a batch at a time, in the caller's transaction. The transaction sets `casualty_ledger.bulk`
 * (startBulkWrites), so the insert triggers of victims and attestations leave its INSERTs alone
 * (migration 1764000210000), and afterBulkInsert derives what they would have, once per batch.
 */

/** A victim's columns as an import writes them. */
export interface VictimFields {
  importKey: string | null;
  nameFa: string | null;
  nameEn: string | null;
  nameVariants: string[];
  nameSearch: string;
  gender: string | null;
  age: number | null;
  ageMin: number | null;
  ageMax: number | null;
  ageBand: string | null;
  occupation: string | null;
  fatherName: string | null;
  harm: string;
  dateFrom: string | null;
  dateTo: string | null;
  datePrecision: string | null;
  dateCalendar: string | null;
  dateOriginal: string | null;
  locationId: string | null;
  placePrecision: string | null;
  placeOriginal: string | null;
  cause: string | null;
  perpetrator: string | null;
  armed: boolean | null;
  witnessNames: string | null;
  familyContact: string | null;
  internalNotes: string | null;
  originalValues: Record<string, string> | null;
}

/** A new record: its columns, its workflow fields and the levels derived from its attestations. */
export interface NewVictim extends VictimFields {
  id: string;
  incidentId: string | null;
  status: string;
  confidence: string;
  publicConfidence: string;
}

/** A record as the already-present check reads it: its keys and its place. */
export interface StoredVictim {
  id: string;
  import_key: string | null;
  location_id: string | null;
  place_precision: string | null;
}

@Injectable()
export class VictimsBulkRepository {
  /** For the rest of the transaction: the insert triggers leave this transaction's INSERTs alone. */
  async startBulkWrites(m: EntityManager): Promise<void> {
    await m.query(`SET LOCAL casualty_ledger.bulk = 'on'`);
  }

  /** The records holding one of these import keys or ids (either list may be empty). */
  async findPresent(m: EntityManager, keys: string[], ids: string[]): Promise<StoredVictim[]> {
    return [
      ...(keys.length
        ? await m.query<StoredVictim[]>(
            `SELECT id, import_key, location_id, place_precision FROM victims WHERE import_key = ANY($1::text[])`,
            [keys],
          )
        : []),
      ...(ids.length
        ? await m.query<StoredVictim[]>(
            `SELECT id, import_key, location_id, place_precision FROM victims WHERE id = ANY($1::uuid[])`,
            [ids],
          )
        : []),
    ];
  }

  /** Those of these ids that are incidents (a record's incident_id must name one). */
  async existingIncidents(m: EntityManager, ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await m.query<{ id: string }[]>(
      `SELECT id FROM incidents WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Inserts the batch's new records with one statement (city_id set from the place, as the city
   * trigger would) and audits them as one entry (auditBatchSql). A row whose id or key a
   * concurrent import inserted meanwhile is skipped; the ids inserted are returned.
   */
  async insertMany(m: EntityManager, rows: NewVictim[], audit: BatchAudit): Promise<Set<string>> {
    const col = <T>(f: (d: NewVictim) => T): T[] => rows.map(f);
    const inserted = await m.query<{ id: string }[]>(
      `WITH ins AS (
         INSERT INTO victims (id, import_key, name_fa, name_en, name_variants, name_search, gender, age, age_min,
                              age_max, age_band, occupation, harm, date_from, date_to, date_precision, date_calendar,
                              date_original, location_id, place_precision, place_original, cause, perpetrator, armed,
                              incident_id, status, witness_names, family_contact, internal_notes, confidence,
                              original_values, father_name, created_by, public_confidence, city_id)
         SELECT t.id, t.import_key, t.name_fa, t.name_en, t.name_variants::text[], t.name_search, t.gender, t.age,
                t.age_min, t.age_max, t.age_band, t.occupation, t.harm, t.date_from, t.date_to, t.date_precision,
                t.date_calendar, t.date_original, t.location_id, t.place_precision, t.place_original, t.cause,
                t.perpetrator, t.armed, t.incident_id, t.status, t.witness_names, t.family_contact,
                t.internal_notes, t.confidence, t.original_values, t.father_name, $31::uuid, t.public_confidence,
                l.city_id
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                       $8::int[], $9::int[], $10::int[], $11::text[], $12::text[], $13::text[], $14::date[],
                       $15::date[], $16::text[], $17::text[], $18::text[], $19::uuid[], $20::text[], $21::text[],
                       $22::text[], $23::text[], $24::boolean[], $25::uuid[], $26::text[], $27::text[],
                       $28::text[], $29::text[], $30::text[], $33::jsonb[], $34::text[], $35::text[])
             AS t(id, import_key, name_fa, name_en, name_variants, name_search, gender, age, age_min, age_max,
                  age_band, occupation, harm, date_from, date_to, date_precision, date_calendar, date_original,
                  location_id, place_precision, place_original, cause, perpetrator, armed, incident_id, status,
                  witness_names, family_contact, internal_notes, confidence, original_values, public_confidence,
                  father_name)
           LEFT JOIN locations l ON l.id = t.location_id
         ON CONFLICT DO NOTHING
         RETURNING *
       ), audit AS (
         ${auditBatchSql(m, { target: VictimEntity, entity: 'victims', rows: 'ins', lineKey: 'id', actor: '$31', importId: '$36', file: '$37', reason: '$32', ids: '$1', lines: '$38' })}
       )
       SELECT id FROM ins`,
      [
        col((d) => d.id),
        col((d) => d.importKey),
        col((d) => d.nameFa),
        col((d) => d.nameEn),
        col((d) => textArrayLiteral(d.nameVariants)),
        col((d) => d.nameSearch),
        col((d) => d.gender),
        col((d) => d.age),
        col((d) => d.ageMin),
        col((d) => d.ageMax),
        col((d) => d.ageBand),
        col((d) => d.occupation),
        col((d) => d.harm),
        col((d) => d.dateFrom),
        col((d) => d.dateTo),
        col((d) => d.datePrecision),
        col((d) => d.dateCalendar),
        col((d) => d.dateOriginal),
        col((d) => d.locationId),
        col((d) => d.placePrecision),
        col((d) => d.placeOriginal),
        col((d) => d.cause),
        col((d) => d.perpetrator),
        col((d) => d.armed),
        col((d) => d.incidentId),
        col((d) => d.status),
        col((d) => d.witnessNames),
        col((d) => d.familyContact),
        col((d) => d.internalNotes),
        col((d) => d.confidence),
        audit.actorId,
        audit.reason,
        col((d) => (d.originalValues ? JSON.stringify(d.originalValues) : null)),
        col((d) => d.publicConfidence),
        col((d) => d.fatherName),
        audit.importId,
        audit.file,
        audit.lines,
      ],
    );
    return new Set(inserted.map((r) => r.id));
  }

  /**
   * Sets an imported record's fields to a corrected row's (its workflow status and incident are
   * the ledger's, and stay), version-checked against `version`, audited with before and after.
   * The new version, or null when the record changed in the meantime (nothing written).
   */
  async updateImported(
    m: EntityManager,
    id: string,
    version: number,
    d: VictimFields,
    audit: { actorId: string | null; reason: string },
  ): Promise<number | null> {
    const [row] = await m.query<{ version: number }[]>(
      `WITH old AS (SELECT * FROM victims WHERE id = $1 AND version = $2 FOR UPDATE),
            upd AS (
              UPDATE victims v SET name_fa = $3, name_en = $4, name_variants = $5::text[], name_search = $6,
                     gender = $7, age = $8, age_min = $9, age_max = $10, age_band = $11, occupation = $12,
                     harm = $13, date_from = $14, date_to = $15, date_precision = $16, date_calendar = $17,
                     date_original = $18, location_id = $19, place_precision = $20, place_original = $21,
                     cause = $22, perpetrator = $23, armed = $24, witness_names = $25, family_contact = $26,
                     internal_notes = $27, import_key = $28, original_values = $29::jsonb, father_name = $32,
                     version = v.version + 1, updated_at = now()
                FROM old WHERE v.id = old.id
              RETURNING v.*),
            aud AS (
              INSERT INTO audit_log (actor_id, action, entity, entity_id, before, after, reason)
              SELECT $30::uuid, 'update', 'victims', upd.id, ${auditCopySql(m, VictimEntity, 'old')},
                     ${auditCopySql(m, VictimEntity, 'upd')}, $31 FROM upd, old)
       SELECT version FROM upd`,
      [
        id,
        version,
        d.nameFa,
        d.nameEn,
        d.nameVariants,
        d.nameSearch,
        d.gender,
        d.age,
        d.ageMin,
        d.ageMax,
        d.ageBand,
        d.occupation,
        d.harm,
        d.dateFrom,
        d.dateTo,
        d.datePrecision,
        d.dateCalendar,
        d.dateOriginal,
        d.locationId,
        d.placePrecision,
        d.placeOriginal,
        d.cause,
        d.perpetrator,
        d.armed,
        d.witnessNames,
        d.familyContact,
        d.internalNotes,
        d.importKey,
        d.originalValues ? JSON.stringify(d.originalValues) : null,
        audit.actorId,
        audit.reason,
        d.fatherName,
      ],
    );
    return row ? row.version : null;
  }

  /**
   * THE hook for what the insert triggers derive from new records, run once per batch after its
   * records and attestations are in: the name-word dictionary and the rollups. Anything else a
   * trigger derives on insert (compact rollups, persisted name keys) must be added here too, or
   * records imported in bulk would lack it. (victims.city_id is set by insertMany.)
   * `seenWords`: the words this import sent already (kept by the caller across batches).
   */
  async afterBulkInsert(
    m: EntityManager,
    batch: { ids: string[]; nameSearch: string[] },
    seenWords: Set<string>,
  ): Promise<void> {
    if (!batch.ids.length) return;
    // The words of name_search as the trigger splits them (string_to_array on ' '), each sent
    // once per import, in order (two imports adding the same words wait rather than deadlock).
    const words = new Set<string>();
    for (const s of batch.nameSearch) {
      if (s === '') continue;
      for (const w of s.split(' ')) if (!seenWords.has(w)) words.add(w);
    }
    if (words.size) {
      const list = [...words].sort();
      await m.query(
        `INSERT INTO victim_name_words (word) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT DO NOTHING`,
        [list],
      );
      for (const w of list) seenWords.add(w);
    }
    await this.refreshRollupsOfNewRecords(m, batch.ids);
  }

  /**
   * The rollups of records just inserted with their attestations, set-based (victim_rollup,
   * victim_source_rollup, victim_rollup_members): the one place a bulk import refreshes them.
   */
  async refreshRollupsOfNewRecords(m: EntityManager, ids: string[]): Promise<void> {
    await m.query(`SELECT victim_rollup_add_new($1::uuid[])`, [ids]);
  }

  /** The rollups of records changed in place (an import's corrected rows). */
  async refreshRollups(m: EntityManager, ids: string[]): Promise<void> {
    await m.query(`SELECT victim_rollup_refresh($1::uuid[])`, [ids]);
  }
}
