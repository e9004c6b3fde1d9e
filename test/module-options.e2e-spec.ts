import { Inject, Injectable, type INestApplication, Module } from '@nestjs/common';
import { ErrorsModule, type ErrorFormat, type ErrorsModuleOptions } from 'nest-api-errors';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { CoreFixtureController } from './fixtures/core-fixture.controller.js';
import { coreFixtureModule } from './fixtures/core-fixture.module.js';
import {
  ADAPTERS,
  type CapturingLogger,
  ISO_TIMESTAMP,
  UUID,
  createTestApp,
} from './support/test-app.js';

describe.each(ADAPTERS)('ErrorsModule options on %s', (adapter) => {
  let app: INestApplication | undefined;
  let logger: CapturingLogger;

  async function start(options: ErrorsModuleOptions) {
    ({ app, logger } = await createTestApp(adapter, { imports: [coreFixtureModule(options)] }));
    return request(app.getHttpServer());
  }

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('forRootAsync takes its options from an injected factory', async () => {
    @Injectable()
    class ErrorsConfig {
      readonly expose = true;
    }
    @Module({ providers: [ErrorsConfig], exports: [ErrorsConfig] })
    class ConfigModule {}
    @Module({
      imports: [
        ErrorsModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ErrorsConfig],
          useFactory: (config: ErrorsConfig) => ({
            exposeInternalErrors: config.expose,
            requestId: { header: 'x-correlation-id' },
          }),
        }),
      ],
      controllers: [CoreFixtureController],
    })
    class AsyncModule {}
    ({ app, logger } = await createTestApp(adapter, { imports: [AsyncModule] }));
    const response = await request(app.getHttpServer())
      .get('/crash/internal')
      .set('X-Correlation-Id', 'corr-1');
    expect(response.status).toBe(500);
    expect(response.body.message).toBe('db down');
    expect(response.headers['x-correlation-id']).toBe('corr-1');
    expect(response.headers['x-request-id']).toBeUndefined();
  });

  // README § Options: with useClass or useExisting, Nest calls the class's createErrorsOptions().
  it.each(['useClass', 'useExisting'] as const)(
    "forRootAsync({ %s }) takes its options from the class's createErrorsOptions()",
    async (kind) => {
      @Injectable()
      class Settings {
        readonly errorFormat = 'problem' as const;
        readonly docsUrl = 'https://docs.example.com/errors';
      }
      @Injectable()
      class ErrorsConfig {
        constructor(@Inject(Settings) private readonly settings: Settings) {}
        createErrorsOptions(): ErrorsModuleOptions {
          return { format: this.settings.errorFormat, docsBaseUrl: this.settings.docsUrl };
        }
      }
      // useClass instantiates ErrorsConfig inside ErrorsModule, from what `imports` export;
      // useExisting takes the instance an imported module exports.
      @Module(
        kind === 'useClass'
          ? { providers: [Settings], exports: [Settings] }
          : { providers: [Settings, ErrorsConfig], exports: [ErrorsConfig] },
      )
      class SettingsModule {}
      @Module({
        imports: [
          ErrorsModule.forRootAsync(
            kind === 'useClass'
              ? { imports: [SettingsModule], useClass: ErrorsConfig }
              : { imports: [SettingsModule], useExisting: ErrorsConfig },
          ),
        ],
        controllers: [CoreFixtureController],
      })
      class AsyncModule {}
      ({ app, logger } = await createTestApp(adapter, { imports: [AsyncModule] }));
      const response = await request(app.getHttpServer())
        .get('/catalog/ENTRY_NOT_FOUND')
        .set('X-Request-Id', 'req-1');
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(JSON.parse(response.text)).toEqual({
        type: 'https://docs.example.com/errors#ENTRY_NOT_FOUND',
        title: 'Not Found',
        status: 404,
        detail: 'Requested file entry does not exist',
        instance: '/catalog/ENTRY_NOT_FOUND',
        code: 'ENTRY_NOT_FOUND',
        requestId: 'req-1',
      });
    },
  );

  it('exposeInternalErrors shows the thrown message of a plain Error', async () => {
    const http = await start({ exposeInternalErrors: true });
    const response = await http.get('/crash/error');
    expect(response.body).toEqual({
      statusCode: 500,
      timestamp: expect.stringMatching(ISO_TIMESTAMP),
      path: '/crash/error',
      message: 'password=hunter2',
    });
  });

  it('requestId: false sends no id header and ignores the incoming one', async () => {
    const http = await start({ requestId: false });
    const response = await http.get('/builtin/not-found').set('X-Request-Id', 'abc');
    expect(response.status).toBe(404);
    expect(response.headers['x-request-id']).toBeUndefined();
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('requestId.generate and trustIncoming: false', async () => {
    let next = 0;
    const http = await start({
      requestId: { generate: () => `gen-${++next}`, trustIncoming: false },
    });
    const response = await http.get('/builtin/not-found').set('X-Request-Id', 'client-chosen');
    expect(response.headers['x-request-id']).toBe('gen-1');
  });

  it('trustIncoming: false holds even when Fastify reads the id header itself (its requestIdHeader)', async () => {
    ({ app, logger } = await createTestApp(
      adapter,
      { imports: [coreFixtureModule({ requestId: { trustIncoming: false } })] },
      { fastify: { requestIdHeader: 'x-request-id' } },
    ));
    const response = await request(app.getHttpServer())
      .get('/ok')
      .set('X-Request-Id', 'client-chosen');
    expect(response.headers['x-request-id']).toMatch(UUID);
  });

  it('logging: false for both levels logs no error at all', async () => {
    const http = await start({ logging: { serverErrors: false, clientErrors: false } });
    await http.get('/crash/error');
    await http.get('/builtin/not-found');
    expect(logger.entries.filter((entry) => entry.params.includes('ErrorsFilter'))).toEqual([]);
    expect(logger.text()).not.toContain('hunter2');
  });

  it('logging.clientErrors: warn raises 4xx lines', async () => {
    const http = await start({ logging: { clientErrors: 'warn' } });
    const response = await http.get('/builtin/not-found');
    expect(
      logger.entries.filter((entry) => entry.level === 'warn').map((entry) => entry.message),
    ).toEqual([
      `GET /builtin/not-found 404 requestId=${response.headers['x-request-id']}: Flow not found`,
    ]);
  });

  it('validation: false installs no validation pipe', async () => {
    const http = await start({ validation: false });
    const response = await http.post('/orders').send({ items: 'not an array' });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ items: 'not an array' });
  });

  it('validation options reach the pipe (whitelist + forbidNonWhitelisted)', async () => {
    const http = await start({ validation: { whitelist: true, forbidNonWhitelisted: true } });
    const response = await http.post('/orders').send({ items: [], age: 1, admin: true });
    expect(response.status).toBe(400);
    expect(response.body.message).toBe('Validation failed: admin: property admin should not exist');
  });

  it('a custom ErrorFormat object renders every error, with its content type', async () => {
    const legacy: ErrorFormat = {
      name: 'legacy',
      contentType: 'application/vnd.legacy+json',
      render: (error, context) => ({
        status: error.status,
        body: {
          ok: false,
          reason: error.code ?? 'ERROR',
          text: error.message,
          ref: context.requestId,
        },
        headers: { 'X-Error-Format': 'legacy' },
      }),
    };
    const http = await start({ format: legacy });
    const response = await http.get('/catalog/ENTRY_NOT_FOUND').set('X-Request-Id', 'r-1');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/vnd.legacy+json; charset=utf-8');
    expect(response.headers['x-error-format']).toBe('legacy');
    expect(JSON.parse(response.text)).toEqual({
      ok: false,
      reason: 'ENTRY_NOT_FOUND',
      text: 'Requested file entry does not exist',
      ref: 'r-1',
    });
  });

  it('a format that throws gives a minimal 500, a log line, and the next request is served', async () => {
    const broken: ErrorFormat = {
      name: 'broken',
      contentType: 'application/json',
      render: () => {
        throw new Error('format bug');
      },
    };
    const http = await start({ format: broken });
    const response = await http.get('/catalog/ENTRY_NOT_FOUND');
    expect(response.status).toBe(500);
    expect(response.headers['x-request-id']).toMatch(UUID);
    expect(response.body).toEqual({ statusCode: 500, message: 'Internal server error' });
    expect(logger.text()).toContain('The "broken" error format failed');
    expect(logger.text()).toContain('format bug');
    expect((await http.get('/ok')).status).toBe(200);
  });

  it('a logger that throws does not cost the client its response', async () => {
    const http = await start({});
    let attempts = 0;
    app!.useLogger({
      log() {},
      warn() {},
      debug() {},
      error() {
        attempts++;
        throw new Error('log sink is down');
      },
    });
    const response = await http.get('/crash/error');
    expect(response.status).toBe(500);
    expect(response.body.message).toBe('Internal server error');
    expect(attempts).toBeGreaterThan(0);
    expect((await http.get('/ok')).status).toBe(200);
  });

  it('an unknown format name fails at start-up, not per request', async () => {
    await expect(start({ format: 'nope' as never })).rejects.toThrow('Unknown error format "nope"');
  });
});
