import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, Matches } from 'class-validator';
import { BoolField, CredibilityField, TextField, UuidField } from '../../common/validators.js';

/** One source attesting the record being created, in the same request and transaction. */
export class AttestationInputDto {
  @UuidField({
    description: 'The source that attests the record',
    example: 'b5e1c0a2-3c1d-5e6f-8a7b-9c0d1e2f3a4b',
  })
  sourceId: string;

  @TextField({
    optional: true,
    max: 500,
    description: 'Where in the source: page, paragraph, timestamp, URL anchor',
    example: 'paragraph 3',
  })
  locator?: string;

  @TextField({
    optional: true,
    max: 10000,
    description: 'The passage, quoted',
    example: 'four days of protests from November 16 to 19',
  })
  excerpt?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'The fields of the record this source asserts',
    example: ['date', 'location', 'perpetrators'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(40)
  @Matches(/^[a-z][A-Za-z0-9_]{0,59}$/, {
    each: true,
    message: '$property must hold field names such as date, location, perpetrators',
  })
  assertedFields?: string[];

  @CredibilityField()
  credibility: number;

  @BoolField({
    optional: true,
    description: 'Verified against primary evidence (footage geolocated, a document seen)',
  })
  primaryEvidence?: boolean;
}
