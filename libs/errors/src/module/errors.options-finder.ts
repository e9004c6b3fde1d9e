import type { DynamicModule } from '@nestjs/common';
import type { ApiExceptionClass } from '../core/api.exception.js';
import { API_ERRORS_METADATA } from '../docs/api-errors.decorator.js';
import type { AppErrorsOptions } from '../docs/docs.cli.js';
import { ERRORS_MODULE_OPTIONS } from './errors.constants.js';
import type { ErrorsModuleOptions } from './errors-options.interface.js';
import { ErrorsModule } from './errors.module.js';

/** Nest's keys for a module's `imports` and `controllers` (`MODULE_METADATA`). */
const IMPORTS = 'imports';
const CONTROLLERS = 'controllers';

const isObject = (value: unknown): value is object =>
  (typeof value === 'object' && value !== null) || typeof value === 'function';

/** What the CLI learns from the modules it loaded, walking them as Nest would. */
interface LoadedApp {
  /** The first `ErrorsModule.forRoot(…)` options met; `forRootAsync` ones exist only at run time. */
  options: ErrorsModuleOptions | undefined;
  /** Every controller of the modules met. */
  controllers: Set<Function>;
}

/**
 * Walks every exported module class's `imports` (dynamic modules and `forwardRef`s included),
 * from each loaded file's exports, collecting the `ErrorsModule.forRoot` options and the
 * controllers it meets.
 */
function walk(loaded: readonly unknown[]): LoadedApp {
  const app: LoadedApp = { options: undefined, controllers: new Set() };
  const seen = new Set<object>();
  const controllersOf = (list: unknown) => {
    for (const controller of Array.isArray(list) ? (list as unknown[]) : []) {
      if (typeof controller === 'function') {
        app.controllers.add(controller);
      }
    }
  };
  const visit = (candidate: unknown): void => {
    if (!isObject(candidate) || seen.has(candidate)) {
      return;
    }
    seen.add(candidate);
    const forward = (candidate as { forwardRef?: unknown }).forwardRef;
    if (typeof forward === 'function') {
      visit((forward as () => unknown)());
      return;
    }
    if ('module' in candidate) {
      const dynamic = candidate as DynamicModule;
      if (dynamic.module === ErrorsModule) {
        const provider = dynamic.providers?.find(
          (each) => isObject(each) && 'provide' in each && each.provide === ERRORS_MODULE_OPTIONS,
        );
        if (provider !== undefined && 'useValue' in provider) {
          app.options ??= provider.useValue as ErrorsModuleOptions;
        }
        return;
      }
      controllersOf(dynamic.controllers);
      dynamic.imports?.forEach(visit);
      visit(dynamic.module);
      return;
    }
    if (typeof candidate === 'function') {
      controllersOf(Reflect.getMetadata?.(CONTROLLERS, candidate));
      (Reflect.getMetadata?.(IMPORTS, candidate) as unknown[] | undefined)?.forEach(visit);
    }
  };
  for (const namespace of loaded) {
    if (isObject(namespace)) {
      Object.values(namespace).forEach(visit);
    }
  }
  return app;
}

/**
 * The options of the `ErrorsModule.forRoot(…)` that loaded modules import, for the CLI: the
 * first `forRoot` options met. `forRootAsync` options exist only once the app runs: undefined
 * then, as when no module imports `ErrorsModule`.
 */
export function errorsModuleOptionsIn(loaded: readonly unknown[]): ErrorsModuleOptions | undefined {
  return walk(loaded).options;
}

/** A typed error class `ApiErrors` can name (Nest's own exceptions have no catalog row). */
const isDefined = (value: unknown): value is ApiExceptionClass =>
  typeof value === 'function' && (value as Partial<ApiExceptionClass>).definition !== undefined;

/**
 * Every typed error class the loaded modules' controllers declare with `ApiErrors`, on the
 * controller or on a route, in the order met (shipped classes too: an app that declares
 * `EntryNotFoundException` answers it, whether or not its domain is named).
 */
export function declaredErrorClassesIn(loaded: readonly unknown[]): ApiExceptionClass[] {
  return declaredBy(walk(loaded).controllers);
}

function declaredBy(controllers: ReadonlySet<Function>): ApiExceptionClass[] {
  const declared = new Set<ApiExceptionClass>();
  const add = (holder: object) => {
    for (const each of (Reflect.getMetadata(API_ERRORS_METADATA, holder) as unknown[]) ?? []) {
      if (isDefined(each)) {
        declared.add(each);
      }
    }
  };
  for (const controller of controllers) {
    add(controller);
    let prototype: object | null = controller.prototype as object;
    while (prototype !== null && prototype !== Object.prototype) {
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const member: unknown = Object.getOwnPropertyDescriptor(prototype, name)?.value;
        if (name !== 'constructor' && typeof member === 'function') {
          add(member);
        }
      }
      prototype = Object.getPrototypeOf(prototype) as object | null;
    }
  }
  return [...declared];
}

/** What `npx nest-api-errors docs|types --module …` reads of the app it loaded. */
export function appErrorsIn(loaded: readonly unknown[]): AppErrorsOptions | undefined {
  const { options, controllers } = walk(loaded);
  const declared = declaredBy(controllers);
  if (options === undefined && declared.length === 0) {
    return undefined;
  }
  return {
    format: options?.format,
    routes: options?.routes,
    docsBaseUrl: options?.docsBaseUrl,
    declared,
  };
}
