import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { EnumField, QueryIntField, UuidField } from '../../common/validators.js';
import { AUDIT_ACTIONS } from '../audit.service.js';

export const AUDIT_PAGE_MAX = 200;

/** Newest first; pass `nextCursor` from one page as `cursor` to get the next. */
export class AuditPageQueryDto {
  @ApiPropertyOptional({
    description: 'Opaque: the nextCursor of the previous page',
    example: '1234',
  })
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,17}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;

  @QueryIntField(1, AUDIT_PAGE_MAX, {
    description: `Page size, at most ${AUDIT_PAGE_MAX} (default 50)`,
    example: 50,
  })
  limit?: number;
}

export class ListAuditQueryDto extends AuditPageQueryDto {
  @ApiPropertyOptional({
    description:
      'The table changed: sources, locations, incidents, victims, attestations, count_claims, users, api_tokens …',
    example: 'victims',
  })
  @IsOptional()
  @Matches(/^[a-z][a-z_]{0,62}$/, { message: 'entity must be a table name such as victims' })
  entity?: string;

  @UuidField({ optional: true, description: 'The id of the record changed' })
  id?: string;

  @UuidField({ optional: true, description: 'The user who made the change' })
  actor?: string;

  @EnumField(AUDIT_ACTIONS, { optional: true })
  action?: string;
}
