import {
  applyDecorators,
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from 'nest-api-errors';
import { bearerToken } from '../../common/bearer-token.js';
import { SECURITY, TAGS } from '../../openapi.js';
import { type Principal, PlatformStore } from '../data/platform.store.js';

const PRINCIPAL = Symbol('principal');

/**
 * `Authorization: Bearer <token>` → the organization and environment it belongs to. A missing or
 * unknown token is the generic 401 "Missing or invalid OAuth token" the `/api/v1` API documents
 * (README § `/api/v1`): no code.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(private readonly store: PlatformStore) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, unknown>; [PRINCIPAL]?: Principal }>();
    const token = bearerToken(request);
    const principal = token === undefined ? undefined : this.store.principals.get(token);
    if (principal === undefined) {
      throw new UnauthorizedException('Missing or invalid OAuth token');
    }
    request[PRINCIPAL] = principal;
    return true;
  }
}

/** The principal `BearerAuthGuard` resolved for this request. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<{ [PRINCIPAL]: Principal }>()[PRINCIPAL],
);

/**
 * A controller of the `/api/v1` platform API: behind `BearerAuthGuard`, documented with its tag,
 * its security scheme and the guard's 401.
 */
export const PlatformApi = () =>
  applyDecorators(
    UseGuards(BearerAuthGuard),
    ApiTags(TAGS.platform),
    ApiBearerAuth(SECURITY.platformToken),
    // BearerAuthGuard: a missing or unknown token.
    ApiErrors(UnauthorizedException),
  );
