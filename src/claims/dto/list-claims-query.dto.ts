import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { HARMS, QUALIFIERS, WORKFLOW_STATUSES } from '../../common/domain.js';
import { PageQueryDto } from '../../common/pagination.js';
import { EnumField, UuidField } from '../../common/validators.js';

export class ListClaimsQueryDto extends PageQueryDto {
  @EnumField(HARMS, { optional: true })
  category?: string;

  @ApiPropertyOptional({
    description: 'Claims scoped to this place or anywhere inside it (id or name)',
    example: 'Khuzestan',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string;

  @UuidField({ optional: true, description: 'Claims this source carries or is credited with' })
  source?: string;

  @UuidField({ optional: true, description: 'Claims about this incident' })
  incident?: string;

  @EnumField(QUALIFIERS, { optional: true })
  qualifier?: string;

  @ApiPropertyOptional({
    description: `Workflow statuses, comma-separated (${WORKFLOW_STATUSES.join(', ')}). Default: all but retracted.`,
    example: 'submitted,verified',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  status?: string;
}
