import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Page } from '../../common/pagination.js';
import type { ResolvedLocation } from '../location-resolver.js';
import { LocationResponseDto } from './location-response.dto.js';

export class LocationAlternativeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'city' }) kind: string;
  @ApiProperty({ example: 'Tehran' }) nameEn: string;
  @ApiProperty({ nullable: true, type: String, example: 'تهران' }) nameFa: string | null;
}

/** How a `location=` name was read, when it was not one place's own name. */
export class LocationResolutionDto {
  @ApiPropertyOptional({
    enum: ['containing', 'spelling'],
    description:
      'containing: the name is shared by a place and places inside it (Tehran the province and the city), and the containing place was taken; spelling: the name matched once spaces or joining words (and, va, -e) were ignored',
  })
  resolvedAs?: 'containing' | 'spelling';
  @ApiPropertyOptional({
    example:
      '"Tehran" names the province Tehran and the city Tehran inside it: the province is taken, which includes it; pass 4c397f0d-… (the city) to narrow it.',
  })
  note?: string;
  @ApiPropertyOptional({
    type: [LocationAlternativeDto],
    description: 'The other places of that name, inside the one taken: pass one id to narrow',
  })
  alternatives?: LocationAlternativeDto[];
}

/** The place a `location=` filter was read as, with how it was read. */
export class QueriedLocationDto extends LocationResolutionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'province' }) kind: string;
  @ApiProperty({ example: 'Tehran' }) nameEn: string;
  @ApiProperty({ nullable: true, type: String, example: 'تهران' }) nameFa: string | null;
}

export function resolutionFields(l: ResolvedLocation): LocationResolutionDto {
  return l.resolution
    ? {
        resolvedAs: l.resolution.resolvedAs,
        note: l.resolution.note,
        alternatives: l.resolution.alternatives,
      }
    : {};
}

export function queriedLocation(l: ResolvedLocation): QueriedLocationDto {
  return { id: l.id, kind: l.kind, nameEn: l.nameEn, nameFa: l.nameFa, ...resolutionFields(l) };
}

/** GET /api/locations/resolve: the place, and how the name was read. */
export class ResolvedLocationResponseDto extends LocationResponseDto {
  @ApiPropertyOptional({ enum: ['containing', 'spelling'] }) resolvedAs?: 'containing' | 'spelling';
  @ApiPropertyOptional() note?: string;
  @ApiPropertyOptional({ type: [LocationAlternativeDto] }) alternatives?: LocationAlternativeDto[];
}

/** A page of records filtered by `location=`, with the place the filter was read as. */
export type LocatedPage<T> = Page<T> & { location?: QueriedLocationDto };
