/** A request as both platforms hand it to Nest: only its headers are read here. */
export interface RequestWithHeaders {
  headers: Record<string, string | string[] | undefined>;
}

/** The cookie `POST /api/dashboard/auth/login` sets and `POST …/auth/refresh` reads. */
export const REFRESH_COOKIE = 'refresh_token';

/** The access token's cookie, which `JwtGuard` prefers to `Authorization: Bearer`. */
export const ACCESS_COOKIE = 'access_token';

/**
 * One cookie of the request's `Cookie` header, undefined when absent. A few lines instead of a
 * cookie-parser middleware: the dashboard reads two cookies, and the same code runs on Express and
 * Fastify.
 */
export function readCookie(request: RequestWithHeaders, name: string): string | undefined {
  const header = request.headers.cookie;
  const found = (typeof header === 'string' ? header : '')
    .split(';')
    .map((part) => part.trim().split('='));
  return found.find(([key]) => key === name)?.[1];
}

/** What `@Res({ passthrough: true })` gives: Express's response or Fastify's reply. */
export interface ResponseLike {
  header(name: string, value: string): unknown;
  setHeader?(name: string, value: string): unknown;
}

/**
 * Sets the refresh token cookie: HttpOnly (no script reads it), sent back only to
 * `/api/dashboard/auth` and never cross-site. Express's `setHeader` or Fastify's `header`.
 */
export function setRefreshCookie(response: ResponseLike, value: string): void {
  const cookie = `${REFRESH_COOKIE}=${value}; HttpOnly; Path=/api/dashboard/auth; SameSite=Strict`;
  if (typeof response.setHeader === 'function') {
    response.setHeader('Set-Cookie', cookie);
  } else {
    response.header('Set-Cookie', cookie);
  }
}
