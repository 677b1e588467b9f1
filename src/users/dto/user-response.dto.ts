import { ApiProperty } from '@nestjs/swagger';

export class UserResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ example: 'researcher' }) role: string;
  @ApiProperty() disabled: boolean;
  @ApiProperty({ nullable: true, type: String }) disabledAt: string | null;
  @ApiProperty({ description: 'A password is set (for the web interface)' }) hasPassword: boolean;
  @ApiProperty() createdAt: string;
}
