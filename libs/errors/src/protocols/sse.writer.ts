import type { MessageEvent } from '@nestjs/common';
import type { ErrorContext } from '../core/api-error.interface.js';
import type { SseExchange } from './error-exchange.js';
import { bodyWithRequestId } from './error-output.js';
import type { ContextSettings, ErrorOutput, ErrorWriter } from './error-writer.interface.js';
import { httpExchangeContext } from './http.writer.js';

/**
 * Errors of an `@Sse()` route after its headers were sent, when no status can change any more:
 * the context is the HTTP request's (its id is the response's `X-Request-Id`), and the error is
 * the event `{type: 'error', data: <the format's body>}`, with `requestId` added when the format
 * carries no id (an `EventSource` cannot read response headers), which the route's stream then
 * sends as its last.
 */
export class SseErrorWriter implements ErrorWriter<SseExchange> {
  context(exchange: SseExchange, settings: ContextSettings): ErrorContext {
    return httpExchangeContext(exchange, settings);
  }

  write(_exchange: SseExchange, output: ErrorOutput): MessageEvent {
    const data = bodyWithRequestId(output);
    return { type: 'error', data: data === output.body ? output.text : JSON.stringify(data) };
  }

  writeFallback(exchange: SseExchange, output: ErrorOutput): MessageEvent {
    return this.write(exchange, output);
  }
}
