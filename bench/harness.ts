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

/** One measurement of one probe. */
export interface Sample {
  requests: number;
  /** The app's CPU time per request, µs. */
  cpuPerRequest: number;
  requestsPerSecond: number;
}

/**
 * How a row's two sides are paired in a round.
 * - `concurrent`: A and B run at the same time for the same seconds, each app in its own process
 *   on the same (server) CPU, so whatever else the machine does hits both sides alike.
 * - `alternating`: A then B (B then A in the next round), each alone, a fixed number of requests.
 */
export type Pairing = 'concurrent' | 'alternating';

export interface RowResult extends Row {
  aSamples: Sample[];
  bSamples: Sample[];
  /** B/A of each round's pair. */
  ratios: number[];
}

/** How much load one side gets in one round. */
export type Load = { requests: number } | { seconds: number };

export interface RunOptions {
  /** The running apps, by instance key (see instanceKey). */
  apps: ReadonlyMap<string, AppHandle>;
  rounds: number;
  pairing: Pairing;
  /** Load per side per round, for each row. */
  load: (row: Row) => Load;
  /** Client connections per side. */
  connections: number;
  /**
   * Concurrent pairing: seconds of discarded load on both sides right before a row's rounds, so
   * neither app is measured while it wakes from idling through other rows (cold caches, code and
   * heap shrunk while idle: a process that idled measured up to 1.5× its twin in an A/A row).
   */
  warmUpSeconds?: number;
  /** Called after each round of each row, for progress output. */
  onSample?: (line: string) => void;
}

/**
 * The app process that serves one side of a row: one per probe (variant, method and path), so
 * every process only ever serves the one request it is measured on and both sides of a row have
 * the same kind of history. (Processes that had served a different mix of paths differed by up to
 * ±12% in an A/A row: the JIT optimizes for the feedback it saw.) An A/A row gets a second
 * process for B; one process's CPU time cannot be split between two sides.
 */
export function instanceKey(row: Row, side: 'a' | 'b'): string {
  const probe = row[side];
  const key = `${probe.variant} ${probe.method} ${probe.path} ${JSON.stringify(probe.headers ?? {})}`;
  const same =
    row.a.variant === row.b.variant && row.a.method === row.b.method && row.a.path === row.b.path;
  return side === 'b' && same ? `${key} #2` : key;
}

/** Every app instance a set of rows needs, each once. */
export function instancesOf(rows: readonly Row[]): Array<{ key: string; variant: VariantName }> {
  const instances = new Map<string, VariantName>();
  for (const row of rows) {
    for (const side of ['a', 'b'] as const) {
      instances.set(instanceKey(row, side), row[side].variant);
    }
  }
  return [...instances].map(([key, variant]) => ({ key, variant }));
}

/**
 * Drives one probe with autocannon. Fails when any response has another status than the probe's:
 * a bench that measured the wrong path would be worse than none.
 */
