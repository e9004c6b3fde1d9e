import {
  type ArgumentsHost,
  Body,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  HttpException,
  Module,
  Post,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import {
  ErrorsFilter,
  ErrorsModule,
  InvalidClientException,
  SessionsException,
} from 'nest-api-errors';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { ADAPTERS, type CapturingLogger, UUID, createTestApp } from './support/test-app.js';

// Another global filter beside the module's (issue 25 item 2): a catch-all one is named at
// start-up, with which filter answers and the fix; one that names types, or extends
// ErrorsFilter, is not.

/** The very common `main.ts` filter: answers everything its own way. */
@Catch()
class AllExceptionsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    const response = host.switchToHttp().getResponse<{
      status?(code: number): { json(body: unknown): void };
      code?(code: number): { send(body: unknown): void };
    }>();
    // Fastify's reply has `code` (and a `status` alias without `json`); Express's response has not.
    if (typeof response.code === 'function') {
      response.code(status).send({ legacy: true, status });
    } else {
      response.status!(status).json({ legacy: true, status });
    }
  }
}

@Catch(SessionsException)
class SessionsOnlyFilter implements ExceptionFilter {
  catch(): void {}
}

/** The filter of Nest's own docs: answers every HttpException its own way. */
@Catch(HttpException)
class HttpExceptionFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<{
      status?(code: number): { json(body: unknown): void };
      code?(code: number): { send(body: unknown): void };
    }>();
    const body = { own: true, status: exception.getStatus() };
    if (typeof response.code === 'function') {
      response.code(exception.getStatus()).send(body);
    } else {
      response.status!(exception.getStatus()).json(body);
    }
  }
}

@Catch()
class OwnErrorsFilter extends ErrorsFilter {}

@Controller()
class FailingController {
  @Get('sessions')
  sessions(): never {
    throw new InvalidClientException();
  }

  @Post('echo')
  echo(@Body() body: unknown): unknown {
    return body;
  }
}

function warningsOf(logger: CapturingLogger): string[] {
  return logger.entries
    .filter((entry) => entry.level === 'warn' && entry.params.includes('ErrorsModule'))
    .map((entry) => entry.message);
}

const SHADOWED = (name: string) =>
  `${name} is a global exception filter whose @Catch() names no exception type: Nest asks it before ErrorsModule's, so it answers every error and the documented error bodies are not sent. Extend ErrorsFilter instead (override its protected steps), or name the exception types ${name} handles in its @Catch().`;

describe.each(ADAPTERS)('another global filter beside ErrorsModule on %s', (adapter) => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('app.useGlobalFilters(new AllExceptionsFilter()): one warning at start-up, naming it; it answers', async () => {
    const { app, logger } = await createTestApp(
      adapter,
      { imports: [ErrorsModule.forRoot()], controllers: [FailingController] },
      { configure: (created) => created.useGlobalFilters(new AllExceptionsFilter()) },
    );
    close = () => app.close();
    expect(warningsOf(logger)).toEqual([SHADOWED('AllExceptionsFilter')]);
    const response = await request(app.getHttpServer()).get('/sessions');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ legacy: true, status: 400 });
  });

  it('an APP_FILTER whose @Catch() names no type: the same warning', async () => {
    @Module({
      imports: [ErrorsModule.forRoot()],
      controllers: [FailingController],
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
    })
    class AppModule {}
    const { app, logger } = await createTestApp(adapter, { imports: [AppModule] });
    close = () => app.close();
    expect(warningsOf(logger)).toEqual([SHADOWED('AllExceptionsFilter')]);
  });

  it('the request id reaches what the body parsers refuse, whichever filter answers', async () => {
    const { app } = await createTestApp(
      adapter,
      { imports: [ErrorsModule.forRoot()], controllers: [FailingController] },
      {
        bodyLimit: 1024,
        configure: (created) => created.useGlobalFilters(new HttpExceptionFilter()),
      },
    );
    close = () => app.close();
    const malformed = await request(app.getHttpServer())
      .post('/echo')
      .set('Content-Type', 'application/json')
      .send('{"customer":');
    expect([malformed.status, malformed.body]).toEqual([400, { own: true, status: 400 }]);
    expect(malformed.headers['x-request-id']).toMatch(UUID);
    const tooLarge = await request(app.getHttpServer())
      .post('/echo')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ pad: 'x'.repeat(4096) }));
    expect([tooLarge.status, tooLarge.body]).toEqual([413, { own: true, status: 413 }]);
    expect(tooLarge.headers['x-request-id']).toMatch(UUID);
  });

  it('none for a filter that names its types, or extends ErrorsFilter', async () => {
    @Module({
      imports: [ErrorsModule.forRoot()],
      controllers: [FailingController],
      providers: [
        { provide: APP_FILTER, useClass: SessionsOnlyFilter },
        { provide: APP_FILTER, useClass: OwnErrorsFilter },
      ],
    })
    class AppModule {}
    const { app, logger } = await createTestApp(adapter, { imports: [AppModule] });
    close = () => app.close();
    expect(warningsOf(logger)).toEqual([]);
  });
});
