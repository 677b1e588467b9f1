import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { DataSource, EntityManager } from 'typeorm';
import type { Confidence } from '../attestations/confidence.js';
import { confidenceOf, refreshConfidence } from '../attestations/confidence.repository.js';
import type { Reliability } from '../reconciliation/reconcile.js';
import { SYSTEM_ACTOR, type Actor } from '../common/actor.js';
import { CREDIBILITY_MAX, CREDIBILITY_MIN, HARMS } from '../common/domain.js';
import { AppError } from '../common/errors.js';
import { ScanRunning, scanDuplicates } from '../duplicates/duplicates-scan.js';
import { timeOrderedId } from '../common/time-ordered-id.js';
import {
  ReportBuilder,
  summarize,
  type ImportKind,
  type ImportMode,
  type ImportReport,
  type RowProblem,
} from './import-report.js';
import { checkImportStatus, withImportableStatus } from './import-status.js';
import { PlaceMatcher } from './place-matcher.js';
import { placeBrief, placeTextOf, type PlaceBrief } from './replace-places.js';
import {
  readRecords,
  type ColumnPolicy,
  type InputFormat,
  type InputRecord,
} from './record-reader.js';
import { SourceResolver } from './source-resolver.js';
import { afterBulkInsert, startBulkWrites } from './bulk-write.js';
import { auditBatchSql, auditCopySql } from '../audit/audit-writer.js';
import { VictimEntity } from '../victims/victim.entity.js';
import { AttestationEntity } from '../attestations/attestation.entity.js';
import {
  readVictimRow,
  VICTIM_COLUMN_ALIASES,
  VICTIM_COLUMNS,
  type VictimDraft,
} from './victim-rows.js';

export interface ImportProgress {
  read: number;
  imported: number;
  alreadyPresent: number;
  rejected: number;
  elapsedMs: number;
  rowsPerSecond: number;
}

export interface ImportOptions {
  format?: InputFormat;
  mode?: ImportMode;
  dryRun?: boolean;
  actor?: Actor;
  /** Victims: harm of rows without a harm column (default killed). */
  harm?: string;
  /** Status of rows without one: draft (default) or submitted, never more (import-status.ts). */
  status?: string;
  /** Victims: incident of rows without an incident_id. */
  incidentId?: string | null;
  /** Credibility (1–6) of attestations without one (default 6, cannot be judged). */
  credibility?: number;
  /** Rows per batch (one multi-row statement per table per batch). */
  batchSize?: number;
  /** Called at most about once a second while rows stream in. */
  onProgress?: (p: ImportProgress) => void;
  /** Called for each rejected row with its problems and its values as read. */
  onReject?: (problems: RowProblem[], values: Record<string, unknown>) => void;
  /** The file's name, for the audit entry. */
  fileName?: string;
  /**
   * Victims: refuse a row for any field that cannot be read, and the file for an unknown column
   * (the behaviour before 3 December). Otherwise only rows of which no record can be made are
   * refused; the rest are imported with the field empty, its text kept, and a warning.
   */
  strict?: boolean;
  /** Victims: the year of dates written without one (1401: Solar Hijri; 2022: Gregorian). */
  defaultYear?: number;
  /**
   * Victims: the list a file's own ids belong to ("jvn_0412" of which list): by default the
   * file's name without its extension; over HTTP, `upload` unless given.
   */
  idScope?: string;
  /** Victims: list every row's place in the report (places.rows): line, outcome, location. */
  placeRows?: boolean;
  /** Locations: re-place the records whose place text now resolves better (default true). */
  replace?: boolean;
  /** The unknown columns the reader left out (ColumnPolicy.found), for the report. */
  unknownColumns?: Map<string, string | null>;
  /**
   * Victims: look for possible duplicates of the records written, right after the import
   * (default true; the benchmark's bulk load turns it off and scans once at the end).
   */
  linkage?: boolean;
}

/** How a victims file's columns are read: aliases, and unknown columns refused only when strict. */
export function victimColumnPolicy(
  strict: boolean,
  found: Map<string, string | null>,
): ColumnPolicy {
  return { aliases: VICTIM_COLUMN_ALIASES, unknown: strict ? 'refuse' : 'report', found };
}

type Row = {
  id: string;
  import_key: string | null;
  location_id: string | null;
  place_precision: string | null;
};

/** A record's place as stored. */
type StoredPlace = { location_id: string | null; place_precision: string | null };

const placeRank = (o: string): number => (o === 'exact' ? 2 : o === 'unresolved' ? 0 : 1);

