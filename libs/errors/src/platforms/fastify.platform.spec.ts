import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  declareFastifyRouteBinding,
  detectFastifyInternals,
  fastifyApplicationOf,
  fastifyRouteBinding,
  fastifyRoutePattern,
  removeFastifyClientErrorHandler,
  routeFastifyFrameworkErrors,
} from './fastify.platform.js';

// Against the Fastify this repository installs: each private member the platform file relies on
// is still where it looks, so an upgrade that moves one fails here, not silently in an app.

describe('fastify.platform on the installed Fastify', () => {
  it("finds the instance's options and error handler (frameworkErrors)", () => {
    expect(detectFastifyInternals(Fastify())).toBe(true);
    expect(detectFastifyInternals({})).toBe(false);
  });

  it("routes a router error to the instance's current error handler, through the route context", async () => {
    const fastify = Fastify({
      // Nest's own frameworkErrors sends the error as it is.
      frameworkErrors: (error, _request, reply) => reply.send(error as never),
    });
    expect(routeFastifyFrameworkErrors(fastify)).toBe(true);
    // Set after construction, as Nest sets its own: without the seam Fastify's default answers.
    fastify.setErrorHandler((error: { code?: string }, _request, reply) => {
      void reply.code(400).send({ handledBy: 'current', code: error.code });
    });
    fastify.get('/a/:id', async () => 'ok');
    const response = await fastify.inject({ method: 'GET', url: '/a/%zz' });
    expect(response.json()).toEqual({ handledBy: 'current', code: 'FST_ERR_BAD_URL' });
    await fastify.close();
  });

  it("recognizes Fastify's own clientError listener by its name, and removes only that one", () => {
    const fastify = Fastify();
    expect(fastify.server.listenerCount('clientError')).toBe(1);
    expect(removeFastifyClientErrorHandler(fastify.server)).toBe(true);
    expect(fastify.server.listenerCount('clientError')).toBe(0);
    const custom = Fastify({ clientErrorHandler: (_error, socket) => socket.destroy() });
    expect(removeFastifyClientErrorHandler(custom.server)).toBe(false);
    expect(custom.server.listenerCount('clientError')).toBe(1);
  });

  it('reads what is bound to a route back from the route config, beside the config of @RouteConfig', async () => {
    const handler = () => undefined;
    const binding = { format: 'timestamped' };
    Reflect.defineMetadata('__fastify_route_config__', { rateLimit: 5 }, handler);
    declareFastifyRouteBinding(handler, binding);
    const config = Reflect.getMetadata('__fastify_route_config__', handler) as object;
    expect(config).toEqual({ rateLimit: 5, nestApiErrors: binding });

    const fastify = Fastify();
    const seen: unknown[] = [];
    fastify.route({
      method: 'GET',
      url: '/declared',
      config,
      handler: async (request) => {
        seen.push(fastifyRouteBinding(request), fastifyApplicationOf(request));
        return 'ok';
      },
    });
    fastify.get('/plain', async (request) => {
      seen.push(fastifyRouteBinding(request));
      return 'ok';
    });
    await fastify.inject({ method: 'GET', url: '/declared' });
    await fastify.inject({ method: 'GET', url: '/plain' });
    expect(seen[0]).toBe(binding);
    // The request's server is the instance (or an encapsulated child inheriting from it).
    expect(
      Object.prototype.isPrototypeOf.call(fastify, seen[1] as object) || seen[1] === fastify,
    ).toBe(true);
    expect(seen[2]).toBeUndefined();
    expect(fastifyRouteBinding({})).toBeUndefined();
    await fastify.close();
  });

  it('reads the pattern of the route a request reached, prefix included; none for unknown routes', async () => {
    const fastify = Fastify();
    const seen: unknown[] = [];
    await fastify.register(
      async (child) => {
        child.get('/files/:id', async (request) => {
          seen.push(fastifyRoutePattern(request), fastifyRoutePattern(request.raw));
          return 'ok';
        });
      },
      { prefix: '/api/v1' },
    );
    fastify.setNotFoundHandler(async (request, reply) => {
      seen.push(fastifyRoutePattern(request));
      return reply.code(404).send('');
    });
    await fastify.inject({ method: 'GET', url: '/api/v1/files/42?x=1' });
    await fastify.inject({ method: 'GET', url: '/nope' });
    expect(seen).toEqual(['/api/v1/files/:id', undefined, undefined]);
    expect(fastifyRoutePattern(undefined)).toBeUndefined();
    await fastify.close();
  });
});
