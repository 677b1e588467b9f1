import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_PAGE_SIZE } from '../../common/pagination.js';
import { EnumField, QueryIntField, TextField } from '../../common/validators.js';
import { VICTIM_SORTS } from '../victim-cursor.js';
import { VictimFilterDto } from '../../victim-scope/victim-filter.js';

export class ListVictimsQueryDto extends VictimFilterDto {
  @TextField({
    optional: true,
    max: 200,
    description:
      'A name in either script, tolerant of spelling variants (Mohammad / Muhammad, Hosseini / Hoseyni, تک / تاک); results ranked by similarity',
    example: 'Mehran Tak',
  })
  q?: string;

  @EnumField(VICTIM_SORTS, {
    optional: true,
    description:
      'Order: date, name or created, "-" for descending; relevance (the default with q) ranks the name asked for first, then the same name in another spelling, then by name similarity. Default without q: date.',
    example: 'date',
  })
  sort?: string;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  cursor?: string;

  @QueryIntField(1, MAX_PAGE_SIZE, {
    description: `Page size, at most ${MAX_PAGE_SIZE} (default 50)`,
    example: 50,
  })
  limit?: number;
}
