import type { FormatRoute } from 'nest-api-errors';

/**
 * The documented APIs this process serves, each under its own prefix (README § The reference
 * app, one section per prefix): every error of a request under a prefix, routed or not (unknown
 * routes, body-parser errors, middleware, guards, the throttler), answers in that API's
 * documented format. `/api/sdk`, `/api/health` and `/api/dashboard` are one API, the product-tours
 * platform, whose prefixes are longer than `/api`'s and so win over it.
 */
export const API_FORMATS: readonly FormatRoute[] = [
  { path: '/api/v1', format: 'timestamped' }, // src/platform
  { path: '/graphql', format: 'graphql' }, // src/flows-graphql
  { path: '/v2', format: 'traced' }, // src/identity-api
  { path: '/api', format: 'simple' }, // src/agents-api
  { path: '/api/sdk', format: 'envelope' }, // src/sdk-api
  { path: '/api/health', format: 'envelope' }, // src/sdk-api
  { path: '/api/dashboard', format: 'envelope' }, // src/dashboard-api
];
