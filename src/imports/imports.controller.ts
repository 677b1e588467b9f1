import { Body, Controller, Headers, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor, type Actor } from '../common/actor.js';
import { MinRole } from '../common/public.decorator.js';
import { ImportQueryDto } from './dto/import-query.dto.js';
import { ImportReportDto } from './dto/import-report.dto.js';
import type { ImportReport } from './import-report.js';
import { ImportsService } from './imports.service.js';

@ApiTags('imports')
@ApiBearerAuth()
@Controller('api/imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @HttpCode(201)
  @MinRole('researcher')
  @ApiOperation({
    summary: 'Import a file of victims, sources or count claims (CSV or JSON body)',
    description:
      'The body is the file, streamed: `text/csv` (first line: column names) or `application/json` (an array of objects, or JSON Lines). ' +
      'Every row is accounted for: read = imported + alreadyPresent + rejected. all-or-nothing (default) writes nothing ' +
      'when any row is rejected (422, every bad row listed with its line, field and reason); skip-invalid imports the ' +
      'valid rows and lists the rejected ones; dryRun checks everything and writes nothing (200). Re-importing a file ' +
      'adds nothing: its rows are reported as already present. Columns and rules: docs/import-export.md.',
  })
  @ApiConsumes('text/csv', 'application/json')
  @ApiCreatedResponse({
    type: ImportReportDto,
    description: 'Imported (all rows, or the valid ones in skip-invalid mode)',
  })
  @ApiOkResponse({ type: ImportReportDto, description: 'Dry run: what an import would do' })
  @ApiBadRequestResponse({
    description:
      'The file itself is unusable: malformed CSV or JSON, an unknown column, a bad option',
  })
  @ApiUnprocessableEntityResponse({
    description:
      'all-or-nothing: some rows are rejected, nothing was written; `report` holds the whole report',
  })
  async create(
    @Query() q: ImportQueryDto,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImportReport> {
    // A CSV or JSON body is not parsed beforehand (src/app.factory.ts): the import reads the
    // request as it arrives.
    const report = await this.imports.run(
      q,
      req.is(['text/csv', 'text/plain', 'application/json']) ? req : body,
      contentType,
      actor,
    );
    if (report.dryRun) res.status(200);
    return report;
  }
}
