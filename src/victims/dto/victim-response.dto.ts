import { QueriedLocationDto } from '../../locations/dto/location-resolution.dto.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AttestationResponseDto } from '../../attestations/dto/attestation-response.dto.js';
import { DualDateDto } from '../../sources/dto/source-response.dto.js';

export class PlaceSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'city' }) kind: string;
  @ApiProperty({ example: 'Bandar-e Mahshahr' }) nameEn: string;
  @ApiProperty({ nullable: true, type: String, example: 'بندر ماهشهر' }) nameFa: string | null;
}

export class VictimSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String, example: 'مهران تاک' }) nameFa: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Mehran Tak' }) nameEn: string | null;
  @ApiProperty({ type: [String] }) nameVariants: string[];
  @ApiProperty({ nullable: true, type: String, example: 'male' }) gender: string | null;
  @ApiProperty({ nullable: true, type: Number, example: 31 }) age: number | null;
  @ApiProperty({ nullable: true, type: Number }) ageMin: number | null;
  @ApiProperty({ nullable: true, type: Number }) ageMax: number | null;
  @ApiProperty({ nullable: true, type: String, example: '25-34' }) ageBand: string | null;
  @ApiProperty({ nullable: true, type: String }) occupation: string | null;
  @ApiProperty({ nullable: true, type: String }) fatherName: string | null;
  @ApiProperty({ example: 'killed' }) harm: string;
  @ApiProperty({
    nullable: true,
    type: DualDateDto,
    description: 'In both calendars, with the text as typed',
  })
  date: DualDateDto | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'jalali',
    description: 'The calendar the date was typed in',
  })
  dateCalendar: string | null;
  @ApiProperty({ nullable: true, type: PlaceSummaryDto }) location: PlaceSummaryDto | null;
  @ApiProperty({ nullable: true, type: String, example: 'exact' }) placePrecision: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'مریوان' }) placeOriginal: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'gunshot_head' }) cause: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'security_forces' }) perpetrator:
    string | null;
  @ApiProperty({ nullable: true, type: Boolean }) armed: boolean | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) incidentId: string | null;
  @ApiProperty({ example: 'draft' }) status: string;
  @ApiProperty({
    example: 'probable',
    description: 'Derived from the attestations (GET /api/victims/confidence-rule)',
  })
  confidence: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'Set when merged into another record',
  })
  mergedInto: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Researchers and above only' })
  witnessNames?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Researchers and above only' })
  familyContact?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Researchers and above only' })
  internalNotes?: string | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class VictimResponseDto extends VictimSummaryDto {
  @ApiProperty({
    type: [AttestationResponseDto],
    description:
      "This record's attestations and those of the records merged into it (victimId tells which)",
  })
  attestations: AttestationResponseDto[];

  @ApiProperty({ type: [String], description: 'Ids of the records merged into this one' })
  mergedFrom: string[];
}

export class VictimListItemDto extends VictimSummaryDto {
  @ApiProperty({
    enum: ['certain', 'possible'],
    description:
      'certain: the whole known date lies in the from/to window; possible: it only overlaps it',
  })
  dateMatch: 'certain' | 'possible';

  @ApiPropertyOptional({ description: 'Name similarity to q, 0–1 (only with q)', example: 0.83 })
  relevance?: number;

  @ApiPropertyOptional({
    enum: ['exact', 'spelling', 'similar'],
    description:
      'How the name matched q (only with q): exact, the words asked for in that order; spelling, the same words in another spelling; similar, close words. Ranked in that order, then by relevance.',
  })
  nameMatch?: 'exact' | 'spelling' | 'similar';
}

export class VictimPageDto {
  @ApiProperty({ type: [VictimListItemDto] }) items: VictimListItemDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as cursor= for the next page; null on the last',
  })
  nextCursor: string | null;
  @ApiProperty({ example: 50 }) limit: number;
  @ApiPropertyOptional({
    type: QueriedLocationDto,
    description: 'With location=: the place it was read as, and how (a province and its capital)',
  })
  location?: QueriedLocationDto;
}

export class DuplicateCandidateDto {
  @ApiProperty({ type: VictimSummaryDto }) victim: VictimSummaryDto;
  @ApiProperty({ example: 0.86, description: '0–1: name similarity 0.6, date 0.2, place 0.2' })
  score: number;
  @ApiProperty({
    example: 1,
    description: 'Trigram similarity of the names (after normalisation and skeletons)',
  })
  nameSimilarity: number;
  @ApiProperty({ nullable: true, type: Boolean, description: 'null when either date is unknown' })
  datesOverlap: boolean | null;
  @ApiProperty({
    nullable: true,
    type: Boolean,
    description: 'One place lies within the other; null when either is unknown',
  })
  samePlace: boolean | null;
  @ApiProperty({
    type: [String],
    example: ['names match (similarity 1.00)', 'dates overlap', 'same place: Marivan'],
  })
  reasons: string[];
}

export class ConfidenceRuleDto {
  @ApiProperty({ type: [String], example: ['confirmed', 'probable', 'possible', 'unattested'] })
  levels: string[];
  @ApiProperty({ type: [String] }) rule: string[];
}
