import { Body, Controller, Delete, Get, Header, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, type Actor } from '../common/actor.js';
import { AppError } from '../common/errors.js';
import { UuidParam } from '../common/id-params.js';
import type { Page } from '../common/pagination.js';
import { MinRole } from '../common/public.decorator.js';
import { CreateTokenDto } from './dto/create-token.dto.js';
import { CreateUserDto } from './dto/create-user.dto.js';
import { ListUsersQueryDto } from './dto/list-users-query.dto.js';
import { CreatedTokenResponseDto, TokenResponseDto } from './dto/token-response.dto.js';
import { UpdateUserDto } from './dto/update-user.dto.js';
import { UserResponseDto } from './dto/user-response.dto.js';
import { TokensService } from './tokens.service.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokensService,
  ) {}

  @Get('me')
  @MinRole('viewer')
  @ApiOperation({ summary: 'The account the token belongs to' })
  @ApiOkResponse({ type: UserResponseDto })
  me(@CurrentActor() actor: Actor): Promise<UserResponseDto> {
    if (!actor.userId)
      throw new AppError('unauthorized', 'No account: send a token', { errors: [] });
    return this.users.get(actor.userId);
  }

  @Post('users')
  @MinRole('admin')
  @ApiOperation({ summary: 'Create an account (admin)' })
  @ApiCreatedResponse({ type: UserResponseDto })
  create(@Body() dto: CreateUserDto, @CurrentActor() actor: Actor): Promise<UserResponseDto> {
    return this.users.create(dto, actor);
  }

  @Get('users')
  @MinRole('admin')
  @ApiOperation({ summary: 'List accounts (admin)' })
  list(@Query() q: ListUsersQueryDto): Promise<Page<UserResponseDto>> {
    return this.users.list(q);
  }

  @Get('users/:id')
  @MinRole('admin')
  @ApiOkResponse({ type: UserResponseDto })
  get(@Param('id', UuidParam) id: string): Promise<UserResponseDto> {
    return this.users.get(id);
  }

  @Patch('users/:id')
  @MinRole('admin')
  @ApiOperation({
    summary:
      'Change a role, rename, or disable/enable an account (admin); the last enabled admin stays',
  })
  @ApiOkResponse({ type: UserResponseDto })
  update(
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateUserDto,
    @CurrentActor() actor: Actor,
  ): Promise<UserResponseDto> {
    return this.users.update(id, dto, actor);
  }

  @Post('users/:id/tokens')
  @MinRole('admin')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Issue an API token for a user (admin); the token is shown in this answer only',
  })
  @ApiCreatedResponse({ type: CreatedTokenResponseDto })
  createToken(
    @Param('id', UuidParam) id: string,
    @Body() dto: CreateTokenDto,
    @CurrentActor() actor: Actor,
  ): Promise<CreatedTokenResponseDto> {
    return this.tokens.create(id, dto, actor);
  }

  @Get('users/:id/tokens')
  @MinRole('viewer')
  @ApiOperation({
    summary: "A user's tokens, without the secrets (your own, or anyone's for an admin)",
  })
  @ApiOkResponse({ type: [TokenResponseDto] })
  listTokens(
    @Param('id', UuidParam) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<TokenResponseDto[]> {
    return this.tokens.listForUser(id, actor);
  }

  @Delete('tokens/:id')
  @MinRole('viewer')
  @ApiOperation({ summary: 'Revoke a token at once (your own, or anyone’s for an admin)' })
  @ApiOkResponse({ type: TokenResponseDto })
  revoke(
    @Param('id', UuidParam) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<TokenResponseDto> {
    return this.tokens.revoke(id, actor);
  }
}
