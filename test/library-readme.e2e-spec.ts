import type { INestApplication, Type } from '@nestjs/common';
import { EntryNotFoundException, type ErrorsModuleOptions, type FormatName } from 'nest-api-errors';
import { expectApiError } from 'nest-api-errors/testing';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { formatsFixtureModule } from './fixtures/formats-fixture.js';
import { protocolsFixtureModule } from './fixtures/protocols-fixture.js';
import { mappersFixtureModule, realWorldFixtureModule } from './fixtures/real-world-fixture.js';
import { featuresFixtureModule } from './fixtures/features-fixture.js';
import {
  type GlobalFiltersFixture,
  configureGlobalFilters,
  globalFiltersFixtureModule,
} from './fixtures/global-filters-fixture.js';
import * as governance from './fixtures/governance-fixture.js';
import { routesFixtureModule } from './fixtures/routes-fixture.js';
import { transportsFixtureModule } from './fixtures/transports-fixture.js';
import { uploadsFixtureModule } from './fixtures/uploads-fixture.js';
import {
  type Hybrid,
  SocketClient,
  readSse,
  rpcClient,
  rpcError,
  startHybrid,
} from './support/hybrid-app.js';
import { type GrpcApp, findOneError, startGrpcApp, statusJson } from './support/grpc-app.js';
import { registerMeterProvider } from './support/error-metrics.js';
import {
  type ReadmeRequest,
  jsonBlocksWithoutExample,
  readmeExamples,
  readmeOutputs,
} from './support/readme-examples.js';
import {
  ADAPTERS,
  type AdapterName,
  type CapturingLogger,
  ISO_TIMESTAMP,
  createTestApp,
} from './support/test-app.js';

// Every example body in libs/errors/README.md (the page the registry shows) sits under an
// `<!-- example: {"requests": [...]} -->` comment: one request per line of the JSON block after
// it. This replays each on both platforms and compares the exact text, once the per-request
// timestamp and request id are the README's.

/** The options each `features:<name>` example's README code block shows. */
const FEATURE_OPTIONS: Record<string, ErrorsModuleOptions> = {
  default: {},
  negotiate: { negotiate: true, routes: [{ path: '/v2', format: 'traced' }] },
  messages: {
    format: 'envelope',
    messages: {
      de: {
        AGENT_NOT_FOUND: 'Agent nicht gefunden',
        UNKNOWN_PROVIDER: 'Unbekannter Anbieter: {provider}',
      },
    },
  },
};

/** The app each README example names; `features:<name>` and `format:<name>` are built below. */
const FIXTURE_APPS: Record<string, () => Type> = {
  reference: () => AppModule,
  graphql: () => protocolsFixtureModule(),
  routes: () => routesFixtureModule(),
  'real-world': () => realWorldFixtureModule(),
  mappers: () => mappersFixtureModule(),
  // README § Uploads: files of up to 1 MiB, `/v2` in envelope.
  uploads: () =>
    uploadsFixtureModule({ routes: [{ path: '/v2', format: 'envelope' }] }, 1024 * 1024),
};

/** The options of each `governance:<name>` app (the governed API, served under `api/v1`). */
const GOVERNANCE_OPTIONS: Record<string, ErrorsModuleOptions> = {
  default: {},
  declared: { declaredErrors: 'warn' },
};

const README = new URL('../libs/errors/README.md', import.meta.url);
const EXAMPLES = readmeExamples(README);
const OUTPUTS = readmeOutputs(README);

/** The README's placeholders put back: its timestamp, and its request id where the body echoes ours. */
function normalize(actual: unknown, shown: Record<string, unknown>, requestId: string): unknown {
  const text = JSON.stringify(actual)
    .replace(/"timestamp":"[^"]+"/, `"timestamp":${JSON.stringify(shown.timestamp ?? '')}`)
    .replaceAll(`"${requestId}"`, '"5b0f…"');
  return text;
}

