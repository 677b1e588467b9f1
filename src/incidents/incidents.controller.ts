import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentActor, type Actor } from '../common/actor.js';
import { UuidParam, VersionQueryDto } from '../common/id-params.js';
import type { LocatedPage } from '../locations/dto/location-resolution.dto.js';
import { MinRole, PublicRead } from '../common/public.decorator.js';
import { CreateIncidentDto } from './dto/create-incident.dto.js';
import { IncidentResponseDto } from './dto/incident-response.dto.js';
import { ListIncidentsQueryDto } from './dto/list-incidents-query.dto.js';
import { UpdateIncidentDto } from './dto/update-incident.dto.js';
import { IncidentsService } from './incidents.service.js';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('api/incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Post()
  @MinRole('researcher')
  @ApiOperation({
    summary:
      'Record an incident with the sources that attest it (at least one), in one transaction',
    description:
      'The incident starts as a draft. `location` is an id or any name; `date` any form researchers write, Solar Hijri included.',
  })
  @ApiCreatedResponse({ type: IncidentResponseDto })
  @ApiUnprocessableEntityResponse({
    description:
      'An attestation names an unknown source (field attestations[i].sourceId), or the location id is unknown',
  })
  create(
    @Body() dto: CreateIncidentDto,
    @CurrentActor() actor: Actor,
  ): Promise<IncidentResponseDto> {
    return this.incidents.create(dto, actor);
  }

  @Get()
  @PublicRead()
  @MinRole('viewer')
  @ApiOperation({
    summary:
      'List incidents by place (with everything inside it; a name shared by a province and its capital is the province, and the answer’s location block says so, with the city’s id to narrow to), date window, category and status',
  })
  list(
    @Query() q: ListIncidentsQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<LocatedPage<IncidentResponseDto>> {
    return this.incidents.list(q, actor);
  }

  @Get(':id')
  @PublicRead()
  @MinRole('viewer')
  @ApiOperation({ summary: 'An incident with its attestations and their sources' })
  @ApiOkResponse({ type: IncidentResponseDto })
  get(
    @Param('id', UuidParam) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<IncidentResponseDto> {
    return this.incidents.get(id, actor);
  }

  @Patch(':id')
  @MinRole('researcher')
  @ApiOperation({ summary: 'Edit an incident; send the version you edited (409 when stale)' })
  @ApiOkResponse({ type: IncidentResponseDto })
  update(
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateIncidentDto,
    @CurrentActor() actor: Actor,
  ): Promise<IncidentResponseDto> {
    return this.incidents.update(id, dto, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @MinRole('researcher')
  @ApiOperation({
    summary:
      'Delete an incident (and its attestations) that no victim or claim refers to: your own draft (an admin: any). Anything else is retracted (403 rule retract_instead)',
  })
  @ApiConflictResponse({ description: 'Victims or claims refer to it: retract it instead' })
  async remove(
    @Param('id', UuidParam) id: string,
    @Query() q: VersionQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.incidents.remove(id, q.version, actor);
  }
}
