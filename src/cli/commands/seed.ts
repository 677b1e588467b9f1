import type { Command } from 'commander';
import { demoFile, seedDemo } from '../../../seed/demo.js';
import { seedFoundingCase } from '../../../seed/seed.js';
import { AppError } from '../../common/errors.js';
import type { WithDb } from '../types.js';
import { info, out, printReport } from './imports.js';

export function registerSeedCommands(program: Command, withDb: WithDb): void {
  program
    .command('seed [what]')
    .description(
      'seed: the gazetteer and the founding case (Iran, November 2019); seed demo: also imports the real list ' +
        'seed/data/aban1398-victims.csv (562 people reported killed) with skip-invalid, and prints its report. Idempotent.',
    )
    .action(async (what: string | undefined) => {
      if (what !== undefined && what !== 'demo')
        throw AppError.invalid('what', 'must be nothing (the founding case) or demo');
      await withDb(async (ds) => {
        const r = await seedFoundingCase(ds);
        out(
          `founding case: ${r.created} records created, ${r.present} already present, ${r.updated ?? 0} places completed from the national gazetteer, ${r.moved ?? 0} moved into their county (${r.movedBelow ?? 0} places inside them with them), ${r.merged ?? 0} city entries that are their county merged into it (${r.mergedRecords ?? 0} records and ${r.mergedBelow ?? 0} places moved to the county)`,
        );
        if (what === 'demo') {
          info(`importing ${demoFile()} …`);
          const report = await seedDemo(ds);
          printReport(report, null);
        }
      });
    });
}
