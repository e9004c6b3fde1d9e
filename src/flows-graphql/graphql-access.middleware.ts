import {
  ForbiddenException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  type NestMiddleware,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { RateLimitedException } from 'nest-api-errors';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Demo credentials of `/graphql` (README § `/graphql`), printed at start-up. */
export const GRAPHQL_DEMO = { apiKey: 'demo-graphql-key', projectId: 'prj_demo' } as const;

/** Projects by id, with the API keys that may use them. `prj_other` belongs to another customer. */
const PROJECT_KEYS: ReadonlyMap<string, readonly string[]> = new Map([
  [GRAPHQL_DEMO.projectId, [GRAPHQL_DEMO.apiKey]],
  ['prj_other', ['live-other-customer-key']],
]);
const API_KEYS = new Set([...PROJECT_KEYS.values()].flat());

/** Requests one API key may send to `/graphql` per minute (the documented 429). */
export interface GraphQLRateLimit {
  requestsPerMinute: number;
}
export const GRAPHQL_RATE_LIMIT = Symbol('GRAPHQL_RATE_LIMIT');
export const DEFAULT_GRAPHQL_RATE_LIMIT: GraphQLRateLimit = { requestsPerMinute: 300 };

/** The methods GraphQL over HTTP uses: GET for queries, POST for everything. */
const METHODS = ['GET', 'POST'];

/**
 * The request's path, without its query: of an absolute-form target (`POST http://host/graphql`,
 * which servers must accept and both platforms route by its path), the path after the host.
 */
function pathOf(request: IncomingMessage & { originalUrl?: string }): string {
  const url = (request.originalUrl ?? request.url ?? '/').replace(
    /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/,
    '',
  );
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/** The paths the middleware is applied to: `/graphql` and everything under it. */
export const GRAPHQL_ACCESS_ROUTES = ['graphql', 'graphql/*path'];

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Everything the `/graphql` API decides about a request before GraphQL runs, answered with its HTTP status in
 * the `graphql` format (ErrorsModule's `routes` maps `/graphql` to it): 404 for a path under
 * `/graphql` other than the endpoint (Express hands all of them to Apollo), 405 for a method
 * GraphQL over HTTP does not use, 401 without a valid API key, 429 over the key's rate, 404 for
 * an unknown `x-project-id` and 403 for a project the key may not use. The API key in
 * `Authorization` also makes every cross-site request a preflighted one, which is what Apollo's
 * CSRF prevention asks of GET requests.
 */
@Injectable()
export class GraphQLAccessMiddleware implements NestMiddleware {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(@Inject(GRAPHQL_RATE_LIMIT) private readonly limit: GraphQLRateLimit) {}

  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    const path = pathOf(request);
    if (path !== '/graphql') {
      throw new NotFoundException(`Cannot ${request.method ?? 'GET'} ${path}`);
    }
    if (!METHODS.includes(request.method ?? '')) {
      response.setHeader('Allow', METHODS.join(', '));
      throw new HttpException('Method Not Allowed', HttpStatus.METHOD_NOT_ALLOWED);
    }
    const apiKey = /^Bearer (\S+)$/.exec(header(request, 'authorization') ?? '')?.[1];
    if (apiKey === undefined || !API_KEYS.has(apiKey)) {
      throw new UnauthorizedException('Missing or invalid API key');
    }
    this.count(apiKey);
    const projectKeys = PROJECT_KEYS.get(header(request, 'x-project-id') ?? '');
    if (projectKeys === undefined) {
      throw new NotFoundException('Project not found');
    }
    if (!projectKeys.includes(apiKey)) {
      throw new ForbiddenException('No permission for this project or Flow');
    }
    next();
  }

  /** A fixed one-minute window per API key. */
  private count(apiKey: string): void {
    const now = Date.now();
    let window = this.windows.get(apiKey);
    if (window === undefined || now - window.start >= 60_000) {
      window = { start: now, count: 0 };
      this.windows.set(apiKey, window);
    }
    window.count++;
    if (window.count > this.limit.requestsPerMinute) {
      throw new RateLimitedException({
        retryAfterSeconds: Math.ceil((window.start + 60_000 - now) / 1000),
      });
    }
  }
}

/** What `checkGraphQLAccessAfterBody` needs of a Fastify instance. */
interface FastifyHooks {
  addHook(
    name: 'preValidation',
    hook: (
      request: { raw: IncomingMessage },
      reply: { raw: ServerResponse },
      done: (error?: Error) => void,
    ) => void,
  ): unknown;
}

/**
 * On Fastify, the same check as a `preValidation` hook instead of Nest middleware. Fastify runs
 * Nest middleware in its `onRequest` hook, before it reads the body, where Express parses bodies
 * before any middleware: a malformed or oversized body without an API key answered 401 on Fastify
 * and 400 / 413 on Express (issue 27). `preValidation` is Fastify's first step once the body is
 * parsed, and it still runs before Apollo's handler (and for the paths no route matches, whose 404
 * the check answers).
 */
export function checkGraphQLAccessAfterBody(
  fastify: FastifyHooks,
  access: GraphQLAccessMiddleware,
): void {
  fastify.addHook('preValidation', (request, reply, done) => {
    // Every other request pays one prefix comparison.
    const path = request.raw.url?.startsWith('/graphql') === true ? pathOf(request.raw) : '';
    if (path !== '/graphql' && !path.startsWith('/graphql/')) {
      done();
      return;
    }
    try {
      access.use(request.raw, reply.raw, () => done());
    } catch (error) {
      done(error as Error);
    }
  });
}
