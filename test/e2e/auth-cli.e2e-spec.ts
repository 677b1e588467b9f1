import { Readable } from 'node:stream';
import { Command, CommanderError } from 'commander';
import request from 'supertest';
import { registerUserCommands } from '../../src/cli/commands/users.js';
import { AppError } from '../../src/common/errors.js';
import { onFirstStart } from '../../src/users/first-start.js';
import { verifyPassword } from '../../src/users/passwords.js';
import { hashToken } from '../../src/users/token-secret.js';
import { createTestApp, resetDatabase, type TestApp } from '../setup/app.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe('users and tokens from the CLI, and the first start', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /** Runs one CLI command on the test database; what it printed, split by stream. */
  async function cli(...args: string[]): Promise<{ out: string; err: string }> {
    const program = new Command()
      .exitOverride()
      .configureOutput({ writeOut: () => {}, writeErr: () => {} });
    registerUserCommands(program, (fn) => fn(t.ds));
    let out = '';
    let err = '';
    const o = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation(((c: string) => ((out += c), true)) as never);
    const e = jest
      .spyOn(process.stderr, 'write')
      .mockImplementation(((c: string) => ((err += c), true)) as never);
    try {
      await program.parseAsync(args, { from: 'user' });
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
    return { out, err };
  }

  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    (await t.ds.query<{ n: number }[]>(sql, params))[0].n;

  it('creates a user, issues a token printed once that works, lists and revokes it', async () => {
    const created = await cli(
      'users',
      'create',
      '--name',
      'Mahsa K.',
      '--email',
      'mahsa@example.org',
      '--role',
      'reviewer',
    );
    expect(created.out).toMatch(/^created reviewer Mahsa K\. \([0-9a-f-]{36}\)\n$/);
    const [user] = await t.ds.query<{ id: string; role: string }[]>(
      `SELECT id, role FROM users WHERE email = 'mahsa@example.org'`,
    );
    expect(user.role).toBe('reviewer');

    const issued = await cli(
      'tokens',
      'create',
      '--user',
      'MAHSA@example.org',
      '--name',
      'laptop',
      '--expires-days',
      '7',
    );
    const token = issued.out.trim();
    expect(token).toMatch(/^clt_[A-Za-z0-9_-]{43}$/);
    expect(issued.err).toContain('shown only now');
    const [row] = await t.ds.query<
      {
        id: string;
        token_hash: string;
        name: string;
        expires_at: Date;
      }[]
    >(`SELECT id, token_hash, name, expires_at FROM api_tokens WHERE user_id = $1`, [user.id]);
    expect(row).toMatchObject({ token_hash: hashToken(token), name: 'laptop' });
    expect(Math.round((row.expires_at.getTime() - Date.now()) / 86_400_000)).toBe(7);
    const me = await request(t.app.getHttpServer())
      .get('/api/me')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(me.body).toMatchObject({ id: user.id, role: 'reviewer' });

    const listed = await cli('tokens', 'list', '--user', user.id);
    expect(listed.out).toContain(token.slice(0, 12));
    expect(listed.out).toContain('active');
    expect(listed.out).not.toContain(token);
    const all = JSON.parse((await cli('tokens', 'list', '--json')).out) as {
      id: string;
      userName: string;
    }[];
    expect(all.find((x) => x.id === row.id)?.userName).toBe('Mahsa K.');

    expect((await cli('tokens', 'revoke', row.id)).out).toContain(`revoked ${token.slice(0, 12)}`);
    await request(t.app.getHttpServer())
      .get('/api/me')
      .set('Authorization', `Bearer ${token}`)
      .expect(401);

    const audit = await t.ds.query<object[]>(
      `SELECT action, actor_id, entity FROM audit_log WHERE entity_id IN ($1, $2) ORDER BY id`,
      [user.id, row.id],
    );
    expect(audit).toEqual([
      { action: 'create', actor_id: null, entity: 'users' },
      { action: 'create', actor_id: null, entity: 'api_tokens' },
      { action: 'update', actor_id: null, entity: 'api_tokens' },
    ]);
  });

  it('lists, disables and enables users', async () => {
    const list = JSON.parse((await cli('users', 'list', '--json')).out) as {
      id: string;
      role: string;
    }[];
    expect(list.map((u) => u.id)).toEqual(
      expect.arrayContaining(Object.values(t.users).map((u) => u.id)),
    );
    expect((await cli('users', 'list')).out).toMatch(/^id\s+role\s+name\s+email\s+state\n/);

    const u = t.users.viewer;
    expect((await cli('users', 'disable', u.email)).out).toContain('disabled');
    await u.http().get('/api/me').expect(401);
    await cli('users', 'enable', u.id);
    await u.http().get('/api/me').expect(200);
  });

  it('sets a password (scrypt), read from stdin, never stored in clear', async () => {
    const stdin = jest
      .spyOn(process, 'stdin', 'get')
      .mockReturnValue(Readable.from(['a long passphrase 1398\n']) as never);
    try {
      expect(
        (await cli('users', 'set-password', t.users.researcher.id, '--password-stdin')).out,
      ).toContain('password set');
    } finally {
      stdin.mockRestore();
    }
    const [row] = await t.ds.query<{ password_hash: string }[]>(
      `SELECT password_hash FROM users WHERE id = $1`,
      [t.users.researcher.id],
    );
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row.password_hash).not.toContain('passphrase');
    await expect(verifyPassword('a long passphrase 1398', row.password_hash)).resolves.toBe(true);
    const audit = await t.ds.query<{ after: object }[]>(
      `SELECT after FROM audit_log WHERE entity_id = $1 AND reason = 'password set'`,
      [t.users.researcher.id],
    );
    expect(audit).toEqual([{ after: { passwordChanged: true } }]);
    expect(JSON.stringify(audit)).not.toContain('scrypt');
  });

  describe('bad input', () => {
    const users = (): Promise<number> => count('SELECT count(*)::int AS n FROM users');
    const tokens = (): Promise<number> => count('SELECT count(*)::int AS n FROM api_tokens');

    it.each([
      [
        'an unknown role',
        ['users', 'create', '--name', 'X', '--role', 'superuser'],
        CommanderError,
      ],
      ['a missing role', ['users', 'create', '--name', 'X'], CommanderError],
      [
        'a bad email',
        ['users', 'create', '--name', 'X', '--role', 'viewer', '--email', 'nope'],
        AppError,
      ],
      ['an empty name', ['users', 'create', '--name', '  ', '--role', 'viewer'], AppError],
      ['an unknown user for a token', ['tokens', 'create', '--user', MISSING], AppError],
      [
        'an unknown email for a token',
        ['tokens', 'create', '--user', 'nobody@example.org'],
        AppError,
      ],
      [
        'an expiry of zero days',
        ['tokens', 'create', '--user', MISSING, '--expires-days', '0'],
        CommanderError,
      ],
      [
        'an expiry that is not a number',
        ['tokens', 'create', '--user', MISSING, '--expires-days', 'soon'],
        CommanderError,
      ],
      ['a token id that is not a UUID', ['tokens', 'revoke', '42'], AppError],
      ['an unknown token', ['tokens', 'revoke', MISSING], AppError],
      ['disabling an unknown user', ['users', 'disable', 'ghost@example.org'], AppError],
    ])('refuses %s and writes nothing', async (_n, args, kind) => {
      const [u, tk] = [await users(), await tokens()];
      await expect(cli(...args)).rejects.toBeInstanceOf(kind);
      expect([await users(), await tokens()]).toEqual([u, tk]);
    });

    it('refuses a short password and keeps the old one', async () => {
      const stdin = jest
        .spyOn(process, 'stdin', 'get')
        .mockReturnValue(Readable.from(['short\n']) as never);
      try {
        await expect(
          cli('users', 'set-password', t.users.reviewer.id, '--password-stdin'),
        ).rejects.toMatchObject({
          code: 'validation',
          details: { errors: [{ field: 'password', reason: 'must be at least 12 characters' }] },
        });
      } finally {
        stdin.mockRestore();
      }
      expect(
        await count(
          `SELECT count(*)::int AS n FROM users WHERE id = $1 AND password_hash IS NULL`,
          [t.users.reviewer.id],
        ),
      ).toBe(1);
    });
  });

  describe('first start', () => {
    afterAll(() => resetDatabase(t.ds));

    it('does nothing when accounts exist', async () => {
      const lines: string[] = [];
      await expect(onFirstStart(t.app, t.config, (l) => lines.push(l))).resolves.toEqual({
        adminId: null,
      });
      expect(lines).toEqual([]);
    });

    it('on an install without accounts creates an admin and prints its token once', async () => {
      await t.ds.query('DELETE FROM users');
      const lines: string[] = [];
      const first = await onFirstStart(t.app, t.config, (l) => lines.push(l));
      expect(first.adminId).toEqual(expect.any(String));
      expect(lines).toHaveLength(1);
      const token = /clt_[A-Za-z0-9_-]{43}/.exec(lines[0])?.[0];
      expect(token).toBeDefined();

      const rows = await t.ds.query<object[]>(
        `SELECT u.id, u.role, t.token_hash FROM users u JOIN api_tokens t ON t.user_id = u.id`,
      );
      expect(rows).toEqual([{ id: first.adminId, role: 'admin', token_hash: hashToken(token!) }]);
      const audit = await t.ds.query<object[]>(
        `SELECT before, after FROM audit_log WHERE entity IN ('users', 'api_tokens') AND entity_id IN (SELECT id FROM api_tokens)`,
      );
      expect(JSON.stringify(audit)).not.toContain(token);

      const me = await request(t.app.getHttpServer())
        .get('/api/me')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(me.body).toMatchObject({ id: first.adminId, role: 'admin', name: 'admin' });

      const again: string[] = [];
      await expect(onFirstStart(t.app, t.config, (l) => again.push(l))).resolves.toEqual({
        adminId: null,
      });
      expect(again).toEqual([]);
      expect(await count('SELECT count(*)::int AS n FROM users')).toBe(1);
    });
  });
});
