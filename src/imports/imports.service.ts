import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { atLeast, type Actor } from '../common/actor.js';
import { AppError } from '../common/errors.js';
import { APP_CONFIG } from '../config/config.module.js';
import { sizeInBytes, type AppConfig } from '../config/configuration.js';
import { CLAIM_COLUMNS } from './claim-rows.js';
import { importClaimRecords } from './claims-import.js';
import type { ImportQueryDto } from './dto/import-query.dto.js';
import type { ImportKind, ImportMode, ImportReport } from './import-report.js';
import {
  fileError,
  readRecords,
  textEncoding,
  type ColumnPolicy,
  type InputRecord,
} from './record-reader.js';
import { SOURCE_COLUMNS } from './source-rows.js';
import { importSourceRecords } from './sources-import.js';
import {
  importLocationRecords,
  LOCATION_COLUMNS,
  locationColumnPolicy,
} from './locations-import.js';
import { VICTIM_COLUMNS } from './victim-rows.js';
import type { ImportOptions } from './import-run.js';
import { importVictimRecords, victimColumnPolicy } from './victims-import.js';

const COLUMNS: Record<ImportKind, ReadonlySet<string>> = {
  victims: VICTIM_COLUMNS,
  sources: SOURCE_COLUMNS,
  claims: CLAIM_COLUMNS,
  locations: LOCATION_COLUMNS,
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
    case 'locations':
      return importLocationRecords(ds, records, opt);
    default: {
      const never: never = kind;
      return never;
    }
  }
}

export function columnsOf(kind: ImportKind): ReadonlySet<string> {
  return COLUMNS[kind];
}

/** How a file's columns are read: victims and places read aliases and report unknown columns. */
export function columnPolicyOf(
  kind: ImportKind,
  strict: boolean,
  found: Map<string, string | null>,
): ColumnPolicy | undefined {
  if (kind === 'victims') return victimColumnPolicy(strict, found);
  if (kind === 'locations') return locationColumnPolicy(strict, found);
  return undefined;
}

/** POST /api/imports: the body is the file (CSV text or a JSON array). */
@Injectable()
export class ImportsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'importBodyLimit'>,
  ) {}

  /**
   * `body`: the request itself (a stream: the CSV or JSON file is read as it arrives and imported
   * a batch at a time, so memory stays flat however large it is), or the file's text.
   */
  async run(
    q: ImportQueryDto,
    body: unknown,
    contentType: string | undefined,
    actor: Actor,
  ): Promise<ImportReport> {
    const kind = q.kind as ImportKind;
    // Places are everyone's: a new place, or a name learned, re-places records of every
    // researcher, so a reviewer imports them (docs/access.md).
    if (kind === 'locations' && !atLeast(actor, 'reviewer')) {
      if (body instanceof Readable) body.resume();
      throw new AppError('forbidden', 'Only a reviewer or an admin may import places', {
        requiredRole: 'reviewer',
        errors: [{ field: 'kind', reason: 'kind=locations needs a reviewer' }],
      });
    }
    const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
    let records: AsyncIterable<InputRecord>;
    const unknownColumns = new Map<string, string | null>();
    if (type === 'text/csv' || type === 'text/plain' || type === 'application/json') {
      const csv = type !== 'application/json';
      const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
      const encoding = charset ? textEncoding(charset[1], 'Content-Type') : 'utf-8';
      const input =
        body instanceof Readable
          ? body
          : typeof body === 'string'
            ? Readable.from([body])
            : Readable.from([]);
      const file = await nonEmpty(limited(input, sizeInBytes(this.config.importBodyLimit)));
      if (!file) {
        throw fileError(`the body is empty: send the ${csv ? 'CSV' : 'JSON'} file as the body`);
      }
      const policy = columnPolicyOf(kind, q.strict ?? false, unknownColumns);
      records = csv
        ? readRecords(file, 'csv', COLUMNS[kind], encoding, policy)
        : numbered(readRecords(file, 'json', COLUMNS[kind], encoding, policy));
    } else {
      throw new AppError(
        'unsupported_media_type',
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
      strict: q.strict ?? false,
      defaultYear: q.defaultYear,
      idScope: q.idScope,
      replace: q.replace,
      placeRows: q.placeRows ?? false,
      unknownColumns,
      fileName: 'HTTP upload',
    }).finally(() => {
      // An import that stopped before the end of a streamed body (a bad file): drain the rest.
      if (body instanceof Readable && !body.readableEnded) body.resume();
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

/**
 * A JSON body's records with `line` as their number in the array: a JSON body sent by a program
 * is often one line long, and the record's number is what finds it.
 */
async function* numbered(records: AsyncIterable<InputRecord>): AsyncGenerator<InputRecord> {
  for await (const r of records) yield { ...r, line: r.n };
}

/** The chunks of a body, refused (413) once it grows past the limit. */
async function* limited(input: Readable, limit: number): AsyncGenerator<Buffer> {
  let size = 0;
  // Not destroyed when the import stops reading (a bad file, the limit): the rest of the body is
  // drained, so the answer reaches the client instead of a reset connection.
  for await (const chunk of input.iterator({ destroyOnReturn: false }) as AsyncIterable<
    Buffer | string
  >) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > limit) {
      input.resume();
      throw new AppError('payload_too_large', 'The body is larger than this endpoint accepts', {
        errors: [{ field: 'body', reason: `too large: at most ${limit} bytes` }],
      });
    }
    yield buf;
  }
}

/**
 * The body, or null when it holds nothing but white space: read up to its first visible
 * character before the import starts, so an empty upload is refused without starting one.
 */
async function nonEmpty(chunks: AsyncGenerator<Buffer>): Promise<AsyncIterable<Buffer> | null> {
  const seen: Buffer[] = [];
  for (;;) {
    const next = await chunks.next();
    if (next.done) return null;
    seen.push(next.value);
    if (next.value.toString('utf8').trim() !== '') break;
  }
  return (async function* () {
    yield* seen;
    yield* chunks;
  })();
}
