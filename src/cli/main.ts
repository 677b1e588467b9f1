import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { AppError } from '../common/errors.js';
import { ConfigError } from '../config/configuration.js';
import { DataDirLockedError } from '../database/embedded.js';
import { ImportFileError } from '../imports/record-reader.js';
import { registerDbCommands } from './commands/db.js';
import { registerDuplicateCommands } from './commands/duplicates.js';
import { registerExportCommands } from './commands/exports.js';
import { registerImportCommands } from './commands/imports.js';
import { registerLocationCommands } from './commands/locations.js';
import { registerSeedCommands } from './commands/seed.js';
import { registerUserCommands } from './commands/users.js';
import { makeWithDb, RefusedError } from './db.js';

/** Exit codes: 0 done; 1 rejected rows (all-or-nothing) or an error; 2 a usage error. */
const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

interface Candidate {
  id: string;
  kind: string;
  nameEn: string;
  nameFa: string | null;
  parent: { nameEn: string | null } | null;
}

function describe(e: AppError): string {
  const details = (e.details.errors ?? []).map((p) => `  ${p.field}: ${p.reason}`);
  // An ambiguous place name lists its candidates, with the ids to pass instead.
  const candidates = ((e.details.candidates ?? []) as Candidate[]).map(
    (c) =>
      `  ${c.id}  ${c.kind} ${c.nameEn}${c.nameFa ? ` (${c.nameFa})` : ''}${c.parent?.nameEn ? `, in ${c.parent.nameEn}` : ''}`,
  );
  return [
    e.message,
    ...details.filter((d) => !e.message.includes(d.trim())),
    ...(candidates.length ? ['candidates:', ...candidates] : []),
  ].join('\n');
}

export function buildProgram(): Command {
  const program = new Command('casualty-ledger');
  program
    .description(
      'casualty-ledger: imports, exports, seeds, the database, users and tokens. Every command works whether or not the service is running.',
    )
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  const withDb = makeWithDb({ log: (line) => process.stderr.write(`${line}\n`) });
  registerImportCommands(program, withDb);
  registerExportCommands(program, withDb);
  registerSeedCommands(program, withDb);
  registerDbCommands(program);
  registerUserCommands(program, withDb);
  registerDuplicateCommands(program, withDb);
  registerLocationCommands(program, withDb);
  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof ImportFileError) {
      process.stderr.write(`${describe(e)}\n`);
      return EXIT.failed;
    }
    if (e instanceof AppError) {
      process.stderr.write(`${describe(e)}\n`);
      return e.code === 'validation' || e.code === 'ambiguous' ? EXIT.usage : EXIT.failed;
    }
    if (e instanceof ConfigError || e instanceof DataDirLockedError || e instanceof RefusedError) {
      process.stderr.write(`${e.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT.failed;
  }
}

// `… | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(EXIT.ok);
  throw e;
});

void main(process.argv).then((code) => {
  process.exitCode = code;
  // Output drains first; a handle left open (a pool, a socket) must not keep the command alive.
  setTimeout(() => process.exit(code), 5000).unref();
});
