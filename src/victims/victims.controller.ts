import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, type Actor } from '../common/actor.js';
import { UuidParam, VersionQueryDto } from '../common/id-params.js';
import { MinRole, PublicRead } from '../common/public.decorator.js';
import { CreateVictimDto } from './dto/create-victim.dto.js';
import { ListVictimsQueryDto } from './dto/list-victims-query.dto.js';
import { MergeVictimDto, UnmergeVictimDto } from './dto/merge-victim.dto.js';
import { UpdateVictimDto } from './dto/update-victim.dto.js';
import {
  ConfidenceRuleDto,
  DuplicateCandidateDto,
  VictimPageDto,
  VictimResponseDto,
} from './dto/victim-response.dto.js';
import { VictimsService, type MergeResult } from './victims.service.js';

class MergeResultDto {
  @ApiProperty({ type: VictimResponseDto, description: 'The record merged (or unmerged)' })
  victim: VictimResponseDto;
  @ApiProperty({
    type: VictimResponseDto,
    description: 'The record it is (or was) merged into, confidence refreshed',
  })
  into: VictimResponseDto;
}

class DuplicatesDto {
  @ApiProperty({ format: 'uuid' }) victimId: string;
  @ApiProperty({ type: [DuplicateCandidateDto], description: 'Best first, at most 20' })
  candidates: DuplicateCandidateDto[];
}

@ApiTags('victims')
@ApiBearerAuth()
@Controller('api/victims')
export class VictimsController {
  constructor(private readonly victims: VictimsService) {}

  @Post()
  @MinRole('researcher')
  @ApiOperation({
    summary:
      'Record a victim together with the sources that attest it (at least one), in one transaction',
    description:
      'Starts as a draft. Confidence is derived from the attestations and cannot be sent.',
  })
  @ApiCreatedResponse({ type: VictimResponseDto })
  create(@Body() dto: CreateVictimDto, @CurrentActor() actor: Actor): Promise<VictimResponseDto> {
    return this.victims.create(dto, actor);
  }

  @Get()
  @PublicRead()
  @MinRole('viewer')
  @ApiOperation({
    summary: 'Find victims by place, date, name and more, with cursor pagination',
    description:
      'location= takes an id or any spelling (Mahshahr, بندر ماهشهر); from/to take ISO, partial or Solar Hijri dates ' +
      '(from=1398-08-25&calendar=jalali, from=۲۵ آبان ۱۳۹۸). Each item says whether its date lies wholly in the window ' +
      '(certain) or only overlaps it (possible). Merged duplicates are listed once, as the record they were merged into.',
  })
  @ApiOkResponse({ type: VictimPageDto })
  list(@Query() q: ListVictimsQueryDto, @CurrentActor() actor: Actor): Promise<VictimPageDto> {
    return this.victims.list(q, actor);
  }

  @Get('confidence-rule')
  @PublicRead()
  @MinRole('viewer')
  @ApiOperation({ summary: "How a victim's confidence is derived from its attestations" })
  @ApiOkResponse({ type: ConfidenceRuleDto })
  confidenceRule(): ConfidenceRuleDto {
    return this.victims.confidenceRule();
  }

  @Get(':id')
  @PublicRead()
  @MinRole('viewer')
  @ApiOperation({
    summary: 'A victim with its attestations and their sources, dates in both calendars',
  })
  @ApiOkResponse({ type: VictimResponseDto })
  get(
    @Param('id', UuidParam) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<VictimResponseDto> {
    return this.victims.get(id, actor);
  }

  @Get(':id/duplicates')
  @MinRole('researcher')
  @ApiOperation({
    summary:
      'Records that may be the same person (by name, date and place), with a score and the reasons',
  })
  @ApiOkResponse({ type: DuplicatesDto })
  duplicates(
    @Param('id', UuidParam) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<DuplicatesDto> {
    return this.victims.duplicates(id, actor);
  }

  @Patch(':id')
  @MinRole('researcher')
  @ApiOperation({
    summary: 'Edit a victim; send the version you edited (409 when stale); null clears a field',
  })
  @ApiOkResponse({ type: VictimResponseDto })
  update(
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateVictimDto,
    @CurrentActor() actor: Actor,
  ): Promise<VictimResponseDto> {
    return this.victims.update(id, dto, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @MinRole('researcher')
  @ApiOperation({
    summary:
      'Delete a victim and its attestations: your own draft (an admin: any). Anything else is retracted through the workflow (403 rule retract_instead)',
  })
  async remove(
    @Param('id', UuidParam) id: string,
    @Query() q: VersionQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.victims.remove(id, q.version, actor);
  }

  @Post(':id/merge')
  @HttpCode(200)
  @MinRole('reviewer')
  @ApiOperation({
    summary: 'Mark this record as a duplicate of another',
    description:
      'Every attestation is kept; the target is counted once, its confidence derived from the attestations of both. Undo with unmerge.',
  })
  @ApiOkResponse({ type: MergeResultDto })
  merge(
    @Param('id', UuidParam) id: string,
    @Body() dto: MergeVictimDto,
    @CurrentActor() actor: Actor,
  ): Promise<MergeResult> {
    return this.victims.merge(id, dto, actor);
  }

  @Post(':id/unmerge')
  @HttpCode(200)
  @MinRole('reviewer')
  @ApiOperation({ summary: 'Undo a merge: the record is counted on its own again' })
  @ApiOkResponse({ type: MergeResultDto })
  unmerge(
    @Param('id', UuidParam) id: string,
    @Body() dto: UnmergeVictimDto,
    @CurrentActor() actor: Actor,
  ): Promise<MergeResult> {
    return this.victims.unmerge(id, dto, actor);
  }
}
