import type { INestApplication } from '@nestjs/common';
import { get } from 'node:http';
import { connect } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreFixtureModule } from './fixtures/core-fixture.module.js';
import { ADAPTERS, type CapturingLogger, createTestApp } from './support/test-app.js';

// Faults around the filter: a client that leaves before the error is written. (A format that
// throws, a logger that throws and an error after streaming began are in module-options and core.)

describe.each(ADAPTERS)('faults on %s', (adapter) => {
  let app: INestApplication;
  let logger: CapturingLogger;
  let port: number;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  beforeAll(async () => {
    ({ app, logger } = await createTestApp(adapter, { imports: [coreFixtureModule()] }));
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as { port: number }).port;
    process.on('unhandledRejection', onRejection);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await app.close();
  });

  it('a client that disconnects before the error is written: no crash, no unhandled rejection, logged', async () => {
    await new Promise<void>((resolve) => {
      const outgoing = get({ host: '127.0.0.1', port, path: '/slow/crash' });
      outgoing.on('error', () => resolve());
      setTimeout(() => {
        outgoing.destroy();
        resolve();
      }, 30);
    });
    // The handler throws 150 ms in, into a closed connection.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(rejections).toEqual([]);
    expect(logger.text()).toContain('late failure after the client left');
    const next = await request(app.getHttpServer()).get('/ok');
    expect(next.status).toBe(200);
  });

  it("a client that leaves mid-upload is the client's doing: one debug line, no error log, nothing written", async () => {
    logger.clear();
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":"',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).toEqual([]);
    expect(rejections).toEqual([]);
    const lines = logger.entries.filter((entry) => entry.message.includes('POST /echo'));
    expect(
      lines.map((entry) => [
        entry.level,
        entry.message.replace(/requestId=[^:\s]+/, 'requestId=…'),
      ]),
    ).toEqual([['debug', 'POST /echo 400 requestId=…: Request aborted by the client']]);
    expect(logger.entries.filter((entry) => entry.level === 'error')).toEqual([]);
    expect((await request(app.getHttpServer()).get('/ok')).status).toBe(200);
  });
});
