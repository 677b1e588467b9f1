import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class RowProblemDto {
  @ApiProperty({
    example: 12,
    description:
      'Line where the row starts (CSV: the header is line 1; a JSON body: the record number)',
  })
  line: number;
  @ApiProperty({ example: 11, description: 'Number of the record, the header not counted' })
  record: number;
  @ApiProperty({ example: 'age' }) field: string;
  @ApiProperty({
    example: 'age is not a whole number',
    description: 'A stable label, for counting by reason',
  })
  rule: string;
  @ApiProperty({ example: 'age is not a whole number: got "about 20"' }) reason: string;
}

export class TallyDto {
  @ApiProperty({ example: 'Golshahr (Karaj)' }) text: string;
  @ApiProperty({ example: 5 }) rows: number;
}

export class PlaceRowDto {
  @ApiProperty({ example: 12 }) line: number;
  @ApiProperty({ example: 11 }) record: number;
  @ApiProperty({ enum: ['exact', 'parent', 'approximate', 'unresolved'] }) outcome: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) locationId: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'exact' }) precision: string | null;
  @ApiProperty({ example: 'Zahedan / زاهدان' }) text: string;
}

class PlaceParentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'West Azerbaijan' }) nameEn: string;
}

export class PlaceBriefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'city' }) kind: string;
  @ApiProperty({ example: 'Mahabad' }) nameEn: string;
  @ApiProperty({ nullable: true, type: String, example: 'مهاباد' }) nameFa: string | null;
  @ApiProperty({ nullable: true, type: PlaceParentDto }) parent: PlaceParentDto | null;
}

class AmbiguousTextDto {
  @ApiProperty({ example: 'Mahabad' }) text: string;
  @ApiProperty({ example: 2 }) rows: number;
  @ApiProperty({ type: [PlaceBriefDto], description: 'Every place of that name, with its id' })
  candidates: PlaceBriefDto[];
}

export class PlaceReportDto {
  @ApiProperty({ example: 500, description: 'Resolved to a gazetteer place as reported' })
  exact: number;
  @ApiProperty({
    example: 62,
    description: 'A suburb or unknown place attached to the city or province containing it',
  })
  parent: number;
  @ApiProperty({
    example: 0,
    description: 'No place resolved: imported without a location, the text kept',
  })
  unresolved: number;
  @ApiProperty({
    example: 3,
    description: 'A misspelt name taken for the closest gazetteer name (precision approximate)',
  })
  approximate: number;
  @ApiProperty({ type: [TallyDto] }) topParent: TallyDto[];
  @ApiProperty({ type: [TallyDto], description: '"Zahidan → Zahedan": check them' })
  topApproximate: TallyDto[];
  @ApiProperty({ type: [TallyDto] }) topUnresolved: TallyDto[];
  @ApiProperty({
    example: 0,
    description:
      'Rows already present whose text now resolves to a more exact place than their record has (left as they are: POST /api/locations/replace re-places them)',
  })
  replaceable: number;
  @ApiProperty({
    type: [AmbiguousTextDto],
    description:
      'Place texts not placed exactly because they name several unrelated places, with the candidates and their ids',
  })
  ambiguous: AmbiguousTextDto[];
  @ApiPropertyOptional({
    type: [PlaceRowDto],
    description:
      'With placeRows=true: every row, its place as the record holds it after the import',
  })
  rows?: PlaceRowDto[];
}

class ReplacedPlaceDto {
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) locationId: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'parent' }) precision: string | null;
}

class ReplacedToDto {
  @ApiProperty({ format: 'uuid' }) locationId: string;
  @ApiProperty({ example: 'Zahedan' }) nameEn: string;
  @ApiProperty({ example: 'exact' }) precision: string;
}

export class ReplacedRecordDto {
  @ApiProperty({ format: 'uuid' }) victimId: string;
  @ApiProperty({ example: 'Zahedan / زاهدان, Sistan va Baluchestan' }) text: string;
  @ApiProperty({ type: ReplacedPlaceDto }) from: ReplacedPlaceDto;
  @ApiProperty({ type: ReplacedToDto }) to: ReplacedToDto;
}

class UnresolvedTextDto {
  @ApiProperty({ example: 'Zahidan-e Sofla' }) text: string;
  @ApiProperty({ example: 3 }) rows: number;
  @ApiProperty({ type: [PlaceBriefDto], description: 'The nearest names in the gazetteer' })
  suggestions: PlaceBriefDto[];
}

