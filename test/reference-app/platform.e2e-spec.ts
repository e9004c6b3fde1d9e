import type { INestApplication } from '@nestjs/common';
import { expectApiError } from 'nest-api-errors/testing';
import request, { type Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/platform/data/platform.store.js';
import { FILE_STORAGE, type FileStorage } from '../../src/platform/files/file-storage.js';
import { ADAPTERS, type CapturingLogger, UUID } from '../support/test-app.js';
import { createReferenceApp } from '../support/reference-app.js';

const ACME = `Bearer ${DEMO.tokens.acmeProduction}`;
const ACME_SANDBOX = `Bearer ${DEMO.tokens.acmeSandbox}`;
const GLOBEX = `Bearer ${DEMO.tokens.globexProduction}`;
const UNKNOWN_UUID = '11111111-2222-4333-8444-555555555555';

/** The whole reference-docs/000 body, key order included, with its headers. */
function expect000(
  response: Response,
  statusCode: number,
  path: string,
  message: string,
  code?: string,
) {
  expectApiError(response, { status: statusCode, code, message }, { path, format: 'timestamped' });
  expect(response.headers['x-request-id']).toMatch(UUID);
}

/** Storage that is down: the rows of reference-docs/000 no request alone can cause. */
const failingStorage: FileStorage = {
  put: () =>
    Promise.reject(new Error('connect ECONNREFUSED 10.1.2.3:9000 (bucket acme-prod-vault)')),
  presign: () => Promise.reject(new Error('SignatureDoesNotMatch: key AKIAXXXXXXXX')),
};

describe.each(ADAPTERS)('reference app /api/v1 (reference-docs/000) on %s', (adapter) => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    ({ app } = await createReferenceApp(adapter));
  });
  afterAll(() => app.close());

  describe('sessions', () => {
    const create = (authorization: string, body: object) =>
      http().post('/api/v1/sessions').set('Authorization', authorization).send(body);

    it('creates a session (201) for an allowed redirect', async () => {
      const response = await create(ACME, {
        client_id: DEMO.clients.acmeWeb,
        redirect_url: DEMO.redirectUrl,
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        client_id: DEMO.clients.acmeWeb,
        environment: 'production',
      });
      expect(response.body.id).toMatch(UUID);
    });

    it('401 without a token: generic, no code', async () => {
      const response = await http().get(`/api/v1/sessions/${DEMO.sessions.acmeProduction}`);
      expect000(
        response,
        401,
        `/api/v1/sessions/${DEMO.sessions.acmeProduction}`,
        'Missing or invalid OAuth token',
      );
    });

    it.each([
      ['an unknown client', 'cli_nope'],
      ['a client with no redirect URLs configured', DEMO.clients.acmeUnconfigured],
    ])('INVALID_CLIENT for %s', async (_, clientId) => {
      const response = await create(ACME, { client_id: clientId, redirect_url: DEMO.redirectUrl });
      expect000(
        response,
        400,
        '/api/v1/sessions',
        'client_id is missing, not found, or has no allowed redirect URLs configured',
        'INVALID_CLIENT',
      );
    });

    it("INVALID_CLIENT for another organization's client", async () => {
      const response = await create(GLOBEX, {
        client_id: DEMO.clients.acmeWeb,
        redirect_url: DEMO.redirectUrl,
      });
      expect(response.body.code).toBe('INVALID_CLIENT');
    });

    it('REDIRECT_NOT_ALLOWED for a redirect outside the allowlist', async () => {
      const response = await create(ACME, {
        client_id: DEMO.clients.acmeWeb,
        redirect_url: 'https://evil.test/cb',
      });
      expect000(
        response,
        400,
        '/api/v1/sessions',
        "The provided redirect_url is not in the client's allowlist",
        'REDIRECT_NOT_ALLOWED',
      );
      expect(response.text).not.toContain('evil.test');
    });

    it('VAULT_ENTRY_NOT_FOUND for a referenced file that does not exist', async () => {
      const response = await create(ACME, {
        client_id: DEMO.clients.acmeWeb,
        redirect_url: DEMO.redirectUrl,
        vault_entry_ids: [UNKNOWN_UUID],
      });
      expect000(
        response,
        404,
        '/api/v1/sessions',
        'Referenced file does not exist',
        'VAULT_ENTRY_NOT_FOUND',
      );
    });

    it('VAULT_ENTRY_DELETED for a referenced file that was deleted', async () => {
      const response = await create(ACME, {
        client_id: DEMO.clients.acmeWeb,
        redirect_url: DEMO.redirectUrl,
        vault_entry_ids: [DEMO.files.report, DEMO.files.deleted],
      });
      expect000(
        response,
        404,
        '/api/v1/sessions',
        'Referenced file was deleted',
        'VAULT_ENTRY_DELETED',
      );
    });

    it.each([
      ['another organization', GLOBEX],
      ['another environment', ACME_SANDBOX],
    ])('UNAUTHORIZED_ACCESS for a session of %s', async (_, authorization) => {
      const path = `/api/v1/sessions/${DEMO.sessions.acmeProduction}`;
      const response = await http().get(path).set('Authorization', authorization);
      expect000(
        response,
        403,
        path,
        'Session environment mismatch or organization ownership violation',
        'UNAUTHORIZED_ACCESS',
      );
    });

    it('a session id that is not a UUID: generic 400', async () => {
      const response = await http().get('/api/v1/sessions/42').set('Authorization', ACME);
      expect000(response, 400, '/api/v1/sessions/42', 'Validation failed (uuid is expected)');
    });

    it('an unknown session: generic 404', async () => {
      const response = await http()
        .get(`/api/v1/sessions/${UNKNOWN_UUID}`)
        .set('Authorization', ACME);
      expect000(response, 404, `/api/v1/sessions/${UNKNOWN_UUID}`, 'Session not found');
    });

    it('body validation: "Validation failed: field.path: message, …"', async () => {
      const response = await create(ACME, {
        client_id: 7,
        redirect_url: 'not a url',
        vault_entry_ids: ['x'],
      });
      expect000(
        response,
        400,
        '/api/v1/sessions',
        'Validation failed: client_id: client_id must be shorter than or equal to 128 characters, ' +
          'client_id: client_id must be a string, redirect_url: redirect_url must be a URL address, ' +
          'vault_entry_ids: each value in vault_entry_ids must be a UUID',
      );
    });
  });

  it('serves the generated error reference at /docs/errors', async () => {
    const response = await http().get('/docs/errors');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(response.text).toMatch(/^# Platform API error reference\n/);
    expect(response.text).toContain(
      '| <a id="ENTRY_DELETED_ERROR"></a>`ENTRY_DELETED_ERROR` | 404 | Requested file entry has been deleted | No |',
    );
    // Each API's prefix with the format its errors come in, as ErrorsModule's routes say.
    expect(response.text).toContain(
      [
        '| Path prefix | Format | Content-Type |',
        '|---|---|---|',
        '| `/api/v1` | timestamped | `application/json; charset=utf-8` |',
        '| `/graphql` | graphql | `application/json; charset=utf-8` |',
        '| `/v2` | traced | `application/json; charset=utf-8` |',
        '| `/api` | simple | `application/json; charset=utf-8` |',
        '| `/api/sdk` | envelope | `application/json; charset=utf-8` |',
        '| `/api/health` | envelope | `application/json; charset=utf-8` |',
        '| `/api/dashboard` | envelope | `application/json; charset=utf-8` |',
      ].join('\n'),
    );
    expect(response.text).toContain(
      'Under `/v2` codes are spelled as this format sends them: `INVALID_CLIENT` arrives as `invalid_client`.',
    );
  });

  describe('flows', () => {
    it('409 for a duplicate flow name and 404 for an unknown flow: generic, no code', async () => {
      const create = () =>
        http().post('/api/v1/flows').set('Authorization', ACME).send({ name: 'Checkout' });
      expect((await create()).status).toBe(201);
      expect000(await create(), 409, '/api/v1/flows', 'Flow already exists');
      const response = await http().get('/api/v1/flows/flw_nope').set('Authorization', ACME);
      expect000(response, 404, '/api/v1/flows/flw_nope', 'Flow not found');
    });

    it("another organization's flow is not found", async () => {
      const response = await http()
        .get('/api/v1/flows/flw_onboarding')
        .set('Authorization', GLOBEX);
      expect000(response, 404, '/api/v1/flows/flw_onboarding', 'Flow not found');
    });
  });

  describe('files', () => {
    const file = (id: string, suffix = '') => `/api/v1/files/${id}${suffix}`;

    it('reads a file (200)', async () => {
      const response = await http().get(file(DEMO.files.report)).set('Authorization', ACME);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        id: DEMO.files.report,
        name: 'report.pdf',
        kind: 'binary',
        parent_id: null,
      });
    });

    it.each([
      ['an unknown id', UNKNOWN_UUID],
      ["another organization's file", DEMO.files.globexSecret],
    ])('ENTRY_NOT_FOUND for %s', async (_, id) => {
      const response = await http().get(file(id)).set('Authorization', ACME);
      expect000(response, 404, file(id), 'Requested file entry does not exist', 'ENTRY_NOT_FOUND');
    });

    it('ENTRY_DELETED_ERROR for a deleted file', async () => {
      const response = await http().get(file(DEMO.files.deleted)).set('Authorization', ACME);
      expect000(
        response,
        404,
        file(DEMO.files.deleted),
        'Requested file entry has been deleted',
        'ENTRY_DELETED_ERROR',
      );
    });

    it('ENTRY_DELETED_ERROR after DELETE', async () => {
      const upload = await http().post('/api/v1/files').set('Authorization', ACME).send({
        flow_execution_id: DEMO.flowExecutions.running,
        name: 'tmp.txt',
        content_base64: 'aGk=',
      });
      expect(upload.status).toBe(201);
      expect((await http().delete(file(upload.body.id)).set('Authorization', ACME)).status).toBe(
        204,
      );
      const response = await http().get(file(upload.body.id)).set('Authorization', ACME);
      expect(response.body.code).toBe('ENTRY_DELETED_ERROR');
    });

    it.each([
      ['an unknown flow execution', UNKNOWN_UUID],
      ['a finished flow execution', DEMO.flowExecutions.finished],
    ])('INVALID_FLOW_EXECUTION for %s', async (_, executionId) => {
      const response = await http()
        .post('/api/v1/files')
        .set('Authorization', ACME)
        .send({ flow_execution_id: executionId, name: 'a.txt', content_base64: 'aGk=' });
      expect000(
        response,
        400,
        '/api/v1/files',
        'The file request references an invalid flow execution',
        'INVALID_FLOW_EXECUTION',
      );
    });

    it('ENTRY_IS_NOT_A_BINARY when downloading a data block', async () => {
      const path = file(DEMO.files.form, '/download');
      const response = await http().get(path).set('Authorization', ACME);
      expect000(response, 503, path, 'Entry is not a binary file', 'ENTRY_IS_NOT_A_BINARY');
    });

    it('ENTRY_IS_NOT_A_DATA_BLOCK when reading a binary as data', async () => {
      const path = file(DEMO.files.report, '/data');
      const response = await http().get(path).set('Authorization', ACME);
      expect000(response, 503, path, 'Entry is not a data block', 'ENTRY_IS_NOT_A_DATA_BLOCK');
    });

    it('ENTRY_IS_WRONG_TYPE_OF_DATA_BLOCK for a data block of another type', async () => {
      const path = file(DEMO.files.form, '/data');
      const response = await http().get(`${path}?type=table`).set('Authorization', ACME);
      expect000(
        response,
        503,
        path,
        'Entry is a data block but of the wrong type',
        'ENTRY_IS_WRONG_TYPE_OF_DATA_BLOCK',
      );
      const matching = await http().get(`${path}?type=form`).set('Authorization', ACME);
      expect(matching.body).toEqual({
        id: DEMO.files.form,
        type: 'form',
        content: { fields: ['email'] },
      });
    });

    it('ENTRY_ALREADY_ATTACHED when attaching an attached entry', async () => {
      const path = file(DEMO.files.attached, '/attach');
      const response = await http()
        .post(path)
        .set('Authorization', ACME)
        .send({ parent_id: DEMO.files.form });
      expect000(
        response,
        503,
        path,
        'Entry is already attached to a parent',
        'ENTRY_ALREADY_ATTACHED',
      );
    });

    it('a download URL when storage works', async () => {
      const response = await http()
        .get(file(DEMO.files.report, '/download'))
        .set('Authorization', ACME);
      expect(response.status).toBe(200);
      expect(response.body.url).toMatch(/^https:\/\/files\.platform\.test\//);
    });
  });
});

