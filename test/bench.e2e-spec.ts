import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BenchApp, VARIANTS, createBenchApp } from '../bench/bench-app.js';
import {
  type AppHandle,
  type Pairing,
  instancesOf,
  median,
  quantile,
  rowTable,
  runRows,
} from '../bench/harness.js';
import { heapSoak } from '../bench/heap-soak.js';
import { measureRender } from '../bench/micro.js';
import { summarizeProfile } from '../bench/profile.js';
import { rows } from '../bench/rows.js';

// One short round of `npm run bench`'s harness, so it cannot rot. The numbers mean nothing here
// (every app shares the test process, and its CPU time is the whole process's); the checks are
// that every row runs against the path it claims (measure() fails on any unexpected status) and
// that every figure is produced. No timing is asserted.

describe('bench harness (one short round)', () => {
  const started: BenchApp[] = [];
  const apps = new Map<string, AppHandle>();

  beforeAll(async () => {
    // Every instance either pairing needs (concurrent rows on one app use a second copy of it).
    for (const { key, variant } of instancesOf(rows())) {
      const app = await createBenchApp(VARIANTS[variant]);
      started.push(app);
      apps.set(key, {
        variant,
        url: `http://127.0.0.1:${app.port}`,
        sizedBytes: app.sizedBytes,
        cpu: async () => {
          const { user, system } = process.cpuUsage();
          return user + system;
        },
      });
    }
  });
  afterAll(() => Promise.all(started.map(({ app }) => app.close())));

  it('has every DESIGN row on both adapters, with a CPU target each', () => {
    const ids = rows()
      .filter((row) => row.target !== undefined)
      .map((row) => row.id);
    expect(ids).toEqual(
      ['fastify', 'express'].flatMap((platform) =>
        [
          'typed-vs-builtin',
          'http-vs-builtin',
          'validation-vs-builtin',
          'success-with-vs-without',
          'typed-vs-success',
          'features-unused',
          'hostile-accept-language',
        ].map((row) => `${platform}/${row}`),
      ),
    );
    // Besides them, rows for information only: the cost of request ids and of the optional
    // features when used, and the A/A noise floor.
    expect(
      rows()
        .filter((row) => row.target === undefined)
        .map((row) => row.id),
    ).toEqual(
      ['fastify', 'express'].flatMap((platform) =>
        [
          'request-id-cost',
          'negotiate-cost',
          'messages-cost',
          'header-bytes',
          'challenge-cost',
          'reporter-cost',
          'telemetry-cost',
          'metrics-unused',
          'metrics-cost',
          'noise-floor',
        ].map((row) => `${platform}/${row}`),
      ),
    );
  });

  it.each([
    ['concurrent', { seconds: 0.2 }],
    ['alternating', { requests: 40 }],
  ] as const)(
    'measures every row %s, each side answering its expected status',
    async (pairing: Pairing, load) => {
      const results = await runRows(rows(), {
        apps,
        rounds: 2,
        pairing,
        load: () => load,
        connections: 2,
      });
      expect(results).toHaveLength(rows().length);
      for (const result of results) {
        expect(result.aSamples).toHaveLength(2);
        expect(result.bSamples).toHaveLength(2);
        for (const sample of [...result.aSamples, ...result.bSamples]) {
          expect(sample.requests).toBeGreaterThan(0);
          if ('requests' in load) {
            expect(sample.requests).toBe(load.requests);
          }
          expect(Number.isFinite(sample.cpuPerRequest)).toBe(true);
          expect(sample.requestsPerSecond).toBeGreaterThan(0);
        }
        expect(result.ratios).toHaveLength(2);
      }
      const table = rowTable(results);
      expect(table.split('\n')).toHaveLength(rows().length + 2);
      expect(table).toContain('| typed 4xx domain error through ErrorsModule |');
    },
    60_000,
  );

  it('serves a success body exactly as long as the typed error body', async () => {
    for (const [key, app] of apps) {
      const success = await (await fetch(`${app.url}/sized`)).text();
      const error = await fetch(`${app.url}/typed`);
      expect(error.status, key).toBe(404);
      expect(success.length, key).toBe((await error.text()).length);
      expect(success.length, key).toBe(app.sizedBytes);
    }
  });

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

  it('reads a CPU profile as µs per request, self and inclusive', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bench-profile-')), 'p.cpuprofile');
    const frame = (functionName: string) => ({ functionName, url: '', lineNumber: 0 });
    writeFileSync(
      file,
      JSON.stringify({
        nodes: [
          { id: 1, callFrame: frame('(root)'), children: [2, 4] },
          { id: 2, callFrame: frame('handler'), children: [3] },
          { id: 3, callFrame: frame('writev') },
          { id: 4, callFrame: frame('(idle)') },
        ],
        samples: [2, 3, 3, 4, 2],
        timeDeltas: [0, 10, 10, 10, 10, 0],
      }),
    );
    const summary = summarizeProfile(file, 2, ['handler']);
    // 10 µs in handler itself, 20 in writev below it, 10 idle (left out); per 2 requests.
    expect(summary.busy).toBe(15);
    expect(summary.top).toEqual([
      { frame: 'writev', self: 10 },
      { frame: 'handler', self: 5 },
    ]);
    expect(summary.focus).toEqual({ handler: 15 });
  });

  it('median and quantiles of odd and even numbers of samples', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.75)).toBe(3.25);
  });
});
