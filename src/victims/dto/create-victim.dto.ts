import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { NewAttestationDto } from '../../attestations/dto/new-attestation.dto.js';
import {
  AGE_BANDS,
  CALENDARS,
  CAUSES,
  GENDERS,
  HARMS,
  PERPETRATORS,
  PLACE_PRECISIONS,
} from '../../common/domain.js';
import {
  BoolField,
  DateInputField,
  EnumField,
  IntField,
  TextField,
  UuidField,
} from '../../common/validators.js';

/** The fields of a victim record a researcher types. Confidence and status are not among them. */
export class VictimFieldsDto {
  @TextField({
    optional: true,
    max: 300,
    description: 'Name in Persian script, as the source spells it',
    example: 'مهران تاک',
  })
  nameFa?: string;

  @TextField({
    optional: true,
    max: 300,
    description: 'Name in Latin script',
    example: 'Mehran Tak',
  })
  nameEn?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Other spellings in either script',
    example: ['مهران تک'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true, message: 'nameVariants must hold strings' })
  @MinLength(1, { each: true, message: 'nameVariants must not hold empty names' })
  @MaxLength(300, { each: true })
  nameVariants?: string[];

  @EnumField(GENDERS, { optional: true })
  gender?: string;

  @IntField(0, 130, {
    optional: true,
    description: 'Age in years, when known exactly (otherwise ageMin/ageMax)',
    example: 31,
  })
  age?: number;

  @IntField(0, 130, { optional: true, description: 'Youngest the victim can have been' })
  ageMin?: number;

  @IntField(0, 130, { optional: true, description: 'Oldest the victim can have been' })
  ageMax?: number;

  @EnumField(AGE_BANDS, { optional: true, description: 'Derived from the age when not given' })
  ageBand?: string;

  @TextField({ optional: true, max: 300, example: 'worker' })
  occupation?: string;

  @TextField({
    optional: true,
    max: 300,
    example: 'حسن',
    description:
      "The father's name (نام پدر): record linkage tells people sharing a name apart by it",
  })
  fatherName?: string;

  @EnumField(HARMS, { example: 'killed' })
  harm: string;

  @DateInputField({
    optional: true,
    calendarField: 'dateCalendar',
    example: '۲۵ آبان ۱۳۹۸',
    description:
      'Date of the harm as the source gives it: ISO, partial (2019-11), a range (15–19 November 2019), or Solar Hijri (1398/08/25 with dateCalendar=jalali, ۲۵ آبان ۱۳۹۸). Kept as typed.',
  })
  date?: string;

  @EnumField(CALENDARS, {
    optional: true,
    description: 'Calendar of `date` when written as bare digits (default gregorian)',
  })
  dateCalendar?: string;

  @TextField({
    optional: true,
    max: 200,
    description: 'A place id, or any English or Persian name of it',
    example: 'Marivan',
  })
  location?: string;

  @EnumField(PLACE_PRECISIONS, {
    optional: true,
    description: 'exact, or parent when the reported place is below the one recorded',
  })
  placePrecision?: string;

  @TextField({
    optional: true,
    max: 500,
    description: 'The place exactly as reported',
    example: 'مریوان',
  })
  placeOriginal?: string;

  @EnumField(CAUSES, { optional: true })
  cause?: string;

  @EnumField(PERPETRATORS, { optional: true })
  perpetrator?: string;

  @BoolField({ optional: true })
  armed?: boolean;

  @UuidField({ optional: true, description: 'The incident the harm belongs to' })
  incidentId?: string;

  @TextField({ optional: true, max: 5000, description: 'Restricted: researchers and above only' })
  witnessNames?: string;

  @TextField({ optional: true, max: 5000, description: 'Restricted: researchers and above only' })
  familyContact?: string;

  @TextField({ optional: true, max: 10000, description: 'Restricted: researchers and above only' })
  internalNotes?: string;
}

export class CreateVictimDto extends VictimFieldsDto {
  @ApiProperty({
    type: [NewAttestationDto],
    minItems: 1,
    description: "At least one: a record can't exist without the source that attests it",
  })
  @IsArray({ message: 'attestations must be a list of at least one attestation' })
  @ArrayMinSize(1, {
    message:
      "attestations must hold at least one attestation: a record can't exist without a source",
  })
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => NewAttestationDto)
  attestations: NewAttestationDto[];
}
