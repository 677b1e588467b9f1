import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, type Actor } from '../common/actor.js';
import { UuidParam } from '../common/id-params.js';
import { MinRole, PublicRead } from '../common/public.decorator.js';
import { ChangeStatusDto } from './dto/change-status.dto.js';
import { StatusChangeResponseDto, WorkflowRulesDto } from './dto/status-change-response.dto.js';
import { TRANSITIONS } from './transitions.js';
import { WorkflowService } from './workflow.service.js';

const MOVE =
  'Move through the workflow: draft → submitted → verified | disputed; verified → disputed; disputed → submitted | verified; ' +
  'any → retracted (reviewer+, or the creator while draft or submitted); retracted → submitted (reviewer+). ' +
  'Every move needs a reason and the version you reviewed (409 when stale). A reviewer cannot verify their own entry, nor one they changed since its last verification (403); ' +
  'nothing is verified without an attestation (422). See GET /api/workflow.';

@ApiTags('workflow')
@ApiBearerAuth()
@Controller('api')
export class WorkflowController {
  constructor(private readonly workflow: WorkflowService) {}

  @Get('workflow')
  @PublicRead()
  @MinRole('viewer')
  @ApiOperation({ summary: 'The workflow: every allowed move, who may make it, and the rules' })
  @ApiOkResponse({ type: WorkflowRulesDto })
  rules(): WorkflowRulesDto {
    return {
      transitions: TRANSITIONS.map((t) => ({ ...t })),
      rules: [
        'Every move needs a reason and the version it was made on; a stale version gets 409.',
        'A reviewer cannot verify an entry they created, nor one they changed since it was last verified.',
        'A change to what a verified record says (or to its attestations) sends it back to submitted.',
        'A victim or incident needs at least one attestation to be verified; a claim needs its source.',
        'Viewers and the public see verified records only.',
      ],
    };
  }

  @Post('victims/:id/status')
  @HttpCode(200)
  @MinRole('researcher')
  @ApiOperation({ summary: `Change a victim's status. ${MOVE}` })
  @ApiOkResponse({ type: StatusChangeResponseDto })
  victim(
    @Param('id', UuidParam) id: string,
    @Body() dto: ChangeStatusDto,
    @CurrentActor() actor: Actor,
  ): Promise<StatusChangeResponseDto> {
    return this.workflow.changeStatus('victims', id, dto, actor);
  }

  @Post('incidents/:id/status')
  @HttpCode(200)
  @MinRole('researcher')
  @ApiOperation({ summary: `Change an incident's status. ${MOVE}` })
  @ApiOkResponse({ type: StatusChangeResponseDto })
  incident(
    @Param('id', UuidParam) id: string,
    @Body() dto: ChangeStatusDto,
    @CurrentActor() actor: Actor,
  ): Promise<StatusChangeResponseDto> {
    return this.workflow.changeStatus('incidents', id, dto, actor);
  }

  @Post('claims/:id/status')
  @HttpCode(200)
  @MinRole('researcher')
  @ApiOperation({ summary: `Change a count claim's status. ${MOVE}` })
  @ApiOkResponse({ type: StatusChangeResponseDto })
  claim(
    @Param('id', UuidParam) id: string,
    @Body() dto: ChangeStatusDto,
    @CurrentActor() actor: Actor,
  ): Promise<StatusChangeResponseDto> {
    return this.workflow.changeStatus('claims', id, dto, actor);
  }
}
