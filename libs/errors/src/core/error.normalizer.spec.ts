import {
  BadRequestException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { WsException } from '@nestjs/websockets';
import { describe, expect, it } from 'vitest';
import { ValidationFailedException } from '../domains/common.exceptions.js';
import { InvalidClientException } from '../domains/sessions.exceptions.js';
import { UploadFailedException } from '../domains/vault-files.exceptions.js';
import type { ApiError } from './api-error.interface.js';
import { ApiException } from './api.exception.js';
import {
  normalizeError,
  parserErrorMessage,
  routerErrorMessage,
  stripRouteQuery,
} from './error.normalizer.js';

const hidden = { exposeInternalErrors: false };
const exposed = { exposeInternalErrors: true };

function internal(cause: unknown, message = 'Internal server error'): ApiError {
  return {
    status: 500,
    code: undefined,
    message,
    category: 'INTERNAL',
    details: undefined,
    retryable: true,
    retryAfterSeconds: undefined,
    cause,
  };
}

describe('normalizeError', () => {
  it('takes an ApiException exactly as declared', () => {
    const thrown = new InvalidClientException({ retryAfterSeconds: 3 });
    expect(normalizeError(thrown, hidden)).toEqual({
      status: 400,
      code: 'INVALID_CLIENT',
      message: 'client_id is missing, not found, or has no allowed redirect URLs configured',
      category: 'VALIDATION',
      details: undefined,
      retryable: false,
      retryAfterSeconds: 3,
      cause: thrown,
    });
  });

  it('keeps the details of a validation failure', () => {
    const details = [
      { path: 'items.0.name', message: 'name must be a string', location: 'body' as const },
    ];
    const error = normalizeError(new ValidationFailedException({ details }), hidden);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_ERROR', details });
    expect(error.message).toBe('Validation failed: items.0.name: name must be a string');
  });

  it('holds back a message given at the throw site of a catalog 5xx', () => {
    const thrown = new UploadFailedException({
      message: 'bucket s3://internal-prod denied PutObject',
    });
    expect(normalizeError(thrown, hidden).message).toBe('File upload to storage failed');
    expect(normalizeError(thrown, exposed).message).toBe(
      'bucket s3://internal-prod denied PutObject',
    );
  });

  it('holds back a message given at the throw site of a templated 5xx, keeping its fields', () => {
    class ProviderDownException extends ApiException.define({
      code: 'PROVIDER_DOWN',
      status: 502,
      message: 'Provider {provider} failed',
    }) {}
    const thrown = new ProviderDownException({
      provider: 'acme',
      message: 'ECONNREFUSED 10.0.3.7:5432',
    });
    expect(normalizeError(thrown, hidden).message).toBe('Provider acme failed');
  });

  it('gives a Nest HttpException its status and message, and no code', () => {
    const thrown = new NotFoundException('Flow not found');
    expect(normalizeError(thrown, hidden)).toEqual({
      status: 404,
      code: undefined,
      message: 'Flow not found',
      category: 'NOT_FOUND',
      details: undefined,
      retryable: false,
      retryAfterSeconds: undefined,
      cause: thrown,
    });
  });

  it("takes the code from Nest 12's errorCode option", () => {
    const thrown = new NotFoundException('Flow not found', { errorCode: 'FLOW_NOT_FOUND' });
    expect(normalizeError(thrown, hidden).code).toBe('FLOW_NOT_FOUND');
  });

  it('joins a list of messages (Nest ValidationPipe) with ", "', () => {
    const thrown = new BadRequestException([
      'name must be a string',
      'age must be an integer number',
    ]);
    expect(normalizeError(thrown, hidden).message).toBe(
      'name must be a string, age must be an integer number',
    );
  });

  it('redacts a 5xx HttpException unless internal errors are exposed', () => {
    expect(normalizeError(new InternalServerErrorException('db down'), hidden).message).toBe(
      'Internal server error',
    );
    expect(normalizeError(new ServiceUnavailableException('redis down'), hidden)).toMatchObject({
      status: 503,
      message: 'Service Unavailable',
      category: 'INTERNAL',
      retryable: true,
    });
    expect(normalizeError(new InternalServerErrorException('db down'), exposed).message).toBe(
      'db down',
    );
  });

  it('treats an HttpException with a non-error status as an internal error', () => {
    const thrown = new HttpException('moved', 302);
    expect(normalizeError(thrown, hidden)).toEqual(internal(thrown));
  });

  it('strips the query string from the unknown-route message', () => {
    const thrown = new NotFoundException('Cannot GET /api/v1/nope?token=secret');
    expect(normalizeError(thrown, hidden).message).toBe('Cannot GET /api/v1/nope');
  });

  it('recognizes a ThrottlerException by name as RATE_LIMITED without Retry-After of its own', () => {
    class ThrottlerException extends HttpException {
      constructor() {
        super('ThrottlerException: Too Many Requests', 429);
      }
    }
    expect(normalizeError(new ThrottlerException(), hidden)).toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
      message: 'Too many requests',
      category: 'RATE_LIMIT',
      retryable: true,
      retryAfterSeconds: undefined,
    });
  });

  it('keeps the status and message of a 4xx http-errors error thrown by a middleware', () => {
    const thrown = Object.assign(new Error('invalid csrf token'), {
      statusCode: 403,
      status: 403,
      expose: true,
    });
    expect(normalizeError(thrown, hidden)).toMatchObject({
      status: 403,
      message: 'invalid csrf token',
      code: undefined,
    });
  });

  it.each([
    ['an Error', new Error('password=hunter2')],
    ['a string', 'oops'],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['a symbol', Symbol('s')],
    [
      'a 5xx http-errors error',
      Object.assign(new Error('EACCES /etc/app'), { statusCode: 500, expose: false }),
    ],
  ])('turns %s into the generic 500', (_, thrown) => {
    expect(normalizeError(thrown, hidden)).toEqual(internal(thrown));
  });

  it('shows an Error message only when internal errors are exposed', () => {
    const thrown = new Error('password=hunter2');
    expect(normalizeError(thrown, exposed)).toEqual(internal(thrown, 'password=hunter2'));
  });

  it('never throws, even on a value whose traps throw', () => {
    const hostile = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('trap');
        },
        get() {
          throw new Error('trap');
        },
      },
    );
    // Compared field by field: the matcher itself would trip over the traps.
    const { cause, ...rest } = normalizeError(hostile, hidden);
    expect(cause === hostile).toBe(true);
    expect(rest).toEqual({ ...internal(undefined), cause: undefined });
  });

  it('never throws on an HttpException whose response getter throws', () => {
    const thrown = new BadRequestException('x');
    Object.defineProperty(thrown, 'response', {
      get() {
        throw new Error('getter');
      },
    });
    expect(normalizeError(thrown, hidden)).toEqual(internal(thrown));
  });

  it('gives a one-off ApiException its own code', () => {
    const thrown = new ApiException({ code: 'TEAPOT', status: 418, message: 'I am a teapot' });
    expect(normalizeError(thrown, hidden)).toMatchObject({
      status: 418,
      code: 'TEAPOT',
      message: 'I am a teapot',
      category: 'VALIDATION',
      retryable: false,
    });
  });
});

