import {
  type ArgumentsHost,
  Catch,
  Injectable,
  SetMetadata,
  type Type,
  UseFilters,
  applyDecorators,
} from '@nestjs/common';
import type { ErrorFormat } from '../formats/error-format.interface.js';
import {
  ERROR_FORMAT_METADATA,
  type FormatOption,
  resolveFormat,
} from '../formats/format.registry.js';
import { CATCH_WITH_FORMAT, ErrorsFilter, ROUTE_FILTER } from './errors.filter.js';

/** One filter class per format, shared by every route that speaks it (and its `@Sse()` errors). */
const routeFilters = new Map<ErrorFormat, Type<ErrorsFilter>>();

export function routeFilterFor(format: ErrorFormat): Type<ErrorsFilter> {
  let filter = routeFilters.get(format);
  if (filter === undefined) {
    @Catch()
    @Injectable()
    class RouteErrorsFilter extends ErrorsFilter {
      static readonly [ROUTE_FILTER] = true;

      override catch(exception: unknown, host: ArgumentsHost): unknown {
        return this[CATCH_WITH_FORMAT](exception, host, format);
      }
    }
    Object.defineProperty(RouteErrorsFilter, 'name', { value: `ErrorsFilter[${format.name}]` });
    filter = RouteErrorsFilter;
    routeFilters.set(format, filter);
  }
  return filter;
}

/**
 * This controller (or handler) answers errors in another format than the module's. It installs
 * a route-scoped `ErrorsFilter` bound to that format, which Nest runs before the global one, so
 * the format is known without reading any metadata per error, and routes without the decorator
 * pay nothing. Needs `ErrorsModule.forRoot()` in the app (the filter shares its settings).
 *
 * @example
 * @Controller('v2/auth')
 * @UseErrorFormat('traced')
 * export class AuthController {}
 */
export function UseErrorFormat(format: FormatOption): ClassDecorator & MethodDecorator {
  const resolved = resolveFormat(format);
  return applyDecorators(
    SetMetadata(ERROR_FORMAT_METADATA, resolved),
    UseFilters(routeFilterFor(resolved)),
  );
}
