import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '../common/actor.js';
import { UuidParam } from '../common/id-params.js';
import { MinRole } from '../common/public.decorator.js';
import { AuditQueryService, type HistorySubject } from './audit-query.service.js';
import { AuditPageDto } from './dto/audit-entry-response.dto.js';
import { AuditPageQueryDto, ListAuditQueryDto } from './dto/list-audit-query.dto.js';

const HISTORY =
  'Every change to this record (create, update, status, merge, delete): who, when, before, after, why. Newest first.';

/** The record of changes. Researchers and above: entries hold restricted fields as they were. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api')
export class AuditController {
  constructor(private readonly audit: AuditQueryService) {}

  @Get('audit')
  @MinRole('researcher')
  @ApiOperation({
    summary: 'The record of changes, newest first, filtered by record, actor or action',
  })
  @ApiOkResponse({ type: AuditPageDto })
  list(@Query() q: ListAuditQueryDto, @CurrentActor() actor: Actor): Promise<AuditPageDto> {
    return this.audit.list(q, actor);
  }

  private history(
    subject: HistorySubject,
    id: string,
    q: AuditPageQueryDto,
  ): Promise<AuditPageDto> {
    return this.audit.history(subject, id, q);
  }

  @Get('sources/:id/history')
  @MinRole('researcher')
  @ApiOperation({ summary: `A source's history. ${HISTORY}` })
  @ApiOkResponse({ type: AuditPageDto })
  sources(
    @Param('id', UuidParam) id: string,
    @Query() q: AuditPageQueryDto,
  ): Promise<AuditPageDto> {
    return this.history('sources', id, q);
  }

  @Get('locations/:id/history')
  @MinRole('researcher')
  @ApiOperation({ summary: `A location's history. ${HISTORY}` })
  @ApiOkResponse({ type: AuditPageDto })
  locations(
    @Param('id', UuidParam) id: string,
    @Query() q: AuditPageQueryDto,
  ): Promise<AuditPageDto> {
    return this.history('locations', id, q);
  }

  @Get('incidents/:id/history')
  @MinRole('researcher')
  @ApiOperation({ summary: `An incident's history. ${HISTORY}` })
  @ApiOkResponse({ type: AuditPageDto })
  incidents(
    @Param('id', UuidParam) id: string,
    @Query() q: AuditPageQueryDto,
  ): Promise<AuditPageDto> {
    return this.history('incidents', id, q);
  }

  @Get('victims/:id/history')
  @MinRole('researcher')
  @ApiOperation({ summary: `A victim's history. ${HISTORY}` })
  @ApiOkResponse({ type: AuditPageDto })
  victims(
    @Param('id', UuidParam) id: string,
    @Query() q: AuditPageQueryDto,
  ): Promise<AuditPageDto> {
    return this.history('victims', id, q);
  }

  @Get('attestations/:id/history')
  @MinRole('researcher')
  @ApiOperation({ summary: `An attestation's history. ${HISTORY}` })
  @ApiOkResponse({ type: AuditPageDto })
  attestations(
    @Param('id', UuidParam) id: string,
    @Query() q: AuditPageQueryDto,
  ): Promise<AuditPageDto> {
    return this.history('attestations', id, q);
  }

  @Get('claims/:id/history')
  @MinRole('researcher')
  @ApiOperation({ summary: `A count claim's history. ${HISTORY}` })
  @ApiOkResponse({ type: AuditPageDto })
  claims(@Param('id', UuidParam) id: string, @Query() q: AuditPageQueryDto): Promise<AuditPageDto> {
    return this.history('claims', id, q);
  }
}
