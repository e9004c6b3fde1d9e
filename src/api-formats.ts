import type { FormatRoute } from 'nest-api-errors';

/**
 * The five documented APIs this process serves, each under its own prefix: every error of a
 * request under a prefix, routed or not (unknown routes, body-parser errors, middleware, guards,
 * the throttler), answers in that API's documented format.
 */
export const API_FORMATS: readonly FormatRoute[] = [
  { path: '/api/v1', format: 'timestamped' }, // reference-docs/000
  { path: '/graphql', format: 'graphql' }, // 001
  { path: '/v2', format: 'traced' }, // 002
  { path: '/api', format: 'simple' }, // 003
  { path: '/api/sdk', format: 'envelope' }, // 004
  { path: '/api/health', format: 'envelope' }, // 004
  { path: '/api/dashboard', format: 'envelope' }, // 004
];
