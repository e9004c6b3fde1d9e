import { type INestApplication, Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { SchedulerRegistry } from '@nestjs/schedule';
import request from 'supertest';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ApiError, type ErrorContext, ErrorsModule } from 'nest-api-errors';
import { OrderListeners, ReportJobs, backgroundModule } from './fixtures/background-fixture.js';
import { readmeLogLines, withoutRequestId } from './support/readme-log-lines.js';
import {
  ADAPTERS,
  type CapturingLogger,
  ISO_TIMESTAMP,
  UUID,
  createTestApp,
} from './support/test-app.js';

// Errors outside a request: @OnEvent listeners (@nestjs/event-emitter) and @Cron/@Interval/
// @Timeout jobs (@nestjs/schedule) reach ErrorsFilter's log line and the reporters once each, in
// place of the package's own log line, and the app's semantics stay the package's.

interface Report {
  error: ApiError;
  context: ErrorContext;
  thrown: unknown;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What a background error's reporter call and log line look like. */
function expectReportedOnce(
  reports: Report[],
  logger: CapturingLogger,
  line: {
    method: string;
    path: string;
    status: number;
    message: string;
    /** The thrown error as its stack's first line shows it. */
    thrown: string;
  },
) {
  const mine = reports.filter(
    (report) => report.context.method === line.method && report.context.path === line.path,
  );
  expect(mine).toHaveLength(1);
  const [{ error, context, thrown }] = mine as [Report];
  expect(context).toEqual({
    requestId: expect.stringMatching(UUID),
    method: line.method,
    path: line.path,
    timestamp: expect.stringMatching(ISO_TIMESTAMP),
    protocol: 'background',
    docsBaseUrl: undefined,
  });
  expect(error.status).toBe(line.status);
  expect(error.message).toBe(line.message);
  expect(String(thrown)).toBe(line.thrown);
  const prefix = `${line.method} ${line.path} `;
  const logged = logger.entries.filter((entry) => entry.message.startsWith(prefix));
  expect(logged).toEqual([
    {
      level: 'error',
      message: `${line.method} ${line.path} ${line.status} requestId=${context.requestId}: ${line.message}`,
      params: [
        expect.stringMatching(new RegExp(`^${escapeRegExp(line.thrown)}\n {4}at `)),
        'ErrorsFilter',
      ],
    },
  ]);
}

/** Lines the packages log themselves (contexts `Event` and `Scheduler`). */
function packageLines(logger: CapturingLogger) {
  return logger.entries.filter((entry) =>
    ['Event', 'Scheduler'].includes(String(entry.params.at(-1))),
  );
}

/** A log entry as Nest's console logger prints it, request id left out as the README does. */
function asReadmeLine(logger: CapturingLogger, prefix: string): string {
  const entry = logger.entries.find((candidate) => candidate.message.startsWith(prefix))!;
  return withoutRequestId(`${entry.level.toUpperCase()} [ErrorsFilter] ${entry.message}`);
}

const README_SECTION = 'Errors outside a request';

describe.each(ADAPTERS)('@OnEvent listeners on %s', (adapter) => {
  let app: INestApplication;
  let logger: CapturingLogger;
  let reports: Report[];

  async function start(withErrorsModule = true) {
    reports = [];
    ({ app, logger } = await createTestApp(adapter, {
      imports: [
        backgroundModule(
          'events',
          withErrorsModule
            ? [(error, context, thrown) => void reports.push({ error, context, thrown })]
            : undefined,
        ),
      ],
    }));
    return app.get(EventEmitter2);
  }

  afterEach(async () => {
    await app?.close();
  });

  it('reports a sync listener error once, in place of the package line, and swallows it as the package does', async () => {
    const events = await start();
    await expect(events.emitAsync('order.created', { id: 1 })).resolves.toEqual([undefined]);
    expectReportedOnce(reports, logger, {
      method: 'EVENT',
      path: 'order.created',
      status: 500,
      message: 'Internal server error',
      thrown: 'Error: listener failed: postgres://app:hunter2@db/orders',
    });
    expect(packageLines(logger)).toEqual([]);
  });

  it('reports an async listener error once, also for an event emitted without waiting', async () => {
    const events = await start();
    expect(events.emit('order.paid', { id: 2 })).toBe(true);
    await vi.waitFor(() => expect(reports).toHaveLength(1));
    expectReportedOnce(reports, logger, {
      method: 'EVENT',
      path: 'order.paid',
      status: 500,
      message: 'Internal server error',
      thrown: 'Error: async listener failed',
    });
    expect(packageLines(logger)).toEqual([]);
  });

  it('names the event a listener of several events failed for; a 4xx is logged as a server error (no client made it)', async () => {
    const events = await start();
    await events.emitAsync('order.delivered');
    expectReportedOnce(reports, logger, {
      method: 'EVENT',
      path: 'order.delivered',
      status: 404,
      message: 'Parcel not found',
      thrown: 'NotFoundException: Parcel not found',
    });
    expect(packageLines(logger)).toEqual([]);
  });

  it('leaves a listener with suppressErrors: false to whoever emitted: the request fails and is reported once, as HTTP', async () => {
    await start();
    const response = await request(app.getHttpServer()).post('/orders/7/refund').expect(500);
    expect(response.body).toEqual({
      statusCode: 500,
      timestamp: expect.stringMatching(ISO_TIMESTAMP),
      path: '/orders/7/refund',
      message: 'Internal server error',
    });
    expect(reports.map(({ context }) => `${context.method} ${context.path}`)).toEqual([
      'POST /orders/7/refund',
    ]);
    expect((reports[0]!.thrown as Error).message).toBe('refund listener failed');
    expect(packageLines(logger)).toEqual([]);
  });

  it('changes nothing else: a listener that succeeds returns its value, and a direct call still throws to its caller', async () => {
    const events = await start();
    await expect(events.emitAsync('order.archived')).resolves.toEqual(['archived']);
    expect(() => app.get(OrderListeners).created()).toThrow('listener failed');
    await expect(app.get(OrderListeners).paid()).rejects.toThrow('async listener failed');
    expect(reports).toEqual([]);
    expect(logger.entries.filter((entry) => entry.level === 'error')).toEqual([]);
  });

  it('without ErrorsModule, the package logs and swallows as it always did', async () => {
    const events = await start(false);
    await expect(events.emitAsync('order.created')).resolves.toEqual([undefined]);
    expect(packageLines(logger)).toEqual([
      {
        level: 'error',
        message: 'listener failed: postgres://app:hunter2@db/orders',
        params: [expect.stringContaining('Error: listener failed'), 'Event'],
      },
    ]);
  });

  it('logs the lines README § Errors outside a request shows', async () => {
    const events = await start();
    await events.emitAsync('order.created');
    expect(readmeLogLines(README_SECTION)).toContain(asReadmeLine(logger, 'EVENT order.created '));
  });
});

describe.each(ADAPTERS)('@Cron, @Interval and @Timeout jobs on %s', (adapter) => {
  let app: INestApplication;
  let logger: CapturingLogger;
  let reports: Report[];

  async function start(errorsModuleFirst: boolean, withErrorsModule = true) {
    reports = [];
    ({ app, logger } = await createTestApp(adapter, {
      imports: [
        backgroundModule(
          'jobs',
          withErrorsModule
            ? [(error, context, thrown) => void reports.push({ error, context, thrown })]
            : undefined,
          errorsModuleFirst,
        ),
      ],
    }));
  }

  afterEach(async () => {
    await app?.close();
  });

  describe.each([
    ['imported after ScheduleModule', false],
    ['imported before ScheduleModule', true],
  ])('ErrorsModule %s', (_order, errorsModuleFirst) => {
    it('reports an @Interval and a @Timeout error once each, in place of the package line', async () => {
      await start(errorsModuleFirst);
      await vi.waitFor(() => expect(reports).toHaveLength(2));
      expectReportedOnce(reports, logger, {
        method: 'INTERVAL',
        path: 'stock-sync',
        status: 500,
        message: 'Internal server error',
        thrown: 'Error: interval job failed',
      });
      expectReportedOnce(reports, logger, {
        method: 'TIMEOUT',
        path: 'ReportJobs.cleanup',
        status: 404,
        message: 'Nothing to clean up',
        thrown: 'NotFoundException: Nothing to clean up',
      });
      expect(packageLines(logger)).toEqual([]);
    });

    it('reports a @Cron error once, fired through the SchedulerRegistry', async () => {
      await start(errorsModuleFirst);
      await vi.waitFor(() => expect(reports).toHaveLength(2));
      await app.get(SchedulerRegistry).getCronJob('yearly-report').fireOnTick();
      await vi.waitFor(() => expect(reports).toHaveLength(3));
      expectReportedOnce(reports, logger, {
        method: 'CRON',
        path: 'yearly-report',
        status: 500,
        message: 'Internal server error',
        thrown: 'Error: cron job failed',
      });
      expect(packageLines(logger)).toEqual([]);
      expect(readmeLogLines(README_SECTION)).toContain(asReadmeLine(logger, 'CRON yearly-report '));
    });
  });

  it('a direct call of a job still throws to its caller', async () => {
    await start(false);
    await vi.waitFor(() => expect(reports).toHaveLength(2));
    expect(() => app.get(ReportJobs).yearly()).toThrow('cron job failed');
    expect(reports).toHaveLength(2);
  });

  it('without ErrorsModule, the package logs and swallows as it always did', async () => {
    await start(false, false);
    await vi.waitFor(() => expect(packageLines(logger)).toHaveLength(2));
    expect(packageLines(logger).map((entry) => entry.level)).toEqual(['error', 'error']);
  });
});

describe.each(ADAPTERS)('a version of the packages whose seam is not there, on %s', (adapter) => {
  it('is named in one warning at start-up, with what it leaves out', async () => {
    // Stands in for an @nestjs/event-emitter whose loader no longer has the method this library routes.
    @Injectable()
    class EventSubscribersLoader {}
    const { app, logger } = await createTestApp(adapter, {
      imports: [ErrorsModule.forRoot()],
      providers: [EventSubscribersLoader],
    });
    await app.close();
    expect(logger.entries.filter((entry) => entry.level === 'warn')).toEqual([
      {
        level: 'warn',
        message:
          "Outside the error contract: @nestjs/event-emitter's EventSubscribersLoader has no wrapFunctionInTryCatchBlocks where nest-api-errors looks: errors of @OnEvent listeners are logged by the package (context Event), not by ErrorsFilter, and no reporter is told.",
        params: ['ErrorsModule'],
      },
    ]);
  });
});

describe.each(ADAPTERS)('telemetry of errors outside a request on %s', (adapter) => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const contextManager = new AsyncLocalStorageContextManager();

  beforeAll(() => {
    contextManager.enable();
    context.setGlobalContextManager(contextManager);
    trace.setGlobalTracerProvider(provider);
  });
  afterAll(() => {
    trace.disable();
    context.disable();
  });

  it("records a listener's error on the span active where the event was emitted", async () => {
    const { app } = await createTestApp(adapter, {
      imports: [backgroundModule('events', [() => undefined])],
    });
    const events = app.get(EventEmitter2);
    // A span of the app's own, as an instrumented job or consumer would open it.
    await trace.getTracer('test').startActiveSpan('order-import', async (span) => {
      await events.emitAsync('order.created');
      span.end();
    });
    await app.close();
    await provider.forceFlush();
    const [span] = exporter.getFinishedSpans();
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'INTERNAL_ERROR' });
    expect(span!.attributes['error.type']).toBe('INTERNAL_ERROR');
    expect(
      span!.events.map((event) => [event.name, event.attributes?.['exception.message']]),
    ).toEqual([['exception', 'listener failed: postgres://app:hunter2@db/orders']]);
  });
});
