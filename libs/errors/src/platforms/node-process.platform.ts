/**
 * The Node process: uncaught exceptions and unhandled rejections (with `processErrors`).
 *
 * Observed through `uncaughtExceptionMonitor`, which Node calls before it prints the error and
 * ends the process, and which changes neither: an `uncaughtException` or `unhandledRejection`
 * listener would keep alive a process Node would end. Under Node's default
 * `--unhandled-rejections=throw`, an unhandled rejection reaches the monitor too (origin
 * `unhandledRejection`); under `warn` or `none`, or with an `unhandledRejection` listener of the
 * app's, Node raises nothing and the process goes on.
 */

/** Where an error that is about to end the process goes: the error, and Node's origin for it. */
export type ProcessErrorSink = (error: unknown, origin: string) => void;

/** Watches the process's fatal errors until the returned function is called. */
export function watchProcessErrors(sink: ProcessErrorSink): () => void {
  const monitor = (error: unknown, origin: string) => {
    try {
      sink(error, origin);
    } catch {
      // Whatever happens here, Node goes on to print the error and end the process.
    }
  };
  process.on('uncaughtExceptionMonitor', monitor);
  return () => {
    process.off('uncaughtExceptionMonitor', monitor);
  };
}
