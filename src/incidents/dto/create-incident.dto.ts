import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CALENDARS, INCIDENT_CATEGORIES, PERPETRATORS } from '../../common/domain.js';
import { DateInputField, EnumField, TextField } from '../../common/validators.js';
import { AttestationInputDto } from './attestation-input.dto.js';

export class CreateIncidentDto {
  @TextField({ max: 500, example: 'Shootings in the marshes of Bandar-e Mahshahr' })
  title: string;

  @TextField({ optional: true, max: 500, example: 'کشتار نیزارهای ماهشهر' })
  titleFa?: string | null;

  @TextField({ optional: true, max: 20000 })
  description?: string | null;

  @DateInputField({ optional: true, calendarField: 'dateCalendar', example: '2019-11-18' })
  date?: string | null;

  @EnumField(CALENDARS, {
    optional: true,
    description: 'Calendar of `date` when it is bare Solar Hijri digits',
  })
  dateCalendar?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The place: an id or any name in either script',
    example: 'Mahshahr',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string | null;

  @EnumField(INCIDENT_CATEGORIES, {
    optional: true,
    description: 'Default other',
    example: 'shooting',
  })
  category?: string;

  @ApiPropertyOptional({ enum: PERPETRATORS, isArray: true, example: ['irgc'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PERPETRATORS.length)
  @ArrayUnique({ message: '$property must not repeat a perpetrator' })
  @IsIn(PERPETRATORS, {
    each: true,
    message: `$property must hold values of: ${PERPETRATORS.join(', ')}`,
  })
  perpetrators?: string[];

  @TextField({ optional: true, max: 10000, description: 'Restricted: researchers and above only' })
  internalNotes?: string | null;

  @ApiProperty({
    type: [AttestationInputDto],
    description: 'At least one source attesting the incident; written in the same transaction',
  })
  @IsArray({
    message: 'attestations must be a list: an incident needs at least one source that attests it',
  })
  @ArrayMinSize(1, {
    message: 'attestations must hold at least one attestation: an incident needs a source',
  })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AttestationInputDto)
  attestations: AttestationInputDto[];
}
