import { type INestApplication, type MiddlewareConsumer, Module } from '@nestjs/common';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ApiError, ErrorContext, ErrorsModuleOptions } from 'nest-api-errors';
import request, { type Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeaturesController, featuresFixtureModule } from './fixtures/features-fixture.js';
import {
  ADAPTERS,
  type AdapterName,
  type CapturingLogger,
  UUID,
  createTestApp,
} from './support/test-app.js';

// DESIGN § Public API, the optional features beyond every peer: content negotiation, translated
// messages, OpenTelemetry, reporters and WWW-Authenticate. Each is off (or inert) unless asked
// for; the bench shows what each costs.

async function start(adapter: AdapterName, options: ErrorsModuleOptions) {
  return createTestApp(adapter, { imports: [featuresFixtureModule(options)] });
}

const TRACED_404 =
  '{"error":{"code":"agent_not_found","message":"Agent not found","trace_id":"{{id}}"}}';

function withId(response: Response, text: string): string {
  return text.replaceAll('{{id}}', response.headers['x-request-id'] as string);
}

describe.each(ADAPTERS)('content negotiation on %s', (adapter) => {
  let negotiating: INestApplication;
  let plain: INestApplication;
  const routes = [{ path: '/v2', format: 'traced' as const }];

  beforeAll(async () => {
    ({ app: negotiating } = await start(adapter, { negotiate: true, routes }));
    ({ app: plain } = await start(adapter, { routes }));
  });
  afterAll(() => Promise.all([negotiating.close(), plain.close()]));

  it('Accept: application/problem+json selects problem details on any route, with Vary: Accept', async () => {
    const response = await request(negotiating.getHttpServer())
      .get('/v2/agents/agt_1')
      .set('Accept', 'application/problem+json');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.headers.vary).toBe('Accept');
    expect(response.text).toBe(
      withId(
        response,
        '{"type":"about:blank","title":"Not Found","status":404,"detail":"Agent not found","instance":"/v2/agents/agt_1","code":"AGENT_NOT_FOUND","requestId":"{{id}}"}',
      ),
    );
  });

  it.each([
    ['application/json'],
    ['*/*'],
    ['text/html'],
    ['application/problem+json;q=0.5, application/json'],
  ])('Accept %j keeps the route format (never a 406), still with Vary: Accept', async (accept) => {
    const response = await request(negotiating.getHttpServer())
      .get('/v2/agents/agt_1')
      .set('Accept', accept);
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers.vary).toBe('Accept');
    expect(response.text).toBe(withId(response, TRACED_404));
  });

  it.each([
    ['7,000 parameters', `application/problem+json${';a=1'.repeat(3_500)}`, 'problem'],
    [
      '1,400 entries before problem+json',
      `${'text/html,'.repeat(1_400)}application/problem+json`,
      'traced',
    ],
  ])(
    'a hostile 14 KB Accept (%s) gets the documented body (issue 27)',
    async (_, accept, format) => {
      const response = await request(negotiating.getHttpServer())
        .get('/v2/agents/agt_1')
        .set('Accept', accept);
      expect(response.status).toBe(404);
      expect(response.headers.vary).toBe('Accept');
      expect(response.text).toBe(
        withId(
          response,
          format === 'problem'
            ? '{"type":"about:blank","title":"Not Found","status":404,"detail":"Agent not found","instance":"/v2/agents/agt_1","code":"AGENT_NOT_FOUND","requestId":"{{id}}"}'
            : TRACED_404,
        ),
      );
    },
  );

  it('without negotiate, Accept changes nothing and no Vary is sent', async () => {
    const response = await request(plain.getHttpServer())
      .get('/v2/agents/agt_1')
      .set('Accept', 'application/problem+json');
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers.vary).toBeUndefined();
    expect(response.text).toBe(withId(response, TRACED_404));
  });
});

