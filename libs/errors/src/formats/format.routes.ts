import type { ErrorFormat } from './error-format.interface.js';
import { type FormatOption, resolveFormat } from './format.registry.js';

/** One entry of `ErrorsModuleOptions.routes`: errors of requests under `path` use `format`. */
export interface FormatRoute {
  /** A path prefix as clients send it, global prefix included: `/v2`, `/api/sdk`. */
  path: string;
  format: FormatOption;
}

/** The format for a request path, or undefined when no route prefix covers it. */
export type RouteFormatLookup = (path: string) => ErrorFormat | undefined;

interface CompiledRoute {
  /** Lower-case, one leading slash, no trailing slash; `''` for the root. */
  prefix: string;
  format: ErrorFormat;
}

/** `api/v2/` → `/api/v2`; `/` → `''`. Throws on what cannot be a path prefix, at start-up. */
function normalizePrefix(path: unknown): string {
  if (typeof path !== 'string' || /[?#\s]/.test(path)) {
    throw new TypeError(
      `ErrorsModule routes: ${JSON.stringify(path)} is not a path prefix like '/v2'`,
    );
  }
  const trimmed = path.replace(/^\/+|\/+$/g, '').toLowerCase();
  return trimmed === '' ? '' : `/${trimmed}`;
}

/**
 * Compiles `routes` once, at start-up: prefixes match whole path segments (`/v2` matches `/v2` and
 * `/v2/x`, not `/v20`), the longest wins, and case is ignored (Express routes case-insensitively,
 * so `/V2/x` reaches the `/v2` controllers there). Undefined when there are no routes, so an app
 * without them pays nothing per error.
 */
export function compileFormatRoutes(
  routes: readonly FormatRoute[] | undefined,
): RouteFormatLookup | undefined {
  if (routes === undefined || routes.length === 0) {
    return undefined;
  }
  const compiled: CompiledRoute[] = routes.map((route) => ({
    prefix: normalizePrefix(route.path),
    format: resolveFormat(route.format),
  }));
  const seen = new Set<string>();
  for (const { prefix } of compiled) {
    if (seen.has(prefix)) {
      throw new TypeError(`ErrorsModule routes: '${prefix || '/'}' is listed twice`);
    }
    seen.add(prefix);
  }
  // Longest first: the first prefix that matches is the most specific one.
  compiled.sort((a, b) => b.prefix.length - a.prefix.length);
  return (path) => {
    const lower = path.toLowerCase();
    for (const { prefix, format } of compiled) {
      if (
        prefix === '' ||
        (lower.startsWith(prefix) &&
          (lower.length === prefix.length || lower.charCodeAt(prefix.length) === 47)) // '/'
      ) {
        return format;
      }
    }
    return undefined;
  };
}
