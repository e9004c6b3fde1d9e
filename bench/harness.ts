import autocannon from 'autocannon';
import { INVALID_ORDER } from './bench-app.js';

/** Which app answers: `<platform>/<mode>`. */
export type AppKey = `${'express' | 'fastify'}/${'builtin' | 'errors'}`;

/** One side of a comparison: a request to one app, and the status it must answer with. */
export interface Target {
  app: AppKey;
  method: 'GET' | 'POST';
  path: string;
  status: number;
  body?: unknown;
}

/** One DESIGN § Performance row on one platform: B's requests/s over A's. */
export interface Comparison {
  what: string;
  platform: 'express' | 'fastify';
  a: Target;
  b: Target;
  /** The ratio B/A must reach; undefined for rows shown for information. */
  target: number | undefined;
}

export interface ComparisonResult extends Comparison {
  aSamples: number[];
  bSamples: number[];
  aMedian: number;
  bMedian: number;
  ratio: number;
}

export interface RunOptions {
  /** Base URL per app (`http://127.0.0.1:PORT`). */
  urls: Record<AppKey, string>;
  rounds: number;
  /** Seconds per measurement. */
  duration: number;
  connections: number;
  /** Called after each measurement, for progress output. */
  onSample?: (line: string) => void;
}

const typed = (platform: 'express' | 'fastify', mode: 'builtin' | 'errors'): Target => ({
  app: `${platform}/${mode}`,
  method: 'GET',
  path: '/typed',
  status: 404,
});

/** The rows of DESIGN § Performance that compare requests/s, on each platform. */
export function comparisons(): Comparison[] {
  const rows: Comparison[] = [];
  for (const platform of ['fastify', 'express'] as const) {
    rows.push(
      {
        what: 'typed 4xx domain error through ErrorsModule vs Nest built-in filter with new NotFoundException()',
        platform,
        a: typed(platform, 'builtin'),
        b: typed(platform, 'errors'),
        target: platform === 'fastify' ? 1.5 : 1.05,
      },
      {
        what: "Nest's own HttpException through ErrorsModule vs Nest built-in filter",
        platform,
        a: { app: `${platform}/builtin`, method: 'GET', path: '/http', status: 404 },
        b: { app: `${platform}/errors`, method: 'GET', path: '/http', status: 404 },
        target: 1.0,
      },
      {
        what: "validation failure (nested DTO, 5 violations): createValidationPipe vs Nest's ValidationPipe",
        platform,
        a: {
          app: `${platform}/builtin`,
          method: 'POST',
          path: '/validate',
          status: 400,
          body: INVALID_ORDER,
        },
        b: {
          app: `${platform}/errors`,
          method: 'POST',
          path: '/validate',
          status: 400,
          body: INVALID_ORDER,
        },
        target: 1.0,
      },
      {
        what: 'successful request with ErrorsModule vs the same app without it',
        platform,
        a: { app: `${platform}/builtin`, method: 'GET', path: '/ok', status: 200 },
        b: { app: `${platform}/errors`, method: 'GET', path: '/ok', status: 200 },
        target: 0.97,
      },
      {
        what: 'typed 4xx error path vs the success path of the same app',
        platform,
        a: { app: `${platform}/errors`, method: 'GET', path: '/ok', status: 200 },
        b: typed(platform, 'errors'),
        target: platform === 'fastify' ? 0.85 : undefined,
      },
    );
  }
  return rows;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Requests/s of one target for `duration` seconds. Fails when any response has another status than
 * the target's: a bench that measured the wrong path would be worse than none.
 */
export async function measure(target: Target, options: RunOptions): Promise<number> {
  const result = await autocannon({
    url: `${options.urls[target.app]}${target.path}`,
    method: target.method,
    connections: options.connections,
    duration: options.duration,
    headers: target.body === undefined ? {} : { 'content-type': 'application/json' },
    body: target.body === undefined ? undefined : JSON.stringify(target.body),
  });
  const statuses = Object.keys(result.statusCodeStats ?? {});
  if (result.errors > 0 || result.timeouts > 0 || statuses.join() !== String(target.status)) {
    throw new Error(
      `${target.app} ${target.method} ${target.path}: expected only ${target.status}, got statuses ${statuses.join(',') || 'none'}, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return result.requests.average;
}

/** A B A B …: each comparison's two sides measured in turns, `rounds` times each. */
export async function runComparisons(
  rows: readonly Comparison[],
  options: RunOptions,
): Promise<ComparisonResult[]> {
  const results: ComparisonResult[] = [];
  for (const row of rows) {
    const aSamples: number[] = [];
    const bSamples: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      aSamples.push(await measure(row.a, options));
      bSamples.push(await measure(row.b, options));
      options.onSample?.(
        `${row.platform} ${row.b.path} vs ${row.a.path} round ${round + 1}: ${Math.round(bSamples.at(-1)!)} / ${Math.round(aSamples.at(-1)!)} req/s`,
      );
    }
    const aMedian = median(aSamples);
    const bMedian = median(bSamples);
    results.push({ ...row, aSamples, bSamples, aMedian, bMedian, ratio: bMedian / aMedian });
  }
  return results;
}

const fmt = (value: number) => Math.round(value).toLocaleString('en-US');

/** The Markdown table of DESIGN rows: ratio of medians with the raw requests/s beside it. */
export function comparisonTable(results: readonly ComparisonResult[]): string {
  const lines = [
    '| what | platform | A: baseline req/s (median) | B: measured req/s (median) | B/A | target | met |',
    '|---|---|---:|---:|---:|---:|---|',
  ];
  for (const result of results) {
    const met = result.target === undefined ? '—' : result.ratio >= result.target ? 'yes' : 'NO';
    lines.push(
      `| ${result.what} | ${result.platform} | ${fmt(result.aMedian)} | ${fmt(result.bMedian)} | ${result.ratio.toFixed(2)}× | ${result.target === undefined ? '—' : `≥ ${result.target.toFixed(2)}×`} | ${met} |`,
    );
  }
  return lines.join('\n');
}
