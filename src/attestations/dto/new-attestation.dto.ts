import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, Matches } from 'class-validator';
import { BoolField, CredibilityField, TextField, UuidField } from '../../common/validators.js';

/** One source attesting a record: given alone, or inside the record's own create request. */
export class NewAttestationDto {
  @UuidField({
    description: 'The source that attests the record',
    example: '3f1c2a9e-5d4b-4c1a-9e8f-2b7d6c5a4e3f',
  })
  sourceId: string;

  @TextField({
    optional: true,
    max: 500,
    description: 'Where in the source: page, paragraph, timestamp, URL anchor',
    example: 'p. 12, row 148',
  })
  locator?: string;

  @TextField({
    optional: true,
    max: 10000,
    description: 'The passage, as published',
    example: 'مهران تاک، ۳۱ ساله، مریوان',
  })
  excerpt?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'The record fields this source asserts',
    example: ['nameFa', 'age', 'date', 'location'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(40)
  @Matches(/^[A-Za-z][A-Za-z_]{0,39}$/, {
    each: true,
    message: 'assertedFields must hold field names such as nameFa, date, location',
  })
  assertedFields?: string[];

  @CredibilityField()
  credibility: number;

  @BoolField({
    optional: true,
    description: 'Verified against primary evidence (a death certificate, geolocated footage)',
  })
  primaryEvidence?: boolean;
}
