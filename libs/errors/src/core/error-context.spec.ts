import { describe, expect, it } from 'vitest';
import {
  type RequestIdSettings,
  createHttpErrorContext,
  pathWithoutQuery,
  resolveRequestId,
} from './error-context.js';

const settings: RequestIdSettings = {
  enabled: true,
  header: 'x-request-id',
  generate: () => 'generated-id',
  trustIncoming: true,
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('resolveRequestId', () => {
  it.each(['abc-123', 'A.b_c:d-e', 'x'.repeat(128)])(
    'uses the well-formed incoming id %s',
    (id) => {
      expect(resolveRequestId(id, settings)).toBe(id);
    },
  );

  it.each([
    ['CRLF', 'abc\r\nSet-Cookie: x=1'],
    ['129 characters', 'x'.repeat(129)],
    ['500 characters', 'x'.repeat(500)],
    ['non-ASCII', 'idé'],
    ['a space', 'a b'],
    ['empty', ''],
    ['a duplicated header', ['a', 'b']],
    ['absent', undefined],
  ])('replaces an incoming id that is %s', (_, incoming) => {
    expect(resolveRequestId(incoming, settings)).toBe('generated-id');
  });

  it('ignores even a well-formed id when incoming ids are not trusted', () => {
    expect(resolveRequestId('abc', { ...settings, trustIncoming: false })).toBe('generated-id');
  });

  it('falls back to a UUID when the generator throws or makes an unsafe id', () => {
    const throwing = () => {
      throw new Error('boom');
    };
    expect(resolveRequestId(undefined, { ...settings, generate: throwing })).toMatch(UUID);
    expect(resolveRequestId(undefined, { ...settings, generate: () => 'bad\nid' })).toMatch(UUID);
  });
});

describe('pathWithoutQuery', () => {
  it.each([
    ['/api/v1/files?token=secret', '/api/v1/files'],
    ['/a#b', '/a'],
    ['/plain', '/plain'],
    ['', '/'],
    [undefined, '/'],
  ])('%s → %s', (url, path) => {
    expect(pathWithoutQuery(url)).toBe(path);
  });
});

describe('createHttpErrorContext', () => {
  it('reads method, original url and request id; stamps ISO time with milliseconds', () => {
    const context = createHttpErrorContext(
      {
        method: 'POST',
        url: '/rewritten',
        originalUrl: '/api/v1/sessions?x=1',
        headers: { 'x-request-id': 'req-1' },
      },
      settings,
      'https://docs.example.com/errors',
    );
    expect(context).toEqual({
      requestId: 'req-1',
      method: 'POST',
      path: '/api/v1/sessions',
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      protocol: 'http',
      docsBaseUrl: 'https://docs.example.com/errors',
    });
  });

  it('uses the Fastify-style url when there is no originalUrl', () => {
    expect(
      createHttpErrorContext({ method: 'GET', url: '/f?q=1', headers: {} }, settings, undefined)
        .path,
    ).toBe('/f');
  });

  it('reads no header when request ids are disabled', () => {
    const context = createHttpErrorContext(
      { headers: { 'x-request-id': 'req-1' } },
      { ...settings, enabled: false },
      undefined,
    );
    expect(context.requestId).toBe('generated-id');
  });

  it('copes with a missing request', () => {
    expect(createHttpErrorContext(undefined, settings, undefined)).toMatchObject({
      method: 'GET',
      path: '/',
    });
  });
});
