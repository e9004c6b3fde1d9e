import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBenchApp } from '../bench/bench-app.js';
import {
  type AppKey,
  comparisonTable,
  comparisons,
  median,
  runComparisons,
} from '../bench/harness.js';
import { heapSoak } from '../bench/heap-soak.js';
import { measureRender } from '../bench/micro.js';

// One short round of `npm run bench`'s harness, so it cannot rot. The numbers mean nothing here
// (everything shares the test process); the checks are that every row runs against the path it
// claims (measure() fails on any unexpected status) and that every figure is produced.

describe('bench harness (one short round)', () => {
  const apps: INestApplication[] = [];
  const urls = {} as Record<AppKey, string>;

  beforeAll(async () => {
    for (const key of [
      'express/builtin',
      'express/errors',
      'fastify/builtin',
      'fastify/errors',
    ] as AppKey[]) {
      const [platform, mode] = key.split('/') as ['express' | 'fastify', 'builtin' | 'errors'];
      const app = await createBenchApp(mode, platform);
      apps.push(app);
      urls[key] = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    }
  });
  afterAll(() => Promise.all(apps.map((app) => app.close())));

  it('measures every DESIGN row on both platforms, each side answering its expected status', async () => {
    const results = await runComparisons(comparisons(), {
      urls,
      rounds: 1,
      duration: 0.4,
      connections: 2,
    });
    expect(results).toHaveLength(10);
    for (const result of results) {
      expect(result.aMedian).toBeGreaterThan(0);
      expect(result.bMedian).toBeGreaterThan(0);
      expect(Number.isFinite(result.ratio)).toBe(true);
    }
    const table = comparisonTable(results);
    expect(table.split('\n')).toHaveLength(12);
    expect(table).toContain('| typed 4xx domain error through ErrorsModule');
  }, 60_000);

  it('times normalize + render for every format', async () => {
    const timings = await measureRender(20);
    expect(timings.map((timing) => timing.format)).toEqual([
      'timestamped',
      'traced',
      'simple',
      'envelope',
      'problem',
    ]);
    for (const timing of timings) {
      expect(timing.medianNs).toBeGreaterThan(0);
    }
  });

  it('soaks the heap over real HTTP', async () => {
    const result = await heapSoak(400, 200);
    expect(result.requests).toBe(400);
    expect(result.ratio).toBeGreaterThan(0);
  }, 30_000);

  it('median of an odd and an even number of samples', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
