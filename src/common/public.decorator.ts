import { SetMetadata } from '@nestjs/common';
import type { Role } from './domain.js';

export const IS_PUBLIC = 'casualty-ledger:public';
export const MIN_ROLE = 'casualty-ledger:min-role';
export const PUBLIC_READ = 'casualty-ledger:public-read';

/** Open to anyone, no token: /health and the docs. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Readable without a token when the operator sets PUBLIC_READ (verified, non-restricted data only). */
export const PublicRead = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_READ, true);

/** The least role a route needs. */
export const MinRole = (role: Role): MethodDecorator & ClassDecorator =>
  SetMetadata(MIN_ROLE, role);
