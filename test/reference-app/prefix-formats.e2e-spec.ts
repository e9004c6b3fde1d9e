import type { INestApplication } from '@nestjs/common';
import type { FormatName } from 'nest-api-errors';
import { expectApiError } from 'nest-api-errors/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ADAPTERS } from '../support/test-app.js';
import { createReferenceApp } from '../support/reference-app.js';

/**
 * Each documented API's prefix, its format, and a route of it that takes a JSON body. No route
 * needs credentials to get as far as reading the body: bodies are read first on both platforms
 * (`/graphql` checks its API key after the body on Fastify too, issue 27).
 */
const APIS: [prefix: string, format: FormatName, bodyRoute: string][] = [
  ['/api/v1', 'timestamped', '/api/v1/sessions'],
  ['/graphql', 'graphql', '/graphql'],
  ['/v2', 'traced', '/v2/service-accounts'],
  ['/api', 'simple', '/api/agents'],
  ['/api/sdk', 'envelope', '/api/sdk/events'],
  ['/api/dashboard', 'envelope', '/api/dashboard/auth/login'],
];

// A client of one documented API never receives another API's body, whatever fails before a
// controller is chosen (DESIGN § Formats by route).
describe.each(ADAPTERS)(
  'reference app: errors before routing in each prefix format, on %s',
  (adapter) => {
    let app: INestApplication;
    const http = () => request(app.getHttpServer());

    beforeAll(async () => {
      ({ app } = await createReferenceApp(adapter));
    });
    afterAll(() => app.close());

    describe.each(APIS)('%s (%s)', (prefix, format, bodyRoute) => {
      it('an unknown route', async () => {
        expectApiError(
          await http().get(`${prefix}/nope?token=hunter2`),
          { status: 404, message: `Cannot GET ${prefix}/nope` },
          { format, path: `${prefix}/nope` },
        );
      });

      it('malformed JSON', async () => {
        expectApiError(
          await http().post(bodyRoute).set('Content-Type', 'application/json').send('{"name":'),
          { status: 400, message: 'Malformed JSON in request body' },
          { format, path: bodyRoute },
        );
      });

      // Express's parsers skip a body of a type they do not read: the route then runs without
      // one and answers as that route does. Fastify refuses it before any route runs.
      it.runIf(adapter === 'fastify')('a body of a media type no parser reads (415)', async () => {
        expectApiError(
          await http().post(bodyRoute).set('Content-Type', 'text/xml').send('<name>x</name>'),
          { status: 415, message: 'Unsupported media type' },
          { format, path: bodyRoute },
        );
      });

      it('a body over the limit', async () => {
        expectApiError(
          await http()
            .post(bodyRoute)
            .set('Content-Type', 'application/json')
            .send(JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) })),
          { status: 413, message: 'Request body is too large' },
          { format, path: bodyRoute },
        );
      });
    });
  },
);
