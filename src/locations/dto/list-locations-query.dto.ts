import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { LOCATION_KINDS } from '../../common/domain.js';
import { PageQueryDto } from '../../common/pagination.js';
import { EnumField, TextField } from '../../common/validators.js';

export class ListLocationsQueryDto extends PageQueryDto {
  @TextField({
    optional: true,
    max: 200,
    description:
      'Type-ahead in either script: the start of any name or variant, normalised (Arabic ي/ك, ZWNJ, diacritics, case), then near spellings; best matches first',
    example: 'mah',
  })
  q?: string;

  @EnumField(LOCATION_KINDS, { optional: true })
  kind?: string;

  @ApiPropertyOptional({
    description: 'Only the direct children of this place (id or name)',
    example: 'Khuzestan',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  parent?: string;

  @ApiPropertyOptional({
    description: 'Only places inside this one, at any depth (id or name)',
    example: 'Tehran',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  within?: string;
}

export class ResolveLocationQueryDto {
  @TextField({ max: 200, description: 'A place name in any spelling, or an id', example: 'ماهشهر' })
  name: string;
}
