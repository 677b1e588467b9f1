import { createHash } from 'node:crypto';

/** A deterministic UUID (v5-shaped) from a key: fixed ids for seeds and idempotent imports. */
export function stableId(key: string): string {
  const h = createHash('sha1').update(`casualty-ledger:${key}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
