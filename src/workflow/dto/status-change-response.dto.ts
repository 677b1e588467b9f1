import { ApiProperty } from '@nestjs/swagger';
import { WORKFLOW_STATUSES } from '../../common/domain.js';

export class StatusChangeResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['victims', 'incidents', 'claims'] }) kind: string;
  @ApiProperty({ enum: WORKFLOW_STATUSES }) previousStatus: string;
  @ApiProperty({ enum: WORKFLOW_STATUSES }) status: string;
  @ApiProperty() reason: string;
  @ApiProperty() version: number;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ type: [String], description: 'Statuses it may move to next' }) next: string[];
}

export class TransitionDto {
  @ApiProperty({ enum: WORKFLOW_STATUSES }) from: string;
  @ApiProperty({ enum: WORKFLOW_STATUSES }) to: string;
  @ApiProperty({ enum: ['researcher', 'reviewer', 'reviewer_or_creator'] }) who: string;
  @ApiProperty() meaning: string;
}

export class WorkflowRulesDto {
  @ApiProperty({ type: [TransitionDto] }) transitions: TransitionDto[];
  @ApiProperty({ type: [String] }) rules: string[];
}
