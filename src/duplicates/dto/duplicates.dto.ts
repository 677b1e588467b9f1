import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';
import { EnumField, TextField, UuidField } from '../../common/validators.js';
import { DualDateDto } from '../../sources/dto/source-response.dto.js';
import { CLUSTER_STATES, DUPLICATE_DECISIONS } from '../duplicate.entities.js';

const toNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;

export class ListDuplicatesQueryDto extends PageQueryDto {
  @EnumField(CLUSTER_STATES, {
    optional: true,
    description: 'Clusters in this state. Default open (the review queue).',
  })
  state?: string;

  @ApiPropertyOptional({
    description: 'A place id or any spelling: clusters with a record in it (or below it)',
    example: 'Mahshahr',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string;

  @ApiPropertyOptional({
    description:
      'Clusters with a record whose date of harm overlaps from..to (ISO, partial or Solar Hijri with its calendar)',
    example: '2019-11-16',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  from?: string;

  @ApiPropertyOptional({ example: '2019-11-19' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  to?: string;

  @ApiPropertyOptional({ description: 'Least cluster score, 0–1', example: 0.9 })
  @Transform(toNumber)
  @IsOptional()
  @IsNumber({}, { message: 'minScore must be a number from 0 to 1' })
  @Min(0, { message: 'minScore must be a number from 0 to 1' })
  @Max(1, { message: 'minScore must be a number from 0 to 1' })
  minScore?: number;

  @ApiPropertyOptional({ description: 'Greatest cluster score, 0–1', example: 1 })
  @Transform(toNumber)
  @IsOptional()
  @IsNumber({}, { message: 'maxScore must be a number from 0 to 1' })
  @Min(0, { message: 'maxScore must be a number from 0 to 1' })
  @Max(1, { message: 'maxScore must be a number from 0 to 1' })
  maxScore?: number;
}

export class DecideDuplicatesDto {
  @EnumField(DUPLICATE_DECISIONS, {
    description:
      'same: one person (the records are merged into `into`, reversible with POST /api/victims/:id/unmerge); different: different people (never proposed again); unsure: the reviewer cannot tell (stays in the queue as unsure, and counts once)',
  })
  decision: string;

  @UuidField({
    optional: true,
    description: 'For same: the record kept and counted. Default: a verified one, else the first.',
  })
  into?: string;

  @TextField({ max: 2000, description: 'Why', example: 'Same name in both scripts, city and day' })
  reason: string;
}

export class DuplicateRecordDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String }) nameEn: string | null;
  @ApiProperty({ nullable: true, type: String }) nameFa: string | null;
  @ApiProperty({ type: [String] }) nameVariants: string[];
  @ApiProperty({ nullable: true, type: String }) gender: string | null;
  @ApiProperty({ nullable: true, type: Number }) age: number | null;
  @ApiProperty() harm: string;
  @ApiProperty({ nullable: true, type: DualDateDto }) date: DualDateDto | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) locationId: string | null;
  @ApiProperty({ nullable: true, type: String }) place: string | null;
  @ApiProperty({ nullable: true, type: String }) placeFa: string | null;
  @ApiProperty() status: string;
  @ApiProperty() confidence: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) mergedInto: string | null;
  @ApiProperty({ description: 'Sources attesting the record' }) sources: number;
  @ApiProperty() version: number;
}

export class DuplicatePairDto {
  @ApiProperty({ format: 'uuid' }) a: string;
  @ApiProperty({ format: 'uuid' }) b: string;
  @ApiProperty({ example: 0.93 }) score: number;
  @ApiProperty({
    description:
      'What agreed and what differed: name (given, family, the readings compared), date, place, age, gender, sources (each 0–1), and a veto when one holds the pair back',
  })
  evidence: Record<string, unknown>;
}

export class DuplicateClusterDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CLUSTER_STATES }) state: string;
  @ApiProperty({ example: 0.93 }) score: number;
  @ApiProperty() size: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) decidedBy: string | null;
  @ApiProperty({ nullable: true, type: Date }) decidedAt: Date | null;
  @ApiProperty({ type: [DuplicateRecordDto], description: 'The records side by side' })
  records: DuplicateRecordDto[];
  @ApiProperty({ type: [DuplicatePairDto] }) pairs: DuplicatePairDto[];
}

export class DuplicateClusterPageDto {
  @ApiProperty({ type: [DuplicateClusterDto] }) items: DuplicateClusterDto[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class ScanResultDto {
  @ApiProperty() records: number;
  @ApiProperty() candidates: number;
  @ApiProperty() pairs: number;
  @ApiProperty() clusters: number;
  @ApiProperty() clustered: number;
  @ApiProperty({
    description: 'Pairs kept but left out of every cluster: they would chain records that conflict',
  })
  refused: number;
  @ApiProperty() seconds: number;
  @ApiProperty({
    description: 'Seconds per phase: keys, candidates, scoring, clusters',
    example: { keys: 9.1, candidates: 1.2, scoring: 30.4, clusters: 0.8 },
  })
  phases: Record<string, number>;
}
