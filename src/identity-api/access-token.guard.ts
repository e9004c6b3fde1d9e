import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { bearerToken } from '../common/bearer-token.js';
import { type Identity, IdentityStore } from './identity-api.store.js';

/** A `/v2` request once `AccessTokenGuard` has let it through. */
export interface IdentityRequest {
  headers: Record<string, unknown>;
  identity?: Identity;
}

/**
 * `Authorization: Bearer <access token>` from `POST /v2/auth/exchange`. A missing or unknown token
 * is a generic 401: the `/v2` API documents no code of its own for it.
 */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  constructor(private readonly store: IdentityStore) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<IdentityRequest>();
    const token = bearerToken(request);
    const identity = token === undefined ? undefined : this.store.accessTokens.get(token);
    if (identity === undefined) {
      throw new UnauthorizedException('Missing, invalid or expired Authorization token');
    }
    request.identity = identity;
    return true;
  }
}
