import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../common/pagination.js';

export class AttestingSourceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Iran: Details of 304 deaths in crackdown on November 2019 protests' })
  title: string;
  @ApiProperty({ nullable: true, type: String, example: 'Amnesty International' }) publisher:
    string | null;
  @ApiProperty({ example: 'B' }) reliability: string;
  @ApiProperty() restricted: boolean;
}

export class AttestationResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) sourceId: string;
  @ApiProperty({ type: AttestingSourceDto }) source: AttestingSourceDto;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) victimId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) incidentId: string | null;
  @ApiProperty({ nullable: true, type: String }) locator: string | null;
  @ApiProperty({ nullable: true, type: String }) excerpt: string | null;
  @ApiProperty({ type: [String] }) assertedFields: string[];
  @ApiProperty({ minimum: 1, maximum: 6, example: 2 }) credibility: number;
  @ApiProperty() primaryEvidence: boolean;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class AttestationPageDto extends PageMetaDto {
  @ApiProperty({ type: [AttestationResponseDto] }) items: AttestationResponseDto[];
}
