import { ApiProperty } from '@nestjs/swagger';

export const TOKEN_STATES = ['active', 'expired', 'revoked'] as const;

export class TokenResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() name: string;
  @ApiProperty({
    example: 'clt_Ab3dE7gH',
    description: 'The first characters, to tell tokens apart',
  })
  prefix: string;
  @ApiProperty({ enum: TOKEN_STATES }) state: (typeof TOKEN_STATES)[number];
  @ApiProperty({ nullable: true, type: String }) expiresAt: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Updated at most once a minute' })
  lastUsedAt: string | null;
  @ApiProperty() createdAt: string;
}

export class CreatedTokenResponseDto extends TokenResponseDto {
  @ApiProperty({
    description:
      'The token itself: shown this once, never stored; send it as `Authorization: Bearer <token>`',
  })
  token: string;
}
