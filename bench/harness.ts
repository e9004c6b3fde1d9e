import autocannon from 'autocannon';
import type { VariantName } from './bench-app.js';
import type { Probe, Row } from './rows.js';

/** A running app of one variant, wherever it runs (a pinned child process, or in-process in tests). */
export interface AppHandle {
  variant: VariantName;
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Byte length of the app's `/typed` error body, which its `/sized` success body matches. */
  sizedBytes: number;
  /** CPU time the app's process has used so far (user + system), in microseconds. */
  cpu(): Promise<number>;
}

/** One measurement of one probe: a fixed number of requests. */
export interface Sample {
  requests: number;
  /** The app's CPU time per request, µs. */
  cpuPerRequest: number;
  requestsPerSecond: number;
}

export interface RowResult extends Row {
  /** Requests per side per round. */
  requests: number;
  aSamples: Sample[];
  bSamples: Sample[];
  /** B/A of each round's pair. */
  ratios: number[];
}

export interface RunOptions {
  apps: ReadonlyMap<VariantName, AppHandle>;
  rounds: number;
  /** Requests per side per round, for each row. */
  requests: (row: Row) => number;
  connections: number;
  /** Called after each round of each row, for progress output. */
  onSample?: (line: string) => void;
}

/**
 * The app's CPU time per request over exactly `requests` requests of one probe, and the
 * requests/s the client saw. Fails when any response has another status than the probe's: a bench
 * that measured the wrong path would be worse than none.
 */
export async function measure(
  probe: Probe,
  app: AppHandle,
  requests: number,
  connections: number,
): Promise<Sample> {
  const before = await app.cpu();
  const started = performance.now();
  const result = await autocannon({
    url: `${app.url}${probe.path}`,
    method: probe.method,
    connections: Math.min(connections, requests),
    amount: requests,
    // autocannon notices `amount` is reached only on its sampling tick (default every second).
    sampleInt: 10,
    headers: probe.body === undefined ? {} : { 'content-type': 'application/json' },
    body: probe.body === undefined ? undefined : JSON.stringify(probe.body),
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = (await app.cpu()) - before;
  const statuses = Object.keys(result.statusCodeStats ?? {});
  const answered = Object.values(result.statusCodeStats ?? {}).reduce(
    (sum, stat) => sum + (stat?.count ?? 0),
    0,
  );
  if (result.errors > 0 || result.timeouts > 0 || statuses.join() !== String(probe.status)) {
    throw new Error(
      `${probe.variant} ${probe.method} ${probe.path}: expected only ${probe.status}, got statuses ${statuses.join(',') || 'none'}, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return {
    requests: answered,
    cpuPerRequest: cpu / answered,
    requestsPerSecond: answered / seconds,
  };
}

function appFor(apps: ReadonlyMap<VariantName, AppHandle>, probe: Probe): AppHandle {
  const app = apps.get(probe.variant);
  if (app === undefined) {
    throw new Error(`no app running for ${probe.variant}`);
  }
  return app;
}

/**
 * Rounds outermost, so each row's samples spread over the whole run rather than one burst of
 * it; within a round, each row's two sides back to back, in turns A B, then B A in the next
 * round, so neither side always runs second.
 */
export async function runRows(rows: readonly Row[], options: RunOptions): Promise<RowResult[]> {
  const results: RowResult[] = rows.map((row) => ({
    ...row,
    requests: options.requests(row),
    aSamples: [],
    bSamples: [],
    ratios: [],
  }));
  for (let round = 0; round < options.rounds; round++) {
    for (const result of results) {
      const side = (probe: Probe) =>
        measure(probe, appFor(options.apps, probe), result.requests, options.connections);
      let a: Sample;
      let b: Sample;
      if (round % 2 === 0) {
        a = await side(result.a);
        b = await side(result.b);
      } else {
        b = await side(result.b);
        a = await side(result.a);
      }
      result.aSamples.push(a);
      result.bSamples.push(b);
      result.ratios.push(b.cpuPerRequest / a.cpuPerRequest);
      options.onSample?.(
        `round ${round + 1}/${options.rounds} ${result.id}: B ${b.cpuPerRequest.toFixed(1)} / A ${a.cpuPerRequest.toFixed(1)} µs/req = ${(b.cpuPerRequest / a.cpuPerRequest).toFixed(2)}×`,
      );
    }
  }
  return results;
}

/** The value at quantile `q` (0…1) of `values`, interpolated. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  if (sorted.length === 0) {
    return Number.NaN;
  }
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

export const median = (values: readonly number[]) => quantile(values, 0.5);

export interface Summary {
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
}

export function summarize(values: readonly number[]): Summary {
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    q1: quantile(values, 0.25),
    q3: quantile(values, 0.75),
  };
}

/** `met`, `NO`, or — for information rows; `(noisy)` when the target lies within the ratios' IQR. */
export function verdict(result: RowResult): string {
  if (result.target === undefined) {
    return '—';
  }
  const ratio = summarize(result.ratios);
  const met = ratio.median <= result.target ? 'yes' : 'NO';
  return ratio.q1 <= result.target && result.target <= ratio.q3 ? `${met} (within IQR)` : met;
}

const us = (value: number) => value.toFixed(1);
const rps = (value: number) => Math.round(value).toLocaleString('en-US');

/**
 * The Markdown table of the rows: CPU µs per request (median, IQR) of each side, B/A as the
 * median of the per-round ratios (IQR), the target, and requests/s beside it.
 */
export function rowTable(results: readonly RowResult[]): string {
  const lines = [
    '| what (B) | against (A) | adapter | A µs/req median (IQR) | B µs/req median (IQR) | B/A median (IQR, min–max) | target | met | A req/s | B req/s |',
    '|---|---|---|---:|---:|---:|---:|---|---:|---:|',
  ];
  for (const result of results) {
    const a = summarize(result.aSamples.map((sample) => sample.cpuPerRequest));
    const b = summarize(result.bSamples.map((sample) => sample.cpuPerRequest));
    const ratio = summarize(result.ratios);
    lines.push(
      `| ${result.what} | ${result.against} | ${result.platform} | ${us(a.median)} (${us(a.q1)}–${us(a.q3)}) | ${us(b.median)} (${us(b.q1)}–${us(b.q3)}) | **${ratio.median.toFixed(2)}×** (${ratio.q1.toFixed(2)}–${ratio.q3.toFixed(2)}, ${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)}) | ${result.target === undefined ? '—' : `≤ ${result.target.toFixed(2)}×`} | ${verdict(result)} | ${rps(median(result.aSamples.map((sample) => sample.requestsPerSecond)))} | ${rps(median(result.bSamples.map((sample) => sample.requestsPerSecond)))} |`,
    );
  }
  return lines.join('\n');
}
