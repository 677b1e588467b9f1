import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/actor.js';
import { AppError } from '../common/errors.js';
import { pageOf, type Page } from '../common/pagination.js';
import type { CreateUserDto } from './dto/create-user.dto.js';
import type { ListUsersQueryDto } from './dto/list-users-query.dto.js';
import type { UpdateUserDto } from './dto/update-user.dto.js';
import type { UserResponseDto } from './dto/user-response.dto.js';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { UserEntity } from './user.entity.js';
import { UsersRepository } from './users.repository.js';
import { AUTH_CACHE, clearFeedCaches } from '../common/change-feed.js';

const DUMMY_HASH =
  'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toUserResponse(u: UserEntity): UserResponseDto {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    disabled: u.disabledAt !== null,
    disabledAt: u.disabledAt?.toISOString() ?? null,
    hasPassword: u.passwordHash !== null,
    createdAt: u.createdAt.toISOString(),
  };
}

/** What the audit log keeps of a user: never the password hash. */
function auditView(u: UserEntity): object {
  const { passwordHash, ...rest } = u;
  return { ...rest, hasPassword: passwordHash !== null };
}

/** Accounts: used by the admin API and by the CLI alike. */
/** The answer for a user who is not there (or whom the reader may not know of). */
export function userNotFound(ref: string, field = 'id'): AppError {
  return new AppError('not_found', `user ${ref} was not found`, {
    errors: [{ field, reason: `no user with this ${UUID.test(ref) ? 'id' : 'email'}` }],
  });
}

@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly repo: UsersRepository,
  ) {}

  /** A user by id or (case-insensitive) email; 404 when none. */
  async find(m: EntityManager, ref: string, field = 'id'): Promise<UserEntity> {
    const repo = m.getRepository(UserEntity);
    const user = UUID.test(ref)
      ? await repo.findOneBy({ id: ref })
      : await this.repo.findByEmail(m, ref);
    if (!user) throw userNotFound(ref, field);
    return user;
  }

  private async assertEmailFree(
    m: EntityManager,
    email: string,
    exceptId: string | null,
  ): Promise<void> {
    const other = await this.repo.findByEmail(m, email);
    if (other && other.id !== exceptId) {
      throw new AppError('conflict', 'Another user already has this email', {
        errors: [{ field: 'email', reason: 'already in use' }],
      });
    }
  }

  async create(dto: CreateUserDto, actor: Actor, m?: EntityManager): Promise<UserResponseDto> {
    const run = async (tx: EntityManager): Promise<UserResponseDto> => {
      if (dto.email) await this.assertEmailFree(tx, dto.email, null);
      const saved = await tx.save(
        tx.create(UserEntity, {
          name: dto.name,
          email: dto.email ?? null,
          role: dto.role,
          passwordHash: null,
          disabledAt: null,
        }),
      );
      await this.audit.record(tx, actor, {
        action: 'create',
        entity: 'users',
        entityId: saved.id,
        after: auditView(saved),
      });
      return toUserResponse(saved);
    };
    return m ? run(m) : this.ds.transaction(run);
  }

  async get(ref: string): Promise<UserResponseDto> {
    return toUserResponse(await this.find(this.ds.manager, ref));
  }

  async list(q: ListUsersQueryDto): Promise<Page<UserResponseDto>> {
    const [rows, total] = await this.repo.list(this.ds.manager, q);
    return pageOf(rows.map(toUserResponse), total, q);
  }

  async update(ref: string, dto: UpdateUserDto, actor: Actor): Promise<UserResponseDto> {
    const updated = await this.ds.transaction(async (m) => {
      const found = await this.find(m, ref);
      const current = await m.getRepository(UserEntity).findOneOrFail({
        where: { id: found.id },
        lock: { mode: 'pessimistic_write' },
      });
      const before = auditView(current);
      if (dto.email !== undefined) await this.assertEmailFree(m, dto.email, current.id);
      const losesAdmin =
        current.role === 'admin' &&
        current.disabledAt === null &&
        ((dto.role !== undefined && dto.role !== 'admin') || dto.disabled === true);
      if (losesAdmin) await this.assertAnotherAdmin(m, current.id);

      if (dto.name !== undefined) current.name = dto.name;
      if (dto.email !== undefined) current.email = dto.email;
      if (dto.role !== undefined) current.role = dto.role;
      if (dto.disabled === true && current.disabledAt === null) current.disabledAt = new Date();
      if (dto.disabled === false) current.disabledAt = null;
      const saved = await m.save(current);
      await this.audit.record(m, actor, {
        action: 'update',
        entity: 'users',
        entityId: saved.id,
        before,
        after: auditView(saved),
      });
      return toUserResponse(saved);
    });
    // A new role or a disabled account applies from the next request (src/common/change-feed.ts).
    clearFeedCaches(this.ds, AUTH_CACHE);
    return updated;
  }

  /** The service must keep at least one enabled admin, or nobody could manage accounts. */
  private async assertAnotherAdmin(m: EntityManager, exceptId: string): Promise<void> {
    if ((await this.repo.otherEnabledAdmins(m, exceptId)) === 0) {
      throw new AppError('conflict', 'This is the last enabled admin: make another admin first', {
        errors: [{ field: 'role', reason: 'the last enabled admin cannot be demoted or disabled' }],
      });
    }
  }

  async setPassword(ref: string, password: string, actor: Actor): Promise<UserResponseDto> {
    const problem = passwordProblem(password);
    if (problem) throw AppError.invalid('password', problem);
    const hash = await hashPassword(password);
    return this.ds.transaction(async (m) => {
      const user = await this.find(m, ref);
      user.passwordHash = hash;
      const saved = await m.save(user);
      await this.audit.record(m, actor, {
        action: 'update',
        entity: 'users',
        entityId: saved.id,
        after: { passwordChanged: true },
        reason: 'password set',
      });
      return toUserResponse(saved);
    });
  }

  /** For the web interface to come: the enabled user with this email and password, else null. */
  async checkPassword(email: string, password: string): Promise<UserResponseDto | null> {
    const user = await this.repo.findByEmail(this.ds.manager, email);
    // Same work whether or not the account exists: the answer time says nothing about it.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    return ok && user?.passwordHash && !user.disabledAt ? toUserResponse(user) : null;
  }
}