async function drive(
  probe: Probe,
  app: AppHandle,
  load: Load,
  connections: number,
): Promise<{ answered: number; seconds: number }> {
  const started = performance.now();
  const result = await autocannon({
    url: `${app.url}${probe.path}`,
    method: probe.method,
    connections: 'requests' in load ? Math.min(connections, load.requests) : connections,
    ...('requests' in load ? { amount: load.requests } : { duration: load.seconds }),
    // autocannon notices the end only on its sampling tick (default every second).
    sampleInt: 10,
    headers: {
      ...probe.headers,
      ...(probe.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: probe.body === undefined ? undefined : JSON.stringify(probe.body),
  });
  const seconds = (performance.now() - started) / 1000;
  const statuses = Object.keys(result.statusCodeStats ?? {});
  const answered = Object.values(result.statusCodeStats ?? {}).reduce(
    (sum, stat) => sum + (stat?.count ?? 0),
    0,
  );
  if (
    result.errors > 0 ||
    result.timeouts > 0 ||
    answered === 0 ||
    statuses.join() !== String(probe.status)
  ) {
    throw new Error(
      `${probe.variant} ${probe.method} ${probe.path}: expected only ${probe.status}, got statuses ${statuses.join(',') || 'none'}, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return { answered, seconds };
}

const sampleOf = (cpu: number, { answered, seconds }: { answered: number; seconds: number }) => ({
  requests: answered,
  cpuPerRequest: cpu / answered,
  requestsPerSecond: answered / seconds,
});

/** The app's CPU time per request over one load of one probe, alone. */
export async function measure(
  probe: Probe,
  app: AppHandle,
  load: Load,
  connections: number,
): Promise<Sample> {
  const before = await app.cpu();
  const driven = await drive(probe, app, load, connections);
  return sampleOf((await app.cpu()) - before, driven);
}

/** Both sides at once, over the same seconds: each app's CPU time per request. */
export async function measurePair(
  a: { probe: Probe; app: AppHandle },
  b: { probe: Probe; app: AppHandle },
  seconds: number,
  connections: number,
): Promise<[Sample, Sample]> {
  const [aBefore, bBefore] = await Promise.all([a.app.cpu(), b.app.cpu()]);
  const [aDriven, bDriven] = await Promise.all([
    drive(a.probe, a.app, { seconds }, connections),
    drive(b.probe, b.app, { seconds }, connections),
  ]);
  const [aAfter, bAfter] = await Promise.all([a.app.cpu(), b.app.cpu()]);
  return [sampleOf(aAfter - aBefore, aDriven), sampleOf(bAfter - bBefore, bDriven)];
}

function appFor(apps: ReadonlyMap<string, AppHandle>, key: string): AppHandle {
  const app = apps.get(key);
  if (app === undefined) {
    throw new Error(`no app running for ${key}`);
  }
  return app;
}

/** One round of one row: both sides, paired as the options say. */
export async function measureRow(row: Row, options: RunOptions, round: number) {
  const a = { probe: row.a, app: appFor(options.apps, instanceKey(row, 'a')) };
  const b = { probe: row.b, app: appFor(options.apps, instanceKey(row, 'b')) };
  const load = options.load(row);
  if (options.pairing === 'concurrent') {
    const seconds = 'seconds' in load ? load.seconds : 1;
    return measurePair(a, b, seconds, options.connections);
  }
  const side = ({ probe, app }: typeof a) => measure(probe, app, load, options.connections);
  if (round % 2 === 0) {
    const aSample = await side(a);
    return [aSample, await side(b)] as const;
  }
  const bSample = await side(b);
  return [await side(a), bSample] as const;
}

/**
 * Concurrent pairing: row by row, a warm-up and then all rounds back to back, so both apps stay
 * busy from the warm-up to the last round (interference hits both sides of a pair alike, so the
 * rounds need not be spread over the run). Alternating pairing: rounds outermost, so each row's
 * samples spread over the whole run rather than one burst of it.
 */
export async function runRows(rows: readonly Row[], options: RunOptions): Promise<RowResult[]> {
  const results: RowResult[] = rows.map((row) => ({
    ...row,
    aSamples: [],
    bSamples: [],
    ratios: [],
  }));
  const round = async (result: RowResult, index: number) => {
    const [a, b] = await measureRow(result, options, index);
    result.aSamples.push(a);
    result.bSamples.push(b);
    result.ratios.push(b.cpuPerRequest / a.cpuPerRequest);
    options.onSample?.(
      `round ${index + 1}/${options.rounds} ${result.id}: B ${b.cpuPerRequest.toFixed(1)} / A ${a.cpuPerRequest.toFixed(1)} µs/req = ${(b.cpuPerRequest / a.cpuPerRequest).toFixed(2)}×`,
    );
  };
  if (options.pairing === 'concurrent') {
    for (const result of results) {
      if (options.warmUpSeconds !== undefined && options.warmUpSeconds > 0) {
        await measureRow(
          result,
          { ...options, load: () => ({ seconds: options.warmUpSeconds! }) },
          0,
        );
      }
      for (let index = 0; index < options.rounds; index++) {
        await round(result, index);
      }
    }
  } else {
    for (let index = 0; index < options.rounds; index++) {
      for (const result of results) {
        await round(result, index);
      }
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
