import { createParamDecorator, type ExecutionContext, ForbiddenException } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { MissingTenantIdException, TenantNotFoundException } from 'nest-api-errors';
import { JWT_ERRORS } from './authenticated.decorator.js';
import type { RequestWithHeaders } from './dashboard-api.cookies.js';

/**
 * The tenant a request acts on, from `x-tenant-id`: absent or empty is `MISSING_TENANT_ID`, before
 * the handler runs. Whether the tenant exists and is the caller's is the service's to say.
 */
export const TenantId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const tenantId = context.switchToHttp().getRequest<RequestWithHeaders>().headers['x-tenant-id'];
  if (typeof tenantId !== 'string' || tenantId === '') {
    throw new MissingTenantIdException();
  }
  return tenantId;
});

/** The `x-tenant-id` header of tenant-scoped routes, in the OpenAPI document. */
export const ApiTenantHeader = () =>
  ApiHeader({
    name: 'x-tenant-id',
    required: true,
    description: 'The company the request acts on (one the caller belongs to)',
  });

/**
 * What a tenant-scoped route answers besides its own errors: `JwtGuard`'s, and no `x-tenant-id`,
 * an unknown tenant, another company's.
 */
export const TENANT_ERRORS = [
  ...JWT_ERRORS,
  MissingTenantIdException,
  TenantNotFoundException,
  ForbiddenException,
] as const;