describe.each(ADAPTERS)('libs/errors/README.md examples on %s', (adapter: AdapterName) => {
  const apps = new Map<string, INestApplication>();
  const loggers = new Map<string, CapturingLogger>();
  let meters: ReturnType<typeof registerMeterProvider> | undefined;

  async function appFor(name: string): Promise<INestApplication> {
    let app = apps.get(name);
    if (name.startsWith('governance:') && app === undefined) {
      // The metrics example reads a MeterProvider registered before the app starts, as an app's
      // telemetry setup does.
      meters ??= registerMeterProvider();
      const created = await createTestApp(
        adapter,
        { imports: [governance.governanceFixtureModule(GOVERNANCE_OPTIONS[name.split(':')[1]!])] },
        { configure: (governed) => governed.setGlobalPrefix('api/v1') },
      );
      loggers.set(name, created.logger);
      apps.set(name, created.app);
      return created.app;
    }
    if (app === undefined) {
      const [kind, variant] = name.split(':') as [string, string | undefined];
      const module =
        FIXTURE_APPS[name]?.() ??
        (kind === 'features'
          ? featuresFixtureModule(FEATURE_OPTIONS[variant!]!)
          : kind === 'filters'
            ? globalFiltersFixtureModule(variant as GlobalFiltersFixture)
            : formatsFixtureModule({
                format: variant as FormatName,
                docsBaseUrl: 'https://docs.example.com/errors',
              }));
      // The routes app's body limit is 1 kB on both adapters (their defaults differ), for its 413;
      // a `filters:` app registers its filter as its main.ts does.
      const options =
        name === 'routes'
          ? { bodyLimit: 1024 }
          : kind === 'filters'
            ? { configure: configureGlobalFilters(variant as GlobalFiltersFixture) }
            : {};
      const created = await createTestApp(adapter, { imports: [module] }, options);
      app = created.app;
      loggers.set(name, created.logger);
      apps.set(name, app);
    }
    return app;
  }

  afterAll(async () => {
    await Promise.all([...apps.values()].map((app) => app.close()).concat(hybrid?.close() ?? []));
    await meters?.unregister();
  });

  // RPC, WebSocket and SSE examples: the transports fixture as a hybrid app, with socket.io on
  // Express and ws on Fastify.
  let hybrid: Hybrid | undefined;
  async function hybridApp(): Promise<Hybrid> {
    hybrid ??= await startHybrid(
      transportsFixtureModule(),
      adapter,
      adapter === 'express' ? 'socket.io' : 'ws',
    );
    return hybrid;
  }

  // gRPC examples: the gRPC fixture's service, on the example's platform.
  let grpcApp: GrpcApp | undefined;
  afterAll(() => grpcApp?.close());

  /**
   * What a grpc-js client's `ServiceError` holds for the example's `FindOne` call: its code,
   * status message and trailers, `grpc-status-details-bin` decoded.
   */
  async function grpcOutcome(spec: ReadmeRequest): Promise<Record<string, unknown>> {
    grpcApp ??= await startGrpcApp(adapter);
    const { name } = spec.data as { name: string };
    const error = await findOneError(grpcApp.client, name, spec.metadata);
    return {
      code: error.code,
      details: error.details,
      metadata: {
        'x-request-id': error.metadata.get('x-request-id')[0],
        'grpc-status-details-bin': statusJson(error),
      },
    };
  }

  /** What an RPC, WebSocket or SSE client receives for the example's request. */
  async function transportPayload(spec: ReadmeRequest): Promise<Record<string, unknown>> {
    if (spec.app === 'grpc') {
      return grpcOutcome(spec);
    }
    const { app, url, tcpPort } = await hybridApp();
    if (spec.app === 'rpc') {
      const client = rpcClient(tcpPort, spec.metadata);
      try {
        return (await rpcError(client, spec.pattern!, spec.data ?? {})) as Record<string, unknown>;
      } finally {
        await client.close();
      }
    }
    if (spec.app === 'ws') {
      const socket = await SocketClient.connect(
        adapter === 'express' ? 'socket.io' : 'ws',
        url,
        spec.headers,
      );
      try {
        return (await socket.exception(spec.event!, spec.data ?? {})) as Record<string, unknown>;
      } finally {
        socket.close();
      }
    }
    const { events } = await readSse(app, spec.path!);
    const error = events.find((event) => event.event === 'error');
    return JSON.parse(error!.data!) as Record<string, unknown>;
  }

  it('the Testing helpers example holds as written (the routes app)', async () => {
    const app = await appFor('routes');
    // As the README shows it:
    const response = await request(app.getHttpServer()).get('/v2/files/42');
    expectApiError(response, EntryNotFoundException, { path: '/v2/files/42' });
    const sdk = await request(app.getHttpServer()).get('/api/sdk/files/42');
    expectApiError(sdk, { status: 404, code: 'ENTRY_NOT_FOUND' }, { format: 'envelope' });
    // And what it says of a pinned format: another body fails, naming both.
    expect(() => expectApiError(response, EntryNotFoundException, { format: 'envelope' })).toThrow(
      'format: expected an envelope body, received a traced body',
    );
  });

  it('has an example comment for every body it shows', () => {
    // `<!-- openapi: … -->` blocks are excerpts of a document, compared by test/openapi.e2e-spec.ts;
    // `<!-- file: … -->` blocks are files a fresh app's tests run with, by test/package.e2e-spec.ts.
    expect(jsonBlocksWithoutExample(README)).toEqual([
      { title: 'OpenAPI: `ApiErrors`', line: expect.any(Number), comment: 'openapi' },
      { title: 'Vitest and Jest in a Nest 12 app', line: expect.any(Number), comment: 'file' },
    ]);
    expect(EXAMPLES).toHaveLength(68);
    expect(OUTPUTS).toHaveLength(4);
  });

  it('links only to headings it has (the contents and every cross-reference)', () => {
    const text = readFileSync(README, 'utf8');
    // GitHub's anchors: lower case, punctuation but `-` and `_` dropped, spaces as `-`.
    const anchors = new Set(
      [...text.matchAll(/^#+ (.+)$/gm)].map((match) =>
        match[1]!
          .toLowerCase()
          .replace(/[^\p{L}\p{N}\s_-]/gu, '')
          .replaceAll(' ', '-'),
      ),
    );
    const links = [...text.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1]!);
    expect(links.length).toBeGreaterThan(60);
    expect(links.filter((link) => !anchors.has(link))).toEqual([]);
  });

  // The CLI's output blocks are replayed by test/library-readme-cli.e2e-spec.ts, in a process of
  // their own: a catalog lists every class the process declared, and this one loads many apps.
  it.each(
    OUTPUTS.filter((output) => output.request.argv === undefined).map((output) => [
      `${output.request.app} warnings`,
      output,
    ]),
  )('%s', async (_, { request: spec, shown }) => {
    const app = await appFor(spec.app!);
    const logger = loggers.get(spec.app!)!;
    // Without `paths`, the block shows what the app logged at start-up.
    if (spec.paths !== undefined) {
      logger.clear();
    }
    for (const path of spec.paths ?? []) {
      await request(app.getHttpServer()).get(path);
    }
    const warnings = logger.entries.filter((entry) => entry.level === 'warn');
    expect(warnings.map((entry) => `${entry.message}\n`).join('')).toBe(shown);
  });

  it.each(
    EXAMPLES.map((example) => [
      `${example.request.app} ${example.request.path ?? example.request.query ?? example.request.pattern ?? example.request.event ?? JSON.stringify(example.request.data)}`,
      example,
    ]),
  )('%s', async (_, { request: spec, shown }) => {
    if (spec.app === 'rpc' || spec.app === 'grpc' || spec.app === 'ws' || spec.app === 'sse') {
      const payload = await transportPayload(spec);
      // An id the client gave is shown as it is; a generated one as the README's placeholder.
      const given = spec.metadata?.['x-request-id'] ?? spec.headers?.['x-request-id'];
      const id =
        spec.app === 'grpc'
          ? (payload.metadata as Record<string, unknown>)['x-request-id']
          : payload.requestId;
      const generated = given === undefined ? String(id) : '\u0000';
      expect(normalize(payload, JSON.parse(shown), generated)).toBe(shown);
      return;
    }
    const http = request((await appFor(spec.app)).getHttpServer());
    if (spec.app === 'graphql') {
      const { query, variables, operationName } = spec;
      const response = await http.post('/graphql').send({ query, variables, operationName });
      if (spec.status !== undefined) {
        expect(response.status).toBe(spec.status);
      }
      const error = response.body.errors[0] as Record<string, unknown>;
      expect(normalize(error, JSON.parse(shown), response.headers['x-request-id'] as string)).toBe(
        shown,
      );
      return;
    }
    const send = () => {
      let call = spec.method === 'POST' ? http.post(spec.path!) : http.get(spec.path!);
      for (const [name, value] of Object.entries(spec.headers ?? {})) {
        call = call.set(name, value);
      }
      for (const { field, bytes } of spec.files ?? []) {
        call = call.attach(field, Buffer.alloc(bytes, 'a'), `${field}.bin`);
      }
      if (spec.bodyBytes !== undefined) {
        const text = JSON.stringify({ text: '' });
        return call
          .set('Content-Type', 'application/json')
          .send(JSON.stringify({ text: 'x'.repeat(spec.bodyBytes - text.length) }));
      }
      return spec.body === undefined ? call : call.send(spec.body as object);
    };
    // `repeat`: the README shows the last answer (the throttler's 429 after the allowed request).
    for (let sent = 1; sent < (spec.repeat ?? 1); sent++) {
      await send();
    }
    await meters?.errorCounts();
    const response = await send();
    if (spec.shows === 'metric') {
      // What this one request added to api.errors.
      const counts = await meters!.errorCounts();
      expect(counts.map((count) => count.value)).toEqual([1]);
      expect(counts[0]!.attributes).toEqual(JSON.parse(shown));
      return;
    }
    for (const [name, value] of Object.entries(spec.responseHeaders ?? {})) {
      expect(response.headers[name], name).toBe(value);
    }
    if (spec.status !== undefined) {
      expect(response.status).toBe(spec.status);
    }
    const body = JSON.parse(response.text) as Record<string, unknown>;
    if (body.timestamp !== undefined) {
      expect(body.timestamp).toMatch(ISO_TIMESTAMP);
    }
    expect(normalize(body, JSON.parse(shown), response.headers['x-request-id'] as string)).toBe(
      shown,
    );
  });
});
