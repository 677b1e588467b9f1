import { SOURCE_INTERESTS } from '../../common/domain.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PlaceRefDto } from '../../locations/dto/location-response.dto.js';
import { DualDateDto } from '../../sources/dto/source-response.dto.js';

// One PlaceRefDto for every response: OpenAPI keys schemas by class name, so a second class of
// that name would replace the first in the document.
export { PlaceRefDto };

export class QueryLocationDto extends PlaceRefDto {
  @ApiPropertyOptional({
    enum: ['containing', 'spelling'],
    description:
      "How the location name was read when it was not one place's own name: containing, a name shared by a place and places inside it (Tehran the province and the city), the containing one taken; spelling, matched once spaces or joining words were ignored",
  })
  resolvedAs?: 'containing' | 'spelling';
  @ApiPropertyOptional() note?: string;
  @ApiPropertyOptional({
    type: [PlaceRefDto],
    description: 'The other places of that name, inside the one taken: pass one id to narrow',
  })
  alternatives?: PlaceRefDto[];
  @ApiProperty({ type: [PlaceRefDto], description: 'From the root down to the place itself' })
  path: PlaceRefDto[];
  @ApiProperty({
    description: 'true when no location was given and the whole gazetteer (its root) was taken',
  })
  defaulted: boolean;
}

export class IncidentRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String }) titleFa: string | null;
}

export class ConfidenceCountsDto {
  @ApiProperty() confirmed: number;
  @ApiProperty() probable: number;
  @ApiProperty() possible: number;
  @ApiProperty() unattested: number;
}

/** A source as cited by a reconciliation or a count: what a reader needs to find it. */
export class SourceRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String }) publisher: string | null;
  @ApiProperty({ example: 'B' }) reliability: string;
  @ApiProperty({
    nullable: true,
    type: String,
    enum: SOURCE_INTERESTS,
    description: 'A party with an interest in the figure; null = none known',
  })
  interest: string | null;
  @ApiProperty({ nullable: true, type: String }) url: string | null;
  @ApiProperty({ nullable: true, type: DualDateDto }) published: DualDateDto | null;
}

/** A source behind the documented count: its title, publisher and date are in `citations`. */
export class DocumentedSourceDto {
  @ApiProperty({ format: 'uuid', description: 'The citation with this sourceId describes it' })
  id: string;
  @ApiProperty({ description: 'Documented victims in scope this source attests' }) victims: number;
}

export class ReconciliationQueryEchoDto {
  @ApiProperty({ example: 'killed' }) category: string;
  @ApiProperty({ example: 'all' }) population: string;
  @ApiProperty({
    nullable: true,
    type: QueryLocationDto,
    description: 'null: everywhere (a gazetteer with several roots)',
  })
  location: QueryLocationDto | null;
  @ApiProperty({ nullable: true, type: DualDateDto, description: 'First day of the window' })
  from: DualDateDto | null;
  @ApiProperty({ nullable: true, type: DualDateDto, description: 'Last day of the window' })
  to: DualDateDto | null;
  @ApiProperty({ nullable: true, type: IncidentRefDto }) incident: IncidentRefDto | null;
  @ApiProperty({ nullable: true, type: String, example: null }) perpetrator: string | null;
  @ApiProperty({ example: 'C' }) minReliability: string;
  @ApiProperty({ example: 3 }) minCredibility: number;
  @ApiProperty({ example: 'unattested' }) minConfidence: string;
  @ApiProperty({ type: [String], example: ['draft', 'submitted', 'verified', 'disputed'] })
  statuses: string[];
  @ApiProperty({
    type: [String],
    example: ['time', 'incident'],
    description: 'Axes left open by the query: every figure is taken as equal to the query on them',
  })
  unconstrained: string[];
}

