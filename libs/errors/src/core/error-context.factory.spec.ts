import { describe, expect, it } from 'vitest';
import { createHttpErrorContext, isoTimestamp, pathWithoutQuery } from './error-context.factory.js';
import { type RequestIdSettings, resolveRequestId, traceIdOf } from './request-id.resolver.js';

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
      expect(resolveRequestId({ 'x-request-id': id }, settings)).toBe(id);
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
    expect(resolveRequestId({ 'x-request-id': incoming }, settings)).toBe('generated-id');
  });

  it('ignores even a well-formed id when incoming ids are not trusted', () => {
    expect(resolveRequestId({ 'x-request-id': 'abc' }, { ...settings, trustIncoming: false })).toBe(
      'generated-id',
    );
  });

  const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  it('uses the trace id of a valid traceparent when no usable X-Request-Id came in', () => {
    expect(resolveRequestId({ traceparent: TRACEPARENT }, settings)).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
    expect(resolveRequestId({ 'x-request-id': 'bad id', traceparent: TRACEPARENT }, settings)).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
  });

  it('prefers a valid X-Request-Id over traceparent', () => {
    expect(resolveRequestId({ 'x-request-id': 'req-1', traceparent: TRACEPARENT }, settings)).toBe(
      'req-1',
    );
  });

  it('falls back to a UUID when the generator throws or makes an unsafe id', () => {
    const throwing = () => {
      throw new Error('boom');
    };
    expect(resolveRequestId(undefined, { ...settings, generate: throwing })).toMatch(UUID);
    expect(resolveRequestId(undefined, { ...settings, generate: () => 'bad\nid' })).toMatch(UUID);
  });
});

describe('traceIdOf', () => {
  it.each([
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['00-00000000000000000000000000000000-00f067aa0ba902b7-01', undefined],
    ['ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', undefined],
    ['00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01', undefined],
    ['00-4bf92f3577b34da6-00f067aa0ba902b7-01', undefined],
    [undefined, undefined],
  ])('%s → %s', (header, traceId) => {
    expect(traceIdOf(header)).toBe(traceId);
  });
});

describe('pathWithoutQuery', () => {
  it.each([
    ['/api/v1/files?token=secret', '/api/v1/files'],
    ['/a#b', '/a'],
    ['/plain', '/plain'],
    ['', '/'],
    [undefined, '/'],
    // Absolute-form: the path alone, never the client's scheme, host, credentials or query.
    ['http://evil.test/v2/x?token=secret', '/v2/x'],
    ['HTTPS://user:pw@evil.test:8443/a/b#c', '/a/b'],
    ['foo+bar.baz-1://evil.test//twice', '//twice'],
    ['http://evil.test', '/'],
    ['http://evil.test?token=secret', '/'],
    ['http://evil.test#/a', '/'],
    // Asterisk-form (OPTIONS *) stays; anything else is no path.
    ['*', '*'],
    ['evil.test:443', '/'],
    ['evil.test/a', '/'],
    ['1http://evil.test/a', '/'],
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
      undefined,
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
      createHttpErrorContext(
        { method: 'GET', url: '/f?q=1', headers: {} },
        undefined,
        settings,
        undefined,
      ).path,
    ).toBe('/f');
  });

  it('reads no header when request ids are disabled', () => {
    const context = createHttpErrorContext(
      { headers: { 'x-request-id': 'req-1' } },
      undefined,
      { ...settings, enabled: false },
      undefined,
    );
    expect(context.requestId).toBe('generated-id');
  });

  it('reuses the id the middleware already put on the response', () => {
    const request = { headers: { 'x-request-id': 'other' } };
    const response = {
      getHeader: (name: string) => (name === 'x-request-id' ? 'assigned-1' : undefined),
    };
    expect(createHttpErrorContext(request, response, settings, undefined).requestId).toBe(
      'assigned-1',
    );
    expect(
      createHttpErrorContext(request, response, { ...settings, enabled: false }, undefined)
        .requestId,
    ).toBe('generated-id');
  });

  it('copes with a missing request', () => {
    expect(createHttpErrorContext(undefined, undefined, settings, undefined)).toMatchObject({
      method: 'GET',
      path: '/',
    });
  });
});

describe('isoTimestamp', () => {
  it.each([0, 5, 40, 999, 1000, 1771319885040, 1771319885001, 1771319885099, 1771319885100])(
    'equals Date#toISOString for %i',
    (now) => {
      expect(isoTimestamp(now)).toBe(new Date(now).toISOString());
    },
  );

  it('is right across a second boundary and back', () => {
    for (const now of [1771319885999, 1771319886000, 1771319885500]) {
      expect(isoTimestamp(now)).toBe(new Date(now).toISOString());
    }
  });
});