class ReplaceCountsDto {
  @ApiProperty({ example: 12 }) exact: number;
  @ApiProperty({ example: 1 }) parent: number;
  @ApiProperty({ example: 0 }) approximate: number;
}

export class ReplaceOutcomeDto {
  @ApiProperty({
    example: 320,
    description:
      'Records with a place text not placed exactly = replaced + heldForReview + unchanged',
  })
  considered: number;
  @ApiProperty({ example: 307, description: 'Given a more exact place (one version up, audited)' })
  replaced: number;
  @ApiProperty({ type: ReplaceCountsDto, description: 'The re-placed records by their precision' })
  byPrecision: ReplaceCountsDto;
  @ApiProperty({
    example: 2,
    description: 'Verified or disputed records whose text now resolves: listed, not changed',
  })
  heldForReview: number;
  @ApiProperty({ example: 11 }) unchanged: number;
  @ApiProperty({ type: [UnresolvedTextDto] }) stillUnresolved: UnresolvedTextDto[];
  @ApiProperty({ type: [AmbiguousTextDto] }) ambiguous: AmbiguousTextDto[];
  @ApiProperty({ type: [ReplacedRecordDto], description: 'The first 1,000 re-placed' })
  records: ReplacedRecordDto[];
  @ApiProperty({ type: [ReplacedRecordDto], description: 'The first 1,000 held for review' })
  held: ReplacedRecordDto[];
}

export class ReplaceReportDto extends ReplaceOutcomeDto {
  @ApiProperty() dryRun: boolean;
  @ApiProperty({ description: 'Whether anything was written' }) written: boolean;
  @ApiProperty({ type: [String] }) summary: string[];
}

export class ImportReportDto {
  @ApiProperty({
    format: 'uuid',
    description: 'Id of the import: its audit entry and those of every record it created name it',
  })
  importId: string;
  @ApiProperty({ example: 'victims' }) kind: string;
  @ApiProperty({ example: 'skip-invalid' }) mode: string;
  @ApiProperty() dryRun: boolean;
  @ApiProperty({ description: 'Whether anything was written' }) written: boolean;
  @ApiProperty({
    example: 562,
    description: 'read = imported + updated + alreadyPresent + rejected',
  })
  read: number;
  @ApiProperty({ example: 560, description: 'Imported, or (when nothing was written) importable' })
  imported: number;
  @ApiProperty({
    example: 0,
    description:
      'Records the list made before (by its own ids), corrected in this file and updated',
  })
  updated: number;
  @ApiProperty({ example: 0, description: 'Already in the ledger as the row says (unchanged)' })
  alreadyPresent: number;
  @ApiProperty({ example: 2 }) rejected: number;
  @ApiProperty({ type: [RowProblemDto], description: 'Every problem of every rejected row' })
  rejects: RowProblemDto[];
  @ApiProperty({ type: [TallyDto], description: 'Rejected rows per reason' })
  rejectedByReason: TallyDto[];
  @ApiProperty({
    type: [RowProblemDto],
    description:
      'Imported rows with a field left empty (its published text kept in original_values) or published text mapped to a vocabulary: one entry per field, the first 1,000',
  })
  warnings: RowProblemDto[];
  @ApiProperty({ example: 501, description: 'Imported rows with at least one warning' })
  warnedRows: number;
  @ApiProperty({ type: [TallyDto], description: 'Warnings per reason (rows: warnings)' })
  warningsByReason: TallyDto[];
  @ApiPropertyOptional({ type: PlaceReportDto, description: 'Victims: how places resolved' })
  places?: PlaceReportDto;
  @ApiPropertyOptional({
    type: ReplaceOutcomeDto,
    description: 'Locations: the records re-placed after the places were in',
  })
  replaced?: ReplaceOutcomeDto;
  @ApiProperty({ example: { created: 87, existing: 0 } }) sources: {
    created: number;
    existing: number;
  };
  @ApiProperty({ example: 635 }) attestations: number;
  @ApiProperty() durationMs: number;
  @ApiProperty() rowsPerSecond: number;
  @ApiProperty({ type: [String], description: 'The report in plain lines, as the CLI prints it' })
  summary: string[];
}
