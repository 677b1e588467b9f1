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
import { AttestationsService } from './attestations.service.js';
import { AttestationPageDto, AttestationResponseDto } from './dto/attestation-response.dto.js';
import { CreateAttestationDto } from './dto/create-attestation.dto.js';
import { ListAttestationsQueryDto } from './dto/list-attestations-query.dto.js';
import { UpdateAttestationDto } from './dto/update-attestation.dto.js';

@ApiTags('attestations')
@ApiBearerAuth()
@Controller('api/attestations')
export class AttestationsController {
  constructor(private readonly attestations: AttestationsService) {}

  @Post()
  @MinRole('researcher')
  @ApiOperation({
    summary: 'Attest a victim or an incident with a source (exactly one of victimId, incidentId)',
    description: "A victim's confidence is derived again from all its attestations.",
  })
  @ApiCreatedResponse({ type: AttestationResponseDto })
  create(
    @Body() dto: CreateAttestationDto,
    @CurrentActor() actor: Actor,
  ): Promise<AttestationResponseDto> {
    return this.attestations.create(dto, actor);
  }

  @Get()
  @PublicRead()
  @MinRole('viewer')
  @ApiOperation({ summary: 'List attestations of a victim, an incident or a source' })
  @ApiOkResponse({ type: AttestationPageDto })
  list(
    @Query() q: ListAttestationsQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<Page<AttestationResponseDto>> {
    return this.attestations.list(q, actor);
  }

  @Get(':id')
  @PublicRead()
  @MinRole('viewer')
  @ApiOkResponse({ type: AttestationResponseDto })
  get(
    @Param('id', UuidParam) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<AttestationResponseDto> {
    return this.attestations.get(id, actor);
  }

  @Patch(':id')
  @MinRole('researcher')
  @ApiOperation({ summary: 'Edit an attestation; send the version you edited (409 when stale)' })
  @ApiOkResponse({ type: AttestationResponseDto })
  update(
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateAttestationDto,
    @CurrentActor() actor: Actor,
  ): Promise<AttestationResponseDto> {
    return this.attestations.update(id, dto, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @MinRole('researcher')
  @ApiOperation({
    summary:
      "Delete an attestation: a reviewer, or the researcher who made it while its record is a draft (403 otherwise); refused (409) for a record's last one",
  })
  async remove(
    @Param('id', UuidParam) id: string,
    @Query() q: VersionQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.attestations.remove(id, q.version, actor);
  }
}
