import { ParseUUIDPipe, BadRequestException } from '@nestjs/common';
import { QueryIntField } from './validators.js';

/** `:id` must be a UUID; otherwise a 400 naming the field. */
export const UuidParam = new ParseUUIDPipe({
  version: undefined,
  exceptionFactory: () =>
    new BadRequestException({
      message: 'id must be a UUID',
      code: 'validation',
      errors: [{ field: 'id', reason: 'must be a UUID' }],
    }),
});

export class VersionQueryDto {
  @QueryIntField(1, 2_147_483_647, {
    required: true,
    description: 'The version you are deleting; a stale one gets 409',
  } as never)
  version?: number;
}
