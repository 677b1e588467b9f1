import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from './domain.js';

/** Who is acting: set on the request by the auth guard; services take it for audit and rules. */
export interface Actor {
  userId: string | null;
  role: Role | 'public' | 'system';
  name?: string;
}

export const SYSTEM_ACTOR: Actor = { userId: null, role: 'system', name: 'system' };
export const PUBLIC_ACTOR: Actor = { userId: null, role: 'public', name: 'public' };

const RANK: Record<Actor['role'], number> = {
  public: 0,
  viewer: 1,
  researcher: 2,
  reviewer: 3,
  admin: 4,
  system: 5,
};

export function atLeast(actor: Actor, role: Role): boolean {
  return RANK[actor.role] >= RANK[role];
}

/** May this actor see restricted fields and restricted sources? Researchers and above. */
export function seesRestricted(actor: Actor): boolean {
  return atLeast(actor, 'researcher');
}

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<{ actor?: Actor }>();
  return req.actor ?? PUBLIC_ACTOR;
});
