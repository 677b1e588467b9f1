import { ResolvedLocationResponseDto } from './dto/location-resolution.dto.js';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
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
import type { Page } from '../common/pagination.js';
import { MinRole, PublicRead } from '../common/public.decorator.js';
import { CreateLocationDto } from './dto/create-location.dto.js';
import { ListLocationsQueryDto, ResolveLocationQueryDto } from './dto/list-locations-query.dto.js';
import { LocationResponseDto } from './dto/location-response.dto.js';
import { UpdateLocationDto } from './dto/update-location.dto.js';
import { LocationsService } from './locations.service.js';

@ApiTags('locations')
@ApiBearerAuth()
@Controller('api/locations')
export class LocationsController {
  constructor(private readonly locations: LocationsService) {}

  @Post()
  @MinRole('researcher')
  @ApiOperation({ summary: 'Add a place to the gazetteer under its parent (id or name)' })
  @ApiCreatedResponse({ type: LocationResponseDto })
  @ApiUnprocessableEntityResponse({
    description: 'The kind does not sit below the parent’s, or the parent id is unknown',
  })
  create(
    @Body() dto: CreateLocationDto,
    @CurrentActor() actor: Actor,
  ): Promise<LocationResponseDto> {
    return this.locations.create(dto, actor);
  }

  @Get()
  @PublicRead()
  @MinRole('viewer')
  @ApiOperation({
    summary:
      'List places; with q= suggest places for type-ahead in either script (Mahshahr, ماهشهر, "mah", "ماه‌ش")',
  })
  list(@Query() q: ListLocationsQueryDto): Promise<Page<LocationResponseDto>> {
    return this.locations.list(q);
  }

  @Get('resolve')
  @PublicRead()
  @MinRole('viewer')
  @ApiOperation({
    summary: 'The place a name means, in any spelling or script',
    description:
      'Matches every English and Persian name and variant after normalisation (case, Arabic ي/ك, ZWNJ, diacritics, spaces). ' +
      'A name shared by a place and places inside it (Tehran, Isfahan, Kermanshah: a province and its capital) resolves to the containing place, with `resolvedAs: containing`, a `note` and the others as `alternatives` (ids to narrow to). ' +
      'A name several unrelated places share is a 400 with code `ambiguous` and `candidates` (id, kind, names, parent, province); an unknown name a 400 with `suggestions`.',
  })
  @ApiOkResponse({ type: ResolvedLocationResponseDto })
  @ApiBadRequestResponse({
    description: 'Unknown (with suggestions) or ambiguous (with candidates)',
  })
  resolve(@Query() q: ResolveLocationQueryDto): Promise<ResolvedLocationResponseDto> {
    return this.locations.resolve(q.name);
  }

  @Get(':id')
  @PublicRead()
  @MinRole('viewer')
  @ApiOkResponse({ type: LocationResponseDto })
  get(@Param('id', UuidParam) id: string): Promise<LocationResponseDto> {
    return this.locations.get(id);
  }

  @Patch(':id')
  @MinRole('researcher')
  @ApiOperation({
    summary:
      'Edit a place; moving it moves everything inside it. Send the version you edited (409 when stale)',
  })
  @ApiOkResponse({ type: LocationResponseDto })
  @ApiUnprocessableEntityResponse({
    description: 'Moved under itself or its own descendant, or a kind out of order',
  })
  update(
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateLocationDto,
    @CurrentActor() actor: Actor,
  ): Promise<LocationResponseDto> {
    return this.locations.update(id, dto, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  // Places are shared reference data (the gazetteer's and every team's): a place carries no
  // record of who added it, so removing one is a reviewer's decision, not any researcher's.
  @MinRole('reviewer')
  @ApiOperation({ summary: 'Delete a place nothing refers to (reviewer)' })
  @ApiConflictResponse({
    description: 'Victims, incidents, claims or places inside it still refer to it',
  })
  async remove(
    @Param('id', UuidParam) id: string,
    @Query() q: VersionQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.locations.remove(id, q.version, actor);
  }
}
