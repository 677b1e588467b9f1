import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../common/actor.js';
import { AppError } from '../common/errors.js';
import { CLAIM_COLUMNS, importClaimRecords } from './claims-import.js';
import type { ImportQueryDto } from './dto/import-query.dto.js';
import type { ImportKind, ImportMode, ImportReport } from './import-report.js';
import { fileError, readRecords, recordsOfParsed, type InputRecord } from './record-reader.js';
import { importSourceRecords, SOURCE_COLUMNS } from './sources-import.js';
import { VICTIM_COLUMNS } from './victim-rows.js';
import { importVictimRecords, type ImportOptions } from './victims-import.js';

const COLUMNS: Record<ImportKind, ReadonlySet<string>> = {
  victims: VICTIM_COLUMNS,
  sources: SOURCE_COLUMNS,
  claims: CLAIM_COLUMNS,
};

/** Runs an import of the given kind over records, the same for the CLI and HTTP. */
export function importRecords(
  ds: DataSource,
  kind: ImportKind,
  records: AsyncIterable<InputRecord> | Iterable<InputRecord>,
  opt: ImportOptions,
): Promise<ImportReport> {
  switch (kind) {
    case 'victims':
      return importVictimRecords(ds, records, opt);
    case 'sources':
      return importSourceRecords(ds, records, opt);
    case 'claims':
      return importClaimRecords(ds, records, opt);
    default: {
      const never: never = kind;
      return never;
    }
  }
}

export function columnsOf(kind: ImportKind): ReadonlySet<string> {
  return COLUMNS[kind];
}

/** POST /api/imports: the body is the file (CSV text or a JSON array). */
@Injectable()
export class ImportsService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async run(
    q: ImportQueryDto,
    body: unknown,
    contentType: string | undefined,
    actor: Actor,
  ): Promise<ImportReport> {
    const kind = q.kind as ImportKind;
    const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
    let records: AsyncIterable<InputRecord> | Iterable<InputRecord>;
    if (type === 'text/csv' || type === 'text/plain') {
      if (typeof body !== 'string' || body.trim() === '')
        throw fileError('the body is empty: send the CSV file as the body');
      records = readRecords(Readable.from([body]), 'csv', COLUMNS[kind]);
    } else if (type === 'application/json') {
      records = recordsOfParsed(body, COLUMNS[kind]);
    } else {
      throw new AppError(
        'validation',
        'Send the file as the body, with Content-Type text/csv or application/json',
        {
          errors: [
            {
              field: 'Content-Type',
              reason: `must be text/csv or application/json, not "${type || 'none'}"`,
            },
          ],
        },
      );
    }
    const report = await importRecords(this.ds, kind, records, {
      mode: (q.mode ?? 'all-or-nothing') as ImportMode,
      dryRun: q.dryRun ?? false,
      actor,
      harm: q.harm,
      status: q.status,
      incidentId: q.incident ?? null,
      credibility: q.credibility,
      fileName: 'HTTP upload',
    });
    if (!report.written && !report.dryRun && report.rejected > 0) {
      throw new AppError(
        'unprocessable',
        `Nothing was imported: ${report.rejected} of ${report.read} rows are rejected. ${report.summary[1] ?? ''}`.trim(),
        {
          errors: report.rejects.map((r) => ({
            field: r.field,
            reason: r.reason,
            line: r.line,
            record: r.record,
          })),
          report,
        },
      );
    }
    return report;
  }
}
