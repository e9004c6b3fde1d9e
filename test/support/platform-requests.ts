// Raw HTTP for the errors the platforms answer before Nest routes a request (platform-errors e2e).
import {
  Controller,
  Get,
  Injectable,
  type MiddlewareConsumer,
  Module,
  type NestMiddleware,
  Param,
  Post,
  Body,
  HttpCode,
  UnauthorizedException,
  type INestApplication,
} from '@nestjs/common';
import { connect } from 'node:net';
import { expect } from 'vitest';
import { ErrorsModule, type ErrorsModuleOptions } from 'nest-api-errors';
import { UUID, createTestApp, type AdapterName, type TestAppOptions } from './test-app.js';

@Injectable()
export class DenyMiddleware implements NestMiddleware {
  use(_req: unknown, _res: unknown, next: () => void) {
    void next;
    throw new UnauthorizedException('Missing bearer token');
  }
}

/** How often each handler ran: a middleware error must keep the route from running. */
export const handlerCalls = { guarded: 0 };

@Controller()
export class PlatformFixtureController {
  @Get('ok')
  ok() {
    return { ok: true };
  }
  @Get('guarded')
  guarded() {
    handlerCalls.guarded++;
    return { reached: true };
  }
  @Get('items/:id')
  item(@Param('id') id: string) {
    return { id };
  }
  @Post('echo')
  @HttpCode(200)
  echo(@Body() body: unknown) {
    return { received: body ?? null };
  }
}

/** The routes above under ErrorsModule (options vary per test), the middleware on `guarded`. */
export function platformFixtureModule(errors: ErrorsModuleOptions = {}) {
  @Module({ imports: [ErrorsModule.forRoot(errors)], controllers: [PlatformFixtureController] })
  class PlatformFixtureModule {
    configure(consumer: MiddlewareConsumer) {
      consumer.apply(DenyMiddleware).forRoutes('guarded');
    }
  }
  return PlatformFixtureModule;
}

export function start(
  adapter: AdapterName,
  options: TestAppOptions = {},
  errors: ErrorsModuleOptions = {},
) {
  return createTestApp(adapter, { imports: [platformFixtureModule(errors)] }, options);
}

/**
 * Sends raw bytes, resolves with everything received until the server closes (or timeout). Bytes
 * given as several chunks are written one after the other, a few milliseconds apart, so that the
 * server reads them separately.
 */
export function rawRequest(
  app: INestApplication,
  text: string | Buffer | ReadonlyArray<string | Buffer>,
  waitMs = 1500,
): Promise<string> {
  const server = app.getHttpServer();
  return new Promise((resolve, reject) => {
    const listening = server.listening
      ? Promise.resolve()
      : new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    void listening.then(() => {
      const socket = connect(server.address().port, '127.0.0.1');
      let received = '';
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(received + '\n<<TIMEOUT: socket still open>>');
      }, waitMs);
      socket.on('data', (chunk) => (received += chunk.toString('latin1')));
      socket.on('end', () => {
        clearTimeout(timer);
        resolve(received);
      });
      socket.on('error', (e) => {
        clearTimeout(timer);
        if (received) {
          resolve(received + `\n<<socket error ${String(e)}>>`);
        } else {
          reject(e);
        }
      });
      const chunks = typeof text === 'string' || Buffer.isBuffer(text) ? [text] : [...text];
      const writeNext = () => {
        socket.write(chunks.shift()!);
        if (chunks.length > 0) {
          setTimeout(writeNext, 30);
        }
      };
      writeNext();
    });
  });
}

/** One HTTP/1.1 response read off the wire. */
export interface Parsed {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Every response on the wire, in order (one per request, unless something answers twice). */
export function parseAll(raw: string): Parsed[] {
  const out: Parsed[] = [];
  let rest = raw;
  while (rest.startsWith('HTTP/1.1 ')) {
    const headEnd = rest.indexOf('\r\n\r\n');
    const [statusLine, ...lines] = rest.slice(0, headEnd).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const i = line.indexOf(':');
      const name = line.slice(0, i).toLowerCase();
      // A header sent twice (two Content-Lengths) is a broken response.
      expect(headers[name], `${name} sent twice`).toBeUndefined();
      headers[name] = line.slice(i + 1).trim();
    }
    rest = rest.slice(headEnd + 4);
    let body = '';
    if (headers['content-length'] !== undefined) {
      body = rest.slice(0, Number(headers['content-length']));
      rest = rest.slice(body.length);
    } else if (headers['transfer-encoding'] === 'chunked') {
      for (;;) {
        const lineEnd = rest.indexOf('\r\n');
        const size = parseInt(rest.slice(0, lineEnd), 16);
        rest = rest.slice(lineEnd + 2);
        if (size === 0) {
          rest = rest.slice(2);
          break;
        }
        body += rest.slice(0, size);
        rest = rest.slice(size + 2);
      }
    }
    out.push({ status: Number(statusLine!.split(' ')[1]), headers, body });
  }
  if (rest.length > 0 && !rest.startsWith('\n<<')) {
    out.push({ status: -1, headers: {}, body: rest });
  }
  return out;
}

/** Exactly one response, in the documented body (timestamped), with a request id. */
export function expectDocumented(raw: string, status: number, message: string, path?: string) {
  const responses = parseAll(raw);
  expect(responses, raw).toHaveLength(1);
  const [response] = responses as [Parsed];
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(response.headers['x-request-id']).toMatch(UUID);
  const body = JSON.parse(response.body) as Record<string, unknown>;
  expect(Object.keys(body)).toEqual(['statusCode', 'timestamp', 'path', 'message']);
  expect(body).toMatchObject({ statusCode: status, message, ...(path ? { path } : {}) });
  expect(raw).not.toContain('hunter2');
  expect(raw).not.toContain('FST_ERR');
  return response;
}
