import request from 'supertest';

/** The two SDK routes the rate limit spans, and what each answers when the request passes. */
export const SDK_ROUTES = {
  content: { status: 200 },
  events: { status: 202 },
} as const;
export type SdkRoute = keyof typeof SDK_ROUTES;

/** One SDK request with `key` to the app at `baseUrl`. */
export function sdkRequest(baseUrl: string, route: SdkRoute, key: string): request.Test {
  return route === 'content'
    ? request(baseUrl).get('/api/sdk/content/tour_welcome').set('X-API-Key', key)
    : request(baseUrl)
        .post('/api/sdk/events')
        .set('X-API-Key', key)
        .send({ events: [{ type: 'click' }] });
}

const BOTH_ROUTES: readonly SdkRoute[] = ['content', 'events'];
/** Requests in flight at once: enough to be quick, few enough for a shared 2-core machine. */
const CONCURRENCY = 20;

/** Request `index`'s app and route: round-robin over the apps, then over the routes. */
function target(index: number, baseUrls: readonly string[], routes: readonly SdkRoute[]) {
  return {
    baseUrl: baseUrls[index % baseUrls.length]!,
    route: routes[Math.floor(index / baseUrls.length) % routes.length]!,
  };
}

/**
 * Sends `count` SDK requests with one key, spread evenly over the apps at `baseUrls` (each app
 * gets every route in turn), a few at a time. Returns `route status` per request, in order.
 */
export async function spreadSdkRequests(
  baseUrls: readonly string[],
  count: number,
  key: string,
  routes: readonly SdkRoute[] = BOTH_ROUTES,
): Promise<string[]> {
  const results: string[] = [];
  for (let start = 0; start < count; start += CONCURRENCY) {
    const batch = Array.from({ length: Math.min(CONCURRENCY, count - start) }, (_, offset) => {
      const { baseUrl, route } = target(start + offset, baseUrls, routes);
      return sdkRequest(baseUrl, route, key).then((response) => `${route} ${response.status}`);
    });
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

/** What `spreadSdkRequests` returns when every request passes. */
export function allPassed(
  baseUrls: readonly string[],
  count: number,
  routes: readonly SdkRoute[] = BOTH_ROUTES,
): string[] {
  return Array.from({ length: count }, (_, index) => {
    const { route } = target(index, baseUrls, routes);
    return `${route} ${SDK_ROUTES[route].status}`;
  });
}
