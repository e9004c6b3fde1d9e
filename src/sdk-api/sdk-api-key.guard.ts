import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthFailedException } from 'nest-api-errors';
import { SdkStore } from './sdk-api.store.js';

/**
 * `X-API-Key` (not `Authorization: Bearer`, which the SDK never sends): missing, unknown or
 * revoked is the one documented `AUTH_FAILED`, so a caller learns nothing about which keys exist.
 */
@Injectable()
export class SdkApiKeyGuard implements CanActivate {
  constructor(private readonly store: SdkStore) {}

  canActivate(context: ExecutionContext): boolean {
    const key = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers[
      'x-api-key'
    ];
    if (!this.store.activeKeys.has(key)) {
      throw new AuthFailedException();
    }
    return true;
  }
}
