import { InvalidArgumentError, Option, type Command } from 'commander';
import { isEmail, isUUID } from 'class-validator';
import type { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { SYSTEM_ACTOR } from '../../common/actor.js';
import { ROLES } from '../../common/domain.js';
import { AppError } from '../../common/errors.js';
import { loadConfig } from '../../config/configuration.js';
import { TokensRepository } from '../../users/tokens.repository.js';
import { TokensService } from '../../users/tokens.service.js';
import { UsersRepository } from '../../users/users.repository.js';
import { UsersService } from '../../users/users.service.js';
import type { RegisterCommands } from '../types.js';

function services(ds: DataSource): { users: UsersService; tokens: TokensService } {
  const audit = new AuditService();
  const users = new UsersService(ds, audit, new UsersRepository());
  return {
    users,
    tokens: new TokensService(
      ds,
      audit,
      users,
      { tokenDefaultDays: loadConfig().tokenDefaultDays },
      new TokensRepository(),
    ),
  };
}

const out = (line = ''): void => void process.stdout.write(`${line}\n`);
const info = (line: string): void => void process.stderr.write(`${line}\n`);

function table(rows: Record<string, string>[]): void {
  if (!rows.length) return out('(none)');
  const cols = Object.keys(rows[0]);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]): string =>
    cells
      .map((s, i) => s.padEnd(width[i]))
      .join('  ')
      .trimEnd();
  out(line(cols));
  for (const r of rows) out(line(cols.map((c) => r[c])));
}

/** Commander turns InvalidArgumentError into its usual "option … argument … is invalid" message. */
function days(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 3650) {
    throw new InvalidArgumentError('must be a whole number of days from 1 to 3650');
  }
  return Number(raw);
}

/** The whole of stdin (piped), or one line typed at a prompt that does not echo. */
async function readPassword(fromStdin: boolean): Promise<string> {
  const stdin = process.stdin;
  if (fromStdin || !stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
    return Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }
  process.stderr.write('Password (not shown): ');
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve) => {
    let typed = '';
    const onData = (b: Buffer): void => {
      for (const ch of b.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          return resolve(typed);
        }
        if (ch === '\u0003') process.exit(130);
        typed = ch === '\u007f' ? typed.slice(0, -1) : typed + ch;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * `users create|list|disable|enable|set-password` and `tokens create|list|revoke`. Changes are
 * audited with the system as actor, like every command run from the operator's shell.
 */
export const registerUserCommands: RegisterCommands = (program: Command, withDb) => {
  const users = program
    .command('users')
    .description('Accounts: viewer < researcher < reviewer < admin');

  users
    .command('create')
    .description('Create an account')
    .requiredOption('--name <name>', 'display name')
    .option('--email <email>', 'email (unique)')
    .addOption(new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
    .action(async (o: { name: string; email?: string; role: string }) => {
      if (o.email !== undefined && !isEmail(o.email))
        throw AppError.invalid('email', 'must be an email address');
      if (!o.name.trim()) throw AppError.invalid('name', 'must not be empty');
      const u = await withDb((ds) =>
        services(ds).users.create(
          { name: o.name.trim(), email: o.email, role: o.role },
          SYSTEM_ACTOR,
        ),
      );
      out(`created ${u.role} ${u.name} (${u.id})`);
      info(`Issue a token with: npm run cli -- tokens create --user ${u.id}`);
    });

  users
    .command('list')
    .description('List accounts')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const all = await withDb(async (ds) => {
        const s = services(ds).users;
        const rows = [];
        for (let offset = 0; ; offset += 200) {
          const page = await s.list({ limit: 200, offset });
          rows.push(...page.items);
          if (rows.length >= page.total || !page.items.length) return rows;
        }
      });
      if (o.json) return out(JSON.stringify(all, null, 2));
      table(
        all.map((u) => ({
          id: u.id,
          role: u.role,
          name: u.name,
          email: u.email ?? '',
          state: u.disabled ? 'disabled' : 'active',
        })),
      );
    });

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    users
      .command(`${name} <user>`)
      .description(
        disabled
          ? 'Disable an account (id or email): its tokens stop working at once'
          : 'Enable a disabled account',
      )
      .action(async (ref: string) => {
        const u = await withDb((ds) => services(ds).users.update(ref, { disabled }, SYSTEM_ACTOR));
        out(`${u.disabled ? 'disabled' : 'enabled'} ${u.name} (${u.id})`);
      });
  }

  users
    .command('set-password <user>')
    .description(
      'Set the password (for the web interface) of an account, id or email; read from a prompt or stdin',
    )
    .option('--password-stdin', 'read the password from stdin')
    .action(async (ref: string, o: { passwordStdin?: boolean }) => {
      const password = await readPassword(o.passwordStdin === true);
      const u = await withDb((ds) => services(ds).users.setPassword(ref, password, SYSTEM_ACTOR));
      out(`password set for ${u.name} (${u.id})`);
    });

  const tokens = program
    .command('tokens')
    .description('API tokens (Authorization: Bearer <token>)');

  tokens
    .command('create')
    .description('Issue a token; it is printed this once and stored only as a hash')
    .requiredOption('--user <user>', 'the account, by id or email')
    .option('--name <name>', 'what the token is for', 'cli')
    .option('--expires-days <days>', 'days until it expires (default TOKEN_DEFAULT_DAYS, 90)', days)
    .action(async (o: { user: string; name: string; expiresDays?: number }) => {
      const t = await withDb((ds) =>
        services(ds).tokens.create(
          o.user,
          { name: o.name, expiresInDays: o.expiresDays },
          SYSTEM_ACTOR,
        ),
      );
      info(`token ${t.id} for user ${t.userId}, expires ${t.expiresAt}. It is shown only now:`);
      out(t.token);
    });

  tokens
    .command('list')
    .description('List tokens (never the secrets)')
    .option('--user <user>', 'only this account, by id or email')
    .option('--json', 'print JSON')
    .action(async (o: { user?: string; json?: boolean }) => {
      const rows = await withDb(async (ds) => {
        const s = services(ds);
        if (!o.user) return s.tokens.listAll();
        const u = await s.users.get(o.user);
        return (await s.tokens.listForUser(u.id, SYSTEM_ACTOR)).map((t) => ({
          ...t,
          userName: u.name,
        }));
      });
      if (o.json) return out(JSON.stringify(rows, null, 2));
      table(
        rows.map((t) => ({
          id: t.id,
          prefix: t.prefix,
          user: t.userName,
          name: t.name,
          state: t.state,
          expires: t.expiresAt ?? '',
          'last used': t.lastUsedAt ?? '',
        })),
      );
    });

  tokens
    .command('revoke <id>')
    .description('Revoke a token at once')
    .action(async (id: string) => {
      if (!isUUID(id)) throw AppError.invalid('id', 'must be a token id (UUID)');
      const t = await withDb((ds) => services(ds).tokens.revoke(id, SYSTEM_ACTOR));
      out(`revoked ${t.prefix}… (${t.id})`);
    });
};
