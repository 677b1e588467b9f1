import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CALENDARS, INCIDENT_CATEGORIES, WORKFLOW_STATUSES } from '../../common/domain.js';
import { PageQueryDto } from '../../common/pagination.js';
import { EnumField } from '../../common/validators.js';

export class ListIncidentsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'A place id or any name; includes everything inside it',
    example: 'Khuzestan',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string;

  @ApiPropertyOptional({
    description:
      'Incidents whose dates reach into the window from this date (ISO, partial, or Solar Hijri with its calendar)',
    example: '2019-11-15',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  from?: string;

  @ApiPropertyOptional({
    description: 'End of the window (inclusive; a month or year means its last day)',
    example: '1398-08-28 SH',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  to?: string;

  @EnumField(CALENDARS, {
    optional: true,
    description: 'Calendar of from/to when written as bare digits',
  })
  calendar?: string;

  @EnumField(INCIDENT_CATEGORIES, { optional: true })
  category?: string;

  @ApiPropertyOptional({
    description: `Workflow statuses, comma-separated (${WORKFLOW_STATUSES.join(', ')}). Default: all but retracted.`,
    example: 'draft,submitted',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  status?: string;
}
