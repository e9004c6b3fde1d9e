import type { DynamicModule } from '@nestjs/common';
import { ERRORS_MODULE_OPTIONS } from './errors.constants.js';
import type { ErrorsModuleOptions } from './errors-options.interface.js';
import { ErrorsModule } from './errors.module.js';

/** Nest's key for a module's `imports` (`MODULE_METADATA.IMPORTS`). */
const IMPORTS = 'imports';

const isObject = (value: unknown): value is object =>
  (typeof value === 'object' && value !== null) || typeof value === 'function';

/**
 * The options of the `ErrorsModule.forRoot(…)` that loaded modules import, for the CLI: it walks
 * every exported module class's `imports` (dynamic modules and `forwardRef`s included) and
 * returns the first `forRoot` options it meets. `forRootAsync` options exist only once the app
 * runs: undefined then, as when no module imports `ErrorsModule`.
 */
export function errorsModuleOptionsIn(loaded: readonly unknown[]): ErrorsModuleOptions | undefined {
  const seen = new Set<object>();
  const visit = (candidate: unknown): ErrorsModuleOptions | undefined => {
    if (!isObject(candidate) || seen.has(candidate)) {
      return undefined;
    }
    seen.add(candidate);
    const forward = (candidate as { forwardRef?: unknown }).forwardRef;
    if (typeof forward === 'function') {
      return visit((forward as () => unknown)());
    }
    if ('module' in candidate) {
      const dynamic = candidate as DynamicModule;
      if (dynamic.module === ErrorsModule) {
        const provider = dynamic.providers?.find(
          (each) => isObject(each) && 'provide' in each && each.provide === ERRORS_MODULE_OPTIONS,
        );
        return provider !== undefined && 'useValue' in provider
          ? (provider.useValue as ErrorsModuleOptions)
          : undefined;
      }
      return visitAll(dynamic.imports) ?? visit(dynamic.module);
    }
    if (typeof candidate === 'function') {
      return visitAll(Reflect.getMetadata?.(IMPORTS, candidate) as unknown[] | undefined);
    }
    return undefined;
  };
  const visitAll = (candidates: readonly unknown[] | undefined) => {
    for (const candidate of candidates ?? []) {
      const found = visit(candidate);
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  };
  for (const namespace of loaded) {
    const found = isObject(namespace) ? visitAll(Object.values(namespace)) : undefined;
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}
