import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { bearerToken } from '../common/bearer-token.js';
import { AgentsApiStore } from './agents-api.store.js';

/**
 * `Authorization: Bearer <api key>`; a missing or unknown key is a generic 401, since the `/api`
 * API documents no code for it (README § `/api`).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly store: AgentsApiStore) {}

  canActivate(context: ExecutionContext): boolean {
    const key = bearerToken(context.switchToHttp().getRequest());
    if (key === undefined || !this.store.apiKeys.has(key)) {
      throw new UnauthorizedException('Missing or invalid API key');
    }
    return true;
  }
}
