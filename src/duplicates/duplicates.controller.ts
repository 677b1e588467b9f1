import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '../common/actor.js';
import { UuidParam } from '../common/id-params.js';
import { MinRole } from '../common/public.decorator.js';
import {
  DecideDuplicatesDto,
  DuplicateClusterDto,
  DuplicateClusterPageDto,
  ListDuplicatesQueryDto,
  ScanResultDto,
} from './dto/duplicates.dto.js';
import { DuplicatesService } from './duplicates.service.js';

@ApiTags('duplicates')
@ApiBearerAuth()
@Controller('api/duplicates')
export class DuplicatesController {
  constructor(private readonly duplicates: DuplicatesService) {}

  @Get()
  @MinRole('researcher')
  @ApiOperation({
    summary: 'The review queue: clusters of likely duplicates, best first',
    description:
      'Each cluster with its records side by side and the evidence for each pair. Filter by state (default open), place, date and score; paged by limit and offset.',
  })
  @ApiOkResponse({ type: DuplicateClusterPageDto })
  list(
    @Query() q: ListDuplicatesQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<DuplicateClusterPageDto> {
    return this.duplicates.list(q, actor);
  }

  @Post('scan')
  @HttpCode(200)
  @MinRole('reviewer')
  @ApiOperation({
    summary: 'Run record linkage over the whole database (also `npm run cli -- duplicates scan`)',
    description:
      'Replaces the open clusters; clusters marked unsure and every decision stay. Pairs decided different are never proposed again.',
  })
  @ApiOkResponse({ type: ScanResultDto })
  scan(): Promise<ScanResultDto> {
    return this.duplicates.scan();
  }

  @Get(':id')
  @MinRole('researcher')
  @ApiOkResponse({ type: DuplicateClusterDto })
  get(
    @Param('id', UuidParam) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<DuplicateClusterDto> {
    return this.duplicates.get(id, actor);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @MinRole('reviewer')
  @ApiOperation({
    summary: 'Decide a cluster: same person (merge), different people, or not sure',
    description:
      'same merges every other record into `into` through POST /api/victims/:id/merge (reversible with unmerge, every attestation kept); different is remembered and never proposed again; unsure keeps the cluster in the queue (it still counts once). Audited, with who and when.',
  })
  @ApiOkResponse({ type: DuplicateClusterDto })
  decide(
    @Param('id', UuidParam) id: string,
    @Body() dto: DecideDuplicatesDto,
    @CurrentActor() actor: Actor,
  ): Promise<DuplicateClusterDto> {
    return this.duplicates.decide(id, dto, actor);
  }
}
