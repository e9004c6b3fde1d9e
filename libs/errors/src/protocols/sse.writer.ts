import type { ArgumentsHost, MessageEvent } from '@nestjs/common';
import type { ErrorContext } from '../core/api-error.interface.js';
import { bodyWithRequestId } from './error-output.js';
import type { ContextSettings, ErrorOutput, ErrorWriter } from './error-writer.interface.js';

/**
 * Errors of an `@Sse()` route after its headers were sent, when no status can change any more:
 * the context is the HTTP request's, read by the HTTP writer (its id is the response's
 * `X-Request-Id`), and the error is the event `{type: 'error', data: <the format's body>}`, with
 * `requestId` added when the format carries no id (an `EventSource` cannot read response
 * headers), which the route's stream then sends as its last.
 */
export class SseErrorWriter implements ErrorWriter {
  constructor(private readonly http: Pick<ErrorWriter, 'context'>) {}

  context(host: ArgumentsHost, settings: ContextSettings): ErrorContext {
    return this.http.context(host, settings);
  }

  write(_host: ArgumentsHost, output: ErrorOutput): MessageEvent {
    const data = bodyWithRequestId(output);
    return { type: 'error', data: data === output.body ? output.text : JSON.stringify(data) };
  }

  writeFallback(host: ArgumentsHost, output: ErrorOutput): MessageEvent {
    return this.write(host, output);
  }
}
