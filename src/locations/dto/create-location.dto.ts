import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { COORDINATE_PRECISIONS, LOCATION_KINDS } from '../../common/domain.js';
import { EnumField, TextField } from '../../common/validators.js';

/** Spelling variants: each trimmed, not empty, bounded. */
function NameListField(description: string, example: string[]): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: [String], description, example }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) =>
      Array.isArray(value)
        ? value.map((v: unknown) => (typeof v === 'string' ? v.trim() : v))
        : value,
    ),
    IsArray(),
    ArrayMaxSize(50),
    IsString({ each: true, message: '$property must hold strings' }),
    MinLength(1, { each: true, message: '$property must not hold empty names' }),
    MaxLength(200, { each: true }),
  );
}

function CoordinateField(limit: number, example: number): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: Number, minimum: -limit, maximum: limit, example }),
    IsOptional(),
    IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be a number' }),
    Min(-limit, { message: `$property must be at least -${limit}` }),
    Max(limit, { message: `$property must be at most ${limit}` }),
  );
}

export class CreateLocationDto {
  @EnumField(LOCATION_KINDS, {
    example: 'city',
    description:
      'country > province > county > city > district > site; a city may sit straight under a province',
  })
  kind: string;

  @ApiProperty({
    required: false,
    type: String,
    nullable: true,
    example: 'Khuzestan',
    description:
      'The parent place: an id or any of its names. Required for every kind but country.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  parent?: string | null;

  @TextField({ max: 200, example: 'Bandar-e Mahshahr' })
  nameEn: string;

  @TextField({ optional: true, max: 200, example: 'بندر ماهشهر' })
  nameFa?: string | null;

  @NameListField('Other Latin spellings', ['Mahshahr', 'Bandar Mahshahr'])
  variantsEn?: string[];

  @NameListField('Other Persian spellings', ['ماهشهر', 'معشور'])
  variantsFa?: string[];

  @CoordinateField(90, 30.5589)
  lat?: number | null;

  @CoordinateField(180, 49.1981)
  lon?: number | null;

  @EnumField(COORDINATE_PRECISIONS, {
    optional: true,
    description: 'How exact lat/lon are',
    example: 'centroid',
  })
  precision?: string | null;
}