describe.each(ADAPTERS)('reference app /api/v1 with storage down on %s', (adapter) => {
  let app: INestApplication;
  let logger: CapturingLogger;

  beforeAll(async () => {
    ({ app, logger } = await createReferenceApp(adapter, {
      override: (builder) => builder.overrideProvider(FILE_STORAGE).useValue(failingStorage),
    }));
  });
  afterAll(() => app.close());

  it('UPLOAD_FAILED: 503 with Retry-After, the storage error only in the log', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/v1/files')
      .set('Authorization', ACME)
      .send({
        flow_execution_id: DEMO.flowExecutions.running,
        name: 'a.txt',
        content_base64: 'aGk=',
      });
    expect000(response, 503, '/api/v1/files', 'File upload to storage failed', 'UPLOAD_FAILED');
    expect(response.headers['retry-after']).toBe('5');
    expect(response.text).not.toContain('10.1.2.3');
    expect(logger.text()).toContain('Caused by: Error: connect ECONNREFUSED 10.1.2.3:9000');
  });

  it('PRESIGNED_URL_GENERATION_FAILED: 503, the signing error only in the log', async () => {
    const path = `/api/v1/files/${DEMO.files.report}/download`;
    const response = await request(app.getHttpServer()).get(path).set('Authorization', ACME);
    expect000(
      response,
      503,
      path,
      'Failed to generate download URL',
      'PRESIGNED_URL_GENERATION_FAILED',
    );
    expect(response.text).not.toContain('AKIA');
    expect(logger.text()).toContain('SignatureDoesNotMatch');
  });
});
