import 'reflect-metadata';
import {
  Body,
  Controller,
  Get,
  type INestApplication,
  type MiddlewareConsumer,
  Module,
  NotFoundException,
  Post,
  ValidationPipe,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Type } from 'class-transformer';
import { IsEmail, IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import {
  AuthFailedException,
  EntryNotFoundException,
  ErrorsModule,
  type ErrorsModuleOptions,
} from 'nest-api-errors';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

// One app, several builds (variants). `builtin` is the app as Nest ships it (its own exception
// filter and ValidationPipe); `errors` is the same app with ErrorsModule.forRoot(). The runner
// starts one process per variant, pinned to one CPU, and reads each one's CPU time over IPC.
//
// To bench an optional feature, add one entry to VARIANTS (its ErrorsModule options and/or
// environment) and one row in rows.ts comparing it with the variant it extends: what the feature
// costs is then measured against the same app without it, not guessed.

const MESSAGE = 'Requested file entry does not exist';

class AddressDto {
  @IsString()
  city!: string;

  @IsString()
  zip!: string;
}

class ItemDto {
  @IsString()
  name!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

/** Five violations on a nested body: email, address.city, address.zip, items.0.name, items.0.quantity. */
class OrderDto {
  @IsEmail()
  email!: string;

  @ValidateNested()
  @Type(() => AddressDto)
  address!: AddressDto;

  @ValidateNested({ each: true })
  @Type(() => ItemDto)
  items!: ItemDto[];
}

export type BenchPlatform = 'express' | 'fastify';

/** The OpenTelemetry SDK is global: registered by the first `tracing` variant of this process. */
let tracingRegistered = false;
/** Likewise its MeterProvider, by the first `metering` variant. */
let meteringRegistered = false;

/** One build of the bench app. */
export interface BenchVariant {
  platform: BenchPlatform;
  /** ErrorsModule.forRoot() with these options; undefined for Nest's built-in filter and pipe. */
  errors: ErrorsModuleOptions | undefined;
  /** Extra environment for the app process (e.g. a switch an experiment reads). */
  env?: Readonly<Record<string, string>>;
  /**
   * An OpenTelemetry SDK registered and every request in a recording server span, as an HTTP
   * instrumentation would make it: what `telemetry` costs is measured with the SDK on both sides.
   */
  tracing?: boolean;
  /**
   * An OpenTelemetry MeterProvider registered before the app starts (the metrics SDK exporting to
   * memory once a minute): what the `api.errors` counter costs is measured with the SDK on both
   * sides.
   */
  metering?: boolean;
}

/** Error logging off for 4xx in every ErrorsModule variant: Nest's built-in filter logs none. */
const ERRORS: ErrorsModuleOptions = { logging: { clientErrors: false } };

/** The features that are on by default, off: what an app without them would cost. */
const BARE: ErrorsModuleOptions = { telemetry: false, metrics: false, wwwAuthenticate: false };

/** Reports 4xx too, so that `/typed` calls it: a reporter that does nothing costs only the call. */
const REPORTERS: ErrorsModuleOptions = { reporters: [{ report: () => {}, clientErrors: true }] };

/** A translation of the code `/typed` throws. */
const MESSAGES = { de: { ENTRY_NOT_FOUND: 'Der angeforderte Dateieintrag existiert nicht' } };

/** Every app the bench can start, by name. Add a variant here, then compare it in rows.ts. */
export const VARIANTS = {
  'fastify/builtin': { platform: 'fastify', errors: undefined },
  'fastify/errors': { platform: 'fastify', errors: ERRORS },
  'express/builtin': { platform: 'express', errors: undefined },
  'express/errors': { platform: 'express', errors: ERRORS },
  // Optional features, each measured against 'errors' (request ids are on by default, so the
  // variant without them is the one that differs).
  'fastify/errors-no-id': { platform: 'fastify', errors: { ...ERRORS, requestId: false } },
  'express/errors-no-id': { platform: 'express', errors: { ...ERRORS, requestId: false } },
  'fastify/errors-bare': { platform: 'fastify', errors: { ...ERRORS, ...BARE } },
  'express/errors-bare': { platform: 'express', errors: { ...ERRORS, ...BARE } },
  'fastify/errors-negotiate': { platform: 'fastify', errors: { ...ERRORS, negotiate: true } },
  'express/errors-negotiate': { platform: 'express', errors: { ...ERRORS, negotiate: true } },
  'fastify/errors-messages': { platform: 'fastify', errors: { ...ERRORS, messages: MESSAGES } },
  'express/errors-messages': { platform: 'express', errors: { ...ERRORS, messages: MESSAGES } },
  'fastify/errors-no-challenge': {
    platform: 'fastify',
    errors: { ...ERRORS, wwwAuthenticate: false },
  },
  'express/errors-no-challenge': {
    platform: 'express',
    errors: { ...ERRORS, wwwAuthenticate: false },
  },
  'fastify/errors-reporter': { platform: 'fastify', errors: { ...ERRORS, ...REPORTERS } },
  'express/errors-reporter': { platform: 'express', errors: { ...ERRORS, ...REPORTERS } },
  'fastify/errors-traced': { platform: 'fastify', errors: ERRORS, tracing: true },
  'express/errors-traced': { platform: 'express', errors: ERRORS, tracing: true },
  'fastify/errors-traced-off': {
    platform: 'fastify',
    errors: { ...ERRORS, telemetry: false },
    tracing: true,
  },
  'express/errors-traced-off': {
    platform: 'express',
    errors: { ...ERRORS, telemetry: false },
    tracing: true,
  },
  'fastify/errors-no-metrics': { platform: 'fastify', errors: { ...ERRORS, metrics: false } },
  'express/errors-no-metrics': { platform: 'express', errors: { ...ERRORS, metrics: false } },
  'fastify/errors-metered': { platform: 'fastify', errors: ERRORS, metering: true },
  'express/errors-metered': { platform: 'express', errors: ERRORS, metering: true },
  'fastify/errors-metered-off': {
    platform: 'fastify',
    errors: { ...ERRORS, metrics: false },
    metering: true,
  },
  'express/errors-metered-off': {
    platform: 'express',
    errors: { ...ERRORS, metrics: false },
    metering: true,
  },
} as const satisfies Record<string, BenchVariant>;

export type VariantName = keyof typeof VARIANTS;

/** The body that fails validation five times (see OrderDto). */
export const INVALID_ORDER = {
  email: 'nope',
  address: { city: 1, zip: 2 },
  items: [{ name: 3, quantity: 0 }],
};

/** An app of one variant, listening on a free loopback port. */
export interface BenchApp {
  app: INestApplication;
  port: number;
  /** Byte length of this app's `/typed` error body, which `/sized` matches with a success body. */
  sizedBytes: number;
}

/** The bench app as one variant, initialized and listening on a free loopback port. */
export async function createBenchApp(variant: BenchVariant): Promise<BenchApp> {
  const withErrors = variant.errors !== undefined;
  /** `/sized`: a success body as long as this app's `/typed` error body (filled in after listen). */
  let sized: Record<string, unknown> = { ok: true };

  @Controller()
  class BenchController {
    @Get('ok')
    ok() {
      return { ok: true };
    }

    @Get('sized')
    sized() {
      return sized;
    }

    /** The typed domain error: a catalog class under ErrorsModule, Nest's closest built-in without it. */
    @Get('typed')
    typed() {
      throw withErrors ? new EntryNotFoundException() : new NotFoundException(MESSAGE);
    }

    /** A 401: carries `WWW-Authenticate` unless `wwwAuthenticate: false`. */
    @Get('unauthorized')
    unauthorized() {
      throw new AuthFailedException();
    }

    /** Nest's own HttpException, the same in both modes. */
    @Get('http')
    http() {
      throw new NotFoundException(MESSAGE);
    }

    @Post('validate')
    validate(@Body() order: OrderDto) {
      return order;
    }
  }

  @Module({
    imports: withErrors ? [ErrorsModule.forRoot(variant.errors)] : [],
    controllers: [BenchController],
  })
  class BenchModule {
    configure(consumer: MiddlewareConsumer): void {
      if (variant.tracing === true) {
        const tracer = trace.getTracer('bench');
        consumer
          .apply(
            (_req: unknown, res: { on(event: 'finish', f: () => void): void }, next: () => void) =>
              tracer.startActiveSpan('server', (span) => {
                res.on('finish', () => span.end());
                next();
              }),
          )
          .forRoutes(BenchController);
      }
    }
  }

  if (variant.tracing === true && !tracingRegistered) {
    // Recording spans (the default sampler records all), no exporter: the SDK's own cost is the
    // same on both sides of the row; only the library's recording differs. Once per process
    // (the bench test starts every variant in one).
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(new BasicTracerProvider());
    tracingRegistered = true;
  }
  if (variant.metering === true && !meteringRegistered) {
    // As an app's telemetry setup does it: the SDK and a periodic reader, before the app starts.
    const exporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    meteringRegistered = true;
  }

  const adapter = variant.platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = await NestFactory.create(BenchModule, adapter, { logger: ['error', 'warn'] });
  if (!withErrors) {
    app.useGlobalPipes(new ValidationPipe());
  }
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const errorBody = await (await fetch(`http://127.0.0.1:${port}/typed`)).text();
  const padding = errorBody.length - JSON.stringify({ ok: true, pad: '' }).length;
  sized = { ok: true, pad: 'x'.repeat(Math.max(0, padding)) };
  return { app, port, sizedBytes: errorBody.length };
}

/** Messages from the runner to an app process (over the IPC channel, never over HTTP). */
export type AppCommand =
  { type: 'cpu' } | { type: 'profile-start' } | { type: 'profile-stop'; file: string };

/** Messages from an app process to the runner. */
export type AppReply =
  | { type: 'ready'; port: number; sizedBytes: number }
  | { type: 'cpu'; user: number; system: number }
  | { type: 'profile-started' }
  | { type: 'profile-stopped'; file: string };

/** As a child process of the runner: VARIANT from the environment, commands over IPC. */
async function main() {
  const name = process.env.VARIANT as VariantName;
  const variant: BenchVariant | undefined = VARIANTS[name];
  if (variant === undefined) {
    throw new Error(`unknown VARIANT ${name}`);
  }
  const { app, port, sizedBytes } = await createBenchApp(variant);
  const send = (reply: AppReply) => process.send?.(reply);
  let session: Session | undefined;
  process.on('message', (command: AppCommand) => {
    void (async () => {
      if (command.type === 'cpu') {
        // The whole process (main thread, GC and libuv threads), in microseconds.
        const { user, system } = process.cpuUsage();
        send({ type: 'cpu', user, system });
      } else if (command.type === 'profile-start') {
        session = new Session();
        session.connect();
        await session.post('Profiler.setSamplingInterval', { interval: 50 });
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
        send({ type: 'profile-started' });
      } else if (command.type === 'profile-stop' && session !== undefined) {
        const { profile } = await session.post('Profiler.stop');
        session.disconnect();
        writeFileSync(command.file, JSON.stringify(profile));
        send({ type: 'profile-stopped', file: command.file });
      }
    })();
  });
  // Without a runner (started by hand), print the port instead.
  if (process.send === undefined) {
    console.log(`READY ${port}`);
  }
  send({ type: 'ready', port, sizedBytes });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
