import type { LogLevel, ValidationPipeOptions } from '@nestjs/common';
import type { FormatOption } from '../formats/format.registry.js';
import type { ErrorMapper } from '../core/error.mapping.js';
import type { ErrorReporter } from '../core/error.reporters.js';
import type { FormatRoute } from '../formats/format.routes.js';

/** How request ids are read, made and echoed. */
export interface RequestIdOptions {
  /** Header read from requests and written on error responses. Default `'x-request-id'`. */
  header?: string;
  /**
   * Makes an id when none (or an unsafe one) came in. Default `crypto.randomUUID`. Its result
   * must match `^[A-Za-z0-9._:-]{1,128}$`, or a UUID is used instead.
   */
  generate?: () => string;
  /**
   * Use a well-formed incoming id instead of a new one. Default `true`; turn it off at the edge
   * of a network whose callers should not choose ids.
   */
  trustIncoming?: boolean;
}

/** Which log level each kind of error is written at; `false` silences it. */
export interface ErrorsLoggingOptions {
  /** 5xx, with the thrown value's stack and the request id. Default `'error'`. */
  serverErrors?: LogLevel | false;
  /**
   * 4xx, one line each (method, path, status, code, request id, message). Default `'debug'`:
   * there when debugging, quiet in a production logger that leaves `debug` out.
   */
  clientErrors?: LogLevel | false;
}

/** Options of `ErrorsModule.forRoot()` / `forRootAsync()`. Every one has a default. */
export interface ErrorsModuleOptions {
  /**
   * Wire format of every error body: `'timestamped'` (the default), `'traced'`, `'simple'`,
   * `'envelope'`, `'problem'` (RFC 9457), `'graphql'` (README § Formats shows each), or your own
   * `ErrorFormat`. `UseErrorFormat` overrides it per controller or handler.
   */
  format?: FormatOption;
  /**
   * Formats by path prefix, for a process that serves several documented APIs:
   * `[{ path: '/v2', format: 'traced' }, { path: '/api', format: 'simple' }]`. Prefixes match whole
   * segments (`/v2` covers `/v2/x`, not `/v20`), the longest wins, case is ignored, and paths are
   * as clients send them (global prefix included). They govern every error of an HTTP request,
   * routed or not: unknown routes, body-parser errors, middleware, guards, pipes, interceptors.
   * Precedence: `UseErrorFormat` on the handler, then on the controller, then `routes`, then
   * `format`.
   */
  routes?: readonly FormatRoute[];
  /**
   * The global validation pipe `forRoot` installs (`createValidationPipe(options)`), or `false`
   * to install none. Default: installed with Nest's `ValidationPipe` defaults.
   */
  validation?: false | ValidationPipeOptions;
  /**
   * Request id handling: every response gets `X-Request-Id` (the incoming id, a `traceparent`'s
   * trace id, or a new one). `false` for no id header (ids are still made for logs). Default on.
   */
  requestId?: false | RequestIdOptions;
  /**
   * Let 5xx bodies carry the real message of what was thrown. Default `false`: a 5xx body says
   * `Internal server error` (or the status text), and the real message goes to the log. Only for
   * local development.
   */
  exposeInternalErrors?: boolean;
  /** Log levels per kind of error. */
  logging?: ErrorsLoggingOptions;
  /**
   * Turn the errors your ORM and HTTP client throw into the errors they mean (a unique violation
   * → 409, a missing row → 404, a refused upstream → 500 `EXTERNAL_SERVICE_ERROR`), before
   * normalization, in order; the first replacement wins. Only what is neither an `ApiException`
   * nor an `HttpException` is offered. Default `defaultErrorMappers` (Prisma, TypeORM, Mongoose,
   * Axios/fetch); keep them and add your own with `[myMapper, ...defaultErrorMappers]`; `[]`
   * turns mapping off.
   */
  mappers?: readonly ErrorMapper[];
  /**
   * Content negotiation: a request whose `Accept` names `application/problem+json` (at least as
   * much as the route's own media type) gets the `problem` format on any route, and error
   * responses carry `Vary: Accept`. An `Accept` the library cannot honour still gets the route's
   * format, never a 406. Default `false`.
   */
  negotiate?: boolean;
  /**
   * Translated messages by language and code: `{ de: { AGENT_NOT_FOUND: 'Agent nicht gefunden' } }`.
   * The best `Accept-Language` match (q-values; `de-CH` falls back to `de`) replaces a code's
   * documented message, template fields filled (`{provider}`); `Content-Language` names the
   * language sent. Codes never change, a message given at the throw site is never replaced, and
   * without a match the documented message is sent.
   */
  messages?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * Told about every 5xx after its response is written, with the request id (and 4xx too for
   * `{ report, clientErrors: true }`). A reporter that throws or rejects is logged once and never
   * affects the response.
   */
  reporters?: readonly ErrorReporter[];
  /**
   * With `@opentelemetry/api` installed: a 5xx is recorded on the active span (exception, status
   * ERROR, `error.type` = the code); a 4xx sets `error.type` only. Default `true` when the package
   * is installed; `false` turns it off.
   */
  telemetry?: boolean;
  /**
   * With `@opentelemetry/api` installed and a MeterProvider registered before the application
   * starts: every error adds 1 to the counter `api.errors` (unit `{error}`), with `error.type` (the
   * code, or the generic code), `http.response.status_code`, `http.route` (the route's pattern,
   * absent for unknown routes) and `error.category`. Default `true` when the package is installed;
   * without a MeterProvider it costs one check per error. `false` turns it off.
   */
  metrics?: boolean;
  /**
   * `'warn'`: an error whose code (or, without a code, whose status) the route's `@ApiErrors` (on
   * the handler or its controller) does not declare logs one warning per route and code, naming
   * both: `GET /api/v1/files/:id answered ENTRY_LOCKED, which its @ApiErrors does not declare`.
   * HTTP routes only; unknown routes and errors before routing are not checked. Default `'off'`,
   * which costs nothing.
   */
  declaredErrors?: 'off' | 'warn';
  /**
   * The challenge every 401 carries as `WWW-Authenticate` (RFC 9110 § 11.6.1 requires one), unless
   * the response already has its own. Default `'Bearer'`; `false` sends none.
   */
  wwwAuthenticate?: string | false;
  /**
   * Base URL of your error documentation; `problem` links codes to it as `<docsBaseUrl>#<CODE>`
   * (and gRPC errors, in their `google.rpc.Help` detail).
   */
  docsBaseUrl?: string;
  /** The gRPC transport's rich error details (README § gRPC). */
  grpc?: GrpcErrorsOptions;
  /**
   * Report uncaught exceptions and unhandled rejections: one log line with a request id (`PROCESS
   * uncaughtException 500 requestId=…`), telemetry and `reporters`, then the process ends exactly
   * as Node ends it (its own message on stderr, its exit code). Reporters run synchronously as
   * far as they go: an async reporter may not finish before the process ends. Observed through
   * `uncaughtExceptionMonitor`, so the library never keeps a process alive that Node would end;
   * removed when the app closes. Default `false`.
   */
  processErrors?: boolean;
}

/** Options of the errors a gRPC call ends with. */
export interface GrpcErrorsOptions {
  /**
   * `google.rpc.ErrorInfo.domain`: the name clients read with the code (`reason`) to know whose
   * code it is, the same for every service of your API (`heroes.example.com`). Default: the
   * called service's full name (`hero.HeroService`).
   */
  domain?: string;
}
