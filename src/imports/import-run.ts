import type { DataSource, EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service.js';
import { SYSTEM_ACTOR, type Actor } from '../common/actor.js';
import { CREDIBILITY_MAX, CREDIBILITY_MIN, HARMS } from '../common/domain.js';
import { AppError } from '../common/errors.js';
import {
  ReportBuilder,
  type ImportKind,
  type ImportMode,
  type ImportReport,
  type RowProblem,
} from './import-report.js';
import { checkImportStatus, withImportableStatus } from './import-status.js';
import type { InputFormat, InputRecord } from './record-reader.js';

/**
 * What every kind of import shares: its options, its one transaction (runImport) and the
 * context its body writes through.
 */

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
      // The import's own entry, written as the API writes its entries (AuditService).
      await new AuditService().record(m, actor, {
        action: 'import',
        entity: 'imports',
        entityId: report.importId,
        after: {
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
        },
        reason: opt.fileName ? `import of ${opt.fileName}` : 'import',
      });
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

/** The scope of a file's own ids: the option, else the file's name without its extension. */
export function idScopeOf(opt: ImportOptions): string {
  const given = opt.idScope?.trim();
  if (given) return given;
  const name = opt.fileName?.replace(/\.[^.]+$/, '').trim();
  return name || 'upload';
}

/** The reason of an import's entries: which import, of which file. */
export function importReason(ctx: ImportContext): string {
  const file = ctx.opt.fileName;
  return `import ${ctx.report.importId}${file ? ` of ${file}` : ''}`;
}
