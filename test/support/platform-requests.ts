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
import { ErrorsModule, type ErrorsModuleOptions } from 'nest-api-errors';
import { createTestApp, type AdapterName, type TestAppOptions } from './test-app.js';

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

/** Sends raw bytes, resolves with everything received until the server closes (or timeout). */
export function rawRequest(
  app: INestApplication,
  text: string | Buffer,
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
      socket.write(text);
    });
  });
}
