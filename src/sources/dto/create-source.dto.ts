import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, Matches, MaxLength } from 'class-validator';
import { CALENDARS, SOURCE_INTERESTS, SOURCE_KINDS } from '../../common/domain.js';
import {
  BoolField,
  DateInputField,
  EnumField,
  ReliabilityField,
  TextField,
  UuidField,
} from '../../common/validators.js';

export class CreateSourceDto {
  @EnumField(SOURCE_KINDS, { example: 'report' })
  kind: string;

  @TextField({
    max: 1000,
    example: 'Iran: Details of 304 deaths in crackdown on November 2019 protests',
  })
  title: string;

  @TextField({ optional: true, max: 500, example: 'Amnesty International' })
  publisher?: string;

  @TextField({ optional: true, max: 500 })
  author?: string;

  @DateInputField({ optional: true, calendarField: 'publishedCalendar', example: '2020-05-21' })
  published?: string;

  @EnumField(CALENDARS, {
    optional: true,
    description: 'Calendar of `published` when it is Solar Hijri digits',
  })
  publishedCalendar?: string;

  @ApiPropertyOptional({ example: 'en', description: 'BCP 47 language tag' })
  @IsOptional()
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, {
    message: 'language must be a language tag such as en, fa, ar',
  })
  language?: string;

  @ApiPropertyOptional({
    example: 'https://www.amnesty.org/en/latest/news/2020/05/iran-details-of-304-deaths/',
  })
  @IsOptional()
  @MaxLength(2000)
  @Matches(/^https?:\/\/\S+$/, { message: 'url must be an http(s) URL' })
  url?: string;

  @ApiPropertyOptional({ example: 'https://web.archive.org/web/2020/https://www.amnesty.org/…' })
  @IsOptional()
  @MaxLength(2000)
  @Matches(/^https?:\/\/\S+$/, { message: 'archivedUrl must be an http(s) URL' })
  archivedUrl?: string;

  @ApiPropertyOptional({
    description: 'SHA-256 (hex) of the captured copy',
    example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  })
  @IsOptional()
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'sha256 must be 64 hexadecimal characters' })
  sha256?: string;

  @ReliabilityField({
    optional: true,
    description: 'Source reliability A–F (default F, cannot be judged)',
  })
  reliability?: string;

  @EnumField(SOURCE_INTERESTS, {
    optional: true,
    nullable: true,
    description:
      'A party with an interest in the figures it gives: government (state media included), security_forces, armed_group, opposition (a party or its outlets), victims_organisation, other. Its figures never set a bound of a reconciliation alone. Default none.',
    example: 'government',
  })
  interest?: string | null;

  @TextField({ optional: true, max: 2000, example: 'Party to the conflict' })
  interestNote?: string;

  @BoolField({
    optional: true,
    description:
      'Create it even when a source with the same URL, or the same publisher, title and date, exists (default false: such a request gets 409 naming the existing source in duplicateOf)',
  })
  allowDuplicate?: boolean;

  @BoolField({ optional: true, description: 'A restricted source never appears in public output' })
  restricted?: boolean;

  @TextField({ optional: true, max: 10000, description: 'Restricted: researchers and above only' })
  internalNotes?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Ids of sources whose figures or facts this one repeats',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @UuidField({ each: true, message: '$property must hold source ids (UUIDs)' })
  relays?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Ids of sources this one cites' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @UuidField({ each: true, message: '$property must hold source ids (UUIDs)' })
  cites?: string[];
}
