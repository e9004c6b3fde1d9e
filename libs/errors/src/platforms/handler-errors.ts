/**
 * What the platform files for @nestjs/event-emitter and @nestjs/schedule share: both packages run
 * an app's handlers through a try/catch of their own that logs and swallows the error, and both
 * are reached by replacing one method of that package's service class, once per class.
 */

/** A thenable, as `await` would treat it. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Calls `run`; what it throws, or the promise it returns rejects with, goes to `onError` and is
 * swallowed (the result is then `undefined`, as the packages' own try/catch gives). A sync
 * handler's result is returned as it is, a promise's value as its value.
 */
export function catchingErrors(run: () => unknown, onError: (failure: unknown) => void): unknown {
  let result: unknown;
  try {
    result = run();
  } catch (failure) {
    onError(failure);
    return undefined;
  }
  return isThenable(result)
    ? result.then(undefined, (failure: unknown) => {
        onError(failure);
        return undefined;
      })
    : result;
}

/** Marks what this copy of the library replaced: another copy adds its own layer, not a loop. */
const REPLACED = Symbol('nest-api-errors:replaced');

/**
 * Replaces `prototype[name]` with `replace(original)`, once: 'patched' (now or before), or
 * 'missing' when the class has no such method (another version of the package) or it cannot be
 * replaced, changing nothing. The replacement keeps the original's property attributes, so Nest's and the package's
 * scanners see a method as before.
 */
export function replaceMethodOnce(
  prototype: object,
  name: string,
  replace: (original: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown,
): 'patched' | 'missing' {
  const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
  const original: unknown = descriptor?.value;
  if (descriptor === undefined || typeof original !== 'function') {
    return 'missing';
  }
  if ((original as { [REPLACED]?: true })[REPLACED] === true) {
    return 'patched';
  }
  if (descriptor.configurable !== true) {
    return 'missing';
  }
  const replacement = replace(original as (...args: unknown[]) => unknown);
  Object.defineProperty(replacement, REPLACED, { value: true });
  Object.defineProperty(prototype, name, { ...descriptor, value: replacement });
  return 'patched';
}
