import { catchingErrors, replaceMethodOnce } from './handler-errors.js';

/**
 * @nestjs/event-emitter (an optional peer, never imported): errors of `@OnEvent` listeners.
 *
 * The package subscribes each listener through its `EventSubscribersLoader`, whose
 * `wrapFunctionInTryCatchBlocks(instance, methodKey, args, options)` calls the listener, awaits
 * it, and — unless the listener says `suppressErrors: false` — logs the error (context `Event`)
 * and swallows it. That try/catch is the one seam: there an error of a listener that suppresses
 * errors goes to the application's error pipeline instead of the package's log line, and is
 * swallowed as before. A listener with `suppressErrors: false` is left alone: its error reaches
 * whoever emitted the event (`emitAsync`'s caller, a request's filter, or `processErrors`), and
 * is reported there, once. The listener methods themselves are not wrapped: a direct call of one
 * (a test, another service) still throws to its caller.
 */

/** The package's service that runs listeners (`EventSubscribersLoader`). */
export const EVENT_SUBSCRIBERS_LOADER = 'EventSubscribersLoader';
/** `@OnEvent`'s metadata key on a listener method (the package's `EVENT_LISTENER_METADATA`). */
export const EVENT_LISTENER_METADATA = 'EVENT_LISTENER_METADATA';

/** Where an event listener's error goes: the event's name as the listener declares it. */
export type EventErrorSink = (thrown: unknown, event: string) => void;

/** One `@OnEvent` of a listener method: what the decorator stores. */
interface ListenerMetadata {
  event?: unknown;
  options?: unknown;
}

/** The part of the loader the seam reads: its emitter knows the event being emitted. */
interface LoaderLike {
  eventEmitter?: { event?: unknown; delimiter?: unknown };
}

/** An event as written in logs: `order.created`; an array `['order', 'created']` joined. */
function eventName(event: unknown, delimiter: string): string {
  if (typeof event === 'string') {
    return event;
  }
  if (Array.isArray(event)) {
    return event.map((part) => eventName(part, delimiter)).join(delimiter);
  }
  return typeof event === 'symbol' ? event.toString() : String(event);
}

/**
 * The event a listener ran for, as it declares it: its `@OnEvent` with these options (the loader
 * passes each subscription's own options object). A method that listens to several events with
 * the same options is named by the event being emitted when it ran (`emitting`, the emitter's
 * `event`), when that is one of them, else by all of them (`order.created|order.paid`); a wildcard
 * listener by its pattern (`order.*`).
 */
export function listenedEvent(
  listener: unknown,
  options: unknown,
  emitting: { event?: unknown; delimiter?: unknown } | undefined,
  fallback: string,
): string {
  const delimiter = typeof emitting?.delimiter === 'string' ? emitting.delimiter : '.';
  const metadata: unknown =
    typeof listener === 'function'
      ? Reflect.getMetadata(EVENT_LISTENER_METADATA, listener)
      : undefined;
  const entries = (Array.isArray(metadata) ? metadata : [metadata]).filter(
    (entry): entry is ListenerMetadata => typeof entry === 'object' && entry !== null,
  );
  const own = entries.filter((entry) => entry.options === options);
  const names = [
    ...new Set((own.length > 0 ? own : entries).map((e) => eventName(e.event, delimiter))),
  ];
  if (names.length <= 1) {
    return names[0] ?? fallback;
  }
  const current = emitting?.event === undefined ? undefined : eventName(emitting.event, delimiter);
  return current !== undefined && names.includes(current) ? current : names.join('|');
}

/**
 * Routes the errors of listeners that suppress errors (the package's default) to
 * `sinkOf(loader)`; a loader without a sink (an app without ErrorsModule, or one closed) keeps
 * the package's own behaviour. Once per loader class; 'missing' (nothing changed) when the class
 * has no `wrapFunctionInTryCatchBlocks`.
 */
export function routeEventListenerErrors(
  loaderClass: { prototype: object },
  sinkOf: (loader: object) => EventErrorSink | undefined,
): 'patched' | 'missing' {
  return replaceMethodOnce(
    loaderClass.prototype,
    'wrapFunctionInTryCatchBlocks',
    (original) =>
      function (
        this: object,
        instance: unknown,
        methodKey: unknown,
        args: unknown,
        options: unknown,
      ) {
        const sink = sinkOf(this);
        const suppressed =
          (options as { suppressErrors?: unknown } | undefined)?.suppressErrors ?? true;
        if (sink === undefined || !suppressed) {
          return original.call(this, instance, methodKey, args, options);
        }
        // Read now: the emitter's current event changes with the next emit.
        const emitter = (this as LoaderLike).eventEmitter;
        const emitting = { event: emitter?.event, delimiter: emitter?.delimiter };
        // The package's try/catch rethrows instead of logging; the error is caught here.
        return catchingErrors(
          () =>
            original.call(this, instance, methodKey, args, {
              ...(options as object),
              suppressErrors: false,
            }),
          (failure) =>
            sink(
              failure,
              listenedEvent(
                (instance as Record<string, unknown> | null)?.[methodKey as string],
                options,
                emitting,
                `${(instance as object | null)?.constructor?.name ?? 'listener'}.${String(methodKey)}`,
              ),
            ),
        );
      },
  );
}
