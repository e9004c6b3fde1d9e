import { describe, expect, it } from 'vitest';
import { watchProcessErrors } from './node-process.platform.js';

/** `process.emit` of an event Node's typings do not list for emitting. */
const emit = process.emit.bind(process) as (event: string, ...args: unknown[]) => boolean;

describe('watchProcessErrors', () => {
  it("hands what Node's monitor sees to the sink until stopped; a sink that throws changes nothing", () => {
    const seen: unknown[][] = [];
    const error = new Error('fatal');
    const stop = watchProcessErrors((thrown, origin) => {
      seen.push([thrown, origin]);
      throw new Error('sink failed');
    });
    expect(() => emit('uncaughtExceptionMonitor', error, 'unhandledRejection')).not.toThrow();
    stop();
    emit('uncaughtExceptionMonitor', error, 'uncaughtException');
    expect(seen).toEqual([[error, 'unhandledRejection']]);
  });
});
