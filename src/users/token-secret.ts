import { createHash, randomBytes } from 'node:crypto';

/** Every token starts with this, so a leaked one is recognisable (secret scanners, logs). */
export const TOKEN_PREFIX = 'clt_';
const TOKEN_SHAPE = /^clt_[A-Za-z0-9_-]{43}$/;
/** How much of a token is kept in clear, to tell tokens apart in listings. */
const SHOWN_CHARS = TOKEN_PREFIX.length + 8;

export interface NewTokenSecret {
  /** Shown once to whoever created it; never stored. */
  token: string;
  hash: string;
  prefix: string;
}

/** 32 random bytes, base64url: 256 bits, so a stored SHA-256 (no salt, no stretching) suffices. */
export function generateTokenSecret(): NewTokenSecret {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token), prefix: token.slice(0, SHOWN_CHARS) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Shape check before any database lookup. */
export function looksLikeToken(s: string): boolean {
  return TOKEN_SHAPE.test(s);
}
