import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { IdentityRequest } from './access-token.guard.js';
import type { Identity } from './identity-api.store.js';

/** What the access token `AccessTokenGuard` accepted grants: only on routes behind it. */
export const CurrentIdentity = createParamDecorator(
  (_: unknown, context: ExecutionContext): Identity =>
    context.switchToHttp().getRequest<IdentityRequest>().identity!,
);