/** Rows per batch of a victims import, unless told (one statement per table per batch). */
export const IMPORT_BATCH_SIZE = 2000;

/** Thrown inside the transaction to roll back a dry run or a refused import. */
class RollBack extends Error {}

export interface ImportContext {
  m: EntityManager;
  report: ReportBuilder;
  actor: Actor;
  opt: ImportOptions;
  /** Rows may be written: not a dry run, and no row rejected yet in all-or-nothing mode. */
  writing(): boolean;
  reject(rec: InputRecord, issues: { field: string; rule: string; reason: string }[]): void;
  progress(): void;
}

/**
 * Runs one import in ONE transaction: every row is read, checked, and (unless nothing may be
 * written) inserted batch by batch; a dry run or an all-or-nothing import with a rejected row
 * rolls the whole transaction back. Killed halfway, the transaction never commits.
 */
export async function runImport(
  ds: DataSource,
  kind: ImportKind,
  records: AsyncIterable<InputRecord> | Iterable<InputRecord>,
  opt: ImportOptions,
  body: (
    ctx: ImportContext,
    records: AsyncIterable<InputRecord> | Iterable<InputRecord>,
  ) => Promise<boolean>,
): Promise<ImportReport> {
  const mode = opt.mode ?? 'all-or-nothing';
  const report = new ReportBuilder(randomUUID(), kind, mode, opt.dryRun ?? false);
  const actor = opt.actor ?? SYSTEM_ACTOR;
  let lastProgress = Date.now();
  let withPlaces = false;
  let written = false;
  try {
    await ds.transaction(async (m) => {
      const ctx: ImportContext = {
        m,
        report,
        actor,
        opt,
        writing: () => !report.dryRun && (mode === 'skip-invalid' || report.rejected === 0),
        reject: (rec, issues) => {
          const problems: RowProblem[] = [];
          for (const i of issues) {
            report.reject(rec.line, rec.n, i.field, i.rule, i.reason);
            problems.push({ line: rec.line, record: rec.n, ...i });
          }
          opt.onReject?.(problems, rec.values);
        },
        progress: () => {
          const now = Date.now();
          if (!opt.onProgress || now - lastProgress < 1000) return;
          lastProgress = now;
          const elapsedMs = report.elapsedMs();
          opt.onProgress({
            read: report.read,
            imported: report.imported,
            alreadyPresent: report.alreadyPresent,
            rejected: report.rejected,
            elapsedMs,
            rowsPerSecond: elapsedMs ? Math.round((report.read * 1000) / elapsedMs) : 0,
          });
        },
      };
      withPlaces = await body(
        ctx,
        kind === 'sources' || kind === 'locations'
          ? records
          : withImportableStatus(records, report, opt.status ?? 'draft'),
      );
      if (!ctx.writing()) throw new RollBack();
      await m.query(
        `INSERT INTO audit_log (actor_id, action, entity, entity_id, after, reason) VALUES ($1, 'import', 'imports', $2, $3, $4)`,
        [
          actor.userId,
          report.importId,
          JSON.stringify({
            kind,
            mode,
            file: opt.fileName ?? null,
            read: report.read,
            imported: report.imported,
            updated: report.updated,
            alreadyPresent: report.alreadyPresent,
            rejected: report.rejected,
            sourcesCreated: report.sourcesCreated,
            attestations: report.attestations,
          }),
          opt.fileName ? `import of ${opt.fileName}` : 'import',
        ],
      );
      written = true;
    });
  } catch (e) {
    if (!(e instanceof RollBack)) throw e;
  }
  report.unknownColumns = [...(opt.unknownColumns ?? [])].map(([column, nearest]) => ({
    column,
    nearest,
  }));
  return report.build(written, withPlaces);
}

export function checkOptions(opt: ImportOptions): void {
  if (opt.harm !== undefined && !(HARMS as readonly string[]).includes(opt.harm)) {
    throw AppError.invalid('harm', `must be one of ${HARMS.join(', ')}`);
  }
  checkImportStatus(opt.status);
  const c = opt.credibility;
  if (c !== undefined && (!Number.isInteger(c) || c < CREDIBILITY_MIN || c > CREDIBILITY_MAX)) {
    throw AppError.invalid(
      'credibility',
      `must be a whole number from ${CREDIBILITY_MIN} to ${CREDIBILITY_MAX}`,
    );
  }
}

