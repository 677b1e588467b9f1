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
import type { LocatedPage } from '../locations/dto/location-resolution.dto.js';
import { MinRole, PublicRead } from '../common/public.decorator.js';
import { ClaimsService } from './claims.service.js';
import { ClaimResponseDto } from './dto/claim-response.dto.js';
import { CreateClaimDto } from './dto/create-claim.dto.js';
import { ListClaimsQueryDto } from './dto/list-claims-query.dto.js';
import { UpdateClaimDto } from './dto/update-claim.dto.js';

@ApiTags('claims')
@ApiBearerAuth()
@Controller('api/claims')
export class ClaimsController {
  constructor(private readonly claims: ClaimsService) {}

  @Post()
  @MinRole('researcher')
  @ApiOperation({
    summary:
      'Record a count claim: an aggregate figure a source asserts, with its qualifier and scope',
    description:
      'Figures are checked against the qualifier: exact takes best (or equal low and high); at_least and more_than take low; about takes best; at_most and up_to take high; between and estimates_range take low and high (low ≤ high). The claim starts as a draft.',
  })
  @ApiCreatedResponse({ type: ClaimResponseDto })
  @ApiBadRequestResponse({ description: 'e.g. "qualifier between needs low and high"' })
  @ApiUnprocessableEntityResponse({
    description:
      'sourceId, attributedSourceId, relaysClaimId, incidentId or the location id names nothing',
  })
  create(@Body() dto: CreateClaimDto, @CurrentActor() actor: Actor): Promise<ClaimResponseDto> {
    return this.claims.create(dto, actor);
  }

  @Get()
  @PublicRead()
  @MinRole('viewer')
  @ApiOperation({
    summary:
      'List count claims by category, place (with everything inside it; a name shared by a province and its capital is the province, and the answer’s location block says so, with the city’s id to narrow to), source, qualifier and status',
  })
  list(
    @Query() q: ListClaimsQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<LocatedPage<ClaimResponseDto>> {
    return this.claims.list(q, actor);
  }

  @Get(':id')
  @PublicRead()
  @MinRole('viewer')
  @ApiOkResponse({ type: ClaimResponseDto })
  get(@Param('id', UuidParam) id: string, @CurrentActor() actor: Actor): Promise<ClaimResponseDto> {
    return this.claims.get(id, actor);
  }

  @Patch(':id')
  @MinRole('researcher')
  @ApiOperation({ summary: 'Edit a claim; send the version you edited (409 when stale)' })
  @ApiOkResponse({ type: ClaimResponseDto })
  update(
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateClaimDto,
    @CurrentActor() actor: Actor,
  ): Promise<ClaimResponseDto> {
    return this.claims.update(id, dto, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @MinRole('researcher')
  @ApiOperation({
    summary:
      'Delete a claim no other claim relays: your own draft (an admin: any). Anything else is retracted (403 rule retract_instead)',
  })
  @ApiConflictResponse({ description: 'Other claims relay it' })
  async remove(
    @Param('id', UuidParam) id: string,
    @Query() q: VersionQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.claims.remove(id, q.version, actor);
  }
}
