import { AppError } from '../common/errors.js';
import type { ReportBuilder } from './import-report.js';
import type { InputRecord } from './record-reader.js';

/**
 * The workflow statuses an import may give a record. Verified, disputed and retracted are a
 * reviewer's decisions, made one record at a time through the workflow: a file cannot make them,
 * whatever it says (docs/import-export.md).
 */
export const IMPORT_STATUSES = ['draft', 'submitted'] as const;

const ALLOWED: readonly string[] = IMPORT_STATUSES;

/** The import's own status (`?status=`, `--status`): draft or submitted, or a 400 naming it. */
export function checkImportStatus(status: string | undefined): void {
  if (status !== undefined && !ALLOWED.includes(status)) {
    throw AppError.invalid(
      'status',
      `an import creates ${IMPORT_STATUSES.join(' or ')} records only, not ${status}: a reviewer verifies, disputes or retracts a record through POST /api/{victims,incidents,claims}/{id}/status`,
    );
  }
}

/**
 * The records with their `status` column trusted only when it says draft or submitted: any
 * other value (verified, disputed, retracted, or anything else) is dropped, so the row takes the
 * import's status, and the report counts the rows so changed. Applied before the rows are read,
 * so no reading of a row can turn a file's "verified" into a verified record.
 */
export async function* withImportableStatus(
  records: AsyncIterable<InputRecord> | Iterable<InputRecord>,
  report: ReportBuilder,
  fallback: string,
): AsyncGenerator<InputRecord> {
  for await (const rec of records) {
    const v = rec.values.status;
    const text = typeof v === 'string' ? v.trim().toLowerCase() : v;
    if (v === undefined || v === null || text === '' || ALLOWED.includes(text as string)) {
      yield rec;
      continue;
    }
    const { status: _ignored, ...values } = rec.values;
    report.warn(
      rec.line,
      rec.n,
      'status',
      'status column ignored: an import never verifies, disputes or retracts',
      `status column ignored: an import never verifies, disputes or retracts (imported as ${fallback}; the file says ${typeof v === 'string' ? v : JSON.stringify(v)})`,
    );
    yield { ...rec, values };
  }
}
