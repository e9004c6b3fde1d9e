import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import {
  AuthInvalidTokenException,
  AuthNoTokenException,
  AuthTokenRevokedException,
} from 'nest-api-errors';
import { bearerToken } from '../common/bearer-token.js';
import { ACCESS_COOKIE, type RequestWithHeaders, readCookie } from './dashboard-api.cookies.js';
import { DashboardStore } from './dashboard-api.store.js';
import { type Claims, verifyToken } from './jwt.token.js';

/** A dashboard request once `JwtGuard` has let it through: the claims of its token. */
export interface DashboardRequest extends RequestWithHeaders {
  claims?: Claims;
}

/**
 * The dashboard's JWT, from the `access_token` cookie (the browser app) or `Authorization: Bearer`
 * (scripts): none is `AUTH_NO_TOKEN`, a malformed or expired one `AUTH_INVALID_TOKEN`, one revoked
 * by logout `AUTH_TOKEN_REVOKED`: the three 401s the `/api/dashboard` API documents.
 */
@Injectable()
export class JwtGuard implements CanActivate {
  constructor(private readonly store: DashboardStore) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<DashboardRequest>();
    const token = readCookie(request, ACCESS_COOKIE) ?? bearerToken(request);
    if (token === undefined || token === '') {
      throw new AuthNoTokenException();
    }
    const claims = verifyToken(token);
    if (claims === undefined) {
      throw new AuthInvalidTokenException();
    }
    if (this.store.revoked.has(claims.jti)) {
      throw new AuthTokenRevokedException();
    }
    request.claims = claims;
    return true;
  }
}
