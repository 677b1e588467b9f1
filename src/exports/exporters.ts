import type { DataSource } from 'typeorm';
import { exportClaims } from './claims-export.js';
import type { ExportKind, ExportOptions, ExportSummary } from './export-common.js';
import { exportIncidents } from './incidents-export.js';
import { exportSources } from './sources-export.js';
import { exportVictims } from './victims-export.js';
import type { Sink } from './writers.js';

// One file per kind of record (victims-export.ts, sources-export.ts, claims-export.ts,
// incidents-export.ts), what they share in export-common.ts, the formats in writers.ts.
export {
  EXPORT_KINDS,
  RESTRICTED_FIELDS,
  type ExportKind,
  type ExportOptions,
  type ExportSummary,
} from './export-common.js';
export { exportClaims, exportIncidents, exportSources, exportVictims };

export function exportKind(
  kind: ExportKind,
  ds: DataSource,
  sink: Sink,
  opt: ExportOptions,
): Promise<ExportSummary> {
  switch (kind) {
    case 'victims':
      return exportVictims(ds, sink, opt);
    case 'sources':
      return exportSources(ds, sink, opt);
    case 'claims':
      return exportClaims(ds, sink, opt);
    case 'incidents':
      return exportIncidents(ds, sink, opt);
    default: {
      const never: never = kind;
      return never;
    }
  }
}
