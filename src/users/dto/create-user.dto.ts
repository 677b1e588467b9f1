import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, MaxLength } from 'class-validator';
import { ROLES } from '../../common/domain.js';
import { EnumField, TextField } from '../../common/validators.js';

export class CreateUserDto {
  @TextField({ max: 200, example: 'Shirin R.' })
  name: string;

  @ApiPropertyOptional({ example: 'shirin@example.org', description: 'Unique, case-insensitive' })
  @IsOptional()
  @MaxLength(320)
  @IsEmail({}, { message: 'email must be an email address' })
  email?: string;

  @EnumField(ROLES, {
    example: 'researcher',
    description: 'viewer < researcher < reviewer < admin',
  })
  role: string;
}
