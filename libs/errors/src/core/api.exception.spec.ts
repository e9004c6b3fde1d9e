import { HttpException } from '@nestjs/common';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { SessionsException, VaultFilesException } from '../domains/domain.bases.js';
import { InvalidClientException } from '../domains/sessions.exceptions.js';
import {
  EntryIsNotABinaryException,
  UploadFailedException,
} from '../domains/vault-files.exceptions.js';
import {
  ApiException,
  declarationSiteFiles,
  definedExceptionClasses,
  recordDeclaredClass,
  watchDeclarationSites,
} from './api.exception.js';

class UnknownWidgetException extends VaultFilesException.define({
  code: 'UNKNOWN_WIDGET',
  status: 404,
  message: 'Unknown widget {widget} in {place}',
}) {}

describe('ApiException', () => {
  afterEach(() => {
    ApiException.captureClientErrorStacks = false;
  });

  it('is a Nest HttpException carrying the documented code, status and message', () => {
    const error = new InvalidClientException();
    expect(error).toBeInstanceOf(HttpException);
    expect(error).toBeInstanceOf(SessionsException);
    expect(error.getStatus()).toBe(400);
    expect(error.code).toBe('INVALID_CLIENT');
    expect(error.message).toBe(
      'client_id is missing, not found, or has no allowed redirect URLs configured',
    );
    expect(error.name).toBe('InvalidClientException');
    expect(error.category).toBe('VALIDATION');
    expect(error.retryable).toBe(false);
  });

  it('keeps literal code and status types', () => {
    const error = new InvalidClientException();
    expectTypeOf(error.code).toEqualTypeOf<'INVALID_CLIENT'>();
    expectTypeOf(error.getStatus()).toEqualTypeOf<400>();
    expectTypeOf(InvalidClientException.definition.code).toEqualTypeOf<'INVALID_CLIENT'>();
  });

  it('fills template fields from the constructor, which requires them', () => {
    const error = new UnknownWidgetException({ widget: 'gear', place: 'vault' });
    expect(error.message).toBe('Unknown widget gear in vault');
    expectTypeOf<ConstructorParameters<typeof UnknownWidgetException>[0]>().toMatchTypeOf<{
      widget: string | number;
      place: string | number;
    }>();
    // @ts-expect-error the template fields are required
    void (() => new UnknownWidgetException());
  });

  it('takes message, details, cause and retryAfterSeconds from the thrower', () => {
    const cause = new Error('socket hang up');
    const details = [{ path: 'file', message: 'file is required' }];
    const error = new UploadFailedException({
      message: 'S3 said no',
      details,
      cause,
      retryAfterSeconds: 30,
    });
    expect(error.message).toBe('S3 said no');
    expect(error.details).toBe(details);
    expect(error.cause).toBe(cause);
    expect(error.retryAfterSeconds).toBe(30);
  });

  it('resolves category and retryable once per class, as DESIGN declares', () => {
    expect(UploadFailedException.definition).toMatchObject({
      category: 'EXTERNAL_SERVICE',
      retryable: true,
      domain: 'vault-files',
    });
    expect(EntryIsNotABinaryException.definition).toMatchObject({
      category: 'INTERNAL',
      retryable: false,
    });
    expect(new UploadFailedException().definition).toBe(UploadFailedException.definition);
  });

  it('builds a 4xx without a stack trace unless asked, and a 5xx always with one', () => {
    expect(new InvalidClientException().stack).toBe(
      'InvalidClientException: client_id is missing, not found, or has no allowed redirect URLs configured',
    );
    expect(new UploadFailedException().stack).toContain('api.exception.spec.ts');
    ApiException.captureClientErrorStacks = true;
    expect(new InvalidClientException().stack).toContain('api.exception.spec.ts');
  });

  it('restores the stack trace limit it lowered', () => {
    const limit = Error.stackTraceLimit;
    new InvalidClientException();
    expect(Error.stackTraceLimit).toBe(limit);
  });

  it('renders template fields that are not strings or numbers as empty, without throwing', () => {
    const limit = Error.stackTraceLimit;
    const hostile = {
      toString: () => {
        throw new Error('no');
      },
    };
    const error = new UnknownWidgetException({
      widget: hostile as never,
      place: Symbol('s') as never,
    });
    expect(error.message).toBe('Unknown widget  in ');
    expect(Error.stackTraceLimit).toBe(limit);
  });

  it('refuses a placeholder that is not a template field', () => {
    expect(() =>
      ApiException.define({ code: 'X', status: 400, message: 'Use {provider-id}' }),
    ).toThrow('"{provider-id}" is not a template field');
  });

  it('keeps a deprecation note on the definition, and answers exactly as before', () => {
    class FlowLockedException extends SessionsException.define({
      code: 'FLOW_LOCKED',
      status: 409,
      message: 'Flow {flowId} is locked',
      deprecated: 'use FLOW_ARCHIVED',
    }) {}
    const error = new FlowLockedException({ flowId: 'flw_1' });
    expect(FlowLockedException.definition.deprecated).toBe('use FLOW_ARCHIVED');
    expect(InvalidClientException.definition.deprecated).toBeUndefined();
    expect(error.getResponse()).toEqual({
      statusCode: 409,
      message: 'Flow flw_1 is locked',
      code: 'FLOW_LOCKED',
    });
    expect(error.code).toBe('FLOW_LOCKED');
  });

  it.each(['', '  ', 1])('refuses a deprecation without a note (%j)', (deprecated) => {
    expect(() =>
      ApiException.define({
        code: 'X',
        status: 400,
        message: 'x',
        deprecated: deprecated as string,
      }),
    ).toThrow("Error X: deprecated takes a note saying what to use instead ('use FLOW_ARCHIVED')");
  });

  it('never serializes its cause or stack', () => {
    const error = new UploadFailedException({ cause: new Error('password=hunter2') });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'UploadFailedException',
      statusCode: 503,
      code: 'UPLOAD_FAILED',
      message: 'File upload to storage failed',
    });
  });

  it('answers getResponse() with the code, for Nest filters that read it', () => {
    expect(new InvalidClientException().getResponse()).toEqual({
      statusCode: 400,
      message: 'client_id is missing, not found, or has no allowed redirect URLs configured',
      code: 'INVALID_CLIENT',
    });
  });

  it('lists a defined class as the app declared it, once that class is recorded', () => {
    const Defined = ApiException.define({
      code: 'PAYMENT_REQUIRED',
      status: 402,
      message: 'The card was declined',
    });
    class CardDeclinedError extends Defined {}
    class CardDeclinedAgainError extends Defined {}
    class Deeper extends CardDeclinedError {}
    const listed = () =>
      definedExceptionClasses().filter((each) => each.definition === Defined.definition);
    // What define() returned is named from the code, and listed until the app's class is known.
    expect(listed()).toEqual([Defined]);
    expect(Defined.name).toBe('PaymentRequiredException');
    for (const ignored of [
      Deeper,
      UploadFailedException,
      HttpException,
      'CardDeclinedError',
      null,
    ]) {
      recordDeclaredClass(ignored);
    }
    expect(listed()).toEqual([Defined]);
    recordDeclaredClass(CardDeclinedError);
    expect(listed()).toEqual([CardDeclinedError]);
    // The first class declared on it stays.
    recordDeclaredClass(CardDeclinedAgainError);
    expect(listed()).toEqual([CardDeclinedError]);
  });

  it('records the file define() is called from, once watched', () => {
    ApiException.define({ code: 'UNWATCHED', status: 400, message: 'x' });
    expect(declarationSiteFiles()).toEqual([]);
    const { prepareStackTrace, stackTraceLimit } = Error;
    watchDeclarationSites();
    ApiException.define({ code: 'WATCHED', status: 400, message: 'x' });
    // This file, then what called it (the test runner), a few frames deep.
    expect(declarationSiteFiles()[0]).toMatch(/\/core\/api\.exception\.spec\.ts$/);
    // The stack hooks are as they were.
    expect([Error.prepareStackTrace, Error.stackTraceLimit]).toEqual([
      prepareStackTrace,
      stackTraceLimit,
    ]);
  });

  it('makes a one-off error from code, status and message', () => {
    const error = new ApiException({ code: 'TEAPOT', status: 418, message: 'I am a teapot' });
    expect([error.code, error.getStatus(), error.message, error.definition.domain]).toEqual([
      'TEAPOT',
      418,
      'I am a teapot',
      'common',
    ]);
  });

  it('refuses a one-off error without a definition, and a definition with a non-error status', () => {
    expect(() => new ApiException()).toThrow(TypeError);
    expect(() => ApiException.define({ code: 'OK', status: 200, message: 'fine' })).toThrow(
      RangeError,
    );
  });
});