describe('transport exceptions (RpcException, WsException)', () => {
  const transports = [
    ['RpcException', (payload: unknown) => new RpcException(payload as string)],
    ['WsException', (payload: unknown) => new WsException(payload as string)],
  ] as const;

  it.each(transports)('%s: a string is a 400 with that message', (_, create) => {
    expect(normalizeError(create('Flow is locked'), hidden)).toMatchObject({
      status: 400,
      message: 'Flow is locked',
      category: 'VALIDATION',
    });
  });

  it.each(transports)('%s: a plain { statusCode, message } keeps both', (_, create) => {
    expect(
      normalizeError(create({ statusCode: 409, message: 'Flow is locked' }), hidden),
    ).toMatchObject({
      status: 409,
      message: 'Flow is locked',
      category: 'CONFLICT',
    });
  });

  it.each(transports)("%s: a guard's denial is 403 Forbidden resource (AUTH)", (_, create) => {
    expect(normalizeError(create('Forbidden resource'), hidden)).toMatchObject({
      status: 403,
      code: undefined,
      message: 'Forbidden resource',
      category: 'AUTH',
    });
  });

  it.each(transports)(
    '%s wrapping an Error is a generic 500 whose cause is the Error',
    (_, create) => {
      const wrapped = new Error('connect ECONNREFUSED postgres://app:hunter2@db');
      expect(normalizeError(create(wrapped), hidden)).toEqual(internal(wrapped));
    },
  );

  it.each(transports)(
    "%s: Nest's gRPC { code, message } is the code's HTTP status, its message kept below 500",
    (_, create) => {
      expect(
        normalizeError(create({ code: 5, message: 'Hero 7 not found' }), hidden),
      ).toMatchObject({
        status: 404,
        code: undefined,
        message: 'Hero 7 not found',
        category: 'NOT_FOUND',
      });
      expect(normalizeError(create({ code: 9, message: 'Not yet' }), hidden)).toMatchObject({
        status: 400,
        message: 'Not yet',
      });
      // No message: the status text.
      expect(normalizeError(create({ code: 6 }), hidden)).toMatchObject({
        status: 409,
        message: 'Conflict',
      });
      // 5xx-like codes: redacted as every 5xx.
      expect(normalizeError(create({ code: 14, message: 'db at 10.0.0.7' }), hidden)).toMatchObject(
        { status: 503, message: 'Service Unavailable', retryable: true },
      );
      expect(normalizeError(create({ code: 2, message: 'boom' }), hidden)).toMatchObject({
        status: 500,
        message: 'Internal server error',
      });
      expect(
        normalizeError(create({ code: 14, message: 'db at 10.0.0.7' }), exposed),
      ).toMatchObject({ status: 503, message: 'db at 10.0.0.7' });
      // An HTTP status named beside it wins; code 0 (OK) and other numbers are no gRPC error.
      expect(
        normalizeError(create({ code: 5, statusCode: 409, message: 'Taken' }), hidden),
      ).toMatchObject({ status: 409 });
      expect(normalizeError(create({ code: 0, message: 'ok?' }), hidden)).toMatchObject({
        status: 400,
      });
      expect(normalizeError(create({ code: 17, message: 'what' }), hidden)).toMatchObject({
        status: 400,
      });
    },
  );

  it.each(transports)('%s wrapping anything but a plain payload is a generic 500', (_, create) => {
    class Failure {
      message = 'password=hunter2';
    }
    for (const payload of [
      new Failure(),
      { code: 'X' },
      { message: 42 },
      null,
      undefined,
      7,
      ['x'],
    ]) {
      const thrown = create(payload);
      expect(normalizeError(thrown, hidden)).toEqual(internal(thrown));
    }
  });
});

