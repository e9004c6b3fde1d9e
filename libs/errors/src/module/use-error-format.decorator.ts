import { SetMetadata } from '@nestjs/common';
import {
  ERROR_FORMAT_METADATA,
  type FormatOption,
  resolveFormat,
} from '../formats/format.registry.js';

/**
 * This controller (or handler) answers errors in another format than the module's: metadata
 * only, read once per handler (an HTTP route's when the application starts; an `@Sse()`,
 * microservice or WebSocket handler's at its first error). It wins over `routes`; on a handler
 * it wins over its controller's. Covers every error of its routes that Nest routes to them
 * (guards, pipes, interceptors, the handler, `@Sse()` streams), and of microservice handlers;
 * errors before routing (middleware, body parsers, unknown routes) follow `routes`. Needs
 * `ErrorsModule.forRoot()` in the app; on a WebSocket gateway, also `@UseFilters(ErrorsFilter)`
 * (Nest applies no global filter there).
 *
 * @example
 * @Controller('v2/auth')
 * @UseErrorFormat('traced')
 * export class AuthController {}
 */
export function UseErrorFormat(format: FormatOption): ClassDecorator & MethodDecorator {
  return SetMetadata(ERROR_FORMAT_METADATA, resolveFormat(format));
}
