import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ConfidenceCountsDto,
  ContributesDto,
  FiguresDto,
  IncidentRefDto,
  IntervalDto,
  PlaceRefDto,
  QueryLocationDto,
  ScopeAxesDto,
  ClaimScopeDto,
  SourceRefDto,
} from '../../reconciliation/dto/reconciliation-response.dto.js';
import { DualDateDto } from '../../sources/dto/source-response.dto.js';
import { GROUP_BY } from './counts-query.dto.js';

export class BucketKeyDto {
  @ApiProperty({ enum: GROUP_BY }) groupBy: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'The id (place, incident, source), the first day (day, week, month) or the value; null for the bucket of unknown values',
  })
  value: string | null;
  @ApiProperty({
    example: 'Khuzestan',
    description: 'In words: a name, a date label, or "unknown place", "undated" …',
  })
  label: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'خوزستان' }) labelFa?:
    string | null;
  @ApiPropertyOptional({ format: 'uuid', description: 'Places, incidents, sources' }) id?: string;
  @ApiPropertyOptional({ description: 'Places' }) nameEn?: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Places' }) nameFa?:
    string | null;
  @ApiPropertyOptional({ example: '2019-11-11', description: 'day, week, month: first day (ISO)' })
  start?: string;
  @ApiPropertyOptional({ example: '2019-11-17', description: 'day, week, month: last day (ISO)' })
  end?: string;
  @ApiPropertyOptional({
    type: DualDateDto,
    description: 'day, week, month: the period in both calendars',
  })
  period?: DualDateDto;
  @ApiPropertyOptional({ type: SourceRefDto, description: 'source: the source' })
  source?: SourceRefDto;
  @ApiPropertyOptional({ type: IncidentRefDto, description: 'incident: the incident' })
  incident?: IncidentRefDto;
  @ApiPropertyOptional({
    type: PlaceRefDto,
    description:
      'Unknown province or city: the place the victims are known to be in ("unknown city in Khuzestan")',
  })
  within?: PlaceRefDto;
}

export class BucketSourceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String }) publisher: string | null;
  @ApiProperty({ description: 'Victims in this bucket the source attests' }) victims: number;
}

export class BucketDto {
  @ApiProperty({ type: [BucketKeyDto], description: 'One key per grouping, in the order asked' })
  key: BucketKeyDto[];
  @ApiProperty({
    description:
      'Distinct people by the documented rule (query.documented: by default verified records; merged duplicates and each unresolved cluster of likely duplicates once)',
  })
  count: number;
  @ApiProperty({ type: ConfidenceCountsDto }) byConfidence: ConfidenceCountsDto;
  @ApiProperty({
    description: 'Records in the bucket awaiting review (draft, submitted), not in count',
  })
  awaitingReview: number;
  @ApiProperty({ description: 'Disputed records in the bucket, not in count' }) disputed: number;
  @ApiProperty({
    type: [BucketSourceDto],
    description:
      'The sources attesting most of the bucket’s victims, largest first (sourcesPerBucket of them)',
  })
  sources: BucketSourceDto[];
  @ApiProperty({ description: 'How many sources attest victims in the bucket in all' })
  sourceCount: number;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '/api/counts/sources?groupBy=province&bucket=…&cursor=…',
    description:
      'The sources not listed, a page at a time (GET /api/counts/sources); null when sources lists them all',
  })
  sourcesNext: string | null;
}

