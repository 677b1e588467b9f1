import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import type { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '../../common/actor.js';
import { HARMS } from '../../common/domain.js';
import { AppError } from '../../common/errors.js';
import {
  IMPORT_KINDS,
  type ImportKind,
  type ImportReport,
  type RowProblem,
} from '../../imports/import-report.js';
import { columnPolicyOf, columnsOf, importRecords } from '../../imports/imports.service.js';
import { IMPORT_STATUSES } from '../../imports/import-status.js';
import {
  formatOf,
  INPUT_FORMATS,
  readRecords,
  textEncoding,
  type InputFormat,
} from '../../imports/record-reader.js';
import type { ImportOptions } from '../../imports/import-run.js';
import { ProgressReporter } from '../progress.js';
import type { WithDb } from '../types.js';

export const out = (line = ''): void => void process.stdout.write(`${line}\n`);
export const info = (line: string): void => void process.stderr.write(`${line}\n`);

/** How many rejected rows the terminal shows; the rejects file has them all. */
const SHOWN_REJECTS = 50;

export interface ImportCliOptions {
  format?: InputFormat;
  encoding?: string;
  dryRun?: boolean;
  skipInvalid?: boolean;
  rejects?: string;
  harm?: string;
  status?: string;
  incident?: string;
  credibility?: number;
  batchSize?: number;
  json?: boolean;
  strict?: boolean;
  defaultYear?: number;
  idScope?: string;
  /** Locations: --no-replace. */
  replace?: boolean;
  /** Victims: every row's place in the --json report. */
  placeRows?: boolean;
}

/** A usage error: the command line is wrong (exit code 2). */
export function usage(field: string, reason: string): AppError {
  return AppError.invalid(field, reason);
}

function intOption(name: string, min: number, max: number) {
  return (raw: string): number => {
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
      throw usage(name, `must be a whole number from ${min} to ${max}`);
    return Number(raw);
  };
}

/** Writes the rejected rows, as they come, to a CSV file: line, record, field, reason and the row as read. */
class RejectsFile {
  private stream: fs.WriteStream | null = null;
  lines = 0;

  constructor(readonly file: string) {}

  add(problems: RowProblem[], values: Record<string, unknown>): void {
    if (!this.stream) {
      this.stream = fs.createWriteStream(this.file);
      this.stream.write(stringify([['line', 'record', 'field', 'reason', 'row']]));
    }
    const row = JSON.stringify(
      Object.fromEntries(Object.entries(values).filter(([k]) => !k.startsWith('__'))),
    );
    for (const p of problems) {
      this.stream.write(stringify([[p.line, p.record, p.field, p.reason, row]]));
      this.lines++;
    }
  }

  async close(): Promise<void> {
    const s = this.stream;
    if (s)
      await new Promise<void>((resolve, reject) =>
        s.end((e?: Error | null) => (e ? reject(e) : resolve())),
      );
  }
}

export function printReport(r: ImportReport, rejectsFile: string | null): void {
  for (const line of r.summary) out(line);
  if (r.rejects.length) {
    info(
      `Rejected rows (line, field, reason)${rejectsFile ? `; all of them are in ${rejectsFile}` : ''}:`,
    );
    for (const p of r.rejects.slice(0, SHOWN_REJECTS))
      info(`  line ${p.line}  ${p.field}: ${p.reason}`);
    if (r.rejects.length > SHOWN_REJECTS) info(`  … and ${r.rejects.length - SHOWN_REJECTS} more`);
  }
  if (r.warnings?.length) {
    info('Imported with warnings (line, field, reason):');
    for (const p of r.warnings.slice(0, SHOWN_REJECTS))
      info(`  line ${p.line}  ${p.field}: ${p.reason}`);
    if (r.warnedRows > SHOWN_REJECTS)
      info(`  … ${r.warnedRows} rows with warnings in all (--json for the report)`);
  }
}

/** Imports one file: the command `import <kind> <file>`, and `seed demo`. Returns the report. */
export async function runFileImport(
  ds: DataSource,
  kind: ImportKind,
  file: string,
  o: ImportCliOptions & { quiet?: boolean },
): Promise<ImportReport> {
  const format = o.format ?? formatOf(file);
  if (!format)
    throw usage(
      'format',
      `cannot tell the format of ${file} from its name: pass --format csv or --format json`,
    );
  const encoding = textEncoding(o.encoding ?? 'utf-8', 'encoding');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw usage('file', `${file} does not exist`);
  }
  let bytes = 0;
  const input = fs.createReadStream(file);
  const counted = (async function* () {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      yield chunk;
    }
  })();
  const progress = new ProgressReporter(`import ${kind}`, stat.size, () => bytes);
  const rejects = new RejectsFile(o.rejects ?? `${file}.rejects.csv`);
  const unknownColumns = new Map<string, string | null>();
  const options: ImportOptions = {
    unknownColumns,
    format,
    mode: o.skipInvalid ? 'skip-invalid' : 'all-or-nothing',
    dryRun: o.dryRun ?? false,
    actor: SYSTEM_ACTOR,
    harm: o.harm,
    status: o.status,
    incidentId: o.incident ?? null,
    credibility: o.credibility,
    batchSize: o.batchSize,
    strict: o.strict ?? false,
    defaultYear: o.defaultYear,
    idScope: o.idScope,
    replace: o.replace,
    placeRows: o.placeRows ?? false,
    fileName: path.basename(file),
    onProgress: o.quiet ? undefined : (p) => progress.update(p),
    onReject: (problems, values) => rejects.add(problems, values),
  };
  try {
    return await importRecords(
      ds,
      kind,
      readRecords(
        counted,
        format,
        columnsOf(kind),
        encoding,
        columnPolicyOf(kind, o.strict ?? false, unknownColumns),
      ),
      options,
    );
  } finally {
    progress.finish();
    await rejects.close();
    input.destroy();
  }
}

