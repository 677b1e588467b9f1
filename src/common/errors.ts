/**
 * Domain errors. Services throw these, never HttpException: the CLI and imports call services
 * too. The HTTP filter maps each code to a status with an exhaustive switch.
 */
export type ErrorCode =
  | 'not_found'
  | 'validation'
  | 'unprocessable'
  | 'conflict'
  | 'version_conflict'
  | 'ambiguous'
  | 'unauthorized'
  | 'forbidden'
  | 'locked'
  | 'too_many_requests'
  | 'payload_too_large'
  | 'unsupported_media_type';

export interface FieldProblem {
  field: string;
  reason: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: {
      errors?: FieldProblem[];
      [key: string]: unknown;
    } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  static notFound(entity: string, id: string, field = 'id'): AppError {
    return new AppError('not_found', `${entity} ${id} was not found`, {
      errors: [{ field, reason: `no ${entity} with id ${id}` }],
    });
  }

  static invalid(field: string, reason: string, extra: Record<string, unknown> = {}): AppError {
    return new AppError('validation', `${field}: ${reason}`, {
      errors: [{ field, reason }],
      ...extra,
    });
  }

  static unprocessable(field: string, reason: string): AppError {
    return new AppError('unprocessable', `${field}: ${reason}`, { errors: [{ field, reason }] });
  }

  static versionConflict(
    entity: string,
    id: string,
    currentVersion: number,
    sent: number,
  ): AppError {
    return new AppError(
      'version_conflict',
      `${entity} ${id} was changed by someone else: you sent version ${sent}, the current version is ${currentVersion}. Reload it and apply your change again.`,
      {
        currentVersion,
        errors: [{ field: 'version', reason: `stale: current version is ${currentVersion}` }],
      },
    );
  }
}

export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'not_found':
      return 404;
    case 'validation':
    case 'ambiguous':
      return 400;
    case 'unprocessable':
      return 422;
    case 'conflict':
    case 'version_conflict':
      return 409;
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'locked':
      return 423;
    case 'too_many_requests':
      return 429;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    default: {
      const never: never = code;
      return never;
    }
  }
}
