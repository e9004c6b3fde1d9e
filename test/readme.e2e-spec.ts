import type { INestApplication } from '@nestjs/common';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceApp } from './support/reference-app.js';
import { coreFixtureModule } from './fixtures/core-fixture.module.js';
import {
  type ReadmeExample,
  jsonBlocksWithoutExample,
  readmeExamples,
} from './support/readme-examples.js';
import {
  ADAPTERS,
  type AdapterName,
  ISO_TIMESTAMP,
  UUID,
  createTestApp,
} from './support/test-app.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const EXAMPLES = readmeExamples(README);

/**
 * The README's ```json blocks that have no `<!-- example: … -->` comment, because another test
 * replays them: each with the comment before it and the reason it is not replayed here.
 */
const REPLAYED_ELSEWHERE = [
  {
    title: 'Several instances, one rate limit (Redis)',
    comment: 'two-instances',
    reason: 'needs two instances and a Redis server: sdk-rate-limit-redis.e2e-spec.ts replays it',
  },
  {
    title: 'OpenAPI',
    comment: 'openapi',
    reason: 'a part of the OpenAPI document: openapi-document.e2e-spec.ts compares it',
  },
];

/** Placeholders the README uses where a literal would not fit in a comment. */
function requestBody(example: ReadmeExample): unknown {
  return example.request.body === 'LARGE'
    ? JSON.stringify({ a: 'x'.repeat(2048) })
    : example.request.body;
}

function headers(example: ReadmeExample, adapter: AdapterName): Record<string, string> {
  const result = { ...example.request.headers };
  if (result['Content-Type'] === 'UNSUPPORTED') {
    // README § Express and unknown media types: each platform refuses a different request.
    result['Content-Type'] =
      adapter === 'fastify' ? 'application/xml' : 'application/json; charset=latin1';
  }
  return result;
}

describe.each(ADAPTERS)('README examples on %s', (adapter) => {
  const apps: Partial<Record<'reference' | 'fixture', INestApplication>> = {};

  beforeAll(async () => {
    apps.reference = (await createReferenceApp(adapter)).app;
    apps.fixture = (
      await createTestApp(adapter, { imports: [coreFixtureModule()] }, { bodyLimit: 1024 })
    ).app;
  });
  afterAll(async () => {
    await Promise.all(Object.values(apps).map((app) => app.close()));
  });

  it('has an example comment for every body it shows, but those another test replays', () => {
    expect(
      jsonBlocksWithoutExample(README).map(({ title, comment }) => ({ title, comment })),
    ).toEqual(REPLAYED_ELSEWHERE.map(({ title, comment }) => ({ title, comment })));
    expect(EXAMPLES).toHaveLength(24);
  });

  it.each(
    EXAMPLES.map((example) => [
      `${example.title}: ${example.request.method} ${example.request.path}`,
      example,
    ]),
  )('%s', async (_, example) => {
    const { app, method, path, status } = example.request;
    let call = request(apps[app as 'reference' | 'fixture']!.getHttpServer())[
      method!.toLowerCase() as 'get'
    ](path!);
    for (const [name, value] of Object.entries(headers(example, adapter))) {
      call = call.set(name, value);
    }
    const body = requestBody(example);
    const response = await (body === undefined ? call : call.send(body as object));
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    // An example that sends its own X-Request-Id shows it echoed (traced's trace_id).
    const sentId = example.request.headers?.['X-Request-Id'];
    expect(response.headers['x-request-id']).toMatch(
      sentId === undefined ? UUID : new RegExp(`^${sentId}$`),
    );
    const timestamped = 'timestamp' in example.body;
    if (timestamped) {
      expect(response.body.timestamp).toMatch(ISO_TIMESTAMP);
    }
    // Exact text, key order included, once the per-request timestamp is the README's.
    const { shown } = example;
    expect(
      JSON.stringify(
        timestamped ? { ...response.body, timestamp: example.body.timestamp } : response.body,
      ),
    ).toBe(shown);
  });
});
