import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { atLeast, PUBLIC_ACTOR, type Actor } from '../common/actor.js';
import type { Role } from '../common/domain.js';
import { AppError } from '../common/errors.js';
import { IS_PUBLIC, MIN_ROLE, PUBLIC_READ } from '../common/public.decorator.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/configuration.js';
import { TokensService, type AuthFailure } from '../users/tokens.service.js';
import { RateLimiter } from './rate-limit.js';

type Refusal = AuthFailure | 'missing' | 'malformed';

// Never echo the token: the message says what is wrong with it, nothing of what it was.
const REFUSALS: Record<Refusal, string> = {
  missing: 'This route needs an API token: send the header Authorization: Bearer <token>',
  malformed: 'The Authorization header must read "Bearer <token>"',
  invalid: 'The API token is not valid',
  expired: 'The API token has expired: ask an admin for a new one',
  revoked: 'The API token has been revoked',
  disabled: 'The account this API token belongs to is disabled',
};

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one gate in front of every route. `@Public()` routes are open; every other route needs a
 * valid token and at least the role its `@MinRole` names, and a route with neither is closed.
 * `@PublicRead()` GET routes are served without a token, as the public actor, only when the
 * operator sets PUBLIC_READ. Failed authentications are rate-limited per client address and
 * writes per token.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly failedAuth: RateLimiter;
  private readonly writes: RateLimiter;

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.failedAuth = new RateLimiter(config.rateLimitAuthPerMinute);
    this.writes = new RateLimiter(config.rateLimitWritesPerMinute);
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    const req = ctx.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const res = ctx.switchToHttp().getResponse<Response>();
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) return true;
    const minRole = this.reflector.getAllAndOverride<Role | undefined>(MIN_ROLE, targets);
    if (!minRole) {
      throw new AppError('forbidden', 'This route declares no access rule, so it is closed', {
        errors: [],
      });
    }

    const header = req.headers.authorization;
    if (!header) {
      const publicRead = this.reflector.getAllAndOverride<boolean | undefined>(
        PUBLIC_READ,
        targets,
      );
      if (publicRead && this.config.publicRead && READ_METHODS.has(req.method)) {
        req.actor = PUBLIC_ACTOR;
        return true;
      }
      throw unauthorized(res, 'missing');
    }

    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const wait = this.failedAuth.retryAfter(ip);
    if (wait > 0)
      throw tooManyRequests(res, wait, 'Too many failed authentications from this address');
    const bearer = /^Bearer +(\S+)$/i.exec(header.trim());
    const result = bearer
      ? await this.tokens.authenticate(bearer[1])
      : ({ ok: false, reason: 'malformed' } as const);
    if (!result.ok) {
      this.failedAuth.take(ip);
      throw unauthorized(res, result.reason);
    }

    const actor = result.actor;
    if (!atLeast(actor, minRole)) {
      throw new AppError(
        'forbidden',
        `This needs the role ${minRole} or above; yours is ${actor.role}`,
        {
          requiredRole: minRole,
          errors: [{ field: 'role', reason: `needs ${minRole} or above` }],
        },
      );
    }
    if (!READ_METHODS.has(req.method) && actor.tokenId && !this.writes.take(actor.tokenId)) {
      throw tooManyRequests(
        res,
        this.writes.retryAfter(actor.tokenId),
        'Too many writes with this token',
      );
    }
    req.actor = actor;
    return true;
  }
}

function unauthorized(res: Response, reason: Refusal): AppError {
  res.setHeader(
    'WWW-Authenticate',
    reason === 'missing' ? 'Bearer' : 'Bearer error="invalid_token"',
  );
  return new AppError('unauthorized', REFUSALS[reason], {
    errors: [{ field: 'authorization', reason }],
  });
}

function tooManyRequests(res: Response, seconds: number, message: string): AppError {
  res.setHeader('Retry-After', String(seconds));
  return new AppError('too_many_requests', `${message}: retry in ${seconds} s`, {
    retryAfter: seconds,
    errors: [{ field: 'authorization', reason: 'rate limited' }],
  });
}
