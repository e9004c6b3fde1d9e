import { Ajv, type ValidateFunction } from 'ajv';
import { type ErrorReference, renderErrorReference } from 'nest-api-errors';
import { type RawRequest, requestHead } from './raw-http.js';

// `npm run load`'s traffic: error requests to the reference app's five APIs, well-formed ones
// over keep-alive connections and malformed ones (bad JSON, bodies over the limit, aborted
// uploads, bad URLs) one per connection, each with the statuses it may get and the format its
// prefix documents.

export type Platform = 'express' | 'fastify';
export type FormatName = 'timestamped' | 'graphql' | 'traced' | 'simple' | 'envelope';

/** What the table counts each request under. */
export type Kind = 'error' | 'malformed JSON' | '413' | 'bad URL' | 'aborted upload';

export interface TrafficCase {
  name: string;
  kind: Kind;
  method: string;
  /** The request target as sent, raw (may hold non-ASCII characters, sent as UTF-8). */
  target: string;
  headers: Readonly<Record<string, string>>;
  body?: Buffer;
  /** Statuses that conform (a rate limit may answer 429 instead). */
  statuses: readonly number[];
  /** The format the errors of this request must be in: its prefix's. */
  format: FormatName;
  /** 'keep-alive': node:http with a keep-alive agent; 'raw': a connection of its own (node:net). */
  transport: 'keep-alive' | 'raw';
  /** Aborted upload: send this many bytes of the body, then destroy the connection. */
  abortAfter?: number;
}

/** The reference app's prefixes (src/api-formats.ts API_FORMATS), longest first. */
const PREFIXES: readonly [string, FormatName][] = [
  ['/api/dashboard', 'envelope'],
  ['/api/health', 'envelope'],
  ['/api/sdk', 'envelope'],
  ['/api/v1', 'timestamped'],
  ['/graphql', 'graphql'],
  ['/api', 'simple'],
  ['/v2', 'traced'],
];

/** The format ErrorsModule picks for a request target: longest whole-segment prefix, any case. */
export function formatOf(target: string): FormatName {
  const path = target.split('?')[0]!.toLowerCase();
  for (const [prefix, format] of PREFIXES) {
    if (path === prefix || path.startsWith(`${prefix}/`)) return format;
  }
  return 'timestamped';
}

const DEMO = {
  platformToken: 'Bearer demo-acme-production-token',
  agentsKey: 'Bearer demo-agents-api-key',
  sdkKey: 'demo-sdk-key',
  graphqlKey: 'Bearer demo-graphql-key',
  graphqlProject: 'prj_demo',
};

/** Body limits of the reference app: Express's JSON parser 100 kB, Fastify's bodyLimit 1 MiB. */
export const BODY_LIMIT: Readonly<Record<Platform, number>> = {
  express: 100 * 1024,
  fastify: 1024 * 1024,
};

const JSON_TYPE = { 'Content-Type': 'application/json' };
const MALFORMED = Buffer.from('{"name": "report.pdf", "size": 12,');

/** Where each API takes a JSON body, with the headers it needs to get as far as parsing it. */
const BODY_ROUTES: readonly { target: string; headers: Record<string, string> }[] = [
  { target: '/api/v1/files', headers: { Authorization: DEMO.platformToken } },
  {
    target: '/graphql',
    headers: { Authorization: DEMO.graphqlKey, 'x-project-id': DEMO.graphqlProject },
  },
  { target: '/v2/auth/exchange', headers: {} },
  { target: '/api/agents', headers: { Authorization: DEMO.agentsKey } },
  { target: '/api/sdk/events', headers: { 'X-API-Key': DEMO.sdkKey } },
  { target: '/api/dashboard/auth/login', headers: {} },
];

/** 429s that a per-key or per-client limit may send instead, by prefix. */
function limited(target: string, statuses: number[]): number[] {
  const format = formatOf(target);
  const rateLimited =
    format === 'graphql' || target.startsWith('/api/sdk') || target.startsWith('/v2/auth');
  return rateLimited && !statuses.includes(429) ? [...statuses, 429] : statuses;
}

function errorCase(
  name: string,
  method: string,
  target: string,
  headers: Record<string, string>,
  statuses: number[],
  body?: string,
): TrafficCase {
  return {
    name,
    kind: 'error',
    method,
    target,
    headers: body === undefined ? headers : { ...JSON_TYPE, ...headers },
    body: body === undefined ? undefined : Buffer.from(body),
    statuses: limited(target, statuses),
    format: formatOf(target),
    transport: 'keep-alive',
  };
}

