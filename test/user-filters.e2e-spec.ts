import {
  type ArgumentsHost,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  Module,
  NotFoundException,
} from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
import {
  type ApiError,
  type ErrorContext,
  ErrorsFilter,
  ErrorsModule,
  InvalidClientException,
  SessionsException,
  UseErrorFormat,
} from 'nest-api-errors';
import { expectApiError } from 'nest-api-errors/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from './support/platform-requests.js';
import { ADAPTERS, createTestApp } from './support/test-app.js';

/** A team's own global filter for one domain: it answers sessions errors its own way. */
@Catch(SessionsException)
class SessionsAuditFilter implements ExceptionFilter {
  static caught: string[] = [];
  constructor(private readonly adapterHost: HttpAdapterHost) {}
  catch(exception: SessionsException, host: ArgumentsHost): void {
    SessionsAuditFilter.caught.push(exception.code);
    const { httpAdapter } = this.adapterHost;
    httpAdapter.reply(host.getArgByIndex(1), { audited: exception.code }, 418);
  }
}

@Controller()
class ErrorsController {
  @Get('sessions')
  sessions(): never {
    throw new InvalidClientException();
  }

  @Get('other')
  other(): never {
    throw new NotFoundException('Flow not found');
  }
}

@Module({
  imports: [ErrorsModule.forRoot()],
  controllers: [ErrorsController],
  providers: [{ provide: APP_FILTER, useClass: SessionsAuditFilter }],
})
class UserFilterModule {}

describe.each(ADAPTERS)("a team's own global filter beside ErrorsModule on %s", (adapter) => {
  let app: Awaited<ReturnType<typeof createTestApp>>['app'];
  beforeAll(async () => {
    ({ app } = await createTestApp(adapter, { imports: [UserFilterModule] }));
  });
  afterAll(() => app.close());

  it('gets the exceptions its @Catch names', async () => {
    SessionsAuditFilter.caught = [];
    const response = await request(app.getHttpServer()).get('/sessions');
    expect(response.status).toBe(418);
    expect(response.body).toEqual({ audited: 'INVALID_CLIENT' });
    expect(SessionsAuditFilter.caught).toEqual(['INVALID_CLIENT']);
  });

  it('leaves everything else to ErrorsFilter', async () => {
    expectApiError(
      await request(app.getHttpServer()).get('/other'),
      { status: 404, message: 'Flow not found' },
      { path: '/other' },
    );
  });
});

/** The documented way to change one step: extend ErrorsFilter and register it as APP_FILTER. */
@Catch()
class AuditedErrorsFilter extends ErrorsFilter {
  static audited: string[] = [];
  protected override log(error: ApiError, context: ErrorContext): void {
    super.log(error, context);
    AuditedErrorsFilter.audited.push(`${context.path} ${error.code ?? error.status}`);
  }
}

@Controller('v2')
@UseErrorFormat('traced')
class TracedController {
  @Get('sessions')
  sessions(): never {
    throw new InvalidClientException();
  }
}

@Module({
  imports: [ErrorsModule.forRoot()],
  controllers: [ErrorsController, TracedController],
  providers: [{ provide: APP_FILTER, useClass: AuditedErrorsFilter }],
})
class SubclassModule {}

describe.each(ADAPTERS)('an app subclass of ErrorsFilter on %s', (adapter) => {
  let app: Awaited<ReturnType<typeof createTestApp>>['app'];
  beforeAll(async () => {
    ({ app } = await createTestApp(adapter, { imports: [SubclassModule] }));
  });
  afterAll(() => app.close());

  it('handles every error in place of the module filter, UseErrorFormat routes included', async () => {
    AuditedErrorsFilter.audited = [];
    expectApiError(await request(app.getHttpServer()).get('/sessions'), InvalidClientException, {
      path: '/sessions',
    });
    expectApiError(await request(app.getHttpServer()).get('/v2/sessions'), InvalidClientException, {
      format: 'traced',
    });
    expect(AuditedErrorsFilter.audited).toEqual([
      '/sessions INVALID_CLIENT',
      '/v2/sessions INVALID_CLIENT',
    ]);
  });

  it('also handles the errors answered outside Nest routing (a request the HTTP parser refuses)', async () => {
    AuditedErrorsFilter.audited = [];
    const raw = await rawRequest(app, 'GET /sessions HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(AuditedErrorsFilter.audited).toEqual(['/sessions 400']);
  });
});