export class DocumentedDto {
  @ApiProperty({
    description:
      'Distinct people in scope by the documented rule (by default verified records only; merged duplicates and each unresolved cluster of likely duplicates once); the ledger’s own minimum',
  })
  total: number;
  @ApiProperty({ enum: ['verified', 'all'], description: 'The rule the count follows' })
  rule: string;
  @ApiProperty({
    type: [String],
    example: ['verified'],
    description: 'The workflow statuses counted',
  })
  countedStatuses: string[];
  @ApiProperty({
    description:
      'Records in scope awaiting review (draft, submitted), not counted in total (0 with documented=all)',
  })
  awaitingReview: number;
  @ApiProperty({
    description:
      'Of awaitingReview: records that may duplicate another record in scope (members of unresolved clusters of likely duplicates)',
  })
  possibleDuplicates: number;
  @ApiProperty({ description: 'Disputed records in scope, not counted in total' })
  disputed: number;
  @ApiProperty({
    description:
      'Counted records folded into another record of their unresolved duplicate cluster (counted once with it)',
  })
  foldedDuplicates: number;
  @ApiProperty({ description: 'The rule in plain words' }) ruleText: string;
  @ApiProperty({ type: ConfidenceCountsDto }) byConfidence: ConfidenceCountsDto;
  @ApiProperty({
    description:
      'Victims whose known date only overlaps the window (e.g. "November 2019" against 16–19 Nov): possibly in scope, not counted',
  })
  possible: number;
  @ApiProperty({
    type: [DocumentedSourceDto],
    description:
      'The 20 sources attesting most of the counted victims (then by id), largest first; each is described in citations',
  })
  sources: DocumentedSourceDto[];
  @ApiProperty({ description: 'How many sources attest the counted victims in all' })
  sourceCount: number;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'Every source after those listed, a page at a time (GET /api/counts/sources with this query’s filters); null when sources lists them all',
  })
  sourcesNext: string | null;
  @ApiPropertyOptional() note?: string;
}

export class FiguresDto {
  @ApiProperty({ nullable: true, type: Number }) low: number | null;
  @ApiProperty({ nullable: true, type: Number }) best: number | null;
  @ApiProperty({ nullable: true, type: Number }) high: number | null;
}

export class IntervalDto {
  @ApiProperty({ nullable: true, type: Number }) low: number | null;
  @ApiProperty() lowInclusive: boolean;
  @ApiProperty({ nullable: true, type: Number }) high: number | null;
  @ApiProperty() highInclusive: boolean;
  @ApiProperty({ nullable: true, type: Number }) best: number | null;
  @ApiProperty({
    description: 'false when the ends are estimates (about, a range of estimates), not bounds',
  })
  hard: boolean;
}

export class ClaimScopeDto {
  @ApiProperty({
    nullable: true,
    type: PlaceRefDto,
    description: 'null: no place given (anywhere)',
  })
  location: PlaceRefDto | null;
  @ApiProperty({ nullable: true, type: DualDateDto }) window: DualDateDto | null;
  @ApiProperty({ nullable: true, type: IncidentRefDto }) incident: IncidentRefDto | null;
  @ApiProperty({ example: 'non_security' }) population: string;
  @ApiProperty({ nullable: true, type: String }) populationNote: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'null: harm by anyone' })
  perpetrator: string | null;
}

export class ScopeAxesDto {
  @ApiProperty({ enum: ['equal', 'inside', 'contains', 'differs'] }) place: string;
  @ApiProperty({ enum: ['equal', 'inside', 'contains', 'differs'] }) time: string;
  @ApiProperty({ enum: ['equal', 'inside', 'contains', 'differs'] }) incident: string;
  @ApiProperty({ enum: ['equal', 'inside', 'contains', 'differs'] }) population: string;
  @ApiProperty({ enum: ['equal', 'inside', 'contains', 'differs'] }) perpetrator: string;
}

export class ContributesDto {
  @ApiProperty({ nullable: true, type: Number }) low: number | null;
  @ApiProperty({ nullable: true, type: Number }) high: number | null;
}

