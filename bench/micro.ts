import { Bench } from 'tinybench';
import {
  type ApiError,
  ERROR_FORMATS,
  type ErrorContext,
  EntryNotFoundException,
  type ErrorFormatName,
  normalizeError,
} from 'nest-api-errors';

export interface RenderTiming {
  format: ErrorFormatName;
  /** Median time of one normalize + render + JSON.stringify, in nanoseconds. */
  medianNs: number;
}

const CONTEXT: ErrorContext = {
  requestId: '5b0f1c9e-8d4f-4a8e-9a51-0c2d6f3b7e11',
  method: 'GET',
  path: '/api/v1/files/0b1f6a2e-3c4d-4e5f-8a9b-0c1d2e3f4a01',
  timestamp: '2026-02-17T09:18:05.040Z',
  protocol: 'http',
  docsBaseUrl: 'https://docs.example.com/errors',
};

/**
 * DESIGN § Performance "normalize + render of one domain error": the exception is thrown once
 * outside the loop (its construction is the handler's cost), then normalized and rendered to the
 * serialized body per iteration, for each format.
 */
export async function measureRender(time = 500): Promise<RenderTiming[]> {
  const exception = new EntryNotFoundException();
  const options = { exposeInternalErrors: false };
  const bench = new Bench({ time, warmupTime: Math.min(200, time) });
  for (const [name, format] of Object.entries(ERROR_FORMATS)) {
    bench.add(name, () => {
      const error: ApiError = normalizeError(exception, options);
      JSON.stringify(format.render(error, CONTEXT).body);
    });
  }
  await bench.run();
  return bench.tasks.map((task) => {
    const result = task.result as { latency?: { p50?: number }; median?: number } | undefined;
    const medianMs = result?.latency?.p50 ?? result?.median ?? Number.NaN;
    return { format: task.name as ErrorFormatName, medianNs: medianMs * 1e6 };
  });
}
