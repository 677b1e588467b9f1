import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PlaceRefDto } from '../../locations/dto/location-response.dto.js';
import { DualDateDto } from '../../sources/dto/source-response.dto.js';

/**
 * A source named briefly beside an attestation or a claim. Not the reconciliation's
 * SourceRefDto (a citation: interest, url, published): OpenAPI keys schemas by class name.
 */
export class SourceSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'report' }) kind: string;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String }) publisher: string | null;
  @ApiProperty({ example: 'B' }) reliability: string;
}

export class IncidentAttestationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: SourceSummaryDto }) source: SourceSummaryDto;
  @ApiProperty({ nullable: true, type: String }) locator: string | null;
  @ApiProperty({ nullable: true, type: String }) excerpt: string | null;
  @ApiProperty({ type: [String] }) assertedFields: string[];
  @ApiProperty({ example: 2 }) credibility: number;
  @ApiProperty() primaryEvidence: boolean;
}

export class IncidentResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String }) titleFa: string | null;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ nullable: true, type: DualDateDto }) date: DualDateDto | null;
  @ApiProperty({ nullable: true, type: PlaceRefDto }) location: PlaceRefDto | null;
  @ApiProperty({ example: 'protest' }) category: string;
  @ApiProperty({ type: [String], example: ['irgc', 'basij'] }) perpetrators: string[];
  @ApiProperty({ example: 'draft' }) status: string;
  @ApiProperty({
    type: [IncidentAttestationDto],
    description: 'Attestations from restricted sources only for researchers and above',
  })
  attestations: IncidentAttestationDto[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Researchers and above only' })
  internalNotes?: string | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}