export class ClaimOutcomeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'killed' }) category: string;
  @ApiProperty({ example: 'at_least' }) qualifier: string;
  @ApiProperty({ example: 'named_list' }) basis: string;
  @ApiProperty({ type: FiguresDto, description: 'As entered' }) figures: FiguresDto;
  @ApiProperty({ type: IntervalDto, description: 'What the figure means' }) interval: IntervalDto;
  @ApiProperty({
    enum: [
      'included',
      'superseded',
      'relay',
      'below_grade',
      'disputed',
      'interested',
      'scope_differs',
      'contradicted',
    ],
  })
  status: string;
  @ApiProperty({ description: 'Plain words: why this status' }) reason: string;
  @ApiProperty({ enum: ['equal', 'inside', 'contains', 'differs'] }) scopeRelation: string;
  @ApiProperty({ type: ScopeAxesDto }) scopeAxes: ScopeAxesDto;
  @ApiProperty({ enum: ['floor', 'ceiling', 'estimate', 'none'] }) role: string;
  @ApiProperty({ type: ContributesDto }) contributes: ContributesDto;
  @ApiProperty({ type: SourceRefDto, description: 'The document that carries the figure' })
  source: SourceRefDto;
  @ApiProperty({
    type: SourceRefDto,
    description: 'Where the figure comes from, after following relays',
  })
  origin: SourceRefDto;
  @ApiProperty({ type: [String], description: 'Claim ids followed towards the origin' })
  relayChain: string[];
  @ApiProperty({ description: 'A relay whose figure differs from its origin’s' })
  altersOrigin: boolean;
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'For a relay: the claim counted in its place',
  })
  relayOf?: string;
  @ApiPropertyOptional({ format: 'uuid' }) supersededBy?: string;
  @ApiProperty({
    nullable: true,
    type: String,
    enum: SOURCE_INTERESTS,
    description: "The interest of the figure's origin: such a figure never sets a bound alone",
  })
  interest: string | null;
  @ApiPropertyOptional({
    description:
      'For a contradicted claim: the claim id whose minimum it falls below, or documented',
  })
  contradictedBy?: string;
  @ApiPropertyOptional({
    description: 'For a claim set aside for its grade: whether the default thresholds set it aside',
  })
  setAsideByDefault?: boolean;
  @ApiPropertyOptional({
    type: [String],
    description: "An interested party's figure that agrees with a bound others set (low, high)",
  })
  corroborates?: string[];
  @ApiPropertyOptional({
    description:
      'A part of another claim (its breakdown): that claim’s id; this outcome’s id is "<claim id>#<population>"',
  })
  componentOf?: string;
  @ApiPropertyOptional({
    description: "A relay found through its source's declared relays, not a claim link",
  })
  relayDeclaredOnSource?: boolean;
  @ApiProperty({ type: ClaimScopeDto }) scope: ClaimScopeDto;
  @ApiProperty({ nullable: true, type: String, description: 'The date the count stands at' })
  asOf: string | null;
  @ApiProperty({ nullable: true, type: DualDateDto }) published: DualDateDto | null;
  @ApiProperty({ nullable: true, type: String }) excerpt: string | null;
  @ApiProperty({ nullable: true, type: String }) locator: string | null;
  @ApiProperty({ example: 2 }) credibility: number;
  @ApiProperty({ example: 'submitted', description: 'Workflow status of the claim record' })
  recordStatus: string;
}

export class BoundSetterDto {
  @ApiProperty({ enum: ['documented', 'claim'] }) kind: string;
  @ApiPropertyOptional({ description: 'kind documented: the documented count' }) count?: number;
  @ApiPropertyOptional({ format: 'uuid' }) claimId?: string;
  @ApiPropertyOptional({ type: SourceRefDto }) source?: SourceRefDto;
  @ApiPropertyOptional({ type: SourceRefDto }) origin?: SourceRefDto;
  @ApiPropertyOptional() qualifier?: string;
  @ApiPropertyOptional() basis?: string;
  @ApiPropertyOptional() scopeRelation?: string;
}

export class BoundDto {
  @ApiProperty() value: number;
  @ApiProperty({ type: BoundSetterDto, description: 'What sets this end' }) setBy: BoundSetterDto;
  @ApiPropertyOptional() note?: string;
}

export class CitationDto {
  @ApiProperty({ format: 'uuid' }) sourceId: string;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String }) publisher: string | null;
  @ApiProperty({ nullable: true, type: DualDateDto }) published: DualDateDto | null;
  @ApiProperty({ nullable: true, type: String }) url: string | null;
  @ApiProperty({ description: 'As the statement writes it' }) text: string;
  @ApiProperty({ type: [String] }) claimIds: string[];
  @ApiProperty({ nullable: true, type: Number }) documentedVictims: number | null;
}

export class UnreadableClaimDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() field: string;
  @ApiProperty() reason: string;
}

export class ReconciliationResponseDto {
  @ApiProperty({
    type: ReconciliationQueryEchoDto,
    description: 'The query as understood, defaults applied',
  })
  query: ReconciliationQueryEchoDto;
  @ApiProperty({ type: DocumentedDto }) documented: DocumentedDto;
  @ApiProperty({ type: [ClaimOutcomeDto] }) claims: ClaimOutcomeDto[];
  @ApiProperty({ type: BoundDto, description: 'The highest credible minimum' }) low: BoundDto;
  @ApiProperty({
    type: BoundDto,
    nullable: true,
    description: 'The highest credible estimate or upper bound; null when unbounded',
  })
  high: BoundDto | null;
  @ApiProperty({ type: [String] }) notes: string[];
  @ApiProperty({ description: 'One paragraph in plain words, with citations' }) statement: string;
  @ApiProperty({ type: [CitationDto] }) citations: CitationDto[];
  @ApiProperty({ type: [String], description: 'The published rules this result follows' })
  rules: string[];
  @ApiProperty({
    type: [UnreadableClaimDto],
    description:
      'Stored claims whose figures or dates the rules cannot read (left out, with the reason)',
  })
  unreadable: UnreadableClaimDto[];
}