describe.each(ADAPTERS)('translated messages on %s', (adapter) => {
  let app: INestApplication;
  beforeAll(async () => {
    ({ app } = await start(adapter, {
      format: 'envelope',
      messages: {
        de: {
          AGENT_NOT_FOUND: 'Agent nicht gefunden',
          UNKNOWN_PROVIDER: 'Unbekannter Anbieter: {provider}',
          UPLOAD_FAILED: 'Hochladen in den Speicher fehlgeschlagen',
        },
        fr: { AGENT_NOT_FOUND: 'Agent introuvable' },
      },
    }));
  });
  afterAll(() => app.close());
  const get = (path: string, language?: string) => {
    const call = request(app.getHttpServer()).get(path);
    return language === undefined ? call : call.set('Accept-Language', language);
  };

  it('the best Accept-Language match (de-CH → de) says the message; the code stays', async () => {
    const response = await get('/v2/agents/agt_1', 'de-CH, en;q=0.8');
    expect(response.headers['content-language']).toBe('de');
    expect(response.headers.vary).toBe('Accept-Language');
    expect(response.text).toBe(
      '{"error":{"message":"Agent nicht gefunden","statusCode":404,"code":"AGENT_NOT_FOUND","category":"NOT_FOUND"}}',
    );
  });

  it('q-values order the languages; template fields are filled', async () => {
    expect((await get('/v2/agents/agt_1', 'de;q=0.4, fr;q=0.9')).body.error.message).toBe(
      'Agent introuvable',
    );
    const response = await get('/apps/notion', 'de');
    expect(response.body.error).toEqual({
      message: 'Unbekannter Anbieter: notion',
      statusCode: 404,
      code: 'UNKNOWN_PROVIDER',
      category: 'NOT_FOUND',
    });
  });

  it('without a match, or for a message given at the throw site, the documented one', async () => {
    const english = await get('/v2/agents/agt_1', 'es, it;q=0.5');
    expect(english.body.error.message).toBe('Agent not found');
    expect(english.headers['content-language']).toBeUndefined();
    expect(english.headers.vary).toBe('Accept-Language');
    expect((await get('/apps/slack', 'fr')).body.error.message).toBe('Unknown provider: slack');
    expect((await get('/agents/archived', 'de')).body.error.message).toBe(
      'Agent agt_9 is archived',
    );
  });

  it('a hostile 14 KB Accept-Language (de-a-a-a-…, 7,000 subtags) falls back to de, as a short one does', async () => {
    const hostile = `de${'-a'.repeat(7_000)}`;
    const response = await get('/v2/agents/agt_1', hostile);
    expect(response.status).toBe(404);
    expect(response.headers['content-language']).toBe('de');
    expect(response.headers.vary).toBe('Accept-Language');
    expect(response.text).toBe(
      '{"error":{"message":"Agent nicht gefunden","statusCode":404,"code":"AGENT_NOT_FOUND","category":"NOT_FOUND"}}',
    );
    // 32 hostile ranges before the one that matches: the ranges past the 32nd are never read.
    const crowded = `${Array.from({ length: 40 }, () => `en${'-ab'.repeat(100)}`).join(',')},de`;
    const english = await get('/v2/agents/agt_1', crowded);
    expect(english.headers['content-language']).toBeUndefined();
    expect(english.body.error.message).toBe('Agent not found');
  });

  it('a 5xx shows its translated documented message, never the cause', async () => {
    const response = await get('/upload', 'de');
    expect(response.status).toBe(503);
    expect(response.body.error.message).toBe('Hochladen in den Speicher fehlgeschlagen');
    expect(response.text).not.toContain('acme-prod');
  });
});

describe.each(ADAPTERS)('OpenTelemetry on %s', (adapter) => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const contextManager = new AsyncLocalStorageContextManager();
  let traced: INestApplication;
  let untraced: INestApplication;

  /** Every request runs in a server span, as an HTTP instrumentation would make it. */
  function spanPerRequest(options: ErrorsModuleOptions) {
    @Module({ imports: [featuresFixtureModule(options)] })
    class TracedModule {
      configure(consumer: MiddlewareConsumer): void {
        const tracer = trace.getTracer('test');
        consumer
          .apply(
            (
              req: { url: string },
              res: { on(event: string, f: () => void): void },
              next: () => void,
            ) =>
              tracer.startActiveSpan('server', (span) => {
                res.on('finish', () => span.end());
                next();
              }),
          )
          .forRoutes(FeaturesController);
      }
    }
    return TracedModule;
  }

  beforeAll(async () => {
    contextManager.enable();
    context.setGlobalContextManager(contextManager);
    trace.setGlobalTracerProvider(provider);
    ({ app: traced } = await createTestApp(adapter, { imports: [spanPerRequest({})] }));
    ({ app: untraced } = await createTestApp(adapter, {
      imports: [spanPerRequest({ telemetry: false })],
    }));
  });
  afterAll(async () => {
    await Promise.all([traced.close(), untraced.close()]);
    trace.disable();
    context.disable();
  });

  async function spanOf(app: INestApplication, path: string): Promise<ReadableSpan> {
    exporter.reset();
    await request(app.getHttpServer()).get(path);
    await provider.forceFlush();
    const spans = exporter.getFinishedSpans().filter((span) => span.name === 'server');
    expect(spans).toHaveLength(1);
    return spans[0]!;
  }

  it('a 5xx records the exception and sets ERROR with error.type', async () => {
    const span = await spanOf(traced, '/crash');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'INTERNAL_ERROR' });
    expect(span.attributes['error.type']).toBe('INTERNAL_ERROR');
    expect(span.events.map((event) => event.name)).toEqual(['exception']);
    expect(span.events[0]!.attributes?.['exception.message']).toBe('password=hunter2');
  });

  it('a 4xx sets error.type and leaves the status unset', async () => {
    const span = await spanOf(traced, '/v2/agents/agt_1');
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes['error.type']).toBe('AGENT_NOT_FOUND');
    expect(span.events).toEqual([]);
  });

  it('telemetry: false leaves the span alone', async () => {
    const span = await spanOf(untraced, '/crash');
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes['error.type']).toBeUndefined();
  });
});

