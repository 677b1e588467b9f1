import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { UserResponseDto } from '../../users/dto/user-response.dto.js';

export class LoginDto {
  @ApiProperty({ example: 'shirin@example.org' })
  @MaxLength(320)
  @IsEmail({}, { message: 'email must be an email address' })
  email: string;

  @ApiProperty({ example: 'correct horse battery staple', format: 'password' })
  @IsString({ message: 'password must be a string' })
  @MinLength(1, { message: 'password must not be empty' })
  @MaxLength(1024)
  password: string;
}

export class LoginResponseDto {
  @ApiProperty({ description: 'A short-lived API token: send it as Authorization: Bearer …' })
  token: string;

  @ApiProperty({ description: 'Its id: DELETE /api/tokens/{id} signs out' })
  tokenId: string;

  @ApiProperty()
  expiresAt: string;

  @ApiProperty({ type: UserResponseDto })
  user: UserResponseDto;
}
