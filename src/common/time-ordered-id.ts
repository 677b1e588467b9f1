import { getRandomValues } from 'node:crypto';

/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter that keeps ids
 * made in the same millisecond in order, then 62 random bits. A bulk import gives its records
 * these ids so that every index keyed by them (the primary keys, attestations by victim, the
 * audit log by entity) grows at its right edge instead of touching a random page per row: at a
 * million records that is the difference between reading and rewriting a page for each insert
 * and appending to the last one (docs/performance.md). They are as unique as random ids (62
 * random bits per millisecond and counter value) and tell nothing beyond the creation time,
 * which every record already carries.
 */
let lastMs = -1;
let counter = 0;
const pool = new Uint8Array(16 * 256);
let poolAt = pool.length;

function randomBytes16(): Uint8Array {
  if (poolAt >= pool.length) {
    getRandomValues(pool);
    poolAt = 0;
  }
  poolAt += 16;
  return pool.subarray(poolAt - 16, poolAt);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function timeOrderedId(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xfff) {
    // More than 4,096 ids in one millisecond: borrow the next one (ids stay in order).
    lastMs++;
    counter = 0;
  }
  const b = randomBytes16().slice();
  let ms = lastMs;
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = 0x70 | (counter >> 8);
  b[7] = counter & 0xff;
  b[8] = 0x80 | (b[8] & 0x3f);
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    s += HEX[b[i]];
  }
  return s;
}
