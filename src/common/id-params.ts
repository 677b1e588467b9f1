import {
  BadRequestException,
  Injectable,
  type ArgumentMetadata,
  type PipeTransform,
} from '@nestjs/common';
import { findBadInput, NUL_REASON, UUID_RE } from './input-guard.js';
import { QueryIntField } from './validators.js';

/**
 * `:id` must be a UUID (either case; answered, stored and compared in lower case), otherwise a
 * 400 naming the field.
 */
export const UuidParam: PipeTransform<unknown, string> = {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const field = metadata.data ?? 'id';
    if (typeof value !== 'string' || !UUID_RE.test(value)) {
      const nul = typeof value === 'string' && value.includes('\0');
      throw new BadRequestException({
        message: `${field} ${nul ? NUL_REASON : 'must be a UUID'}`,
        code: 'validation',
        errors: [{ field, reason: nul ? `${field} ${NUL_REASON}` : 'must be a UUID' }],
      });
    }
    return value.toLowerCase();
  },
};

/**
 * The global first pipe: path parameters (and, as a second line behind the request guard in
 * app.factory.ts, bodies and query objects) with a NUL or a reserved key are refused naming the
 * parameter, before any route-specific pipe or validation sees them.
 */
@Injectable()
export class InputGuardPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const problem = findBadInput(value, metadata.type === 'param' ? (metadata.data ?? 'path') : '');
    if (problem) {
      throw new BadRequestException({
        message: `Validation failed: ${problem.field} ${problem.reason}`,
        code: 'validation',
        errors: [problem],
      });
    }
    return value;
  }
}

export class VersionQueryDto {
  @QueryIntField(1, 2_147_483_647, {
    required: true,
    description: 'The version you are deleting; a stale one gets 409',
  } as never)
  version?: number;
}
