import { Controller, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CurrentActor, type Actor } from '../common/actor.js';
import { MinRole } from '../common/public.decorator.js';
import { QueryBoolField } from '../common/validators.js';
import { ReplaceReportDto } from './dto/import-report.dto.js';
import { replacePlaces, type ReplaceReport } from './replace-places.js';

export class ReplacePlacesQueryDto {
  @QueryBoolField({ description: 'Report what would be re-placed, write nothing' })
  dryRun?: boolean;
}

@ApiTags('locations')
@ApiBearerAuth()
@Controller('api/locations')
export class PlacesReplaceController {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  @Post('replace')
  @HttpCode(200)
  @MinRole('reviewer')
  @ApiOperation({
    summary: 'Re-place the records whose kept place text now resolves to a more exact place',
    description:
      'After places are added or a variant learned: each record whose place_original resolves, with the gazetteer as it is now, to a more exact place than it has (unresolved → a place, a parent → the place inside it) gets it, one version up, audited. ' +
      'Verified and disputed records are listed (`held`), not changed. The report lists what stays unresolved, with the nearest names, and the texts naming several places, with the candidates and their ids. A locations import does this itself.',
  })
  @ApiOkResponse({ type: ReplaceReportDto })
  replace(@Query() q: ReplacePlacesQueryDto, @CurrentActor() actor: Actor): Promise<ReplaceReport> {
    return replacePlaces(this.ds, { dryRun: q.dryRun ?? false, actor });
  }
}