describe.each(ADAPTERS)('reporters on %s', (adapter) => {
  let app: INestApplication;
  let logger: CapturingLogger;
  const reported: {
    reporter: string;
    status: number;
    code?: string;
    requestId: string;
    thrown: unknown;
  }[] = [];
  const record =
    (reporter: string) => (error: ApiError, context: ErrorContext, thrown: unknown) => {
      reported.push({
        reporter,
        status: error.status,
        code: error.code,
        requestId: context.requestId,
        thrown,
      });
    };

  beforeAll(async () => {
    ({ app, logger } = await start(adapter, {
      reporters: [
        record('server'),
        { report: record('all'), clientErrors: true },
        () => {
          throw new Error('reporter down');
        },
        () => Promise.reject(new Error('reporter rejected')),
      ],
    }));
  });
  afterAll(() => app.close());

  it('every 5xx is reported after its response, with the request id; a 4xx only where asked', async () => {
    reported.length = 0;
    const crash = await request(app.getHttpServer()).get('/crash');
    const missing = await request(app.getHttpServer()).get('/v2/agents/agt_1');
    expect(crash.status).toBe(500);
    expect(missing.status).toBe(404);
    expect(reported.map(({ thrown: _thrown, ...rest }) => rest)).toEqual([
      {
        reporter: 'server',
        status: 500,
        code: undefined,
        requestId: crash.headers['x-request-id'],
      },
      { reporter: 'all', status: 500, code: undefined, requestId: crash.headers['x-request-id'] },
      {
        reporter: 'all',
        status: 404,
        code: 'AGENT_NOT_FOUND',
        requestId: missing.headers['x-request-id'],
      },
    ]);
    expect((reported[0]!.thrown as Error).message).toBe('password=hunter2');
    expect(crash.headers['x-request-id']).toMatch(UUID);
  });

  it('a reporter that throws or rejects is logged once and never affects the response', async () => {
    for (let round = 0; round < 3; round++) {
      const response = await request(app.getHttpServer()).get('/crash');
      expect(response.status).toBe(500);
      expect(response.body.message).toBe('Internal server error');
    }
    await new Promise((resolve) => setImmediate(resolve));
    const failures = logger.entries.filter((entry) =>
      entry.message.startsWith('An error reporter failed'),
    );
    expect(failures).toHaveLength(2);
    expect(failures.map((entry) => entry.params.join('\n'))).toEqual([
      expect.stringContaining('reporter down'),
      expect.stringContaining('reporter rejected'),
    ]);
  });
});

describe.each(ADAPTERS)('WWW-Authenticate on %s', (adapter) => {
  it.each([
    [{}, 'Bearer'],
    [{ wwwAuthenticate: 'Bearer realm="files"' }, 'Bearer realm="files"'],
    [{ wwwAuthenticate: false as const }, undefined],
  ])('with %j every 401 carries %j', async (options, challenge) => {
    const { app } = await start(adapter, options);
    try {
      const response = await request(app.getHttpServer()).get('/private');
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(challenge);
      const other = await request(app.getHttpServer()).get('/v2/agents/agt_1');
      expect(other.headers['www-authenticate']).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it("keeps a guard's own challenge", async () => {
    const { app } = await start(adapter, {});
    try {
      const response = await request(app.getHttpServer()).get('/private/basic');
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Basic realm="files"');
    } finally {
      await app.close();
    }
  });
});