/** `{"a","b"}`: a text[] literal, for arrays of arrays passed through unnest as text. */
export function textArrayLiteral(items: string[]): string {
  return `{${items.map((s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

interface Planned {
  rec: InputRecord;
  draft: VictimDraft;
  id: string;
  attestations: { sourceId: string; a: VictimDraft['attestations'][number] }[];
  /** Derived before the insert (a new record has no merged records). */
  confidence: Confidence;
  /** The same from its sources that are not restricted (victims.public_confidence). */
  publicConfidence: Confidence;
}

async function insertVictims(ctx: ImportContext, rows: Planned[]): Promise<Set<string>> {
  const v = rows.map((r) => r.draft);
  const col = <T>(f: (d: VictimDraft) => T): T[] => v.map(f);
  // city_id is set here, from the place (the city trigger leaves bulk inserts alone), and the
  // batch is audited as one entry (auditBatchSql): its records' copies, lines and ids.
  const inserted = await ctx.m.query<{ id: string }[]>(
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
       ${auditBatchSql(ctx.m, { target: VictimEntity, entity: 'victims', rows: 'ins', lineKey: 'id', actor: '$31', importId: '$36', file: '$37', reason: '$32', ids: '$1', lines: '$38' })}
     )
     SELECT id FROM ins`,
    [
      rows.map((r) => r.id),
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
      col((d) => d.date?.from ?? null),
      col((d) => d.date?.to ?? null),
      col((d) => d.date?.precision ?? null),
      col((d) => d.date?.calendar ?? null),
      col((d) => d.date?.original ?? null),
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
      rows.map((r) => r.confidence),
      ctx.actor.userId,
      importReason(ctx),
      col((d) => (d.originalValues ? JSON.stringify(d.originalValues) : null)),
      rows.map((r) => r.publicConfidence),
      col((d) => d.fatherName),
      ctx.report.importId,
      ctx.opt.fileName ?? null,
      rows.map((r) => r.rec.line),
    ],
  );
  return new Set(inserted.map((r) => r.id));
}

/** The reason of an import's entries: which import, of which file. */
function importReason(ctx: ImportContext): string {
  const file = ctx.opt.fileName;
  return `import ${ctx.report.importId}${file ? ` of ${file}` : ''}`;
}

