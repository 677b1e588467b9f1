import fs from 'node:fs';
import { Option, type Command } from 'commander';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { SYSTEM_ACTOR } from '../../common/actor.js';
import {
  AGE_BANDS,
  CALENDARS,
  CAUSES,
  CONFIDENCES,
  GENDERS,
  HARMS,
  PERPETRATORS,
} from '../../common/domain.js';
import { AppError, type FieldProblem } from '../../common/errors.js';
import { EXPORT_KINDS, exportKind, type ExportKind } from '../../exports/exporters.js';
import { EXPORT_FORMATS, streamSink, type ExportFormat } from '../../exports/writers.js';
import { VictimFilterDto } from '../../victim-scope/victim-filter.js';
import type { WithDb } from '../types.js';
import { info } from './imports.js';

interface ExportCliOptions {
  format: ExportFormat;
  out?: string;
  public?: boolean;
  /** commander's --no-bom: false when given. */
  bom: boolean;
  location?: string;
  from?: string;
  to?: string;
  calendar?: string;
  dateMatch?: string;
  category?: string;
  gender?: string;
  ageMin?: string;
  ageMax?: string;
  ageBand?: string;
  perpetrator?: string;
  cause?: string;
  incident?: string;
  source?: string;
  minConfidence?: string;
  status?: string;
}

const FILTERS = [
  'location',
  'from',
  'to',
  'calendar',
  'dateMatch',
  'category',
  'gender',
  'ageMin',
  'ageMax',
  'ageBand',
  'perpetrator',
  'cause',
  'incident',
  'source',
  'minConfidence',
  'status',
] as const;

/** The victim filters, checked by the very rules of GET /api/victims. */
export async function victimFilter(o: ExportCliOptions): Promise<VictimFilterDto> {
  const given = Object.fromEntries(FILTERS.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
  const dto = plainToInstance(VictimFilterDto, given);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) {
    const problems: FieldProblem[] = errors.flatMap((e) =>
      Object.values(e.constraints ?? {}).map((reason) => ({ field: e.property, reason })),
    );
    throw new AppError(
      'validation',
      `Invalid filter: ${problems.map((p) => p.reason).join('; ')}`,
      { errors: problems },
    );
  }
  return dto;
}

export function registerExportCommands(program: Command, withDb: WithDb): void {
  program
    .command('export <kind>')
    .description(
      `Export ${EXPORT_KINDS.join(', ')} as CSV, JSON or GeoJSON, streamed to a file or stdout`,
    )
    .addOption(
      new Option('--format <format>', 'csv, json or geojson (geojson: not for sources)')
        .choices([...EXPORT_FORMATS])
        .default('csv'),
    )
    .option('--out <file>', 'write to this file (default: stdout)')
    .option(
      '--public',
      'as the public sees it: verified records, no restricted field, no restricted source',
    )
    .option(
      '--no-bom',
      'CSV: leave out the UTF-8 byte-order mark (by default it is written: spreadsheets need it to show Persian)',
    )
    .option('--location <place>', 'victims: a place id or any name; includes everything inside it')
    .option(
      '--from <date>',
      'victims: start of the date window (ISO, partial, or Solar Hijri with its calendar)',
    )
    .option('--to <date>', 'victims: end of the date window (inclusive)')
    .addOption(
      new Option('--calendar <calendar>', 'victims: calendar of bare-digit --from/--to').choices([
        ...CALENDARS,
      ]),
    )
    .addOption(
      new Option('--date-match <match>', 'victims: any (default) or certain').choices([
        'any',
        'certain',
      ]),
    )
    .addOption(new Option('--category <harm>', 'victims: the harm').choices([...HARMS]))
    .addOption(new Option('--gender <gender>', 'victims: gender').choices([...GENDERS]))
    .option('--age-min <age>', 'victims: youngest age')
    .option('--age-max <age>', 'victims: oldest age')
    .addOption(new Option('--age-band <band>', 'victims: age band').choices([...AGE_BANDS]))
    .addOption(new Option('--perpetrator <p>', 'victims: perpetrator').choices([...PERPETRATORS]))
    .addOption(new Option('--cause <cause>', 'victims: cause').choices([...CAUSES]))
    .option('--incident <id>', 'victims: incident id')
    .option('--source <id>', 'victims: only those attested by this source')
    .addOption(
      new Option('--min-confidence <level>', 'victims: least derived confidence').choices([
        ...CONFIDENCES,
      ]),
    )
    .option(
      '--status <list>',
      'victims: workflow statuses, comma-separated (default: all but retracted)',
    )
    .action(async (kind: string, o: ExportCliOptions) => {
      if (!(EXPORT_KINDS as readonly string[]).includes(kind)) {
        throw AppError.invalid('kind', `must be one of ${EXPORT_KINDS.join(', ')}`);
      }
      const usedFilters = FILTERS.filter((k) => o[k] !== undefined);
      if (kind !== 'victims' && usedFilters.length) {
        throw AppError.invalid(usedFilters[0], 'filters apply to victims exports only');
      }
      const filter = kind === 'victims' ? await victimFilter(o) : undefined;
      const summary = await withDb(async (ds) => {
        const stream = o.out ? fs.createWriteStream(o.out) : process.stdout;
        try {
          return await exportKind(kind as ExportKind, ds, streamSink(stream), {
            format: o.format,
            actor: SYSTEM_ACTOR,
            publicView: o.public ?? false,
            filter,
            bom: o.bom,
          });
        } finally {
          if (o.out)
            await new Promise<void>((resolve) => (stream as fs.WriteStream).end(() => resolve()));
        }
      });
      if (summary.locationNote) info(`location: ${summary.locationNote}`);
      const where = o.out ? ` to ${o.out}` : '';
      info(
        `exported ${summary.records} ${kind}${where} (${summary.format}${summary.restricted ? ', with restricted data' : ', public view'})` +
          (summary.unlocated !== undefined
            ? `; ${summary.located} on the map, ${summary.unlocated} without coordinates (listed under "unlocated")`
            : ''),
      );
    });
}
