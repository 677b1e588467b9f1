import type { ArgumentsHost } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AllErrorsFilter } from '../../src/common/filters.js';

/** What the filter answers for an error, through a minimal stand-in for express's response. */
function answer(err: unknown): { status: number; body: Record<string, unknown> } {
  const out = { status: 0, body: {} as Record<string, unknown> };
  const res = {
    status(code: number) {
      out.status = code;
      return this;
    },
    json(body: Record<string, unknown>) {
      out.body = body;
      return this;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  new AllErrorsFilter().catch(err, host);
  return out;
}

describe('AllErrorsFilter: a database too slow or too busy is a 503, never a 500', () => {
  it('answers a statement stopped by the server (57014) with 503 timeout', () => {
    const driverError = Object.assign(new Error('canceling statement due to statement timeout'), {
      code: '57014',
    });
    const err = new QueryFailedError('SELECT 1', [], driverError);
    const { status, body } = answer(err);
    expect(status).toBe(503);
    expect(body).toMatchObject({ code: 'timeout', errors: [{ field: 'query' }] });
  });

  it('answers the driver’s own read timeout with 503 timeout', () => {
    expect(answer(new Error('Query read timeout'))).toMatchObject({
      status: 503,
      body: { code: 'timeout' },
    });
  });

  it('answers no free connection in time with 503 busy', () => {
    expect(answer(new Error('timeout exceeded when trying to connect'))).toMatchObject({
      status: 503,
      body: { code: 'busy', errors: [{ field: 'query' }] },
    });
  });

  it('still answers anything else with a plain 500', () => {
    const { status, body } = answer(new Error('something else'));
    expect(status).toBe(500);
    expect(body).toMatchObject({ message: 'Internal server error', errors: [] });
  });
});

describe('AllErrorsFilter: a character the database cannot store is the client’s 400', () => {
  it('answers SQLSTATE 22021 (a NUL in text that got past the request guard) with 400', () => {
    const driverError = Object.assign(
      new Error('invalid byte sequence for encoding "UTF8": 0x00'),
      { code: '22021' },
    );
    const { status, body } = answer(new QueryFailedError('INSERT …', [], driverError));
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'validation', errors: [{ field: 'body' }] });
  });
});