/** The mix for one platform, in the order the workers take it (round robin). */
export function trafficCases(platform: Platform): TrafficCase[] {
  const gql = (query: string) => JSON.stringify({ query });
  const graphqlAuth = { Authorization: DEMO.graphqlKey, 'x-project-id': DEMO.graphqlProject };
  const errors: TrafficCase[] = [
    // /api/v1 (timestamped)
    errorCase('v1 no token', 'GET', '/api/v1/files', {}, [401]),
    errorCase(
      'v1 bad uuid',
      'GET',
      '/api/v1/files/not-a-uuid',
      { Authorization: DEMO.platformToken },
      [400],
    ),
    errorCase(
      'v1 unknown file',
      'GET',
      '/api/v1/files/00000000-0000-4000-8000-000000000000',
      { Authorization: DEMO.platformToken },
      [404],
    ),
    errorCase(
      'v1 validation',
      'POST',
      '/api/v1/files',
      { Authorization: DEMO.platformToken },
      [400],
      '{"name": 7}',
    ),
    errorCase('v1 unknown route', 'GET', '/api/v1/nope?token=hunter2', {}, [404]),
    // /graphql (graphql)
    errorCase(
      'graphql resolver error',
      'POST',
      '/graphql',
      graphqlAuth,
      [200],
      gql('{ flow(id: "flw_nope") { id } }'),
    ),
    errorCase(
      'graphql parse error',
      'POST',
      '/graphql',
      graphqlAuth,
      [400],
      gql('{ flow(id: "flw_nope" { id }'),
    ),
    errorCase(
      'graphql validation error',
      'POST',
      '/graphql',
      graphqlAuth,
      [400],
      gql('{ flow(id: "x") { secret } }'),
    ),
    errorCase(
      'graphql no key',
      'POST',
      '/graphql',
      { 'x-project-id': DEMO.graphqlProject },
      [401],
      gql('{ flows { id } }'),
    ),
    // /v2 (traced)
    errorCase('v2 invalid grant', 'POST', '/v2/auth/exchange', {}, [400], '{"grant_type": "nope"}'),
    errorCase('v2 no token', 'GET', '/v2/service-accounts', {}, [401]),
    errorCase('v2 unknown route', 'GET', '/v2/nope', {}, [404]),
    // /api (simple)
    errorCase('api no key', 'GET', '/api/agents', {}, [401]),
    errorCase(
      'api unknown agent',
      'GET',
      '/api/agents/agt_nope',
      { Authorization: DEMO.agentsKey },
      [404],
    ),
    errorCase(
      'api validation',
      'POST',
      '/api/agents',
      { Authorization: DEMO.agentsKey },
      [400],
      '{"name": 7}',
    ),
    errorCase('api unknown route', 'GET', '/api/nope', {}, [404]),
    // /api/sdk and /api/dashboard (envelope)
    errorCase('sdk no key', 'POST', '/api/sdk/events', {}, [401], '{"events": []}'),
    errorCase(
      'sdk unknown content',
      'GET',
      '/api/sdk/content/nope',
      { 'X-API-Key': DEMO.sdkKey },
      [404],
    ),
    errorCase(
      'sdk validation',
      'POST',
      '/api/sdk/events',
      { 'X-API-Key': DEMO.sdkKey },
      [400],
      '{"events": "x"}',
    ),
    errorCase(
      'dashboard bad login',
      'POST',
      '/api/dashboard/auth/login',
      {},
      [401],
      '{"email": "owner@acme.test", "password": "wrong"}',
    ),
    errorCase('dashboard no token', 'GET', '/api/dashboard/me', {}, [401]),
  ];

  const malformed: TrafficCase[] = BODY_ROUTES.map(({ target, headers }) => ({
    name: `malformed JSON ${target}`,
    kind: 'malformed JSON',
    method: 'POST',
    target,
    headers: { ...JSON_TYPE, ...headers },
    body: MALFORMED,
    statuses: limited(target, [400]),
    format: formatOf(target),
    transport: 'keep-alive',
  }));

  // A JSON document just over the platform's limit, sent whole.
  const tooLarge = Buffer.from(`{"pad": "${'x'.repeat(BODY_LIMIT[platform] + 16)}"}`);
  const oversized: TrafficCase[] = BODY_ROUTES.map(({ target, headers }) => ({
    name: `413 ${target}`,
    kind: '413',
    method: 'POST',
    target,
    headers: { ...JSON_TYPE, ...headers, 'Content-Length': String(tooLarge.length) },
    body: tooLarge,
    statuses: limited(target, [413]),
    format: formatOf(target),
    transport: 'raw',
  }));

  // Half of a 20 kB body, then the connection is destroyed: no response is expected.
  const upload = Buffer.from(`{"pad": "${'x'.repeat(20_000)}"}`);
  const aborted: TrafficCase[] = BODY_ROUTES.map(({ target, headers }) => ({
    name: `aborted upload ${target}`,
    kind: 'aborted upload',
    method: 'POST',
    target,
    headers: { ...JSON_TYPE, ...headers, 'Content-Length': String(upload.length) },
    body: upload,
    statuses: [],
    format: formatOf(target),
    transport: 'raw',
    abortAfter: upload.length / 2,
  }));

  const long = 'a'.repeat(150);
  const bad = (
    name: string,
    target: string,
    headers: Record<string, string>,
    statuses: number[],
  ) => ({
    name: `bad URL ${name}`,
    kind: 'bad URL' as const,
    method: 'GET',
    target,
    headers,
    statuses: limited(target, statuses),
    format: formatOf(target),
    transport: 'raw' as const,
  });
  const badUrls: TrafficCase[] = [
    bad('%zz in a param', '/api/v1/files/%zz', { Authorization: DEMO.platformToken }, [400]),
    bad('%zz in a route', '/api/v1/%zz', {}, [400, 404]),
    bad('%zz in the query', '/api/v1/nope?q=%zz', {}, [400, 404]),
    bad(
      '150-char param',
      `/api/v1/files/${long}`,
      { Authorization: DEMO.platformToken },
      [400, 404, 414],
    ),
    bad('150-char sdk param', `/api/sdk/content/${long}`, { 'X-API-Key': DEMO.sdkKey }, [404, 414]),
    bad(
      '150-char agents param',
      `/api/agents/${long}`,
      { Authorization: DEMO.agentsKey },
      [404, 414],
    ),
    bad('// in front', '//api/v1/files', { Authorization: DEMO.platformToken }, [404]),
    bad('// inside', '/api//agents', { Authorization: DEMO.agentsKey }, [404]),
    bad('raw unicode', '/api/sdk/content/überprüfung', { 'X-API-Key': DEMO.sdkKey }, [400, 404]),
    bad('encoded unicode', '/v2/service-accounts/%C3%BC%E2%9C%93', {}, [401, 404]),
    bad('broken UTF-8 escape', '/api/agents/%C3%28', { Authorization: DEMO.agentsKey }, [400, 404]),
    bad('%00', '/api/dashboard/users/%00', {}, [400, 401, 404]),
    bad('graphql %zz query', '/graphql?query=%zz', graphqlAuth, [400]),
  ];

  // Keep-alive requests outnumber the rest: raw ones cost a connection each.
  return [...errors, ...malformed, ...errors, ...oversized, ...aborted, ...badUrls];
}

