import { Controller, Get, Logger, Query, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { CurrentActor, type Actor } from '../common/actor.js';
import { MinRole, PublicRead } from '../common/public.decorator.js';
import type { VictimFilterDto } from '../victim-scope/victim-filter.js';
import { ExportQueryDto, ExportVictimsQueryDto } from './dto/export-query.dto.js';
import { exportKind, type ExportKind } from './exporters.js';
import { CONTENT_TYPES, streamSink, type ExportFormat, type Sink } from './writers.js';

const DESCRIPTION =
  'Streamed as it is read, never built whole. A reader who may not see restricted data (or anyone asking public=true) ' +
  'gets no restricted field (witness names, family contacts, internal notes), no restricted source, no record resting ' +
  'only on restricted sources, and only verified records. GeoJSON places each record at its place, or at the nearest ' +
  'ancestor with coordinates (the property coordinates_from says which); records with no coordinates are listed under ' +
  '`unlocated`, not dropped. Formats and columns: docs/import-export.md.';

@ApiTags('exports')
@ApiBearerAuth()
@Controller('api/exports')
export class ExportsController {
  private readonly logger = new Logger('Exports');

  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private async stream(
    kind: ExportKind,
    q: ExportQueryDto,
    filter: VictimFilterDto | undefined,
    actor: Actor,
    res: Response,
  ): Promise<void> {
    const format = (q.format ?? 'csv') as ExportFormat;
    const stamp = new Date().toISOString().slice(0, 10);
    const body = streamSink(res);
    // Headers go with the first byte: an error before it (a bad filter) is answered as JSON.
    const sink: Sink = {
      write: (chunk) => {
        if (!res.headersSent) {
          res.setHeader('Content-Type', CONTENT_TYPES[format]);
          res.setHeader('Content-Disposition', `attachment; filename="${kind}-${stamp}.${format}"`);
        }
        return body.write(chunk);
      },
    };
    try {
      await exportKind(kind, this.ds, sink, {
        format,
        actor,
        publicView: q.public ?? false,
        filter,
        bom: q.bom ?? true,
      });
      res.end();
    } catch (e) {
      // Once bytes are out the status is sent: cut the download short rather than append an error to it.
      if (!res.headersSent) throw e;
      this.logger.error(
        `export of ${kind} failed midway: ${e instanceof Error ? e.message : String(e)}`,
      );
      res.destroy(e instanceof Error ? e : undefined);
    }
  }

  @Get('victims')
  @PublicRead()
  @MinRole('viewer')
  @ApiOperation({
    summary: 'Export victims (CSV, JSON or GeoJSON) with the filters of GET /api/victims',
    description: DESCRIPTION,
  })
  @ApiProduces('text/csv', 'application/json', 'application/geo+json')
  @ApiOkResponse({ description: 'The file' })
  async victims(
    @Query() q: ExportVictimsQueryDto,
    @CurrentActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    const { format, public: _public, bom, ...filter } = q;
    await this.stream('victims', { format, public: q.public, bom }, filter, actor, res);
  }

  @Get('sources')
  @PublicRead()
  @MinRole('viewer')
  @ApiOperation({ summary: 'Export sources (CSV or JSON)', description: DESCRIPTION })
  @ApiProduces('text/csv', 'application/json')
  async sources(
    @Query() q: ExportQueryDto,
    @CurrentActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    await this.stream('sources', q, undefined, actor, res);
  }

  @Get('claims')
  @PublicRead()
  @MinRole('viewer')
  @ApiOperation({ summary: 'Export count claims (CSV, JSON or GeoJSON)', description: DESCRIPTION })
  @ApiProduces('text/csv', 'application/json', 'application/geo+json')
  async claims(
    @Query() q: ExportQueryDto,
    @CurrentActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    await this.stream('claims', q, undefined, actor, res);
  }

  @Get('incidents')
  @PublicRead()
  @MinRole('viewer')
  @ApiOperation({ summary: 'Export incidents (CSV, JSON or GeoJSON)', description: DESCRIPTION })
  @ApiProduces('text/csv', 'application/json', 'application/geo+json')
  async incidents(
    @Query() q: ExportQueryDto,
    @CurrentActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    await this.stream('incidents', q, undefined, actor, res);
  }
}
