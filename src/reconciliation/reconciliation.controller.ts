import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, type Actor } from '../common/actor.js';
import { MinRole, PublicRead } from '../common/public.decorator.js';
import { ReconciliationQueryDto } from './dto/reconciliation-query.dto.js';
import { ReconciliationResponseDto } from './dto/reconciliation-response.dto.js';
import { ReconciliationService } from './reconciliation.service.js';

@ApiTags('reconciliation')
@ApiBearerAuth()
@Controller('api/reconciliation')
export class ReconciliationController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  @Get()
  @PublicRead()
  @MinRole('viewer')
  @ApiOperation({
    summary: 'Reconcile the documented victims with every published figure for a scope',
    description:
      'Returns the documented count (distinct victims, by confidence, with their sources), every count claim of the category with its status and the reason for it, the reconciled range (low and high, each naming what sets it), a plain-words statement with citations, and the published rules (docs/reconciliation.md, docs/counts.md). Every parameter is optional; the defaults are given with each.',
  })
  @ApiOkResponse({ type: ReconciliationResponseDto })
  @ApiBadRequestResponse({
    description:
      'A parameter is not allowed (unknown category, bad grade, unknown or ambiguous location, inverted dates): the body says what is allowed',
  })
  reconcile(
    @Query() q: ReconciliationQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<ReconciliationResponseDto> {
    return this.reconciliation.reconcile(q, actor);
  }
}
