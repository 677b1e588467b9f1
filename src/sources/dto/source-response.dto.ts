import { SOURCE_INTERESTS } from '../../common/domain.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class DualDateDto {
  @ApiProperty({ example: 'day' }) precision: string;
  @ApiProperty({ example: { from: '2019-11-16', to: '2019-11-16', label: '2019-11-16' } })
  gregorian: { from: string; to: string; label: string };
  @ApiProperty({
    example: {
      from: '1398-08-25',
      to: '1398-08-25',
      label: '25 Aban 1398',
      labelFa: '۲۵ آبان ۱۳۹۸',
    },
  })
  jalali: { from: string; to: string; label: string; labelFa: string };
  @ApiPropertyOptional({ example: '۲۵ آبان ۱۳۹۸' }) original?: string;
}

export class SourceResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'report' }) kind: string;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String }) publisher: string | null;
  @ApiProperty({ nullable: true, type: String }) author: string | null;
  @ApiProperty({ nullable: true, type: DualDateDto }) published: DualDateDto | null;
  @ApiProperty({ nullable: true, type: String }) language: string | null;
  @ApiProperty({ nullable: true, type: String }) url: string | null;
  @ApiProperty({ nullable: true, type: String }) archivedUrl: string | null;
  @ApiProperty({ nullable: true, type: String }) sha256: string | null;
  @ApiProperty({ example: 'B' }) reliability: string;
  @ApiProperty({
    nullable: true,
    type: String,
    enum: SOURCE_INTERESTS,
    description: 'A party with an interest in the figures it gives; null = none known',
  })
  interest: string | null;
  @ApiProperty({ nullable: true, type: String }) interestNote: string | null;
  @ApiProperty() restricted: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Researchers and above only' })
  internalNotes?: string | null;
  @ApiProperty({ type: [String] }) relays: string[];
  @ApiProperty({ type: [String] }) cites: string[];
  @ApiProperty({ type: [String], description: 'Sources that relay this one' }) relayedBy: string[];
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}
