import type { ErrorContext } from '../core/api-error.interface.js';
import { createMessageErrorContext } from '../core/error-context.factory.js';
import { resolveRequestId } from '../core/request-id.resolver.js';
import type { BackgroundExchange } from './error-exchange.js';
import type { ContextSettings, ErrorWriter } from './error-writer.interface.js';

/**
 * Errors outside a request (an event listener's, a scheduled job's, the process's): there is no
 * one to answer, so nothing is rendered or written; the context gives the log line and the
 * reporters a new request id, the kind upper-cased as its method (`EVENT`, `CRON`, `PROCESS`, …)
 * and the event, job or origin as its path.
 */
export class BackgroundErrorWriter implements ErrorWriter<BackgroundExchange> {
  readonly rendersBody = false;

  context(exchange: BackgroundExchange, settings: ContextSettings): ErrorContext {
    return createMessageErrorContext(
      'background',
      exchange.name,
      resolveRequestId(undefined, settings.requestId),
      settings.docsBaseUrl,
      exchange.kind.toUpperCase(),
    );
  }

  write(): undefined {
    return undefined;
  }

  writeFallback(): undefined {
    return undefined;
  }
}
