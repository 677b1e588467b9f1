import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role, WorkflowStatus } from './domain.js';

/** Who is acting: set on the request by the auth guard; services take it for audit and rules. */
export interface Actor {
  userId: string | null;
  role: Role | 'public' | 'system';
  name?: string;
  /** The API token the request carried, if any (rate limits, audit of token use). */
  tokenId?: string;
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

/** The statuses a record must have to be served to actors below researcher. */
export const PUBLISHED_STATUSES: readonly WorkflowStatus[] = ['verified'];

/**
 * The workflow statuses an actor may see, out of those a query asked for. Researchers and above
 * see what they asked for; viewers and the public only verified records, whatever they ask:
 * an unreviewed entry never reaches published output. May return an empty list (match nothing).
 */
export function statusesVisibleTo(actor: Actor, requested: readonly string[]): string[] {
  if (seesRestricted(actor)) return [...requested];
  return requested.filter((s) => (PUBLISHED_STATUSES as readonly string[]).includes(s));
}

/** May this actor see a record in this workflow status (for get-by-id: 404 when not)? */
export function seesStatus(actor: Actor, status: string): boolean {
  return statusesVisibleTo(actor, [status]).length > 0;
}
