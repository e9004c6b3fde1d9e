import { catchingErrors, replaceMethodOnce } from './handler-errors.js';

/**
 * @nestjs/schedule (an optional peer, never imported): errors of `@Cron`, `@Interval` and
 * `@Timeout` jobs.
 *
 * The package's `ScheduleExplorer` finds each job when its module initializes and hands the
 * orchestrator `wrapFunctionInTryCatchBlocks(methodRef, instance)`: a function that awaits the job
 * and logs its error (context `Scheduler`), always swallowing it. That is the one seam: the
 * function it wraps is the job behind a try/catch of this library's, whose errors go to the
 * application's error pipeline instead of the package's log line and are swallowed as before.
 * The job methods themselves are not wrapped: a direct call of one still throws to its caller.
 * The explorer's class is replaced while the application's modules are created, before any of
 * them initializes, so the order of `imports` does not matter.
 */

/** The package's service that finds jobs (`ScheduleExplorer`). */
export const SCHEDULE_EXPLORER = 'ScheduleExplorer';
/** The package's metadata keys on a job method (`SCHEDULER_TYPE`, `SCHEDULER_NAME`, …). */
const SCHEDULER_TYPE = 'SCHEDULER_TYPE';
const SCHEDULER_NAME = 'SCHEDULER_NAME';
const SCHEDULE_CRON_OPTIONS = 'SCHEDULE_CRON_OPTIONS';
/** The package's `SchedulerType` enum: CRON = 1, TIMEOUT = 2, INTERVAL = 3. */
const JOB_KINDS = new Map<unknown, ScheduledJob['kind']>([
  [1, 'cron'],
  [2, 'timeout'],
  [3, 'interval'],
]);

/** A job as logs name it. */
export interface ScheduledJob {
  kind: 'cron' | 'interval' | 'timeout';
  /** The job's name (`@Cron(…, { name })`, `@Interval('name', ms)`), else `Class.method`. */
  name: string;
}

/** Where a job's error goes. */
export type JobErrorSink = (thrown: unknown, job: ScheduledJob) => void;

/** The job a method is, read from its metadata; undefined for any other method. */
export function scheduledJobOf(method: unknown, instance?: unknown): ScheduledJob | undefined {
  if (typeof method !== 'function') {
    return undefined;
  }
  const kind = JOB_KINDS.get(Reflect.getMetadata(SCHEDULER_TYPE, method));
  if (kind === undefined) {
    return undefined;
  }
  const name: unknown =
    Reflect.getMetadata(SCHEDULER_NAME, method) ??
    (Reflect.getMetadata(SCHEDULE_CRON_OPTIONS, method) as { name?: unknown } | undefined)?.name;
  return {
    kind,
    name:
      typeof name === 'string' && name !== ''
        ? name
        : `${(instance as object | null)?.constructor?.name ?? 'job'}.${method.name}`,
  };
}

/**
 * Routes the errors of every job the explorer wraps to `sinkOf(explorer)`, read each time a job
 * fails; an explorer without a sink (an app without ErrorsModule, or one closed) keeps the
 * package's own behaviour. Once per explorer class; 'missing' (nothing changed) when the class
 * has no `wrapFunctionInTryCatchBlocks`.
 */
export function routeScheduledJobErrors(
  explorerClass: { prototype: object },
  sinkOf: (explorer: object) => JobErrorSink | undefined,
): 'patched' | 'missing' {
  return replaceMethodOnce(
    explorerClass.prototype,
    'wrapFunctionInTryCatchBlocks',
    (original) =>
      function (this: object, methodRef: unknown, instance: unknown) {
        const job = scheduledJobOf(methodRef, instance);
        if (job === undefined) {
          return original.call(this, methodRef, instance);
        }
        // Read when the job fails: the application registers its sink after this runs.
        const currentSink = () => sinkOf(this);
        const run = methodRef as (...args: unknown[]) => unknown;
        function reporting(this: unknown, ...args: unknown[]): unknown {
          const sink = currentSink();
          return sink === undefined
            ? run.apply(this, args)
            : catchingErrors(
                () => run.apply(this, args),
                (failure) => sink(failure, job!),
              );
        }
        return original.call(this, reporting, instance);
      },
  );
}
