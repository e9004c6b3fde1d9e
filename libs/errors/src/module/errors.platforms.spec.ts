import { type HttpServer, Logger, type MiddlewareConsumer } from '@nestjs/common';
import { HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorFormatResolver } from './error-format.resolver.js';
import { ErrorPipeline } from './error.pipeline.js';
import { createErrorWriters } from './error.writers.js';
import { ErrorsPlatforms } from './errors.platforms.js';
import { resolveErrorsSettings } from './errors.settings.js';

/** Whether the installed Node's parser internals are reported missing (one test pretends so). */
const nodeParser = vi.hoisted(() => ({ missing: false }));
vi.mock('../platforms/node-http.platform.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../platforms/node-http.platform.js')>();
  return {
    ...actual,
    detectNodeParserInternals: () => !nodeParser.missing && actual.detectNodeParserInternals(),
  };
});

// Where a platform offers only a private hook and this version does not have it, the module says
// so once at start-up, naming the errors then answered outside the contract: never a silent gap.

function platforms(): ErrorsPlatforms {
  const settings = resolveErrorsSettings();
  const modules = new ModulesContainer();
  const resolver = new ErrorFormatResolver(settings, modules);
  const pipeline = new ErrorPipeline(
    settings,
    resolver,
    createErrorWriters(settings, { httpAdapter: undefined } as unknown as HttpAdapterHost),
  );
  return new ErrorsPlatforms(settings, pipeline, resolver, modules, new HttpAdapterHost());
}

/** A Fastify-like adapter whose instance has none of Fastify's private symbols. */
function fastifyAdapter(server: EventEmitter): HttpServer {
  const instance = { setGenReqId: () => undefined, addHook: () => undefined, initialConfig: {} };
  return {
    getType: () => 'fastify',
    getInstance: () => instance,
    getHttpServer: () => server,
  } as unknown as HttpServer;
}

const consumer = {} as MiddlewareConsumer;

describe('ErrorsPlatforms: a private hook this platform version lacks', () => {
  afterEach(() => vi.restoreAllMocks());

  it("Fastify without its options or error handler symbols: one warning naming the router's errors", () => {
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    platforms().attachHttp(fastifyAdapter(new EventEmitter()), consumer);
    expect(warn.mock.calls.map(([message]) => message)).toEqual([
      "Outside the error contract: Fastify's options or error handler are not where nest-api-errors looks: a URL Fastify cannot decode and a route parameter over maxParamLength are answered by Fastify itself.",
    ]);
  });

  it("a clientError listener that is not Fastify's default: said once, and left to answer", () => {
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const server = new EventEmitter();
    const own = () => undefined;
    server.on('clientError', own);
    platforms().attachHttp(fastifyAdapter(server), consumer);
    expect(warn.mock.calls.map(([message]) => message)).toContain(
      "Outside the error contract: another clientError listener than Fastify's default is installed (your clientErrorHandler option?): requests the HTTP parser refuses are answered by it.",
    );
    expect(server.listeners('clientError')).toEqual([own]);
  });

  it("Node without a socket's parser where it is read: one warning naming the headers timeout", () => {
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const server = new EventEmitter();
    nodeParser.missing = true;
    try {
      platforms().attachHttp(fastifyAdapter(server), consumer);
    } finally {
      nodeParser.missing = false;
    }
    expect(warn.mock.calls.map(([message]) => message)).toContain(
      "Outside the error contract: Node does not keep a socket's parser where nest-api-errors looks: a request whose headers time out is answered with a 408 in the format of `/`, not of its path.",
    );
    expect(server.listenerCount('connection')).toBe(0);
  });

  it('a microservice server without the handler lookup: one warning naming unknown patterns', () => {
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const settings = resolveErrorsSettings();
    const modules = new ModulesContainer();
    const resolver = new ErrorFormatResolver(settings, modules);
    const pipeline = new ErrorPipeline(
      settings,
      resolver,
      createErrorWriters(settings, { httpAdapter: undefined } as unknown as HttpAdapterHost),
    );
    new ErrorsPlatforms(settings, pipeline, resolver, modules, new HttpAdapterHost());
    class ServerTCP {
      readonly transportId = 0;
    }
    modules.addRpcTarget(new ServerTCP());
    expect(warn.mock.calls.map(([message]) => message)).toEqual([
      "Outside the error contract: ServerTCP has no handler lookup to extend: a request for a pattern no handler takes is answered with Nest's bare message, not a 404 in the error format.",
    ]);
  });
});
