import { Agent, get } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { VARIANTS, createBenchApp } from './bench-app.js';

export interface HeapSoakResult {
  requests: number;
  heapAfterWarmup: number;
  heapAfterAll: number;
  ratio: number;
}

/** A full collection, with or without --expose-gc. */
function collect(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * DESIGN § Performance heap row: error responses through ErrorsModule on Fastify, over real HTTP
 * on loopback (8 keep-alive connections), heap after a full GC once `warmup` were served and again
 * after `total`. Not `fastify.inject()`: under Nest it retains every injected request, with or
 * without this library, and would measure that instead.
 */
export async function heapSoak(total = 200_000, warmup = 10_000): Promise<HeapSoakResult> {
  const { app, port } = await createBenchApp(VARIANTS['fastify/errors']);
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const paths = ['/typed', '/http', '/nope?token=x'];
  const request = (path: string) =>
    new Promise<void>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path, agent }, (response) => {
        response.resume();
        response.on('end', () =>
          response.statusCode === 404
            ? resolve()
            : reject(new Error(`heap soak: ${path} answered ${response.statusCode}`)),
        );
      }).on('error', reject);
    });
  let heapAfterWarmup = 0;
  try {
    for (let served = 0; served < total; served += 8) {
      await Promise.all(
        Array.from({ length: 8 }, (_, index) => request(paths[(served + index) % paths.length]!)),
      );
      if (served + 8 >= warmup && heapAfterWarmup === 0) {
        collect();
        heapAfterWarmup = process.memoryUsage().heapUsed;
      }
    }
    collect();
    const heapAfterAll = process.memoryUsage().heapUsed;
    return {
      requests: total,
      heapAfterWarmup,
      heapAfterAll,
      ratio: heapAfterAll / heapAfterWarmup,
    };
  } finally {
    agent.destroy();
    await app.close();
  }
}
