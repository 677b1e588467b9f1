import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  CALENDARS,
  CLAIM_BASES,
  HARMS,
  PERPETRATORS,
  POPULATIONS,
  QUALIFIERS,
} from '../../common/domain.js';
import {
  CredibilityField,
  DateInputField,
  EnumField,
  IntField,
  TextField,
  UuidField,
} from '../../common/validators.js';

const COUNT_MAX = 2_147_483_647;

/** One part of a claim's figure: "of whom 6 security forces", "including about 300 women". */
export class ClaimComponentDto {
  @EnumField(POPULATIONS, {
    description: "A sub-population of the claim's own (children, women, security_forces …)",
    example: 'security_forces',
  })
  population: string;

  @EnumField(QUALIFIERS, { example: 'exact' })
  qualifier: string;

  @IntField(0, COUNT_MAX, { optional: true, nullable: true })
  low?: number | null;

  @IntField(0, COUNT_MAX, { optional: true, nullable: true, example: 6 })
  best?: number | null;

  @IntField(0, COUNT_MAX, { optional: true, nullable: true })
  high?: number | null;
}

export class CreateClaimDto {
  @UuidField({
    description: 'The source that carries the figure',
    example: 'b5e1c0a2-3c1d-5e6f-8a7b-9c0d1e2f3a4b',
  })
  sourceId: string;

  @UuidField({
    optional: true,
    nullable: true,
    description:
      'The source the figure is attributed to, when it is not the carrying source ("according to Reuters")',
  })
  attributedSourceId?: string | null;

  @UuidField({
    optional: true,
    nullable: true,
    description: 'The claim this one repeats (same category): relays are followed to their origin',
  })
  relaysClaimId?: string | null;

  @EnumField(HARMS, { example: 'killed' })
  category: string;

  @EnumField(QUALIFIERS, {
    example: 'at_least',
    description:
      'exact: best (or equal low and high); at_least / more_than: low; about: best; at_most / up_to: high; between / estimates_range: low and high',
  })
  qualifier: string;

  @IntField(0, COUNT_MAX, { optional: true, nullable: true, example: 304 })
  low?: number | null;

  @IntField(0, COUNT_MAX, { optional: true, nullable: true })
  best?: number | null;

  @IntField(0, COUNT_MAX, { optional: true, nullable: true })
  high?: number | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Scope: a place id or any name',
    example: 'Iran',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string | null;

  @DateInputField({
    optional: true,
    calendarField: 'dateCalendar',
    example: '2019-11-16/2019-11-19',
    description: 'Scope: the date window the figure covers',
  })
  date?: string | null;

  @EnumField(CALENDARS, {
    optional: true,
    description: 'Calendar of `date` when it is bare Solar Hijri digits',
  })
  dateCalendar?: string;

  @UuidField({
    optional: true,
    nullable: true,
    description: 'Scope: the incident the figure is about',
  })
  incidentId?: string | null;

  @EnumField(POPULATIONS, {
    optional: true,
    description: 'Scope: who is counted (default all)',
    example: 'non_security',
  })
  population?: string;

  @TextField({
    optional: true,
    max: 500,
    description: 'The population in the source’s own words',
    example: 'protesters and bystanders',
  })
  populationNote?: string | null;

  @EnumField(PERPETRATORS, {
    optional: true,
    nullable: true,
    description: 'Scope: who did the harm counted ("killed by security forces"); default anyone',
  })
  perpetrator?: string | null;

  @ApiProperty({
    required: false,
    nullable: true,
    type: [ClaimComponentDto],
    description:
      'Parts of the figure, each for a sub-population of the claim’s own: "230, of whom 6 security forces" is population all, exact 230, with [{ population: security_forces, qualifier: exact, best: 6 }]. A part may not exceed the total; it counts for queries about its population.',
  })
  @IsOptional()
  @IsArray({ message: 'breakdown must be a list of parts' })
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ClaimComponentDto)
  breakdown?: ClaimComponentDto[] | null;

  @EnumField(CLAIM_BASES, {
    example: 'named_list',
    description:
      'named_list and verified_cases: individually identified or verified people (a documented minimum, not an estimate); credible_reports, own_network: the publisher’s own tally; estimate; official; leak; crowdsourced; unspecified',
  })
  basis: string;

  @DateInputField({
    optional: true,
    calendarField: 'asOfCalendar',
    example: '2022-11-29',
    description:
      'The day the count stands at ("as of"), apart from the period it covers; a running count’s releases are ordered by it',
  })
  asOf?: string | null;

  @EnumField(CALENDARS, {
    optional: true,
    description: 'Calendar of `asOf` when it is bare Solar Hijri digits',
  })
  asOfCalendar?: string;

  @DateInputField({
    optional: true,
    calendarField: 'publishedCalendar',
    example: '2020-05-21',
    description: 'The day the figure was published (a single day)',
  })
  publishedDate?: string | null;

  @EnumField(CALENDARS, {
    optional: true,
    description: 'Calendar of `publishedDate` when it is bare Solar Hijri digits',
  })
  publishedCalendar?: string;

  @TextField({
    optional: true,
    max: 10000,
    example: 'Amnesty International confirms … at least 304 victims',
  })
  excerpt?: string | null;

  @TextField({ optional: true, max: 500, example: 'paragraph 3' })
  locator?: string | null;

  @CredibilityField()
  credibility: number;

  @TextField({ optional: true, max: 10000, description: 'Restricted: researchers and above only' })
  internalNotes?: string | null;
}