export class MatchingClaimDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() category: string;
  @ApiProperty() qualifier: string;
  @ApiProperty() basis: string;
  @ApiProperty({ type: FiguresDto }) figures: FiguresDto;
  @ApiProperty({ type: IntervalDto }) interval: IntervalDto;
  @ApiProperty({ enum: ['equal', 'inside', 'contains'] }) scopeRelation: string;
  @ApiProperty({ type: ScopeAxesDto }) scopeAxes: ScopeAxesDto;
  @ApiProperty({
    type: ContributesDto,
    description: 'What it gives this query: a minimum (equal or inside), a top (equal or contains)',
  })
  contributes: ContributesDto;
  @ApiProperty({ type: SourceRefDto }) source: SourceRefDto;
  @ApiProperty({ type: SourceRefDto, nullable: true }) attributedTo: SourceRefDto | null;
  @ApiProperty({ type: ClaimScopeDto }) scope: ClaimScopeDto;
  @ApiProperty({ type: DualDateDto, nullable: true }) published: DualDateDto | null;
  @ApiProperty({ nullable: true, type: String }) excerpt: string | null;
  @ApiProperty() recordStatus: string;
}

export class DocumentedRuleDto {
  @ApiProperty({ enum: ['verified', 'all'] }) rule: string;
  @ApiProperty({ type: [String], example: ['verified'], description: 'Workflow statuses counted' })
  countedStatuses: string[];
  @ApiProperty({ description: 'The rule in plain words' }) text: string;
}

export class CountsQueryEchoDto {
  @ApiProperty({ type: [String], example: ['province', 'month'] }) groupBy: string[];
  @ApiProperty({ nullable: true, type: String }) category: string | null;
  @ApiProperty({ nullable: true, type: QueryLocationDto }) location: QueryLocationDto | null;
  @ApiProperty({ nullable: true, type: DualDateDto }) from: DualDateDto | null;
  @ApiProperty({ nullable: true, type: DualDateDto }) to: DualDateDto | null;
  @ApiProperty({ enum: ['any', 'certain'] }) dateMatch: string;
  @ApiProperty({ nullable: true, type: IncidentRefDto }) incident: IncidentRefDto | null;
  @ApiProperty({ type: [String] }) statuses: string[];
  @ApiProperty({ type: DocumentedRuleDto, description: 'What every count in this answer counts' })
  documented: DocumentedRuleDto;
  @ApiProperty({
    example: 'all',
    description: 'The population the claims are compared with, from the gender and age filters',
  })
  population: string;
  @ApiProperty({ description: 'The other filters, as given', example: { gender: 'female' } })
  filters: Record<string, unknown>;
}

export class CountsTotalsDto {
  @ApiProperty({ description: 'Distinct people matching the query, by the documented rule' })
  count: number;
  @ApiProperty({ type: ConfidenceCountsDto }) byConfidence: ConfidenceCountsDto;
  @ApiProperty({ description: 'Records awaiting review (draft, submitted), not in count' })
  awaitingReview: number;
  @ApiProperty({
    description:
      'Of awaitingReview: records that may duplicate another record in scope (unresolved clusters of likely duplicates)',
  })
  possibleDuplicates: number;
  @ApiProperty({ description: 'Disputed records, not in count' }) disputed: number;
  @ApiProperty({
    description:
      'Counted records folded into another of their unresolved duplicate cluster (counted once with it)',
  })
  foldedDuplicates: number;
  @ApiProperty({ type: [BucketSourceDto] }) sources: BucketSourceDto[];
  @ApiProperty() sourceCount: number;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The sources not listed, a page at a time; null when sources lists them all',
  })
  sourcesNext: string | null;
}

export class CountsResponseDto {
  @ApiProperty({ type: CountsQueryEchoDto, description: 'The query as understood' })
  query: CountsQueryEchoDto;
  @ApiProperty({ type: [BucketDto] }) buckets: BucketDto[];
  @ApiProperty({
    type: [BucketDto],
    description:
      'With two groupings: one per value of the first (a victim attested by two sources is counted once in its place)',
  })
  subtotals: BucketDto[];
  @ApiProperty({ type: CountsTotalsDto }) totals: CountsTotalsDto;
  @ApiProperty({
    type: [MatchingClaimDto],
    description:
      'Count claims whose scope equals, lies inside or contains the query’s (see GET /api/reconciliation to weigh them)',
  })
  claims: MatchingClaimDto[];
  @ApiProperty({ type: [String] }) notes: string[];
}
