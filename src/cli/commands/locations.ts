import type { Command } from 'commander';
import { replacePlaces } from '../../imports/replace-places.js';
import type { WithDb } from '../types.js';
import { out } from './imports.js';

export function registerLocationCommands(program: Command, withDb: WithDb): void {
  const loc = program
    .command('locations')
    .description('The gazetteer: re-place records (import places with `import locations FILE`)');
  loc
    .command('replace')
    .description(
      'Re-place the records whose kept place text (place_original) now resolves to a more exact place: ' +
        'each audited, one version up; verified and disputed records are listed, not changed. ' +
        'Reports what was re-placed, what stays unresolved (with the nearest names) and what is ambiguous (with the candidates and their ids)',
    )
    .option('--dry-run', 'report what would be re-placed, write nothing')
    .option('--json', 'print the whole report as JSON')
    .action(async (o: { dryRun?: boolean; json?: boolean }) => {
      const report = await withDb((ds) => replacePlaces(ds, { dryRun: o.dryRun ?? false }));
      if (o.json) out(JSON.stringify(report, null, 2));
      else {
        for (const line of report.summary) out(line);
        for (const r of report.records.slice(0, 50))
          out(
            `  ${r.victimId}  "${r.text}" → ${r.to.nameEn} (${r.to.locationId}, ${r.to.precision})`,
          );
        if (report.records.length > 50) out(`  … ${report.replaced - 50} more (--json for all)`);
      }
    });
}
