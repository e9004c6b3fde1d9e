import { Logger, type Provider } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { BackgroundErrorWriter } from '../protocols/background.writer.js';
import type { ErrorWriters } from '../protocols/error-writer.interface.js';
import { GraphQLErrorWriter } from '../protocols/graphql.writer.js';
import { HttpErrorWriter, RawHttpErrorWriter } from '../protocols/http.writer.js';
import { RpcErrorWriter } from '../protocols/rpc.writer.js';
import { SseErrorWriter } from '../protocols/sse.writer.js';
import { WsErrorWriter } from '../protocols/ws.writer.js';
import { ERRORS_SETTINGS, type ErrorsSettings } from './errors.settings.js';

/** Internal token of the pipeline's writers, one per kind of exchange. */
export const ERROR_WRITERS = Symbol('ERROR_WRITERS');

/** The writers of one application, configured once from its settings. */
export function createErrorWriters(
  settings: ErrorsSettings,
  adapterHost: HttpAdapterHost,
): ErrorWriters {
  const { requestId, normalize } = settings;
  const requestIdHeader = requestId.enabled ? requestId.header : undefined;
  const logger = new Logger('ErrorsFilter');
  return {
    http: new HttpErrorWriter(adapterHost, requestIdHeader, ({ error, context }) => {
      try {
        logger.warn(
          `${context.method} ${context.path} requestId=${context.requestId}: ` +
            `the response had already started when ${error.status} was thrown; it was ended without an error body`,
        );
      } catch {
        // A logger that throws must not cost the client anything more.
      }
    }),
    'raw-http': new RawHttpErrorWriter(requestIdHeader),
    sse: new SseErrorWriter(),
    graphql: new GraphQLErrorWriter(normalize.exposeInternalErrors),
    rpc: new RpcErrorWriter(settings),
    ws: new WsErrorWriter(),
    background: new BackgroundErrorWriter(),
  };
}

export const errorWritersProvider: Provider = {
  provide: ERROR_WRITERS,
  inject: [ERRORS_SETTINGS, HttpAdapterHost],
  useFactory: createErrorWriters,
};
