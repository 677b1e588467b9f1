import fs from 'node:fs';
import type { DataSource } from 'typeorm';
import { seedFile } from '../src/common/project-root.js';
import type { ImportReport } from '../src/imports/import-report.js';
import { importVictims } from '../src/imports/victims-import.js';
import { SEED } from './seed.js';

export const DEMO_FILE = 'aban1398-victims.csv';

export function demoFile(): string {
  return seedFile(DEMO_FILE);
}

/**
 * The demo data: the real, unverified community list of people reported killed in November
 * 2019 (seed/data/aban1398-victims.csv), imported with skip-invalid and linked to the founding
 * incident when it is there. Idempotent: a second run finds every row already present.
 */
export async function seedDemo(ds: DataSource): Promise<ImportReport> {
  const incident = await ds.query<
    {
      id: string;
    }[]
  >(`SELECT id FROM incidents WHERE id = $1`, [SEED.incident]);
  return importVictims(ds, fs.createReadStream(demoFile()), {
    format: 'csv',
    mode: 'skip-invalid',
    harm: 'killed',
    incidentId: incident.length ? SEED.incident : null,
    fileName: DEMO_FILE,
  });
}
