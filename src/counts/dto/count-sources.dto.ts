import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { EnumField, QueryIntField } from '../../common/validators.js';
import { CountsQueryDto } from './counts-query.dto.js';
import { BucketKeyDto, BucketSourceDto } from './counts-response.dto.js';

export const DEFAULT_SOURCES_PAGE = 100;
export const MAX_SOURCES_PAGE = 1000;
export const SOURCE_POPULATIONS = [
  'all',
  'children',
  'women',
  'protesters',
  'protesters_and_bystanders',
  'security_forces',
] as const;

/** GET /api/counts/sources: every source of one bucket of a count, a page at a time. */
export class CountSourcesQueryDto extends CountsQueryDto {
  @ApiPropertyOptional({
    description:
      'The bucket, as in each bucket’s sourcesNext link: its keys, one per grouping of groupBy, comma-separated (a place, incident or source id, the first day of a day, week or month, a value, or ~none, ~undated, ~imprecise, ~unknown, ~in:<place id>). Without it, the totals.',
    example: '3f1c2b9e-0000-4000-8000-000000000001',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  bucket?: string;

  @ApiPropertyOptional({
    description: 'Where the page starts: the next link of the page (or bucket) before',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @QueryIntField(1, MAX_SOURCES_PAGE, {
    description: `Sources per page (default ${DEFAULT_SOURCES_PAGE})`,
    example: DEFAULT_SOURCES_PAGE,
  })
  limit?: number;

  @EnumField(SOURCE_POPULATIONS, {
    optional: true,
    description:
      'The population counted (as GET /api/reconciliation counts it; default all): a reconciliation’s documented sources link gives it',
  })
  population?: string;
}

export class CountSourcesResponseDto {
  @ApiProperty({ type: [BucketKeyDto], description: 'The bucket’s keys; empty for the totals' })
  bucket: BucketKeyDto[];
  @ApiProperty({ description: 'How many sources attest victims in the bucket in all' })
  sourceCount: number;
  @ApiProperty({
    type: [BucketSourceDto],
    description: 'Sources by victims attested, largest first, then by id',
  })
  items: BucketSourceDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The next page, or null after the last',
  })
  next: string | null;
}
