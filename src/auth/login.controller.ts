import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../common/actor.js';
import { AppError } from '../common/errors.js';
import { Public } from '../common/public.decorator.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/configuration.js';
import { TokensService } from '../users/tokens.service.js';
import { UsersService } from '../users/users.service.js';
import { LoginDto, LoginResponseDto } from './dto/login.dto.js';
import { RateLimiter } from './rate-limit.js';

/** A web sign-in lasts one day; an API token for scripts is still made by an admin. */
export const LOGIN_TOKEN_DAYS = 1;

@ApiTags('auth')
@Controller('api/auth')
export class LoginController {
  private readonly failed: RateLimiter;

  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.failed = new RateLimiter(config.rateLimitAuthPerMinute);
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with email and password (accounts with a password set from the CLI)',
    description:
      'Returns a new API token that expires after one day. Wrong email or password: 401 ' +
      '(the answer does not say which). Failed attempts count against the address’s ' +
      'RATE_LIMIT_AUTH_PER_MINUTE.',
  })
  async login(
    @Body() dto: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginResponseDto> {
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const wait = this.failed.retryAfter(ip);
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      throw new AppError(
        'too_many_requests',
        `Too many failed sign-ins from this address: retry in ${wait} s`,
        { retryAfter: wait, errors: [{ field: 'password', reason: 'rate limited' }] },
      );
    }
    const user = await this.users.checkPassword(dto.email, dto.password);
    if (!user) {
      this.failed.take(ip);
      throw new AppError('unauthorized', 'Wrong email or password', {
        errors: [{ field: 'password', reason: 'wrong email or password' }],
      });
    }
    const actor: Actor = { userId: user.id, role: user.role as Actor['role'], name: user.name };
    const created = await this.tokens.create(
      user.id,
      { name: 'web sign-in', expiresInDays: LOGIN_TOKEN_DAYS },
      actor,
    );
    return { token: created.token, tokenId: created.id, expiresAt: created.expiresAt!, user };
  }
}
