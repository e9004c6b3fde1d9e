import { type BenchPlatform, INVALID_ORDER, type VariantName } from './bench-app.js';

/** One side of a comparison: a request to one app variant, and the status it must answer with. */
export interface Probe {
  variant: VariantName;
  method: 'GET' | 'POST';
  path: string;
  status: number;
  body?: unknown;
  /** Request headers (`Accept-Language` for translated messages). */
  headers?: Readonly<Record<string, string>>;
}

/** One DESIGN § Performance row on one platform: B's CPU time per request over A's. */
export interface Row {
  /** Short, stable id (`fastify/typed-vs-builtin`): for `--only` and `--profile`. */
  id: string;
  what: string;
  against: string;
  platform: BenchPlatform;
  a: Probe;
  b: Probe;
  /** The largest B/A (CPU per request) DESIGN allows; undefined for rows shown for information. */
  target: number | undefined;
}

/** Issue 27's header: one range of 7,000 one-letter subtags, quadratic to look up before the fix. */
const HOSTILE_ACCEPT_LANGUAGE = `de${'-a'.repeat(7_000)}`;
const PLAIN_ACCEPT_LANGUAGE = 'de-CH, en;q=0.5';

const get = (variant: VariantName, path: string, status: number): Probe => ({
  variant,
  method: 'GET',
  path,
  status,
});

/**
 * The rows of DESIGN § Performance that compare two request paths, on each platform, with DESIGN's
 * targets in CPU terms (B's CPU per request over A's; lower is better). A new row is one entry
 * here; a new app build is one entry in VARIANTS (bench-app.ts).
 */
