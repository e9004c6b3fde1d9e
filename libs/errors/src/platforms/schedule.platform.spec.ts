import { Logger } from '@nestjs/common';
import { Cron, Interval, ScheduleExplorer, Timeout } from '@nestjs/schedule';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type JobErrorSink,
  SCHEDULE_EXPLORER,
  routeScheduledJobErrors,
  scheduledJobOf,
} from './schedule.platform.js';

// Against the installed @nestjs/schedule: the names this file knows it by, and the seam in its
// explorer's own try/catch.

class Jobs {
  @Cron('0 0 1 1 *', { name: 'yearly-report' })
  yearly(): void {
    throw new Error('cron failure');
  }

  @Interval('stock-sync', 1000)
  async syncStock(): Promise<void> {
    await Promise.resolve();
    throw new Error('interval failure');
  }

  @Timeout(1000)
  cleanup(): string {
    return 'cleaned';
  }

  @Cron('0 0 * * *')
  nightly(): void {}

  plain(): void {}
}

type Wrap = (methodRef: unknown, instance: object) => (...args: unknown[]) => Promise<void>;

describe('@nestjs/schedule as installed', () => {
  it('has its explorer class and job kinds where this file looks', () => {
    expect(ScheduleExplorer.name).toBe(SCHEDULE_EXPLORER);
    expect(
      typeof (ScheduleExplorer.prototype as unknown as Record<string, unknown>)
        .wrapFunctionInTryCatchBlocks,
    ).toBe('function');
    // Its SchedulerType (not exported): CRON 1, TIMEOUT 2, INTERVAL 3.
    expect(
      [Jobs.prototype.yearly, Jobs.prototype.cleanup, Jobs.prototype.syncStock].map((job) =>
        Reflect.getMetadata('SCHEDULER_TYPE', job),
      ),
    ).toEqual([1, 2, 3]);
    expect(Reflect.getMetadataKeys(Jobs.prototype.yearly)).toEqual(
      expect.arrayContaining(['SCHEDULER_TYPE', 'SCHEDULER_NAME', 'SCHEDULE_CRON_OPTIONS']),
    );
  });
});

describe('scheduledJobOf', () => {
  it("names a job by its name, else by class and method; any other method isn't one", () => {
    const jobs = new Jobs();
    expect(scheduledJobOf(Jobs.prototype.yearly, jobs)).toEqual({
      kind: 'cron',
      name: 'yearly-report',
    });
    expect(scheduledJobOf(Jobs.prototype.syncStock, jobs)).toEqual({
      kind: 'interval',
      name: 'stock-sync',
    });
    expect(scheduledJobOf(Jobs.prototype.cleanup, jobs)).toEqual({
      kind: 'timeout',
      name: 'Jobs.cleanup',
    });
    expect(scheduledJobOf(Jobs.prototype.nightly, jobs)).toEqual({
      kind: 'cron',
      name: 'Jobs.nightly',
    });
    expect(scheduledJobOf(Jobs.prototype.plain, jobs)).toBeUndefined();
    expect(scheduledJobOf('not a function', jobs)).toBeUndefined();
  });
});

describe('routeScheduledJobErrors on the installed explorer', () => {
  const sinks = new Map<object, JobErrorSink>();
  const routed = routeScheduledJobErrors(ScheduleExplorer, (explorer) => sinks.get(explorer));
  const errorLog = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

  afterEach(() => {
    sinks.clear();
    errorLog.mockClear();
  });

  /** An explorer as the package builds it, with what its try/catch reads. */
  function explorer(): { wrap: Wrap; self: object } {
    const self = Object.create(ScheduleExplorer.prototype) as Record<string, unknown>;
    self.logger = new Logger('Scheduler');
    return { wrap: (self.wrapFunctionInTryCatchBlocks as Wrap).bind(self), self };
  }

  it('is applied once per class', () => {
    expect(routed).toBe('patched');
    expect(routeScheduledJobErrors(ScheduleExplorer, () => undefined)).toBe('patched');
  });

  it('sends a sync or async job error to the sink, read when the job fails, instead of the package log', async () => {
    const { wrap, self } = explorer();
    const jobs = new Jobs();
    // Wrapped while the module initializes, before the sink is known.
    const yearly = wrap(Jobs.prototype.yearly, jobs);
    const syncStock = wrap(Jobs.prototype.syncStock, jobs);
    const received: Array<[string, unknown]> = [];
    sinks.set(self, (thrown, job) => received.push([(thrown as Error).message, job]));
    await expect(yearly()).resolves.toBeUndefined();
    await expect(syncStock()).resolves.toBeUndefined();
    expect(received).toEqual([
      ['cron failure', { kind: 'cron', name: 'yearly-report' }],
      ['interval failure', { kind: 'interval', name: 'stock-sync' }],
    ]);
    expect(errorLog).not.toHaveBeenCalled();
  });

  it('runs a job that succeeds as before, with its instance as `this`', async () => {
    const { wrap, self } = explorer();
    const sink = vi.fn();
    sinks.set(self, sink);
    const jobs = new Jobs();
    const cleanup = vi.spyOn(jobs, 'cleanup');
    await wrap(jobs.cleanup, jobs)();
    expect(cleanup.mock.contexts).toEqual([jobs]);
    expect(sink).not.toHaveBeenCalled();
  });

  it('keeps the package behaviour for an explorer without a sink: logged (context Scheduler) and swallowed', async () => {
    const { wrap } = explorer();
    await expect(wrap(Jobs.prototype.yearly, new Jobs())()).resolves.toBeUndefined();
    expect(errorLog).toHaveBeenCalledWith(expect.objectContaining({ message: 'cron failure' }));
  });

  it("changes nothing on a class without the package's method", () => {
    class OtherExplorer {}
    expect(routeScheduledJobErrors(OtherExplorer, () => undefined)).toBe('missing');
    expect(Object.getOwnPropertyNames(OtherExplorer.prototype)).toEqual(['constructor']);
  });
});
