import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  detectExpressInternals,
  expressApplicationOf,
  expressRouteHandler,
  expressRoutePattern,
  notFoundOutsidePrefix,
} from './express.platform.js';

// Against the Express this repository installs: a matched route still keeps what was registered
// for it where the platform file reads it, so an upgrade that moves it fails here.

describe('express.platform on the installed Express', () => {
  it("finds the handler registered for the route a request reached, and the request's app", async () => {
    const app = express();
    expect(detectExpressInternals(app)).toBe(true);
    const seen: unknown[] = [];
    const handler = (req: express.Request, res: express.Response) => {
      seen.push(expressRouteHandler(req), expressApplicationOf(req));
      res.end();
    };
    app.use((req, _res, next) => {
      // Middleware runs before routing: no route yet.
      seen.push(expressRouteHandler(req));
      next();
    });
    app.get('/items/:id', handler);
    expect(detectExpressInternals(app)).toBe(true);
    await request(app).get('/items/1').expect(200);
    expect(seen).toEqual([undefined, handler, app]);
    expect(detectExpressInternals({})).toBe(false);
  });

  it('reads the pattern of the route a request reached, behind its mount path; none before routing', async () => {
    const app = express();
    const router = express.Router();
    const seen: unknown[] = [];
    app.use((req, _res, next) => {
      seen.push(expressRoutePattern(req));
      next();
    });
    router.get('/files/:id', (req, res) => {
      seen.push(expressRoutePattern(req));
      res.end();
    });
    app.use('/api/v1', router);
    app.get('/health/:probe', (req, res) => {
      seen.push(expressRoutePattern(req));
      res.end();
    });
    app.use((req, res) => {
      seen.push(expressRoutePattern(req));
      res.status(404).end();
    });
    await request(app).get('/api/v1/files/42?x=1').expect(200);
    await request(app).get('/health/live').expect(200);
    await request(app).get('/nope').expect(404);
    expect(seen).toEqual([
      undefined,
      '/api/v1/files/:id',
      undefined,
      '/health/:probe',
      undefined,
      undefined,
    ]);
    expect(expressRoutePattern(undefined)).toBeUndefined();
  });

  it('answers unknown paths outside the global prefix with the handler Nest registers under it', () => {
    const used: Array<(req: { url: string }, res: unknown, next: () => void) => void> = [];
    const registered: unknown[] = [];
    const adapter = {
      use: (handler: (typeof used)[number]) => used.push(handler),
      setNotFoundHandler(handler: unknown, prefix?: string) {
        registered.push([handler, prefix]);
      },
    };
    notFoundOutsidePrefix(adapter);
    const answered: string[] = [];
    const notFound = (req: { url: string }) => answered.push(req.url);
    adapter.setNotFoundHandler(notFound, 'api');
    expect(registered).toEqual([[notFound, 'api']]);
    const passed: string[] = [];
    for (const url of ['/nope?x=1', '/API/x', '/api', '/apix']) {
      used[0]!({ url }, {}, () => passed.push(url));
    }
    expect(answered).toEqual(['/nope?x=1', '/apix']);
    expect(passed).toEqual(['/API/x', '/api']);
  });
});
