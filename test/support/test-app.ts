import type { INestApplication, LoggerService, ModuleMetadata } from '@nestjs/common';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';

/** Both platforms every e2e runs on (`describe.each(ADAPTERS)`). */
export const ADAPTERS = ['express', 'fastify'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

/** One line a test logger received. */
export interface LogEntry {
  level: string;
  message: string;
  params: unknown[];
}

/** A logger that keeps every line, so tests can assert what was (and was not) logged. */
export class CapturingLogger implements LoggerService {
  readonly entries: LogEntry[] = [];
  private push(level: string, message: unknown, params: unknown[]) {
    this.entries.push({ level, message: String(message), params });
  }
  log(message: unknown, ...params: unknown[]) {
    this.push('log', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    this.push('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.push('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]) {
    this.push('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.push('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]) {
    this.push('fatal', message, params);
  }
  /** Everything logged, as one string: to check a secret reached the log (and only the log). */
  text(): string {
    return this.entries
      .map((entry) => [entry.message, ...entry.params.map(String)].join('\n'))
      .join('\n');
  }
  clear() {
    this.entries.length = 0;
  }
}

export interface TestAppOptions {
  /** Express `bodyParser` limit / Fastify `bodyLimit`, in bytes. */
  bodyLimit?: number;
  /** Options of the Fastify instance (Fastify only). */
  fastify?: Record<string, unknown>;
  /** Replace providers before compiling (`overrideProvider(...)`). */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Set up the created app before `init()`, as `main.ts` does before `listen()`. */
  configure?: (app: INestApplication) => void;
}

/**
 * Compiles a testing module and starts it on the named platform, listening on nothing (supertest
 * drives the server directly). The app logs into the returned `CapturingLogger`.
 */
export async function createTestApp(
  adapter: AdapterName,
  metadata: ModuleMetadata,
  options: TestAppOptions = {},
): Promise<{ app: INestApplication; logger: CapturingLogger }> {
  const builder = Test.createTestingModule(metadata);
  const moduleRef = await (options.override?.(builder) ?? builder).compile();
  const logger = new CapturingLogger();
  let app: INestApplication;
  if (adapter === 'express') {
    const expressApp = moduleRef.createNestApplication<NestExpressApplication>(
      new ExpressAdapter(),
      {
        logger,
        bodyParser: options.bodyLimit === undefined,
      },
    );
    if (options.bodyLimit !== undefined) {
      expressApp.useBodyParser('json', { limit: options.bodyLimit });
      expressApp.useBodyParser('urlencoded', { limit: options.bodyLimit, extended: true });
    }
    app = expressApp;
  } else {
    app = moduleRef.createNestApplication<NestFastifyApplication>(
      new FastifyAdapter({
        ...options.fastify,
        ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
      }),
      { logger },
    );
  }
  options.configure?.(app);
  await app.init();
  if (adapter === 'fastify') {
    await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  }
  return { app, logger };
}

/** ISO-8601 UTC with milliseconds, as every `timestamp` must be. */
export const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** What a generated request id looks like (crypto.randomUUID). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Starts the app on a free loopback port and returns its base URL. */
export async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return `http://127.0.0.1:${port}`;
}