/** The bytes of a raw case. */
export function rawRequestOf(spec: TrafficCase): RawRequest {
  const headers: Record<string, string> = { Connection: 'close', ...spec.headers };
  if (spec.body !== undefined && headers['Content-Length'] === undefined) {
    headers['Content-Length'] = String(spec.body.length);
  }
  return {
    head: requestHead(spec.method, spec.target, headers),
    body: spec.body,
    abortAfter: spec.abortAfter,
  };
}

const ajv = new Ajv({ strict: false, validateFormats: false });
const schemas = new Map<FormatName, ValidateFunction>();

/** The JSON schema the library publishes for `format` (renderErrorReference), compiled. */
export function schemaOf(format: FormatName): ValidateFunction {
  let validate = schemas.get(format);
  if (validate === undefined) {
    const reference = JSON.parse(renderErrorReference({ format, as: 'json' })) as ErrorReference;
    validate = ajv.compile(reference.schema);
    schemas.set(format, validate);
  }
  return validate;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Why a response does not conform to its case (undefined when it does). */
export function nonConformity(
  spec: TrafficCase,
  status: number,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  body: string,
): string | undefined {
  const reasons: string[] = [];
  if (!spec.statuses.includes(status)) {
    reasons.push(`status ${status}, expected ${spec.statuses.join('/')}`);
  }
  const contentType = String(headers['content-type'] ?? '');
  if (!/^application\/(json|problem\+json)\b/.test(contentType)) {
    reasons.push(`content-type ${JSON.stringify(contentType)}`);
  }
  const requestId = String(headers['x-request-id'] ?? '');
  if (!REQUEST_ID.test(requestId)) reasons.push('no X-Request-Id');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    reasons.push('body is not JSON');
    return reasons.join('; ');
  }
  // The graphql schema allows `data` beside `errors` (a response whose operation ran).
  const validate = schemaOf(spec.format);
  if (!validate(parsed)) {
    reasons.push(`not ${spec.format}: ${ajv.errorsText(validate.errors)}`);
  }
  if (body.includes('hunter2')) reasons.push('echoes the query string');
  const statusInBody = statusOf(spec.format, parsed);
  if (statusInBody !== undefined && status !== 200 && statusInBody !== status) {
    reasons.push(`body says ${statusInBody}, HTTP ${status}`);
  }
  return reasons.length === 0 ? undefined : reasons.join('; ');
}

function statusOf(format: FormatName, body: unknown): number | undefined {
  const value = body as {
    statusCode?: number;
    error?: { statusCode?: number };
    errors?: { extensions?: { statusCode?: number } }[];
  };
  if (format === 'timestamped') return value.statusCode;
  if (format === 'envelope') return value.error?.statusCode;
  if (format === 'graphql') return value.errors?.[0]?.extensions?.statusCode;
  return undefined;
}
