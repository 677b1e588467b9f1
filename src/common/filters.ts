import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { AppError, httpStatusOf } from './errors.js';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function send(
  res: Response,
  status: number,
  message: string,
  extra: Record<string, unknown> = {},
): void {
  res
    .status(status)
    .json({ statusCode: status, error: STATUS_TEXT[status] ?? 'Error', message, ...extra });
}

/** Which column a constraint is about, from our naming convention (ck_<table>_<what>). */
function constraintField(constraint: string | undefined, detail: string | undefined): string {
  const m = detail?.match(/Key \(([^)]+)\)/);
  if (m) return m[1];
  if (!constraint) return 'body';
  return (
    constraint.replace(/^(ck|ux|fk|FK)_[a-z]+?s?_/, '').replace(/^(count_)?claims_/, '') ||
    constraint
  );
}

/**
 * Maps every error to a response: domain errors by code, PostgreSQL constraint errors by
 * SQLSTATE (naming the constraint, never the SQL), body-parser errors to 400/413, and anything
 * else to a logged 500 with a plain body.
 */
@Catch()
export class AllErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (err instanceof AppError) {
      const { errors, ...rest } = err.details;
      return send(res, httpStatusOf(err.code), err.message, {
        code: err.code,
        errors: errors ?? [],
        ...rest,
      });
    }
    if (err instanceof HttpException) {
      const status = err.getStatus();
      const body = err.getResponse();
      if (typeof body === 'object' && body !== null) {
        const b = body as Record<string, unknown>;
        const message = Array.isArray(b.message)
          ? b.message.map(String).join('; ')
          : typeof b.message === 'string'
            ? b.message
            : err.message;
        return send(res, status, message, {
          code: b.code ?? STATUS_TEXT[status]?.toLowerCase().replace(/ /g, '_'),
          errors: Array.isArray(b.errors) ? b.errors : [],
          ...(b.allowed ? { allowed: b.allowed } : {}),
        });
      }
      return send(res, status, String(body), { errors: [] });
    }
    if (err instanceof QueryFailedError) {
      const d = err.driverError as {
        code?: string;
        constraint?: string;
        detail?: string;
        column?: string;
      };
      const field = d.column ?? constraintField(d.constraint, d.detail);
      switch (d.code) {
        case '23505':
          return send(res, 409, `A record with the same ${field} already exists`, {
            code: 'conflict',
            constraint: d.constraint,
            errors: [{ field, reason: 'already exists' }],
          });
        case '23503':
          return send(
            res,
            422,
            `A referenced record does not exist or is still in use (${d.constraint})`,
            {
              code: 'unprocessable',
              constraint: d.constraint,
              errors: [
                { field, reason: 'refers to a missing record, or the record is still referenced' },
              ],
            },
          );
        case '23514':
        case '23502':
        case '23P01':
          return send(res, 422, `The record breaks the rule ${d.constraint ?? field}`, {
            code: 'unprocessable',
            constraint: d.constraint,
            errors: [{ field, reason: `violates ${d.constraint ?? 'a not-null rule'}` }],
          });
        case '22P02':
        case '22007':
        case '22008':
        case '22003':
          return send(res, 400, 'A value has the wrong format or is out of range', {
            code: 'validation',
            errors: [{ field: d.column ?? 'body', reason: 'wrong format or out of range' }],
          });
        case '22021':
          // A NUL (or a byte the database encoding cannot hold) that got past the request
          // guard (src/common/input-guard.ts): still the client's input, never a 500.
          return send(res, 400, 'A text value holds a character the database cannot store', {
            code: 'validation',
            errors: [{ field: d.column ?? 'body', reason: 'holds a NUL or an invalid character' }],
          });
        case '40001':
        case '40P01':
          return send(res, 409, 'The request collided with a concurrent change; retry it', {
            code: 'conflict',
            errors: [],
          });
        case '57014':
          return tooLong(res);
      }
    }
    // The driver's own limit (query_timeout), should the server's statement_timeout not fire.
    if (err instanceof Error && /Query read timeout/.test(err.message)) return tooLong(res);
    // Every connection busy for longer than the pool waits (the embedded engine has one).
    if (err instanceof Error && /timeout exceeded when trying to connect/i.test(err.message)) {
      return send(res, 503, 'The database is busy: every connection is taken; retry shortly', {
        code: 'busy',
        errors: [{ field: 'query', reason: 'no database connection free in time' }],
      });
    }
    const e = err as { type?: string; status?: number; message?: string };
    // body-parser errors reach us as plain errors carrying a status.
    if (e?.type === 'entity.parse.failed') {
      return send(res, 400, `The body is not valid JSON: ${e.message}`, {
        code: 'validation',
        errors: [{ field: 'body', reason: 'malformed JSON' }],
      });
    }
    if (e?.type === 'entity.too.large') {
      return send(res, 413, 'The body is larger than this endpoint accepts', {
        code: 'payload_too_large',
        errors: [{ field: 'body', reason: 'too large' }],
      });
    }
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
      return send(res, e.status, e.message ?? 'Bad request', {
        errors: [{ field: 'body', reason: e.message }],
      });
    }
    this.logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    send(res, 500, 'Internal server error', { errors: [] });
  }
}

/**
 * A query that ran past the statement timeout (src/database/data-source.ts): the database is
 * busy or the question too broad. Nothing was written (the statement was cancelled).
 */
function tooLong(res: Response): void {
  send(
    res,
    503,
    'The query took too long and was stopped; retry, or narrow it (a place, a window)',
    {
      code: 'timeout',
      errors: [{ field: 'query', reason: 'took longer than the statement timeout' }],
    },
  );
}
