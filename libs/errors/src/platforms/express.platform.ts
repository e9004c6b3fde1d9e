import { pathWithoutQuery } from '../core/error-context.factory.js';
import type { RequestIdSettings } from '../core/request-id.resolver.js';
import type { HttpPlatformWriter } from './http-response.js';
import { type NodeHandler, requestIdHandler, writeNodeError } from './node-http.platform.js';

/**
 * Express (through Nest's `ExpressAdapter`): how errors are written, where the request id is set,
 * the unknown routes outside a global prefix, and which route a failed request had reached.
 *
 * Public APIs: `app.use()`, the adapter's `setNotFoundHandler`, `req.route`, `req.baseUrl`,
 * `req.app`. One internal: a matched route's `stack` of layers and their `handle` (what Nest
 * registered for the route), read only to find what is bound to a route (its declared error format
 * and errors); `detectExpressInternals` checks it.
 */

/** Express's response is Node's: written directly (see `writeNodeError`). */
export const writeExpressError: HttpPlatformWriter = writeNodeError;

interface ExpressLike {
  use(handler: NodeHandler): unknown;
}

/**
 * The request id: a plain handler at the front of the app's own stack, not Nest middleware bound
 * to `*path` — that matches a route pattern on every request (a measurable share of a small
 * request's cost) and never matched `/`. Added while the app initializes, before Nest's
 * middleware and routes.
 */
export function addExpressRequestIdHandler(
  express: ExpressLike,
  settings: RequestIdSettings,
): void {
  express.use(requestIdHandler(settings));
}

interface ExpressLikeRequest {
  url: string;
  originalUrl?: string;
}

type NotFoundHandler = (
  request: ExpressLikeRequest,
  response: unknown,
  next: () => void,
) => unknown;

/** The part of Nest's `ExpressAdapter` `notFoundOutsidePrefix` uses (its public methods). */
export interface NotFoundRegistrar {
  use(handler: (request: ExpressLikeRequest, response: unknown, next: () => void) => void): unknown;
  setNotFoundHandler(handler: NotFoundHandler, prefix?: string, excludedRoutes?: unknown): unknown;
}

/**
 * With `app.setGlobalPrefix('api')`, Nest's ExpressAdapter mounts its not-found handler on a
 * router under `/api` only (`setNotFoundHandler`), so `GET /nope` falls through to Express's final
 * handler and its HTML "Cannot GET /nope".
 *
 * Nest registers that handler after every `onModuleInit` (GraphQL and ServeStatic add their own
 * Express middleware there) and before its error handlers. The adapter's `setNotFoundHandler` is
 * intercepted once, so that right after Nest's prefixed registration the same handler (Nest's
 * exception layer, and so every global filter) also answers the paths outside the prefix. Paths
 * under the prefix stay with Nest's own mount. Call before Nest registers it.
 */
export function notFoundOutsidePrefix(adapter: NotFoundRegistrar): void {
  const hadOwn = Object.hasOwn(adapter, 'setNotFoundHandler');
  const register = adapter.setNotFoundHandler;
  adapter.setNotFoundHandler = function (handler, prefix, excludedRoutes) {
    if (hadOwn) {
      adapter.setNotFoundHandler = register;
    } else {
      delete (adapter as Partial<NotFoundRegistrar>).setNotFoundHandler;
    }
    const result = register.call(adapter, handler, prefix, excludedRoutes);
    const normalized = `/${(prefix ?? '').replace(/^\/+|\/+$/g, '')}`.toLowerCase();
    if (normalized !== '/') {
      const under = `${normalized}/`;
      adapter.use((request, response, next) => {
        // Express matches mount paths without regard to case, as it matches Nest's prefix router.
        const path = pathWithoutQuery(request.originalUrl ?? request.url).toLowerCase();
        if (path === normalized || path.startsWith(under)) {
          next();
        } else {
          void handler(request, response, next);
        }
      });
    }
    return result;
  };
}

/** A matched Express route: `req.route`, with the layers of what was registered for it. */
interface ExpressRoute {
  path?: unknown;
  stack?: ReadonlyArray<{ handle?: unknown }>;
}

/**
 * The pattern of the route a request reached (`/api/v1/files/:id`: Nest registers each route with
 * its global prefix), behind the path of the router it is mounted under (`req.baseUrl`, for a Nest
 * app mounted inside another Express app); undefined before routing and for unknown routes.
 * Public API: `req.route.path` and `req.baseUrl`.
 */
export function expressRoutePattern(request: unknown): string | undefined {
  const { route, baseUrl } = (request ?? {}) as { route?: ExpressRoute; baseUrl?: unknown };
  const path = route?.path;
  return typeof path === 'string'
    ? `${typeof baseUrl === 'string' ? baseUrl : ''}${path}`
    : undefined;
}

/**
 * What Nest registered for the route a request reached (it copies the handler's metadata onto
 * it), or undefined before routing (middleware) and for unknown routes.
 */
export function expressRouteHandler(request: unknown): object | undefined {
  const route = (request as { route?: ExpressRoute } | undefined)?.route;
  const handle = route?.stack?.[route.stack.length - 1]?.handle;
  return typeof handle === 'function' ? handle : undefined;
}

/** The Express application a request belongs to (`req.app`). */
export function expressApplicationOf(request: unknown): object | undefined {
  const app = (request as { app?: unknown } | undefined)?.app;
  return typeof app === 'function' || (typeof app === 'object' && app !== null) ? app : undefined;
}

/**
 * Whether this Express keeps a matched route's registered handlers where `expressRouteHandler`
 * reads them, checked on the routes the app registered (call once they are: at bootstrap).
 */
export function detectExpressInternals(express: unknown): boolean {
  const stack = (express as { router?: { stack?: unknown } } | undefined)?.router?.stack;
  if (!Array.isArray(stack)) {
    return false;
  }
  const routed = (stack as Array<{ route?: ExpressRoute }>).find((layer) => layer.route);
  return routed === undefined || expressRouteHandler({ route: routed.route }) !== undefined;
}
