import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Role } from '../common/domain.js';
import { queryPrepared } from '../common/prepared.js';
import { ApiTokenEntity } from './api-token.entity.js';

/** A token with its user, as authentication reads it. */
export interface TokenRow {
  id: string;
  user_id: string;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  role: Role;
  name: string;
  disabled_at: Date | null;
}

/** The queries over API tokens that go beyond find/save; every value a bound parameter. */
@Injectable()
export class TokensRepository {
  /** Every token with its user, newest first. */
  listAll(m: EntityManager): Promise<ApiTokenEntity[]> {
    return m
      .getRepository(ApiTokenEntity)
      .createQueryBuilder('t')
      .leftJoinAndSelect('t.user', 'u')
      .orderBy('t.created_at', 'DESC')
      .addOrderBy('t.id', 'ASC')
      .getMany();
  }

  /** The token of this hash with its user's role, name and state; undefined when none. */
  async byHash(m: EntityManager, hash: string): Promise<TokenRow | undefined> {
    // A named statement on the server (src/common/prepared.ts): every request may ask it.
    const [row] = await queryPrepared<TokenRow>(
      m,
      `SELECT t.id, t.user_id, t.expires_at, t.revoked_at, t.last_used_at, u.role, u.name, u.disabled_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1`,
      [hash],
    );
    return row;
  }

  async touch(m: EntityManager, id: string): Promise<void> {
    await m.query(`UPDATE api_tokens SET last_used_at = now() WHERE id = $1`, [id]);
  }
}
