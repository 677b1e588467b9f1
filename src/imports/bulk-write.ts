import type { EntityManager } from 'typeorm';

/**
 * The bulk path of an import (issue 22): its transaction sets `casualty_ledger.bulk`, so the
 * insert triggers of victims and attestations leave its INSERTs alone (migration
 * 1764000210000), and this file derives what they would have, set-based, once per batch.
 */

/** For the rest of the transaction: the insert triggers leave this transaction's INSERTs alone. */
export async function startBulkWrites(m: EntityManager): Promise<void> {
  await m.query(`SET LOCAL casualty_ledger.bulk = 'on'`);
}

export interface BulkInserted {
  /** The records inserted by the batch, with their attestations already in. */
  ids: string[];
  /** Their name_search, for the name-word dictionary. */
  nameSearch: string[];
}

/**
 * THE hook for what the insert triggers derive from new records, run once per batch after its
 * records and attestations are in: the name-word dictionary and the rollups. Anything else a
 * trigger derives on insert (compact rollups, persisted name keys) must be added here too, or
 * records imported in bulk would lack it. (victims.city_id is set by the INSERT itself.)
 */
export async function afterBulkInsert(
  m: EntityManager,
  batch: BulkInserted,
  seenWords: Set<string>,
): Promise<void> {
  if (!batch.ids.length) return;
  // The words of name_search as the trigger splits them (string_to_array on ' '), each sent once
  // per import, in order (two imports adding the same words wait rather than deadlock).
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
  await refreshRollupsOfNewRecords(m, batch.ids);
}

/**
 * The rollups of records just inserted with their attestations, set-based (victim_rollup,
 * victim_source_rollup, victim_rollup_members): the one place a bulk import refreshes them.
 */
export async function refreshRollupsOfNewRecords(m: EntityManager, ids: string[]): Promise<void> {
  await m.query(`SELECT victim_rollup_add_new($1::uuid[])`, [ids]);
}