async function insertAttestations(ctx: ImportContext, rows: Planned[]): Promise<number> {
  const list = rows.flatMap((r) => r.attestations.map((x) => ({ victimId: r.id, ...x })));
  if (!list.length) return 0;
  const [{ n }] = await ctx.m.query<{ n: number }[]>(
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
       ${auditBatchSql(ctx.m, { target: AttestationEntity, entity: 'attestations', rows: 'ins', lineKey: 'victim_id', actor: '$8', importId: '$11', file: '$12', reason: '$9', ids: '$13', lines: '$14' })}
     )
     SELECT count(*)::int AS n FROM ins`,
    [
      list.map((x) => x.victimId),
      list.map((x) => x.sourceId),
      list.map((x) => x.a.credibility),
      list.map((x) => x.a.locator),
      list.map((x) => x.a.excerpt),
      list.map((x) => textArrayLiteral(x.a.assertedFields)),
      list.map((x) => x.a.primaryEvidence),
      ctx.actor.userId,
      importReason(ctx),
      list.map(() => timeOrderedId()),
      ctx.report.importId,
      ctx.opt.fileName ?? null,
      rows.map((r) => r.id),
      rows.map((r) => r.rec.line),
    ],
  );
  return n;
}

/**
 * The derived confidence of a new victim, from its attestations' grades and their sources'
 * origins (known to the resolver), by the rule refreshConfidence applies, and its public
 * confidence (the same from its sources that are not restricted): the row is inserted with its
 * levels rather than updated after (an update would refresh its rollups a second time).
 */
function newConfidence(
  atts: Planned['attestations'],
  sources: SourceResolver,
): Pick<Planned, 'confidence' | 'publicConfidence'> {
  const origins = new Map<string, string[]>();
  const grades = atts.map((x) => {
    const s = sources.known(x.sourceId)!;
    origins.set(s.id, s.origins);
    return {
      source_id: s.id,
      restricted: s.restricted,
      reliability: s.reliability as Reliability,
      credibility: x.a.credibility,
      primary_evidence: x.a.primaryEvidence,
    };
  });
  return {
    confidence: confidenceOf(grades, origins),
    publicConfidence: confidenceOf(
      grades.filter((g) => !g.restricted),
      origins,
    ),
  };
}

interface HeldRecord {
  external_id: string;
  victim_id: string;
  victim_version: number;
  version: number;
  import_key: string | null;
  location_id: string | null;
  place_precision: string | null;
}

/** The scope of a file's own ids: the option, else the file's name without its extension. */
export function idScopeOf(opt: ImportOptions): string {
  const given = opt.idScope?.trim();
  if (given) return given;
  const name = opt.fileName?.replace(/\.[^.]+$/, '').trim();
  return name || 'upload';
}

/**
 * A record this list made before, corrected in the file: its fields are set to the row's (the
 * workflow status and the incident are the ledger's, and stay), version-checked against the
 * version the last import left, audited with before and after, and the row's new sources
 * attested. Null when the record changed in the meantime (nothing written).
 */
async function updateVictim(
  ctx: ImportContext,
  held: HeldRecord,
  d: VictimDraft,
): Promise<number | null> {
  const [row] = await ctx.m.query<{ version: number }[]>(
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
            SELECT $30::uuid, 'update', 'victims', upd.id, ${auditCopySql(ctx.m, VictimEntity, 'old')},
                   ${auditCopySql(ctx.m, VictimEntity, 'upd')}, $31 FROM upd, old)
     SELECT version FROM upd`,
    [
      held.victim_id,
      held.version,
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
      d.date?.from ?? null,
      d.date?.to ?? null,
      d.date?.precision ?? null,
      d.date?.calendar ?? null,
      d.date?.original ?? null,
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
      ctx.actor.userId,
      `${importReason(ctx)}: a corrected row of ${d.externalId}`,
      d.fatherName,
    ],
  );
  return row ? row.version : null;
}

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
  if (opt.incidentId) {
    const found = await m.query<unknown[]>(`SELECT 1 FROM incidents WHERE id = $1`, [
      opt.incidentId,
    ]);
    if (!found.length)
      throw AppError.unprocessable('incident', `no incident with id ${opt.incidentId}`);
  }
  // This transaction derives what the insert triggers would for the records it inserts itself,
  // set-based, once per batch, after their attestations (see flush and bulk-write.ts).
  await startBulkWrites(m);
  const seenWords = new Set<string>();
  const places = await PlaceMatcher.load(m);
  const sources = new SourceResolver(m, report);
  const seenKeys = new Set<string>();
  const knownIncidents = new Set<string>();
  const missingIncidents = new Set<string>();
  const scope = idScopeOf(opt);
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
    const found = [
      ...(keys.length
        ? await m.query<Row[]>(
            `SELECT id, import_key, location_id, place_precision FROM victims WHERE import_key = ANY($1::text[])`,
            [keys],
          )
        : []),
      ...(ids.length
        ? await m.query<Row[]>(
            `SELECT id, import_key, location_id, place_precision FROM victims WHERE id = ANY($1::uuid[])`,
            [ids],
          )
        : []),
    ];
    const presentKeys = new Set(found.flatMap((p) => [p.id, p.import_key ?? '']));
    const storedBy = new Map<string, Row>();
    for (const f of found) {
      storedBy.set(f.id, f);
      if (f.import_key) storedBy.set(f.import_key, f);
    }
    const storedOf = (d: VictimDraft): Row | undefined =>
      marksOf(d)
        .map((k) => storedBy.get(k))
        .find((r) => r !== undefined);
    // Records this list made before, by its own ids: unchanged, or to update.
    const extIds = current.map((b) => b.draft.externalId).filter((k): k is string => k !== null);
    const held = new Map(
      (extIds.length
        ? await m.query<HeldRecord[]>(
            `SELECT e.external_id, e.victim_id, e.victim_version, v.version, v.import_key, v.location_id, v.place_precision
               FROM victim_external_ids e JOIN victims v ON v.id = e.victim_id
              WHERE e.scope = $1 AND e.external_id = ANY($2::text[])`,
            [scope, extIds],
          )
        : []
      ).map((h) => [h.external_id, h]),
    );
    const updates: { rec: InputRecord; draft: VictimDraft; held: HeldRecord }[] = [];
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
      const existing = await m.query<{ id: string }[]>(
        `SELECT id FROM incidents WHERE id = ANY($1::uuid[])`,
        [incidentIds],
      );
      for (const f of existing) knownIncidents.add(f.id);
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
      const atts: Planned['attestations'] = [];
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
      await sources.flush(ctx.actor, report.importId);
      const inserted = await insertVictims(ctx, planned);
      const done = planned.filter((p) => inserted.has(p.id));
      // A row inserted by a concurrent import since the check above is already present too.
      report.alreadyPresent += planned.length - done.length;
      report.attestations += await insertAttestations(ctx, done);
      // The rollups and name words of the new records, once, now that their attestations are
      // in (the insert triggers leave them to this transaction: bulk-write.ts).
      await afterBulkInsert(
        m,
        { ids: done.map((p) => p.id), nameSearch: done.map((p) => p.draft.nameSearch) },
        seenWords,
      );
      report.imported += done.length;
      for (const p of done) report.writtenIds.push(p.id);
      for (const p of done) placed(p.rec, p.draft);
      const linked = done.filter((p) => p.draft.externalId !== null);
      if (linked.length)
        await m.query(
          `INSERT INTO victim_external_ids (scope, external_id, victim_id, victim_version)
           SELECT $1, t.external_id, t.victim_id, 1 FROM unnest($2::text[], $3::uuid[]) AS t(external_id, victim_id)`,
          [scope, linked.map((p) => p.draft.externalId), linked.map((p) => p.id)],
        );
    } else {
      report.imported += planned.length;
      for (const p of planned) {
        report.attestations += p.attestations.length;
        placed(p.rec, p.draft);
      }
    }
    await applyUpdates(updates);
    ctx.progress();
  };

  const applyUpdates = async (
    updates: { rec: InputRecord; draft: VictimDraft; held: HeldRecord }[],
  ): Promise<void> => {
    const changed: string[] = [];
    for (const u of updates) {
      const atts: Planned['attestations'] = [];
      const issues: { field: string; rule: string; reason: string }[] = [];
      for (const a of u.draft.attestations) {
        const r = sources.resolve(a);
        if ('problem' in r)
          issues.push({ field: 'source_ids', rule: 'an unknown source id', reason: r.problem });
        else if (!atts.some((x) => x.sourceId === r.id)) atts.push({ sourceId: r.id, a });
      }
      if (issues.length) {
        ctx.reject(u.rec, issues);
        continue;
      }
      if (!ctx.writing()) {
        report.updated++;
        placed(u.rec, u.draft);
        continue;
      }
      await sources.flush(ctx.actor, report.importId);
      const version = await updateVictim(ctx, u.held, u.draft);
      if (version === null) {
        ctx.reject(u.rec, [
          {
            field: 'external_id',
            rule: 'the record was changed in the ledger since the list was imported',
            reason: `${u.draft.externalId}: victim ${u.held.victim_id} changed during the import; not overwritten`,
          },
        ]);
        continue;
      }
      await m.query(
        `UPDATE victim_external_ids SET victim_version = $3 WHERE scope = $1 AND external_id = $2`,
        [scope, u.draft.externalId, version],
      );
      // The row's sources not yet attesting the record are attested now; the others stay.
      const existing = new Set(
        (
          await m.query<{ source_id: string }[]>(
            `SELECT source_id FROM attestations WHERE victim_id = $1`,
            [u.held.victim_id],
          )
        ).map((x) => x.source_id),
      );
      const added = atts.filter((x) => !existing.has(x.sourceId));
      if (added.length)
        report.attestations += await insertAttestations(ctx, [
          {
            rec: u.rec,
            draft: u.draft,
            id: u.held.victim_id,
            attestations: added,
            confidence: 'unattested',
            publicConfidence: 'unattested',
          },
        ]);
      changed.push(u.held.victim_id);
      report.writtenIds.push(u.held.victim_id);
      report.updated++;
      placed(u.rec, u.draft);
    }
    if (changed.length) {
      await refreshConfidence(m, changed);
      await m.query(`SELECT victim_rollup_refresh($1::uuid[])`, [changed]);
    }
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
 * Record linkage for the records an import wrote, run right after its transaction committed
 * (not inside it: on the embedded engine a long transaction stalls every request, and the
 * records are there whether or not a duplicate is found). Its outcome goes into the report.
 */
async function linkAfter(
  ds: DataSource,
  opt: ImportOptions,
  report: ImportReport & { writtenIds?: string[] },
): Promise<ImportReport> {
  const ids = report.writtenIds ?? [];
  delete report.writtenIds;
  if (!report.written || opt.linkage === false || !ids.length) return report;
  try {
    const r = await scanDuplicates(ds, { fresh: ids });
    const clusterIds = r.freshClusters ?? [];
    const [{ n }] = await ds.query<{ n: number }[]>(
      `SELECT count(DISTINCT victim_id)::int AS n FROM duplicate_cluster_members WHERE cluster_id = ANY($1::uuid[])`,
      [clusterIds],
    );
    report.possibleDuplicates = {
      clusters: clusterIds.length,
      records: n,
      clusterIds,
      seconds: r.seconds,
    };
  } catch (e) {
    if (!(e instanceof ScanRunning)) throw e;
    report.possibleDuplicates = {
      unavailable: 'a duplicates scan was running; run `duplicates scan` again',
    };
  }
  report.summary = summarize(report);
  return report;
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
