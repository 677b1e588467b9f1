import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, ValidateBy } from 'class-validator';
import { EnumField, QueryIntField } from '../../common/validators.js';
import { DEFAULT_DOCUMENTED_RULE, DOCUMENTED_RULES } from '../../victim-scope/documented.js';
import { VictimFilterDto } from '../../victim-scope/victim-filter.js';

export const DEFAULT_SOURCES_PER_BUCKET = 20;
export const MAX_SOURCES_PER_BUCKET = 1000;

export const GROUP_BY = [
  'province',
  'city',
  'day',
  'week',
  'month',
  'gender',
  'ageBand',
  'perpetrator',
  'cause',
  'incident',
  'source',
] as const;
export type GroupBy = (typeof GROUP_BY)[number];

/** `groupBy=province,month` → ['province', 'month'], or the reason it is not allowed. */
export function parseGroupBy(raw: string): { dims: GroupBy[] } | { problem: string } {
  const dims = raw.split(',').map((d) => d.trim());
  const allowed = `one or two of ${GROUP_BY.join(', ')}, comma-separated`;
  const unknown = dims.filter((d) => !(GROUP_BY as readonly string[]).includes(d));
  if (unknown.length) {
    return {
      problem: `unknown grouping ${unknown.map((d) => `"${d}"`).join(', ')}: allowed are ${allowed}`,
    };
  }
  if (dims.length > 2)
    return { problem: `at most two groupings (got ${dims.length}): allowed are ${allowed}` };
  if (dims.length === 2 && dims[0] === dims[1]) return { problem: `"${dims[0]}" is given twice` };
  return { dims: dims as GroupBy[] };
}

export class CountsQueryDto extends VictimFilterDto {
  @EnumField(DOCUMENTED_RULES, {
    optional: true,
    description: `Which records each count counts. ${DEFAULT_DOCUMENTED_RULE} (the default): distinct people whose records are verified; records awaiting review and disputed ones are given beside each count (awaitingReview, disputed). all: every record of the included statuses. Either way merged duplicates and each unresolved cluster of likely duplicates count once.`,
    example: 'verified',
  })
  documented?: string;

  @ApiPropertyOptional({
    description: `One or two of ${GROUP_BY.join(', ')}, comma-separated (the first groups the second). Without it only the totals are returned.`,
    example: 'province,month',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @ValidateBy({
    name: 'groupBy',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && 'dims' in parseGroupBy(v),
      defaultMessage: (args) => {
        const r = typeof args?.value === 'string' ? parseGroupBy(args.value) : null;
        return r && 'problem' in r
          ? `groupBy: ${r.problem}`
          : 'groupBy must be given once, as one comma-separated list';
      },
    },
  })
  groupBy?: string;

  @QueryIntField(1, MAX_SOURCES_PER_BUCKET, {
    description: `Sources listed per bucket, those attesting most of its victims first (default ${DEFAULT_SOURCES_PER_BUCKET}); sourceCount says how many there are in all. To list every source of every bucket, group by source as well.`,
    example: DEFAULT_SOURCES_PER_BUCKET,
  })
  sourcesPerBucket?: number;
}