export function rows(): Row[] {
  return (['fastify', 'express'] as const).flatMap((platform): Row[] => {
    const builtin = `${platform}/builtin` as const;
    const errors = `${platform}/errors` as const;
    return [
      {
        id: `${platform}/typed-vs-builtin`,
        what: 'typed 4xx domain error through ErrorsModule',
        against: "Nest's built-in filter, `new NotFoundException(…)`",
        platform,
        a: get(builtin, '/typed', 404),
        b: get(errors, '/typed', 404),
        target: platform === 'fastify' ? 0.67 : 0.95,
      },
      {
        id: `${platform}/http-vs-builtin`,
        what: "Nest's own `HttpException` through ErrorsModule",
        against: "Nest's built-in filter, same exception",
        platform,
        a: get(builtin, '/http', 404),
        b: get(errors, '/http', 404),
        target: 1.0,
      },
      {
        id: `${platform}/validation-vs-builtin`,
        what: 'validation failure (nested DTO, 5 violations)',
        against: "Nest's built-in `ValidationPipe`",
        platform,
        a: {
          variant: builtin,
          method: 'POST',
          path: '/validate',
          status: 400,
          body: INVALID_ORDER,
        },
        b: { variant: errors, method: 'POST', path: '/validate', status: 400, body: INVALID_ORDER },
        target: 1.0,
      },
      {
        id: `${platform}/success-with-vs-without`,
        what: 'successful request with ErrorsModule installed',
        against: 'the same app without it',
        platform,
        a: get(builtin, '/ok', 200),
        b: get(errors, '/ok', 200),
        target: 1.03,
      },
      {
        id: `${platform}/typed-vs-success`,
        what: 'typed 4xx error',
        against: 'a successful response of the same body size, same app',
        platform,
        a: get(errors, '/sized', 200),
        b: get(errors, '/typed', 404),
        target: 1.25,
      },
      {
        id: `${platform}/request-id-cost`,
        what: 'successful request, request ids on (the default)',
        against: 'the same app with `requestId: false`',
        platform,
        a: get(`${platform}/errors-no-id`, '/ok', 200),
        b: get(errors, '/ok', 200),
        target: undefined,
      },
      {
        id: `${platform}/features-unused`,
        what: 'typed 4xx, the optional features inert (no OpenTelemetry SDK, no WWW-Authenticate)',
        against: 'the same app with `telemetry: false, metrics: false, wwwAuthenticate: false`',
        platform,
        a: get(`${platform}/errors-bare`, '/typed', 404),
        b: get(errors, '/typed', 404),
        target: 1.01,
      },
      {
        id: `${platform}/negotiate-cost`,
        what: 'typed 4xx with `negotiate: true` (Accept: application/json)',
        against: 'the same app without negotiation',
        platform,
        a: get(errors, '/typed', 404),
        b: {
          ...get(`${platform}/errors-negotiate`, '/typed', 404),
          headers: { accept: 'application/json' },
        },
        target: undefined,
      },
      {
        id: `${platform}/messages-cost`,
        what: 'typed 4xx translated (`messages`, Accept-Language: de-CH)',
        against: 'the same app without messages',
        platform,
        a: get(errors, '/typed', 404),
        b: {
          ...get(`${platform}/errors-messages`, '/typed', 404),
          headers: { 'accept-language': PLAIN_ACCEPT_LANGUAGE },
        },
        target: undefined,
      },
      {
        id: `${platform}/hostile-accept-language`,
        what: 'typed 4xx translated, hostile 14 KB `Accept-Language: de-a-a-a-…` (7,000 subtags)',
        against:
          'the same app, `Accept-Language: de-CH, en;q=0.5` and the same 14 KB in a header nothing reads',
        platform,
        a: {
          ...get(`${platform}/errors-messages`, '/typed', 404),
          headers: {
            'accept-language': PLAIN_ACCEPT_LANGUAGE,
            'x-padding': HOSTILE_ACCEPT_LANGUAGE,
          },
        },
        b: {
          ...get(`${platform}/errors-messages`, '/typed', 404),
          headers: { 'accept-language': HOSTILE_ACCEPT_LANGUAGE },
        },
        target: 1.1,
      },
      {
        id: `${platform}/header-bytes`,
        what: 'typed 4xx translated, 14 KB more header bytes (`X-Padding`, read by nothing)',
        against: 'the same app, `Accept-Language: de-CH, en;q=0.5` alone',
        platform,
        a: {
          ...get(`${platform}/errors-messages`, '/typed', 404),
          headers: { 'accept-language': PLAIN_ACCEPT_LANGUAGE },
        },
        b: {
          ...get(`${platform}/errors-messages`, '/typed', 404),
          headers: {
            'accept-language': PLAIN_ACCEPT_LANGUAGE,
            'x-padding': HOSTILE_ACCEPT_LANGUAGE,
          },
        },
        target: undefined,
      },
      {
        id: `${platform}/challenge-cost`,
        what: '401 with `WWW-Authenticate: Bearer` (the default)',
        against: 'the same app with `wwwAuthenticate: false`',
        platform,
        a: get(`${platform}/errors-no-challenge`, '/unauthorized', 401),
        b: get(errors, '/unauthorized', 401),
        target: undefined,
      },
      {
        id: `${platform}/reporter-cost`,
        what: 'typed 4xx told to a reporter (`reporters: [{ report, clientErrors: true }]`)',
        against: 'the same app without reporters',
        platform,
        a: get(errors, '/typed', 404),
        b: get(`${platform}/errors-reporter`, '/typed', 404),
        target: undefined,
      },
      {
        id: `${platform}/telemetry-cost`,
        what: 'typed 4xx recorded on the active span (OpenTelemetry SDK, a span per request)',
        against: 'the same app and SDK with `telemetry: false`',
        platform,
        a: get(`${platform}/errors-traced-off`, '/typed', 404),
        b: get(`${platform}/errors-traced`, '/typed', 404),
        target: undefined,
      },
      {
        id: `${platform}/metrics-unused`,
        what: 'typed 4xx, `metrics` on (the default) without a MeterProvider',
        against: 'the same app with `metrics: false`',
        platform,
        a: get(`${platform}/errors-no-metrics`, '/typed', 404),
        b: get(errors, '/typed', 404),
        target: undefined,
      },
      {
        id: `${platform}/metrics-cost`,
        what: 'typed 4xx counted on `api.errors` (OpenTelemetry metrics SDK registered)',
        against: 'the same app and SDK with `metrics: false`',
        platform,
        a: get(`${platform}/errors-metered-off`, '/typed', 404),
        b: get(`${platform}/errors-metered`, '/typed', 404),
        target: undefined,
      },
      {
        id: `${platform}/noise-floor`,
        what: 'A/A: the same success request',
        against: 'a second process of the same app (the noise floor: ideally 1.00×)',
        platform,
        a: get(builtin, '/ok', 200),
        b: get(builtin, '/ok', 200),
        target: undefined,
      },
    ];
  });
}
