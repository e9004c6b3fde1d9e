import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatOf, nonConformity, trafficCases } from '../bench/load-traffic.js';
import { parseResponse, rawRequest, requestHead } from '../bench/raw-http.js';

// The pieces of `npm run load` that decide what counts (the run itself needs dist/ and a minute).

describe('load harness: raw HTTP client', () => {
  it('reads a response by Content-Length, chunks, or to the end of the connection', () => {
    const head = 'HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n';
    expect(parseResponse(Buffer.from(`${head}Content-Length: 2\r\n\r\n{}`), false)).toEqual({
      status: 400,
      headers: { 'content-type': 'application/json', 'content-length': '2' },
      body: '{}',
    });
    expect(parseResponse(Buffer.from(`${head}Content-Length: 4\r\n\r\n{}`), false)).toBeUndefined();
    const chunked = `${head}Transfer-Encoding: chunked\r\n\r\n1\r\n{\r\n1\r\n}\r\n0\r\n\r\n`;
    expect(parseResponse(Buffer.from(chunked), false)?.body).toBe('{}');
    expect(parseResponse(Buffer.from(`${head}\r\n{}`), false)).toBeUndefined();
    expect(parseResponse(Buffer.from(`${head}\r\n{}`), true)?.body).toBe('{}');
  });

  describe('against a server that answers and closes', () => {
    const server = createServer((socket) => {
      socket.once('data', (data) => {
        const target = data.toString('latin1').split(' ')[1]!;
        const body = JSON.stringify({ target });
        socket.end(`HTTP/1.1 404 Not Found\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      });
    });
    let port = 0;
    beforeAll(
      () =>
        new Promise<void>((resolve) =>
          server.listen(0, '127.0.0.1', () => {
            port = (server.address() as { port: number }).port;
            resolve();
          }),
        ),
    );
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('pairs each response with its own request', async () => {
      const outcomes = await Promise.all(
        ['/a', '/b', '/%zz'].map((target) =>
          rawRequest(port, { head: requestHead('GET', target, {}) }),
        ),
      );
      expect(outcomes.map((outcome) => JSON.parse(outcome.response!.body))).toEqual([
        { target: '/a' },
        { target: '/b' },
        { target: '/%zz' },
      ]);
    });
  });
});

describe('load harness: traffic and conformance', () => {
  it('takes the format of the longest whole-segment prefix', () => {
    expect(formatOf('/api/v1/files?x=1')).toBe('timestamped');
    expect(formatOf('/api/sdk/events')).toBe('envelope');
    expect(formatOf('/api/agents')).toBe('simple');
    expect(formatOf('/API/V1/x')).toBe('timestamped');
    expect(formatOf('/v20/x')).toBe('timestamped');
    expect(formatOf('/v2/x')).toBe('traced');
    expect(formatOf('/graphql')).toBe('graphql');
  });

  it('has every kind of traffic on both platforms, 413 bodies over each limit', () => {
    for (const platform of ['express', 'fastify'] as const) {
      const cases = trafficCases(platform);
      expect(new Set(cases.map((spec) => spec.kind))).toEqual(
        new Set(['error', 'malformed JSON', '413', 'bad URL', 'aborted upload']),
      );
      const oversized = cases.find((spec) => spec.kind === '413')!;
      expect(oversized.body!.length).toBeGreaterThan(platform === 'fastify' ? 1048576 : 102400);
    }
  });

  it('checks status, media type, request id and the prefix format', () => {
    const spec = trafficCases('express').find((each) => each.name === 'api no key')!;
    const headers = { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'r-1' };
    expect(nonConformity(spec, 401, headers, '{"error":"Missing or invalid API key"}')).toBe(
      undefined,
    );
    expect(nonConformity(spec, 401, headers, '{"statusCode":401,"message":"x"}')).toMatch(
      /^not simple/,
    );
    expect(nonConformity(spec, 500, {}, '')).toBe(
      'status 500, expected 401; content-type ""; no X-Request-Id; body is not JSON',
    );
  });
});
