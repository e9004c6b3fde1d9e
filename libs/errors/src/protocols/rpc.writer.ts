import type { ArgumentsHost } from '@nestjs/common';
import { type Observable, throwError } from 'rxjs';
import type { ApiError, ErrorContext } from '../core/api-error.interface.js';
import { createMessageErrorContext } from '../core/error-context.factory.js';
import type { ContextSettings, ErrorOutput, ErrorWriter } from './error-writer.interface.js';

/**
 * A microservice handler's error as its caller receives it: the format's body plus `statusCode`
 * (and the violations as `details`, for formats whose body does not list them).
 */
export function rpcErrorPayload(
  error: ApiError,
  body: unknown,
  showsViolations: boolean,
): Record<string, unknown> {
  const payload: Record<string, unknown> =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? { ...(body as Record<string, unknown>) }
      : { error: body };
  payload.statusCode ??= error.status;
  if (!showsViolations && error.details !== undefined && error.details.length > 0) {
    payload.details ??= error.details.map(({ path, message }) => ({ path, message }));
  }
  return payload;
}

/**
 * Microservice (RPC) errors: the context names the message pattern, and the error is an
 * observable that errors with the payload, which Nest's transports send back to the caller.
 */
export class RpcErrorWriter implements ErrorWriter {
  readonly protocol = 'rpc';

  context(host: ArgumentsHost, settings: ContextSettings): ErrorContext {
    const rpc = host.switchToRpc().getContext<{ getPattern?(): unknown } | undefined>();
    return createMessageErrorContext(
      'rpc',
      rpc?.getPattern?.(),
      settings.requestId,
      settings.docsBaseUrl,
    );
  }

  write(_host: ArgumentsHost, output: ErrorOutput): Observable<never> {
    const payload = rpcErrorPayload(
      output.error,
      output.body,
      output.format?.showsViolations ?? false,
    );
    return throwError(() => payload);
  }

  writeFallback(host: ArgumentsHost, output: ErrorOutput): Observable<never> {
    return this.write(host, output);
  }
}