export function registerImportCommands(program: Command, withDb: WithDb): void {
  const imp = program
    .command('import')
    .description(
      'Import a CSV or JSON file of victims, sources or count claims (see docs/import-export.md)',
    );

  for (const kind of IMPORT_KINDS) {
    const cmd = imp
      .command(`${kind} <file>`)
      .description(
        {
          victims:
            'Victims: the shared community-list columns or our own export; places resolved through the gazetteer, source URLs become sources',
          sources:
            'Sources: the columns of our sources export (POST /api/sources in snake_case); relays and cites by id',
          claims:
            'Count claims: the columns of our claims export; each claim names its source by source_id or source_url',
          locations:
            'Places (districts, villages, sites, other countries …): kind, name_en, name_fa, variants, parent (id or name), lat/lon, external_id; then the records whose place text now resolves are re-placed',
        }[kind],
      )
      .addOption(
        new Option('--format <format>', 'csv or json (default: from the file name)').choices([
          ...INPUT_FORMATS,
        ]),
      )
      .option(
        '--encoding <label>',
        'the text encoding of the file, e.g. windows-1256 (default utf-8; a byte not valid in it refuses the file)',
      )
      .option('--dry-run', 'check every row, write nothing')
      .option(
        '--skip-invalid',
        'import the valid rows and report the rejected ones (default: all-or-nothing)',
      )
      .option(
        '--rejects <file>',
        'where to write the rejected rows with line, field and reason (default <file>.rejects.csv)',
      )
      .option('--json', 'print the whole report as JSON');
    // A places file makes no records: status, credibility and batches mean nothing for it. They
    // are parsed (hidden) only to be refused with a reason, not silently ignored.
    const records = [
      new Option(
        '--status <status>',
        'workflow status of the rows: draft (default) or submitted; an import never verifies (a status column saying verified, disputed or retracted is ignored, with a warning)',
      ).choices([...IMPORT_STATUSES]),
      new Option(
        '--credibility <1-6>',
        'credibility of attestations and claims without one (default 6, cannot be judged)',
      ).argParser(intOption('credibility', 1, 6)),
      new Option('--batch-size <rows>', 'rows per batch (default 2000)').argParser(
        intOption('batch-size', 1, 50_000),
      ),
    ];
    for (const option of records) cmd.addOption(kind === 'locations' ? option.hideHelp() : option);
    if (kind === 'victims') {
      cmd
        .addOption(
          new Option(
            '--harm <harm>',
            'harm of rows without a harm column (default killed)',
          ).choices([...HARMS]),
        )
        .option('--incident <id>', 'link rows without an incident_id to this incident')
        .option(
          '--strict',
          'refuse a row for any field that cannot be read, and the file for an unknown column (default: only rows of which no record can be made are refused; an unreadable field is left empty, its text kept, with a warning)',
        )
        .option(
          '--default-year <year>',
          'the year of dates written without one ("۱۲ آبان"): Solar Hijri below 1700 (1401), else Gregorian',
          intOption('default-year', 1300, 2100),
        )
        .option(
          '--place-rows',
          "with --json: every row's place as its record holds it after the import (places.rows)",
        )
        .option(
          '--id-scope <name>',
          "the list the file's own ids (jvn_…) belong to, so that a corrected version updates the records it made (default: the file's name without its extension)",
        );
    }
    if (kind === 'locations') {
      cmd
        .option(
          '--strict',
          'refuse the file for an unknown column (default: the column is left out and reported)',
        )
        .option(
          '--id-scope <name>',
          "the list the file's own ids (external_id) belong to (default: the file's name without its extension)",
        )
        .option(
          '--no-replace',
          'do not re-place the records whose place text now resolves (run `locations replace` later)',
        );
    }
    cmd.action(async (file: string, o: ImportCliOptions) => {
      if (kind === 'locations') {
        const given = (
          [
            ['status', '--status'],
            ['credibility', '--credibility'],
            ['batchSize', '--batch-size'],
          ] as const
        ).filter(([key]) => o[key] !== undefined);
        if (given.length)
          throw usage(
            given[0][0],
            `${given.map(([, flag]) => flag).join(', ')}: a places file makes places, not records, so it has no workflow status, credibility or batches (see \`import locations --help\`)`,
          );
      }
      if (
        o.incident !== undefined &&
        !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(o.incident)
      ) {
        throw usage('incident', 'must be an incident id (UUID)');
      }
      const report = await withDb((ds) => runFileImport(ds, kind, file, o));
      const rejectsFile = report.rejected ? (o.rejects ?? `${file}.rejects.csv`) : null;
      if (o.json) out(JSON.stringify(report, null, 2));
      else printReport(report, rejectsFile);
      if (!report.written && !report.dryRun && report.rejected > 0) process.exitCode = 1;
    });
  }
}
