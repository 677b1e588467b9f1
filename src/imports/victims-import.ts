import type { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { AppError } from '../common/errors.js';
import { timeOrderedId } from '../common/time-ordered-id.js';
import { VictimsBulkRepository, type StoredVictim } from '../victims/victims-bulk.repository.js';
import { linkAfter } from './import-linkage.js';
import type { ImportReport } from './import-report.js';
import {
  checkOptions,
  idScopeOf,
  runImport,
  type ImportContext,
  type ImportOptions,
} from './import-run.js';
import { ImportsRepository } from './imports.repository.js';
import { PlaceMatcher } from './place-matcher.js';
import { placeBrief, placeTextOf, type PlaceBrief } from './replace-places.js';
import { readRecords, type ColumnPolicy, type InputRecord } from './record-reader.js';
import { SourceResolver } from './source-resolver.js';
import {
  readVictimRow,
  VICTIM_COLUMN_ALIASES,
  VICTIM_COLUMNS,
  type VictimDraft,
} from './victim-rows.js';
import {
  newConfidence,
  VictimWriter,
  type Attested,
  type Planned,
  type Update,
} from './victims-write.js';

/** How a victims file's columns are read: aliases, and unknown columns refused only when strict. */
export function victimColumnPolicy(
  strict: boolean,
  found: Map<string, string | null>,
): ColumnPolicy {
  return { aliases: VICTIM_COLUMN_ALIASES, unknown: strict ? 'refuse' : 'report', found };
}

/** A record's place as stored. */
type StoredPlace = { location_id: string | null; place_precision: string | null };

const placeRank = (o: string): number => (o === 'exact' ? 2 : o === 'unresolved' ? 0 : 1);

/** Rows per batch of a victims import, unless told (one statement per table per batch). */
export const IMPORT_BATCH_SIZE = 2000;

/**
 * The victims body of an import: rows are read and checked one by one, then handled a batch at
 * a time — duplicates (in the file or already in the database) counted as already present,
 * sources and incidents looked up in one query each, the new rows inserted with one
 * multi-row INSERT … SELECT FROM unnest per table (each record with its derived confidence),
 * audit entries written by the same statements, and the rollups refreshed.
 */
async function victimsBody(
  ctx: ImportContext,
  records: AsyncIterable<InputRecord> | Iterable<InputRecord>,
): Promise<boolean> {
  const { m, report, opt } = ctx;
  const victims = new VictimsBulkRepository();
  const imports = new ImportsRepository();
  if (opt.incidentId && !(await victims.existingIncidents(m, [opt.incidentId])).length)
    throw AppError.unprocessable('incident', `no incident with id ${opt.incidentId}`);
  const places = await PlaceMatcher.load(m);
  const sources = new SourceResolver(m, report);
  const scope = idScopeOf(opt);
  const writer = new VictimWriter(ctx, sources, scope);
  // This transaction derives what the insert triggers would for the records it inserts itself,
  // set-based, once per batch, after their attestations (victims-bulk.repository.ts).
  await writer.start();
  const seenKeys = new Set<string>();
  const knownIncidents = new Set<string>();
  const missingIncidents = new Set<string>();
  const rowOpt = {
    harm: opt.harm ?? 'killed',
    status: opt.status ?? 'draft',
    incidentId: opt.incidentId ?? null,
    credibility: opt.credibility ?? 6,
    strict: opt.strict ?? false,
    defaultYear: opt.defaultYear ?? null,
  };
  const size = opt.batchSize ?? IMPORT_BATCH_SIZE;
  let batch: { rec: InputRecord; draft: VictimDraft }[] = [];

  /**
   * A row's place in the report: what the record holds once the import is done. A row already
   * present keeps the place its record has (a re-import re-places nothing: `locations replace`
   * does), so a dry run and the import report the same places, row by row; one whose text now
   * resolves to a more exact place is counted as `replaceable`.
   */
  const ambiguity = new Map<string, PlaceBrief[]>();
  const placed = (rec: InputRecord, d: VictimDraft, stored?: StoredPlace): void => {
    let outcome = d.placeOutcome;
    let locationId = d.locationId;
    let precision = d.placePrecision;
    if (stored) {
      locationId = stored.location_id;
      precision = locationId ? stored.place_precision : null;
      outcome = !locationId
        ? 'unresolved'
        : precision === 'exact' || precision === 'approximate'
          ? precision
          : 'parent';
      if (
        d.locationId &&
        d.locationId !== locationId &&
        placeRank(d.placeOutcome) > placeRank(outcome)
      )
        report.replaceable++;
    }
    report.place(outcome, d.placeText, outcome === d.placeOutcome ? d.placeSuggestion : undefined);
    // A text naming several unrelated places (two Mahabads) is listed with the candidates' ids.
    if ((outcome === 'unresolved' || outcome === 'parent') && d.placeOriginal) {
      let candidates = ambiguity.get(d.placeOriginal);
      if (candidates === undefined) {
        candidates = places
          .candidatesFor(placeTextOf(d.placeOriginal, places))
          .map((p) => placeBrief(p, places));
        ambiguity.set(d.placeOriginal, candidates);
      }
      if (candidates.length) report.ambiguousPlace(d.placeOriginal, candidates);
    }
    if (opt.placeRows)
      report.placeRow({
        line: rec.line,
        record: rec.n,
        outcome,
        locationId,
        precision,
        text: d.placeText,
      });
  };

  const flush = async (current: { rec: InputRecord; draft: VictimDraft }[]): Promise<void> => {
    if (!current.length) return;

    // Already present: the same key earlier in this file, or a record in the database.
    const keys = current.map((b) => b.draft.importKey).filter((k): k is string => k !== null);
    const ids = current.map((b) => b.draft.id).filter((k): k is string => k !== null);
    // One lookup per kind of key, skipped when the batch has none.
    const found = await victims.findPresent(m, keys, ids);
    const presentKeys = new Set(found.flatMap((p) => [p.id, p.import_key ?? '']));
    const storedBy = new Map<string, StoredVictim>();
    for (const f of found) {
      storedBy.set(f.id, f);
      if (f.import_key) storedBy.set(f.import_key, f);
    }
    const storedOf = (d: VictimDraft): StoredVictim | undefined =>
      marksOf(d)
        .map((k) => storedBy.get(k))
        .find((r) => r !== undefined);
    // Records this list made before, by its own ids: unchanged, or to update.
    const extIds = current.map((b) => b.draft.externalId).filter((k): k is string => k !== null);
    const held = new Map(
      (await imports.heldRecords(m, scope, extIds)).map((h) => [h.external_id, h]),
    );
    const updates: Update[] = [];
    const fresh: { rec: InputRecord; draft: VictimDraft }[] = [];
    const marksOf = (d: VictimDraft): string[] =>
      [d.id, d.importKey].filter((k): k is string => k !== null);
    const present = (d: VictimDraft): boolean =>
      marksOf(d).some((k) => seenKeys.has(k) || presentKeys.has(k));
    for (const b of current) {
      const ext = b.draft.externalId;
      const h = ext !== null ? held.get(ext) : undefined;
      if (ext !== null && seenKeys.has(`ext:${ext}`)) {
        ctx.reject(b.rec, [
          {
            field: 'external_id',
            rule: 'the same id twice in the file',
            reason: `${ext} is the id of an earlier row of this file`,
          },
        ]);
      } else if (h) {
        seenKeys.add(`ext:${ext}`);
        if (h.import_key === b.draft.importKey) {
          report.alreadyPresent++;
          placed(b.rec, b.draft, h);
        } else if (h.version !== h.victim_version) {
          ctx.reject(b.rec, [
            {
              field: 'external_id',
              rule: 'the record was changed in the ledger since the list was imported',
              reason: `${ext}: victim ${h.victim_id} is at version ${h.version}, the last import left it at ${h.victim_version}; not overwritten (correct it in the ledger, or import under another --id-scope)`,
            },
          ]);
        } else updates.push({ ...b, held: h });
      } else if (present(b.draft)) {
        report.alreadyPresent++;
        placed(b.rec, b.draft, storedOf(b.draft));
      } else fresh.push(b);
    }

    // References: sources by id or URL, incidents by id.
    await sources.prefetch([...fresh, ...updates].flatMap((b) => b.draft.attestations));
    const incidentIds = [
      ...new Set(fresh.map((b) => b.draft.incidentId).filter((i): i is string => !!i)),
    ].filter((i) => !knownIncidents.has(i) && !missingIncidents.has(i));
    if (incidentIds.length) {
      for (const f of await victims.existingIncidents(m, incidentIds)) knownIncidents.add(f);
      for (const i of incidentIds) if (!knownIncidents.has(i)) missingIncidents.add(i);
    }
    const planned: Planned[] = [];
    for (const b of fresh) {
      // The same row earlier in this batch: marked only once it was accepted, so the copy of a
      // rejected row is rejected again rather than taken as present.
      if (present(b.draft)) {
        report.alreadyPresent++;
        placed(b.rec, b.draft);
        continue;
      }
      const issues: { field: string; rule: string; reason: string }[] = [];
      if (b.draft.incidentId && missingIncidents.has(b.draft.incidentId)) {
        issues.push({
          field: 'incident_id',
          rule: 'incident_id is not a known incident',
          reason: `no incident with id ${b.draft.incidentId}`,
        });
      }
      const atts: Attested[] = [];
      b.draft.attestations.forEach((a, i) => {
        const r = sources.resolve(a);
        if ('problem' in r) {
          const field =
            a.sourceId && b.rec.values.attestations ? `attestations[${i}].source_id` : 'source_ids';
          issues.push({ field, rule: 'an unknown source id', reason: r.problem });
        } else if (!atts.some((x) => x.sourceId === r.id)) atts.push({ sourceId: r.id, a });
      });
      if (issues.length) {
        ctx.reject(b.rec, issues);
        continue;
      }
      for (const k of marksOf(b.draft)) seenKeys.add(k);
      if (b.draft.externalId !== null) seenKeys.add(`ext:${b.draft.externalId}`);
      planned.push({
        ...b,
        id: b.draft.id ?? timeOrderedId(),
        attestations: atts,
        ...newConfidence(atts, sources),
      });
    }

    if (ctx.writing() && planned.length) {
      const { done, attestations } = await writer.insert(planned);
      // A row inserted by a concurrent import since the check above is already present too.
      report.alreadyPresent += planned.length - done.length;
      report.attestations += attestations;
      report.imported += done.length;
      for (const p of done) report.writtenIds.push(p.id);
      for (const p of done) placed(p.rec, p.draft);
    } else {
      report.imported += planned.length;
      for (const p of planned) {
        report.attestations += p.attestations.length;
        placed(p.rec, p.draft);
      }
    }
    await writer.update(updates, placed);
    ctx.progress();
  };

  // The database writes one batch while the next is read and checked: the two cores overlap.
  // Batches are still written one after the other, in order, on the transaction's connection.
  let writing: Promise<void> = Promise.resolve();
  try {
    for await (const rec of records) {
      report.read++;
      const r = readVictimRow(rec.values, places, rowOpt);
      if (!r.ok) ctx.reject(rec, r.issues);
      else {
        for (const w of r.warnings) report.warn(rec.line, rec.n, w.field, w.rule, w.reason);
        batch.push({ rec, draft: r.draft });
      }
      if (batch.length >= size) {
        await writing;
        writing = flush(batch);
        // Handled when awaited, before the next batch or at the end.
        writing.catch(() => undefined);
        batch = [];
      } else if ((report.read & 1023) === 0) ctx.progress();
      // Rows already buffered are read without a turn of the event loop, so the batch being
      // written would wait for its next statement until the batch being read is full: a turn
      // every 64 rows lets its statements follow one another while the rows are read.
      if ((report.read & 63) === 0) await new Promise<void>((go) => setImmediate(go));
    }
  } catch (e) {
    // The file failed while a batch was being written: that batch's statements must finish
    // before the transaction is rolled back, or the rest of them would run after the ROLLBACK,
    // outside any transaction, and stay (a partial import).
    await writing.catch(() => undefined);
    throw e;
  }
  await writing;
  await flush(batch);
  return true;
}

export async function importVictimRecords(
  ds: DataSource,
  records: AsyncIterable<InputRecord> | Iterable<InputRecord>,
  opt: ImportOptions = {},
): Promise<ImportReport> {
  checkOptions(opt);
  return linkAfter(ds, opt, await runImport(ds, 'victims', records, opt, victimsBody));
}

/**
 * Imports a victims file (CSV or JSON) streamed from `input`: see docs/import-export.md.
 * Used by the CLI, POST /api/imports and the benchmark.
 */
export async function importVictims(
  ds: DataSource,
  input: Readable,
  options: ImportOptions = {},
): Promise<ImportReport> {
  checkOptions(options);
  const found = options.unknownColumns ?? new Map<string, string | null>();
  return linkAfter(
    ds,
    options,
    await runImport(
      ds,
      'victims',
      readRecords(
        input,
        options.format ?? 'csv',
        VICTIM_COLUMNS,
        'utf-8',
        victimColumnPolicy(options.strict ?? false, found),
      ),
      { ...options, unknownColumns: found },
      victimsBody,
    ),
  );
}