describe('parserErrorMessage', () => {
  const bodyParser = (type: string, status: number) =>
    Object.assign(new Error('raw parser message'), {
      type,
      status,
      statusCode: status,
      expose: true,
    });
  const fastify = (code: string, statusCode: number) =>
    Object.assign(new Error('raw parser message'), { name: 'FastifyError', code, statusCode });

  it.each([
    [400, bodyParser('entity.parse.failed', 400), 'Malformed JSON in request body'],
    [
      400,
      Object.assign(new SyntaxError('Unexpected end'), { statusCode: 400 }),
      'Malformed JSON in request body',
    ],
    [400, fastify('FST_ERR_CTP_EMPTY_JSON_BODY', 400), 'Malformed JSON in request body'],
    [400, fastify('FST_ERR_CTP_INVALID_JSON_BODY', 400), 'Malformed JSON in request body'],
    [413, bodyParser('entity.too.large', 413), 'Request body is too large'],
    [413, fastify('FST_ERR_CTP_BODY_TOO_LARGE', 413), 'Request body is too large'],
    [415, bodyParser('charset.unsupported', 415), 'Unsupported media type'],
    [415, bodyParser('encoding.unsupported', 415), 'Unsupported media type'],
    [415, fastify('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415), 'Unsupported media type'],
  ])('maps a %i parser error to the documented message', (status, source, message) => {
    expect(parserErrorMessage(status, source)).toBe(message);
  });

  it('leaves a SyntaxError that no parser marked alone', () => {
    expect(parserErrorMessage(400, new SyntaxError('bad config'))).toBeUndefined();
  });

  it('leaves a 413 or 415 that no parser raised alone', () => {
    expect(parserErrorMessage(413, new Error('quota'))).toBeUndefined();
    expect(parserErrorMessage(415, undefined)).toBeUndefined();
  });

  const zlibError = (code: string, errno: number, marked: boolean) =>
    Object.assign(new Error('incorrect header check'), {
      code,
      errno,
      ...(marked ? { status: 400, statusCode: 400, expose: true } : {}),
    });

  it.each([
    ['gzip/deflate (body-parser)', zlibError('Z_DATA_ERROR', -3, true)],
    ['truncated gzip (body-parser)', zlibError('Z_BUF_ERROR', -5, true)],
    ['brotli (body-parser)', zlibError('ERR__ERROR_FORMAT_PADDING_2', -15, true)],
    ['@fastify/compress', fastify('FST_CP_ERR_INVALID_CONTENT', 400)],
  ])('maps a body that does not decompress, %s, to its own message', (_, source) => {
    expect(parserErrorMessage(400, source)).toBe('Request body could not be decoded');
  });

  it('leaves a zlib error no parser marked alone (a handler inflating its own data)', () => {
    expect(parserErrorMessage(400, zlibError('Z_DATA_ERROR', -3, false))).toBeUndefined();
  });
});

describe('routerErrorMessage', () => {
  const fastify = (code: string, statusCode: number) =>
    Object.assign(new Error('raw router message'), { name: 'FastifyError', code, statusCode });

  it.each([
    [fastify('FST_ERR_BAD_URL', 400), 'Malformed request URL'],
    [
      Object.assign(new URIError("Failed to decode param '%zz'"), { status: 400, statusCode: 400 }),
      'Malformed request URL',
    ],
    [fastify('FST_ERR_MAX_PARAM_LENGTH', 414), 'Request URL is too long'],
    [new URIError('URI malformed'), undefined],
    [undefined, undefined],
  ])('%o → %s', (source, message) => {
    expect(routerErrorMessage(source)).toBe(message);
  });

  it('keeps the URL and its query string out of the message', () => {
    const thrown = Object.assign(new Error("'/a/%zz?token=hunter2' is not a valid url component"), {
      name: 'FastifyError',
      code: 'FST_ERR_BAD_URL',
      statusCode: 400,
    });
    expect(normalizeError(thrown, hidden)).toMatchObject({
      status: 400,
      message: 'Malformed request URL',
    });
  });
});

describe('one redaction rule for every kind of thrown value', () => {
  it.each([
    ['RpcException', new RpcException({ status: 503, message: 'replica lag on db-2' })],
    ['WsException', new WsException({ statusCode: 503, message: 'replica lag on db-2' })],
    ['ServiceUnavailableException', new ServiceUnavailableException('replica lag on db-2')],
  ])('a 5xx %s shows its message only with exposeInternalErrors', (_, thrown) => {
    expect(normalizeError(thrown, hidden)).toMatchObject({
      status: 503,
      message: 'Service Unavailable',
    });
    expect(normalizeError(thrown, exposed)).toMatchObject({
      status: 503,
      message: 'replica lag on db-2',
    });
  });

  it('a 5xx catalog error shows its documented message unless exposeInternalErrors', () => {
    const thrown = new UploadFailedException({ message: 'bucket acme-prod is read-only' });
    expect(normalizeError(thrown, hidden).message).toBe('File upload to storage failed');
    expect(normalizeError(thrown, exposed).message).toBe('bucket acme-prod is read-only');
  });
});

describe('stripRouteQuery', () => {
  it.each([
    ['Cannot GET /a?b=1', 'Cannot GET /a'],
    ['Cannot DELETE /a/b#frag', 'Cannot DELETE /a/b'],
    ['Cannot GET /a', 'Cannot GET /a'],
    ['Cannot M-SEARCH /x?token=secret', 'Cannot M-SEARCH /x'],
    ['Cannot GET http://user:pw@evil.test/v2/x?token=secret', 'Cannot GET /v2/x'],
    ['Cannot GET http://evil.test', 'Cannot GET /'],
    ['Cannot OPTIONS *', 'Cannot OPTIONS *'],
    ['Cannot find the user you asked for?', 'Cannot find the user you asked for?'],
    ['Cannot delete user?', 'Cannot delete user?'],
    ['Is it there?', 'Is it there?'],
  ])('%s → %s', (message, expected) => {
    expect(stripRouteQuery(message)).toBe(expected);
  });
});
