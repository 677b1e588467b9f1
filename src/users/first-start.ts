import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { SYSTEM_ACTOR } from '../common/actor.js';
import type { AppConfig } from '../config/configuration.js';
import { TokensRepository } from './tokens.repository.js';
import { TokensService } from './tokens.service.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

export interface FirstStartResult {
  /** The new admin's id, or null when accounts already existed. */
  adminId: string | null;
}

/**
 * On a fresh install (no account at all) creates an admin and prints its token once. Only the
 * token's hash is stored, so it can never be shown again: a lost one is replaced from the CLI.
 */
export async function onFirstStart(
  app: INestApplication,
  config: Pick<AppConfig, 'tokenDefaultDays'>,
  log: (line: string) => void,
): Promise<FirstStartResult> {
  const ds = app.get(DataSource);
  const audit = new AuditService();
  const users = new UsersService(ds, audit, new UsersRepository());
  const tokens = new TokensService(ds, audit, users, config, new TokensRepository());
  const created = await ds.transaction(async (m) => {
    // Two instances starting on one empty server must not both create an admin.
    await m.query('LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE');
    const [{ n }] = await m.query<{ n: number }[]>('SELECT count(*)::int AS n FROM users');
    if (n > 0) return null;
    const admin = await users.create({ name: 'admin', role: 'admin' }, SYSTEM_ACTOR, m);
    const token = await tokens.create(admin.id, { name: 'first start' }, SYSTEM_ACTOR, m);
    return { admin, token };
  });
  if (!created) return { adminId: null };
  const rule = '='.repeat(78);
  log(
    [
      rule,
      'First start: no account existed, so an administrator account "admin" was created.',
      'Its API token is shown this once and stored only as a hash. Keep it somewhere safe:',
      '',
      `    ${created.token.token}`,
      '',
      `Send it as the header  Authorization: Bearer <token>  (it expires ${created.token.expiresAt}).`,
      'Create accounts and tokens with: npm run cli -- users create … / tokens create …',
      rule,
    ].join('\n'),
  );
  return { adminId: created.admin.id };
}
