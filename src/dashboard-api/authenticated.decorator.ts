import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth } from '@nestjs/swagger';
import {
  AuthInvalidTokenException,
  AuthNoTokenException,
  AuthTokenRevokedException,
} from 'nest-api-errors';
import { SECURITY } from '../openapi.js';
import { JwtGuard } from './jwt.guard.js';

/** What `JwtGuard` answers: no token, a malformed or expired one, a revoked one. */
export const JWT_ERRORS = [
  AuthNoTokenException,
  AuthInvalidTokenException,
  AuthTokenRevokedException,
] as const;

/**
 * A route for logged-in users: behind `JwtGuard`, with the two ways of sending the JWT (a bearer
 * token or the `access_token` cookie) in the OpenAPI document. The guard's errors are declared by
 * each route with `@ApiErrors(...JWT_ERRORS, …)`, beside its own.
 */
export const Authenticated = () =>
  applyDecorators(
    UseGuards(JwtGuard),
    ApiBearerAuth(SECURITY.dashboardBearer),
    ApiCookieAuth(SECURITY.dashboardCookie),
  );
