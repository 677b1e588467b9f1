import { AppError } from '../../src/common/errors.js';
import { decodeCursor, encodeCursor, type VictimCursor } from '../../src/victims/victim-cursor.js';

const ID = '3f1c2a9e-5d4b-4c1a-9e8f-2b7d6c5a4e3f';

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    const err = e as AppError;
    expect(err.code).toBe('validation');
    return err.details.errors![0].field + ': ' + err.details.errors![0].reason;
  }
  throw new Error('expected a 400');
}

describe('victim list cursors', () => {
  it.each<VictimCursor>([
    { sort: 'date', key: '2019-11-16', id: ID },
    { sort: '-date', key: null, id: ID },
    { sort: 'name', key: 'مهران تاک', id: ID },
    { sort: '-created', key: '2026-11-25 15:24:03.123456+00', id: ID },
    { sort: 'relevance', key: '0.6666667', id: ID },
  ])('round-trips %j', (c) => {
    const raw = encodeCursor(c);
    expect(raw).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(raw, c.sort)).toEqual(c);
  });

  it('refuses a cursor made for another sort', () => {
    const raw = encodeCursor({ sort: 'date', key: '2019-11-16', id: ID });
    expect(reason(() => decodeCursor(raw, '-date'))).toBe(
      'cursor: was made for sort=date, not sort=-date: start again without a cursor',
    );
  });

  const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  it.each([
    ['not base64url', 'abc+/=', 'date'],
    ['not JSON', Buffer.from('{').toString('base64url'), 'date'],
    ['not a triple', b64(['date', '2019-11-16']), 'date'],
    ['an unknown sort', b64(['age', '31', ID]), 'date'],
    ['a bad id', b64(['date', '2019-11-16', 'x']), 'date'],
    ['a date key that is no date', b64(['date', '16 Nov', ID]), 'date'],
    ['a null key where none can be', b64(['name', null, ID]), 'name'],
    ['a relevance that is no number', b64(['relevance', 'high', ID]), 'relevance'],
    ['a timestamp that is no timestamp', b64(['created', 'yesterday', ID]), 'created'],
    ['a key of the wrong type', b64(['name', 42, ID]), 'name'],
  ] as const)('refuses %s with a 400 on cursor', (_name, raw, sort) => {
    expect(reason(() => decodeCursor(raw, sort))).toMatch(/^cursor: /);
  });
});
