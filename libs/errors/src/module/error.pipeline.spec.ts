import { Logger, NotFoundException } from '@nestjs/common';
import { type HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { firstValueFrom, type Observable } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RpcExchange } from '../protocols/error-exchange.js';
import { ErrorFormatResolver } from './error-format.resolver.js';
import { ErrorPipeline, type ErrorSteps } from './error.pipeline.js';
import { createErrorWriters } from './error.writers.js';
import { resolveErrorsSettings } from './errors.settings.js';

// The steps an app overrides may throw: the answer is still the error's, given once.

function pipeline(): ErrorPipeline {
  const settings = resolveErrorsSettings({ logging: { clientErrors: false } });
  return new ErrorPipeline(
    settings,
    new ErrorFormatResolver(settings, new ModulesContainer()),
    createErrorWriters(settings, { httpAdapter: undefined } as unknown as HttpAdapterHost),
  );
}

const exchange: RpcExchange = {
  transport: 'rpc',
  context: { getPattern: () => 'flows.get' },
  args: [{}, { getPattern: () => 'flows.get' }],
};

async function payloadOf(result: unknown): Promise<unknown> {
  return firstValueFrom(result as Observable<never>).catch((payload: unknown) => payload);
}

describe('ErrorPipeline with steps that throw', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(['log', 'report'] as const)(
    'a %s step that throws: the error is answered as it is, once, and the failure logged',
    async (step) => {
      const logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const errors = pipeline();
      const steps: ErrorSteps = {
        normalize: (exception) => errors.normalize(exception),
        log: (error, context) => errors.log(error, context),
        report: (error, context, thrown) => errors.report(error, context, thrown),
        [step]: () => {
          throw new Error(`${step} failed`);
        },
      };
      const payload = await payloadOf(
        errors.handle(new NotFoundException('Flow not found'), exchange, steps),
      );
      expect(payload).toMatchObject({ statusCode: 404, message: 'Flow not found' });
      expect(logged.mock.calls.map(([message]) => message)).toEqual([
        `ErrorsFilter's ${step} step failed; the error was answered`,
      ]);
    },
  );
});
