import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_ACTIONS } from '../audit.service.js';

export class AuditActorDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Null when the account no longer exists',
  })
  name: string | null;
  @ApiProperty({ nullable: true, type: String }) role: string | null;
}

export class AuditEntryResponseDto {
  @ApiProperty({ example: '1234' }) id: string;
  @ApiProperty({ description: 'When (UTC)' }) at: string;
  @ApiProperty({
    type: AuditActorDto,
    nullable: true,
    description: 'Null for the system: the seed, imports and CLI commands run without an account',
  })
  actor: AuditActorDto | null;
  @ApiProperty({ enum: AUDIT_ACTIONS }) action: string;
  @ApiProperty({ example: 'victims' }) entity: string;
  @ApiProperty({ format: 'uuid' }) entityId: string;
  @ApiProperty({ nullable: true, type: Object, description: 'The record before the change' })
  before: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: Object, description: 'The record after the change' })
  after: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryResponseDto] }) items: AuditEntryResponseDto[];
  @ApiProperty({ example: 50 }) limit: number;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as cursor for the next (older) page; null on the last page',
  })
  nextCursor: string | null;
}
