import { describe, expect, it } from 'vitest';
import { compileFormatRoutes } from './format.routes.js';
import { envelopeFormat } from './envelope.format.js';
import { simpleFormat } from './simple.format.js';
import { tracedFormat } from './traced.format.js';

describe('compileFormatRoutes', () => {
  const lookup = compileFormatRoutes([
    { path: '/api', format: 'simple' },
    { path: '/api/sdk', format: 'envelope' },
    { path: 'v2/', format: 'traced' },
  ])!;

  it.each([
    ['/api', simpleFormat],
    ['/api/agents/agt_1', simpleFormat],
    ['/api/sdk', envelopeFormat],
    ['/api/sdk/events', envelopeFormat],
    ['/api/sdkx', simpleFormat],
    ['/v2', tracedFormat],
    ['/v2/service-accounts', tracedFormat],
    ['/V2/Service-Accounts', tracedFormat],
    ['/v20', undefined],
    ['/apis', undefined],
    ['/', undefined],
    ['/graphql', undefined],
  ])('%s → its longest whole-segment prefix', (path, format) => {
    expect(lookup(path)).toBe(format);
  });

  it('a root route covers every path', () => {
    const root = compileFormatRoutes([
      { path: '/', format: 'problem' },
      { path: '/v2', format: 'traced' },
    ])!;
    expect(root('/anything')?.name).toBe('problem');
    expect(root('/v2/x')?.name).toBe('traced');
  });

  it('no routes: nothing to look up', () => {
    expect(compileFormatRoutes(undefined)).toBeUndefined();
    expect(compileFormatRoutes([])).toBeUndefined();
  });

  it.each([
    [[{ path: '/v2?x', format: 'traced' }], /not a path prefix/],
    [[{ path: 42, format: 'traced' }], /not a path prefix/],
    [[{ path: '/v2', format: 'xml' }], /Unknown error format "xml"/],
    [
      [
        { path: '/v2', format: 'traced' },
        { path: 'V2/', format: 'simple' },
      ],
      /'\/v2' is listed twice/,
    ],
  ])('refuses %j at start-up', (routes, message) => {
    expect(() => compileFormatRoutes(routes as never)).toThrow(message);
  });
});
