import type { DataSource } from 'typeorm';
import { ScanRunning, scanDuplicates } from '../duplicates/duplicates-scan.js';
import { summarize, type ImportReport } from './import-report.js';
import type { ImportOptions } from './import-run.js';

/**
 * Record linkage for the records an import wrote, run right after its transaction committed
 * (not inside it: on the embedded engine a long transaction stalls every request, and the
 * records are there whether or not a duplicate is found). Its outcome goes into the report.
 */
export async function linkAfter(
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
