import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SourceSummaryDto } from '../../incidents/dto/incident-response.dto.js';
import { PlaceRefDto } from '../../locations/dto/location-response.dto.js';
import { DualDateDto } from '../../sources/dto/source-response.dto.js';

export class ClaimIntervalDto {
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Lower end; null when unbounded',
    example: 304,
  })
  low: number | null;
  @ApiProperty({ example: true }) lowInclusive: boolean;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Upper end; null when unbounded',
    example: null,
  })
  high: number | null;
  @ApiProperty({ example: false }) highInclusive: boolean;
  @ApiProperty({ nullable: true, type: Number, description: 'The single figure of exact / about' })
  best: number | null;
  @ApiProperty({
    enum: ['bound', 'estimate'],
    description:
      'bound: the ends are hard limits; estimate: the figures are estimates (about, a range of estimates)',
  })
  kind: 'bound' | 'estimate';
  @ApiProperty({ example: 'at least 304' }) text: string;
}

export class ClaimResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'killed' }) category: string;
  @ApiProperty({ example: 'at_least' }) qualifier: string;
  @ApiProperty({ nullable: true, type: Number }) low: number | null;
  @ApiProperty({ nullable: true, type: Number }) best: number | null;
  @ApiProperty({ nullable: true, type: Number }) high: number | null;
  @ApiProperty({
    nullable: true,
    type: ClaimIntervalDto,
    description:
      'The figure as an interval; null only for a row whose figures break the qualifier rule',
  })
  interval: ClaimIntervalDto | null;
  @ApiProperty({ type: SourceSummaryDto }) source: SourceSummaryDto;
  @ApiProperty({ nullable: true, type: SourceSummaryDto })
  attributedSource: SourceSummaryDto | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) relaysClaimId: string | null;
  @ApiProperty({ type: [String], description: 'Claims that repeat this one' }) relayedBy: string[];
  @ApiProperty({ nullable: true, type: PlaceRefDto }) location: PlaceRefDto | null;
  @ApiProperty({
    nullable: true,
    type: DualDateDto,
    description: 'The date window the figure covers',
  })
  date: DualDateDto | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) incidentId: string | null;
  @ApiProperty({ example: 'non_security' }) population: string;
  @ApiProperty({ nullable: true, type: String }) populationNote: string | null;
  @ApiProperty({ example: 'named_list' }) basis: string;
  @ApiProperty({ nullable: true, type: String }) perpetrator: string | null;
  @ApiProperty({
    nullable: true,
    type: 'array',
    items: { type: 'object' },
    description: 'Parts of the figure: { population, qualifier, low, best, high }',
  })
  breakdown:
    | {
        population: string;
        qualifier: string;
        low: number | null;
        best: number | null;
        high: number | null;
      }[]
    | null;
  @ApiProperty({ nullable: true, type: DualDateDto, description: 'The day the count stands at' })
  asOf: DualDateDto | null;
  @ApiProperty({ nullable: true, type: DualDateDto }) publishedDate: DualDateDto | null;
  @ApiProperty({ nullable: true, type: String }) excerpt: string | null;
  @ApiProperty({ nullable: true, type: String }) locator: string | null;
  @ApiProperty({ example: 2 }) credibility: number;
  @ApiProperty({ example: 'draft' }) status: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Researchers and above only' })
  internalNotes?: string | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}
