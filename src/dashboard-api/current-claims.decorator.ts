import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { DashboardRequest } from './jwt.guard.js';
import type { Claims } from './jwt.token.js';

/** The claims of the token `JwtGuard` accepted: only on routes behind `@Authenticated()`. */
export const CurrentClaims = createParamDecorator(
  (_: unknown, context: ExecutionContext): Claims =>
    context.switchToHttp().getRequest<DashboardRequest>().claims!,
);
