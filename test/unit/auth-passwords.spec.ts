import { hashPassword, passwordProblem, verifyPassword } from '../../src/users/passwords.js';
import { generateTokenSecret, hashToken, looksLikeToken } from '../../src/users/token-secret.js';

describe('passwords (scrypt)', () => {
  it('hashes with a fresh salt and the recorded parameters, and verifies', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('horse');
    await expect(verifyPassword('correct horse battery staple', a)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery stapler', a)).resolves.toBe(false);
    await expect(verifyPassword('', a)).resolves.toBe(false);
  });

  it('treats NFC and NFD spellings of a password alike', async () => {
    const h = await hashPassword('rezā-\u0301e-1398-aban');
    await expect(verifyPassword('rezā-\u0301e-1398-aban'.normalize('NFD'), h)).resolves.toBe(true);
  });

  it('refuses a malformed stored hash instead of throwing', async () => {
    await expect(verifyPassword('x', 'plain')).resolves.toBe(false);
    await expect(verifyPassword('x', 'scrypt$a$b$c$d$e')).resolves.toBe(false);
    await expect(verifyPassword('x', 'bcrypt$1$2$3$4$5')).resolves.toBe(false);
  });

  it('names the problem with a short or huge password', () => {
    expect(passwordProblem('short')).toMatch(/at least 12/);
    expect(passwordProblem('x'.repeat(1025))).toMatch(/at most 1024/);
    expect(passwordProblem('twelve chars')).toBeNull();
  });
});

describe('token secrets', () => {
  it('are 32 random bytes, base64url, recognisable by their prefix, hashed with SHA-256', () => {
    const s = generateTokenSecret();
    expect(s.token).toMatch(/^clt_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(s.token.slice(4), 'base64url')).toHaveLength(32);
    expect(s.prefix).toBe(s.token.slice(0, 12));
    expect(s.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(s.hash).toBe(hashToken(s.token));
    expect(generateTokenSecret().token).not.toBe(s.token);
    expect(looksLikeToken(s.token)).toBe(true);
  });

  it.each([
    ['clt_short'],
    ['xyz_' + 'a'.repeat(43)],
    ['clt_' + 'a'.repeat(42) + '!'],
    ['clt_' + 'a'.repeat(44)],
    [''],
  ])('rejects %p by its shape', (t) => expect(looksLikeToken(t)).toBe(false));
});
