import { Test } from '@nestjs/testing';
import { Bench } from 'tinybench';
import {
  EntryNotFoundException,
  type ErrorContext,
  ErrorPipeline,
  ErrorsModule,
  type FormatName,
} from 'nest-api-errors';

export interface RenderTiming {
  format: FormatName;
  /** Median time of one normalize + render + JSON.stringify, in nanoseconds. */
  medianNs: number;
}

/** The formats of the five reference pages' HTTP bodies. */
const FORMATS: readonly FormatName[] = ['timestamped', 'traced', 'simple', 'envelope', 'problem'];

const CONTEXT: ErrorContext = {
  requestId: '5b0f1c9e-8d4f-4a8e-9a51-0c2d6f3b7e11',
  method: 'GET',
  path: '/api/v1/files/0b1f6a2e-3c4d-4e5f-8a9b-0c1d2e3f4a01',
  timestamp: '2026-02-17T09:18:05.040Z',
  protocol: 'http',
  docsBaseUrl: 'https://docs.example.com/errors',
};

/** An HTTP error outside any route: the format is the module's. */
const EXCHANGE = { transport: 'http', request: undefined, response: undefined } as const;

/** The pipeline's steps 1 and 3 (with the serialization), as an app's `forRoot` builds it. */
async function pipelineFor(format: FormatName): Promise<ErrorPipeline> {
  const moduleRef = await Test.createTestingModule({
    imports: [ErrorsModule.forRoot({ format, docsBaseUrl: CONTEXT.docsBaseUrl })],
  }).compile();
  return moduleRef.get(ErrorPipeline);
}

/**
 * DESIGN § Performance "normalize + render of one domain error": the exception is thrown once
 * outside the loop (its construction is the handler's cost), then normalized and rendered to the
 * serialized body per iteration, for each format, by the pipeline an app gets from `forRoot`.
 */
export async function measureRender(time = 500): Promise<RenderTiming[]> {
  const exception = new EntryNotFoundException();
  const bench = new Bench({ time, warmupTime: Math.min(200, time) });
  for (const format of FORMATS) {
    const pipeline = await pipelineFor(format);
    bench.add(format, () => pipeline.render(pipeline.normalize(exception), CONTEXT, EXCHANGE).text);
  }
  await bench.run();
  return bench.tasks.map((task) => {
    const result = task.result as { latency?: { p50?: number }; median?: number } | undefined;
    const medianMs = result?.latency?.p50 ?? result?.median ?? Number.NaN;
    return { format: task.name as FormatName, medianNs: medianMs * 1e6 };
  });
}
