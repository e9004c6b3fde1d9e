import type { INestApplication } from '@nestjs/common';
import { parse } from 'graphql';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  BYTES_PER_TOKEN,
  BoundedDocumentStore,
  DOCUMENT_STORE_MAX_BYTES,
  documentBytes,
} from '../../src/flows-graphql/document-store.js';
import { GRAPHQL_DEMO } from '../../src/flows-graphql/graphql-access.middleware.js';
import { createReferenceApp } from '../support/reference-app.js';
import { ADAPTERS } from '../support/test-app.js';

// Apollo's default document store counted a document by its JSON, so valid
// documents padded with comments kept their whole source text while counting a few hundred bytes,
// and distinct ones grew the heap without bound. /graphql's store counts what a document keeps.
// (The heap itself is checked by `npm run load -- --graphql-heap --padded`, not here.)

const padded = (index: number, padding: number) =>
  `{ flows { id } } # ${index} ${'x'.repeat(padding)}`;

describe('BoundedDocumentStore', () => {
  it('counts a document by its source text and tokens, comments included', () => {
    const document = parse(padded(1, 50_000));
    // What Apollo's default counted: a few hundred bytes.
    expect(JSON.stringify(document).length).toBeLessThan(1_000);
    // The start of the document, `{ flows { id } }` (6), the comment, and the end.
    const tokens = 9;
    expect(documentBytes(document)).toBe(2 * padded(1, 50_000).length + tokens * BYTES_PER_TOKEN);
  });

  it('keeps at most maxBytes, dropping the least recently used first', async () => {
    const documents = [0, 1, 2, 3].map((index) => parse(padded(index, 10_000)));
    const each = documentBytes(documents[0]!);
    const store = new BoundedDocumentStore(3 * each);
    await store.set('a', documents[0]!);
    await store.set('b', documents[1]!);
    await store.set('c', documents[2]!);
    expect(store.size).toBe(3);
    // `a` is used again, so `b` is the one to go.
    expect(await store.get('a')).toBe(documents[0]);
    await store.set('d', documents[3]!);
    expect(store.size).toBe(3);
    expect(store.bytes).toBe(3 * each);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBe(documents[0]);
    expect(await store.get('d')).toBe(documents[3]);
    // Setting a key again replaces it without counting it twice.
    await store.set('d', documents[3]!);
    expect(store.bytes).toBe(3 * each);
    expect(await store.delete('d')).toBe(true);
    expect(await store.delete('d')).toBe(false);
    expect(store.bytes).toBe(2 * each);
  });

  it('does not keep a document larger than the whole store', async () => {
    const store = new BoundedDocumentStore(1_000);
    await store.set('big', parse(padded(0, 10_000)));
    expect(store.size).toBe(0);
    expect(store.bytes).toBe(0);
  });
});

describe.each(ADAPTERS)('reference app /graphql document store on %s', (adapter) => {
  let app: INestApplication;
  const set = vi.spyOn(BoundedDocumentStore.prototype, 'set');

  beforeAll(async () => {
    ({ app } = await createReferenceApp(adapter));
  });
  afterAll(async () => {
    await app.close();
    set.mockClear();
  });

  it('caches each valid document by the heap it keeps, within DOCUMENT_STORE_MAX_BYTES', async () => {
    set.mockClear();
    // Under Express's 100 kB JSON body limit, so that both platforms parse it.
    const queries = [padded(1, 90_000), padded(2, 90_000)];
    for (const query of queries) {
      const response = await request(app.getHttpServer())
        .post('/graphql')
        .set({
          Authorization: `Bearer ${GRAPHQL_DEMO.apiKey}`,
          'x-project-id': GRAPHQL_DEMO.projectId,
        })
        .send({ query });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ data: { flows: [{ id: 'flw_onboarding' }] } });
    }
    expect(set).toHaveBeenCalledTimes(2);
    const store = set.mock.contexts[0] as BoundedDocumentStore;
    expect(set.mock.contexts[1]).toBe(store);
    expect(store.maxBytes).toBe(DOCUMENT_STORE_MAX_BYTES);
    expect(store.size).toBe(2);
    expect(store.bytes).toBeGreaterThan(2 * 2 * 90_000);
  });
});
