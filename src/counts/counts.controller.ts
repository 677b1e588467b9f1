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
import { CountsService } from './counts.service.js';
import { CountSourcesService } from './count-sources.service.js';
import { CountSourcesQueryDto, CountSourcesResponseDto } from './dto/count-sources.dto.js';
import { CountsQueryDto } from './dto/counts-query.dto.js';
import { CountsResponseDto } from './dto/counts-response.dto.js';

@ApiTags('counts')
@ApiBearerAuth()
@Controller('api/counts')
export class CountsController {
  constructor(
    private readonly counts: CountsService,
    private readonly countSources: CountSourcesService,
  ) {}

  @Get()
  @PublicRead()
  @MinRole('viewer')
  @ApiOperation({
    summary: 'Sourced aggregate counts of victims, grouped by place, period or attribute',
    description:
      'Distinct victims (merged duplicates once) matching the filters of GET /api/victims, grouped by one or two of province, city, day, week, month, gender, ageBand, perpetrator, cause, incident, source. Every bucket carries its count by confidence and the sources behind it; unknown values have a bucket of their own. The count claims whose scope matches the query come with the totals. How to check a number by hand: docs/counts.md.',
  })
  @ApiOkResponse({ type: CountsResponseDto })
  @ApiBadRequestResponse({
    description:
      'A parameter is not allowed (unknown groupBy, more than two, bad filter): the body says what is allowed',
  })
  get(@Query() q: CountsQueryDto, @CurrentActor() actor: Actor): Promise<CountsResponseDto> {
    return this.counts.counts(q, actor);
  }

  @Get('sources')
  @PublicRead()
  @MinRole('viewer')
  @ApiOperation({
    summary: 'Every source behind one bucket of a count, a page at a time',
    description:
      'The sources attesting the victims of one bucket of GET /api/counts (the same filters and groupBy, and bucket: its keys), largest first, then by id, with how many there are. A bucket and a reconciliation list their top sources and link here (sourcesNext) for the rest; the same visibility applies: a reader who may not see restricted data gets no restricted source and no victim attested only by one.',
  })
  @ApiOkResponse({ type: CountSourcesResponseDto })
  @ApiBadRequestResponse({
    description:
      'A parameter is not allowed (bucket, cursor, groupBy, a filter): the body names it',
  })
  sources(
    @Query() q: CountSourcesQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<CountSourcesResponseDto> {
    return this.countSources.page(q, actor);
  }
}
