import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { atLeast, type Actor } from '../common/actor.js';
import { AppError } from '../common/errors.js';
import { APP_CONFIG } from '../config/config.module.js';
import { AUTH_CACHE, clearFeedCaches, feedCache } from '../common/change-feed.js';
import type { AppConfig } from '../config/configuration.js';
import { ApiTokenEntity } from './api-token.entity.js';
import type { CreateTokenDto } from './dto/create-token.dto.js';
import type { CreatedTokenResponseDto, TokenResponseDto } from './dto/token-response.dto.js';
import { TokensRepository } from './tokens.repository.js';
import { generateTokenSecret, hashToken, looksLikeToken } from './token-secret.js';
import { userNotFound, UsersService } from './users.service.js';

const DAY_MS = 86_400_000;
/** last_used_at is a hint, not a log: refreshed at most once a minute to spare a write per request. */
const LAST_USED_GRANULARITY_MS = 60_000;

export type AuthFailure = 'invalid' | 'expired' | 'revoked' | 'disabled';

export type Authentication = { ok: true; actor: Actor } | { ok: false; reason: AuthFailure };

/** An accepted token as the cache keeps it. */
interface CachedToken {
  actor: Actor;
  expiresAt: number | null;
}

type Looked = CachedToken | { ok: false; reason: AuthFailure };

export function tokenState(t: ApiTokenEntity, now = new Date()): TokenResponseDto['state'] {
  if (t.revokedAt) return 'revoked';
  if (t.expiresAt && t.expiresAt <= now) return 'expired';
  return 'active';
}

export function toTokenResponse(t: ApiTokenEntity): TokenResponseDto {
  return {
    id: t.id,
    userId: t.userId,
    name: t.name,
    prefix: t.prefix,
    state: tokenState(t),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    createdAt: t.createdAt.toISOString(),
  };
}

/** What the audit log keeps of a token: never its hash. */
function auditView(t: ApiTokenEntity): object {
  const { tokenHash: _hash, user: _user, ...rest } = t;
  return rest;
}

/** Only admins act on other people's tokens. */
function selfOrAdmin(actor: Actor, userId: string): boolean {
  return actor.role === 'system' || atLeast(actor, 'admin') || actor.userId === userId;
}

