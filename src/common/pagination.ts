import { ApiProperty } from '@nestjs/swagger';
import { QueryIntField } from './validators.js';

export const MAX_PAGE_SIZE = 200;

/** Offset pagination for the smaller resources (sources, locations, incidents, claims). */
export class PageQueryDto {
  @QueryIntField(1, MAX_PAGE_SIZE, {
    description: `Page size, at most ${MAX_PAGE_SIZE}`,
    example: 50,
  })
  limit?: number;

  @QueryIntField(0, 10_000_000, { description: 'Rows to skip', example: 0 })
  offset?: number;
}

export class PageMetaDto {
  @ApiProperty({ example: 123 }) total: number;
  @ApiProperty({ example: 50 }) limit: number;
  @ApiProperty({ example: 0 }) offset: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export function pageOf<T>(items: T[], total: number, q: PageQueryDto): Page<T> {
  return { items, total, limit: q.limit ?? 50, offset: q.offset ?? 0 };
}
