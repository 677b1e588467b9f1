import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ListUsersQueryDto } from './dto/list-users-query.dto.js';
import { UserEntity } from './user.entity.js';

/** The queries over users that go beyond find/save; every value a bound parameter. */
@Injectable()
export class UsersRepository {
  /** The user with this email, compared case-insensitively; null when none. */
  findByEmail(m: EntityManager, email: string): Promise<UserEntity | null> {
    return m
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('lower(u.email) = lower(:email)', { email })
      .getOne();
  }

  /** A page of users in creation order, and how many match in all. */
  list(m: EntityManager, q: ListUsersQueryDto): Promise<[UserEntity[], number]> {
    const qb = m.getRepository(UserEntity).createQueryBuilder('u');
    if (q.role) qb.andWhere('u.role = :role', { role: q.role });
    if (q.includeDisabled === false) qb.andWhere('u.disabled_at IS NULL');
    if (q.q) {
      qb.andWhere('(u.name ILIKE :q OR u.email ILIKE :q)', {
        q: `%${q.q.replace(/[%_\\]/g, '\\$&')}%`,
      });
    }
    qb.orderBy('u.created_at', 'ASC').addOrderBy('u.id', 'ASC');
    qb.take(q.limit ?? 50).skip(q.offset ?? 0);
    return qb.getManyAndCount();
  }

  /** How many enabled admins there are besides this user. */
  async otherEnabledAdmins(m: EntityManager, exceptId: string): Promise<number> {
    const [{ n }] = await m.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> $1`,
      [exceptId],
    );
    return n;
  }
}
