import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';

/** Demo API keys of the `/api` platform (reference-docs/003), printed at start-up. */
export const AGENTS_API_KEYS = ['demo-agents-api-key'] as const;

/** `Authorization: Bearer <api key>`; a missing or unknown key is a generic 401 (003 documents no code). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>()
      .headers.authorization;
    const key = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!(AGENTS_API_KEYS as readonly string[]).includes(key)) {
      throw new UnauthorizedException('Missing or invalid API key');
    }
    return true;
  }
}
