import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, type Actor } from '../common/actor.js';
import { UuidParam, VersionQueryDto } from '../common/id-params.js';
import type { Page } from '../common/pagination.js';
import { MinRole, PublicRead } from '../common/public.decorator.js';
import { CreateSourceDto } from './dto/create-source.dto.js';
import { ListSourcesQueryDto } from './dto/list-sources-query.dto.js';
import { SourceResponseDto } from './dto/source-response.dto.js';
import { UpdateSourceDto } from './dto/update-source.dto.js';
import { SourcesService } from './sources.service.js';

@ApiTags('sources')
@ApiBearerAuth()
@Controller('api/sources')
export class SourcesController {
  constructor(private readonly sources: SourcesService) {}

  @Post()
  @MinRole('researcher')
  @ApiOperation({
    summary: 'Record a source: a document that attests victims, incidents or figures',
  })
  @ApiCreatedResponse({ type: SourceResponseDto })
  create(@Body() dto: CreateSourceDto, @CurrentActor() actor: Actor): Promise<SourceResponseDto> {
    return this.sources.create(dto, actor);
  }

  @Get()
  @PublicRead()
  @MinRole('viewer')
  @ApiOperation({ summary: 'List sources (restricted ones only for researchers and above)' })
  list(
    @Query() q: ListSourcesQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<Page<SourceResponseDto>> {
    return this.sources.list(q, actor);
  }

  @Get(':id')
  @PublicRead()
  @MinRole('viewer')
  @ApiOkResponse({ type: SourceResponseDto })
  get(
    @Param('id', UuidParam) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<SourceResponseDto> {
    return this.sources.get(id, actor);
  }

  @Patch(':id')
  @MinRole('researcher')
  @ApiOperation({ summary: 'Edit a source; send the version you edited (409 when stale)' })
  @ApiOkResponse({ type: SourceResponseDto })
  update(
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateSourceDto,
    @CurrentActor() actor: Actor,
  ): Promise<SourceResponseDto> {
    return this.sources.update(id, dto, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @MinRole('researcher')
  @ApiOperation({
    summary:
      'Delete a source nothing refers to (409 while it attests anything): one you recorded, or any as a reviewer (403 otherwise)',
  })
  async remove(
    @Param('id', UuidParam) id: string,
    @Query() q: VersionQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.sources.remove(id, q.version, actor);
  }
}
