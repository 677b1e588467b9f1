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
