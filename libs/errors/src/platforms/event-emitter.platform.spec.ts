import { Logger } from '@nestjs/common';
import {
  EVENT_LISTENER_METADATA as PACKAGE_METADATA,
  EventEmitter2,
  EventEmitterModule,
  OnEvent,
} from '@nestjs/event-emitter';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  EVENT_LISTENER_METADATA,
  EVENT_SUBSCRIBERS_LOADER,
  listenedEvent,
  routeEventListenerErrors,
} from './event-emitter.platform.js';

// Against the installed @nestjs/event-emitter: the names this file knows it by, and the seam in
// its loader's own try/catch.

/** The package's loader class, which it does not export: its module provides it. */
const Loader = EventEmitterModule.forRoot().providers!.find(
  (provider) => typeof provider === 'function' && provider.name === EVENT_SUBSCRIBERS_LOADER,
) as { prototype: object; new (...args: never[]): object } | undefined;

type Wrap = (
  instance: object,
  methodKey: string,
  args: unknown[],
  options: unknown,
) => Promise<unknown>;

class Listeners {
  @OnEvent('order.created')
  created(): void {
    throw new Error('sync failure');
  }

  @OnEvent('order.paid')
  async paid(): Promise<void> {
    await Promise.resolve();
    throw new Error('async failure');
  }

  @OnEvent('order.shipped')
  @OnEvent('order.delivered')
  tracked(): void {
    throw new Error('tracking failure');
  }

  @OnEvent('order.refunded', { suppressErrors: false })
  refunded(): void {
    throw new Error('refund failure');
  }

  @OnEvent(['order', 'archived'])
  archived(): string {
    return 'archived';
  }

  plain(): void {}
}

/** The options object the loader passes for a method's n-th `@OnEvent`. */
function optionsOf(method: unknown, index = 0): unknown {
  return (Reflect.getMetadata(PACKAGE_METADATA, method as object) as Array<{ options?: unknown }>)[
    index
  ]!.options;
}

describe('@nestjs/event-emitter as installed', () => {
  it('keeps @OnEvent metadata under the key this file reads, and has its loader class', () => {
    expect(PACKAGE_METADATA).toBe(EVENT_LISTENER_METADATA);
    expect(Loader).toBeDefined();
    expect(
      typeof (Loader!.prototype as { wrapFunctionInTryCatchBlocks?: unknown })
        .wrapFunctionInTryCatchBlocks,
    ).toBe('function');
  });
});

describe('listenedEvent', () => {
  it('names a listener by the event it declares; arrays joined by the delimiter', () => {
    expect(listenedEvent(Listeners.prototype.created, undefined, undefined, 'x')).toBe(
      'order.created',
    );
    expect(listenedEvent(Listeners.prototype.archived, undefined, undefined, 'x')).toBe(
      'order.archived',
    );
    expect(listenedEvent(Listeners.prototype.archived, undefined, { delimiter: ':' }, 'x')).toBe(
      'order:archived',
    );
    const refunded = Listeners.prototype.refunded;
    expect(listenedEvent(refunded, optionsOf(refunded), undefined, 'x')).toBe('order.refunded');
  });

  it('names a listener of several events by the one being emitted, else by all of them', () => {
    const tracked = Listeners.prototype.tracked;
    expect(listenedEvent(tracked, undefined, { event: 'order.shipped' }, 'x')).toBe(
      'order.shipped',
    );
    expect(listenedEvent(tracked, undefined, { event: 'something.else' }, 'x')).toBe(
      'order.delivered|order.shipped',
    );
  });

  it('falls back to the given name without metadata', () => {
    expect(listenedEvent(Listeners.prototype.plain, undefined, undefined, 'Listeners.plain')).toBe(
      'Listeners.plain',
    );
  });
});

describe('routeEventListenerErrors on the installed loader', () => {
  const sinks = new Map<object, (thrown: unknown, event: string) => void>();
  const routed = routeEventListenerErrors(Loader!, (loader) => sinks.get(loader));
  const errorLog = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

  afterEach(() => {
    sinks.clear();
    errorLog.mockClear();
  });

  /** A loader as the package builds it, with what its try/catch reads. */
  function loader(): { wrap: Wrap; self: object } {
    const self = Object.create(Loader!.prototype) as Record<string, unknown>;
    self.logger = new Logger('Event');
    self.eventEmitter = new EventEmitter2();
    const wrap = (self.wrapFunctionInTryCatchBlocks as Wrap).bind(self);
    return { wrap, self };
  }

  it('is applied once per class', () => {
    expect(routed).toBe('patched');
    expect(routeEventListenerErrors(Loader!, () => undefined)).toBe('patched');
  });

  it('sends a sync or async listener error to the sink instead of the package log, and swallows it', async () => {
    const { wrap, self } = loader();
    const received: Array<[string, string]> = [];
    sinks.set(self, (thrown, event) => received.push([(thrown as Error).message, event]));
    const listeners = new Listeners();
    await expect(
      wrap(listeners, 'created', [], optionsOf(Listeners.prototype.created)),
    ).resolves.toBe(undefined);
    await expect(wrap(listeners, 'paid', [], optionsOf(Listeners.prototype.paid))).resolves.toBe(
      undefined,
    );
    expect(received).toEqual([
      ['sync failure', 'order.created'],
      ['async failure', 'order.paid'],
    ]);
    expect(errorLog).not.toHaveBeenCalled();
  });

  it('passes a listener value through', async () => {
    const { wrap, self } = loader();
    sinks.set(self, () => undefined);
    await expect(wrap(new Listeners(), 'archived', [], undefined)).resolves.toBe('archived');
  });

  it('leaves suppressErrors: false to the package: the error is rethrown, not sent', async () => {
    const { wrap, self } = loader();
    const sink = vi.fn();
    sinks.set(self, sink);
    expect(listenedEvent(Listeners.prototype.archived, undefined, { delimiter: ':' }, 'x')).toBe(
      'order:archived',
    );
    const refunded = Listeners.prototype.refunded;
    await expect(wrap(new Listeners(), 'refunded', [], optionsOf(refunded))).rejects.toThrow(
      'refund failure',
    );
    expect(sink).not.toHaveBeenCalled();
    expect(errorLog).not.toHaveBeenCalled();
  });

  it('keeps the package behaviour for a loader without a sink: logged (context Event) and swallowed', async () => {
    const { wrap } = loader();
    await expect(wrap(new Listeners(), 'created', [], undefined)).resolves.toBe(undefined);
    expect(errorLog).toHaveBeenCalledWith(
      'sync failure',
      expect.stringContaining('Error: sync failure'),
    );
  });

  it("changes nothing on a class without the package's method", () => {
    class OtherLoader {}
    expect(routeEventListenerErrors(OtherLoader, () => undefined)).toBe('missing');
    expect(Object.getOwnPropertyNames(OtherLoader.prototype)).toEqual(['constructor']);
  });
});