/** API tokens: created by admins (API, CLI), listed and revoked by their owner too. */
@Injectable()
export class TokensService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'tokenDefaultDays'>,
    private readonly repo: TokensRepository,
  ) {}

  /** Creates a token for a user (id or email); the token is in the answer and nowhere else. */
  async create(
    userRef: string,
    dto: CreateTokenDto,
    actor: Actor,
    m?: EntityManager,
  ): Promise<CreatedTokenResponseDto> {
    const run = async (tx: EntityManager): Promise<CreatedTokenResponseDto> => {
      const user = await this.users.find(tx, userRef);
      if (user.disabledAt) {
        throw AppError.unprocessable(
          'user',
          'the account is disabled: enable it before issuing tokens',
        );
      }
      const secret = generateTokenSecret();
      const days = dto.expiresInDays ?? this.config.tokenDefaultDays;
      const saved = await tx.save(
        tx.create(ApiTokenEntity, {
          userId: user.id,
          name: dto.name ?? 'api',
          tokenHash: secret.hash,
          prefix: secret.prefix,
          expiresAt: new Date(Date.now() + days * DAY_MS),
          revokedAt: null,
          lastUsedAt: null,
        }),
      );
      await this.audit.record(tx, actor, {
        action: 'create',
        entity: 'api_tokens',
        entityId: saved.id,
        after: auditView(saved),
      });
      return { ...toTokenResponse(saved), token: secret.token };
    };
    return m ? run(m) : this.ds.transaction(run);
  }

  async listForUser(userRef: string, actor: Actor): Promise<TokenResponseDto[]> {
    const user = await this.users.find(this.ds.manager, userRef);
    // Someone else's account answers exactly as an id that names no account: a 403 for a real
    // id and a 404 for a random one would tell a non-admin which ids exist.
    if (!selfOrAdmin(actor, user.id)) throw userNotFound(userRef);
    const rows = await this.ds.getRepository(ApiTokenEntity).find({
      where: { userId: user.id },
      order: { createdAt: 'DESC', id: 'ASC' },
    });
    return rows.map(toTokenResponse);
  }

  /** Every token (the CLI's `tokens list`), newest first. */
  async listAll(): Promise<(TokenResponseDto & { userName: string })[]> {
    const rows = await this.repo.listAll(this.ds.manager);
    return rows.map((t) => ({ ...toTokenResponse(t), userName: t.user?.name ?? '' }));
  }

  /** Revokes at once (the next request with it gets 401). Revoking twice changes nothing. */
  async revoke(id: string, actor: Actor): Promise<TokenResponseDto> {
    const revoked = await this.ds.transaction(async (m) => {
      const token = await m
        .getRepository(ApiTokenEntity)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      // Someone else's token answers as a random id does (see listForUser).
      if (!token || !selfOrAdmin(actor, token.userId)) throw AppError.notFound('token', id);
      if (token.revokedAt) return toTokenResponse(token);
      const before = auditView(token);
      token.revokedAt = new Date();
      const saved = await m.save(token);
      await this.audit.record(m, actor, {
        action: 'update',
        entity: 'api_tokens',
        entityId: id,
        before,
        after: auditView(saved),
        reason: 'revoked',
      });
      return toTokenResponse(saved);
    });
    // Refused from the next request on, before the notification of the change arrives.
    clearFeedCaches(this.ds, AUTH_CACHE);
    return revoked;
  }

  /**
   * The actor a bearer token stands for, or why it is refused. One indexed lookup; a shape check
   * first so that garbage never reaches the database. On the server an accepted token is kept
   * for up to a minute (the granularity of last_used_at, refreshed by the lookup after it) until
   * a change to api_tokens or users is notified (src/common/change-feed.ts): a revocation,
   * expiry, a disabled account or a new role applies to the next request whatever made it. Its
   * expiry is checked on every request; refusals are never kept.
   */
  async authenticate(raw: string): Promise<Authentication> {
    if (!looksLikeToken(raw)) return { ok: false, reason: 'invalid' };
    const hash = hashToken(raw);
    const cache = feedCache<Looked>(
      this.ds,
      AUTH_CACHE,
      ['api_tokens', 'users'],
      LAST_USED_GRANULARITY_MS,
    );
    const hit = cache?.get(hash);
    if (hit && !('ok' in hit)) {
      if (!hit.expiresAt || hit.expiresAt > Date.now()) return { ok: true, actor: hit.actor };
      cache!.clear(); // expired since: the database says so, and why
    }
    const load = (): Promise<Looked> => this.lookup(hash);
    const found = cache ? await cache.through(hash, load, (v) => !('ok' in v)) : await load();
    return 'ok' in found ? found : { ok: true, actor: found.actor };
  }

  private async lookup(hash: string): Promise<Looked> {
    const row = await this.repo.byHash(this.ds.manager, hash);
    if (!row) return { ok: false, reason: 'invalid' };
    if (row.revoked_at) return { ok: false, reason: 'revoked' };
    const now = Date.now();
    if (row.expires_at && row.expires_at.getTime() <= now) return { ok: false, reason: 'expired' };
    if (row.disabled_at) return { ok: false, reason: 'disabled' };
    if (!row.last_used_at || now - row.last_used_at.getTime() > LAST_USED_GRANULARITY_MS) {
      await this.repo.touch(this.ds.manager, row.id);
    }
    return {
      actor: { userId: row.user_id, role: row.role, name: row.name, tokenId: row.id },
      expiresAt: row.expires_at?.getTime() ?? null,
    };
  }
}
