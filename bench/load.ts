import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { type Socket, connect } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { numberOption } from './cli-options.js';
import { graphqlHeap, graphqlHeapReport, paddedHeap, paddedHeapReport } from './graphql-heap.js';
import {
  type Kind,
  type Platform,
  type TrafficCase,
  nonConformity,
  rawRequestOf,
  trafficCases,
} from './load-traffic.js';
import { PINNED, pinSelf } from './processes.js';
import { rawRequest } from './raw-http.js';
import { type ReferenceApp, isErrorLogLine, startReferenceApp } from './reference-app.js';

/** What `--help` prints: the command and its options. */
const USAGE = `\`npm run load [-- options]\`: the reference app (dist/main.js, as \`npm start\` runs it, pinned like
the bench) on each platform, S seconds of mixed client errors to its five APIs: well-formed
errors and malformed JSON over keep-alive connections; bodies over the limit, aborted uploads and
bad URLs one per connection (node:net, so each response is paired with its request whatever the
server does with the connection); and slow bodies held open beside them. Every response is
checked for its status, a body matching its prefix's JSON schema (renderErrorReference) and an
X-Request-Id; the app's output is read for error-level lines. Loopback only, bounded in time; the
table goes to bench/RESULTS.md, and the exit code is 1 when anything did not conform.

  --seconds S          counted seconds per platform, after a warm-up (default 60)
  --platform P,Q       express, fastify or both (default express,fastify)
  --connections C      keep-alive connections (default 16)
  --raw-connections R  connections opened per request for malformed traffic (default 4)
  --slow-bodies N      slow bodies opened over the run (default 20)
  --probe              instead: send each request once and print what came back
  --graphql-heap       instead: GraphQL errors of every layer, the heap after a warm-up of
                       --warmup (default 5000) and twice --requests more (default 50000);
                       --unique-every N makes every Nth document unique; --snapshots DIR writes
                       heap snapshots after the warm-up and after the first --requests
  --padded             with --graphql-heap: distinct documents padded to the body limit must not
                       grow the heap past /graphql's document store bound (exit 1 if they do)`;

const RESULTS = fileURLToPath(new URL('../RESULTS.md', import.meta.url));
const KINDS: readonly Kind[] = ['error', 'malformed JSON', '413', 'bad URL', 'aborted upload'];

interface Exchange {
  status?: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  failure?: string;
}

interface NonConforming {
  count: number;
  reason: string;
  example: string;
}

export interface LoadResult {
  platform: Platform;
  seconds: number;
  requests: number;
  responses: number;
  byKind: Record<Kind, number>;
  byStatus: Record<number, number>;
  nonConforming: Map<string, NonConforming>;
  nonConformingCount: number;
  serverErrors: number;
  /** Requests that expected a response and got none (reset, closed, timeout), by case. */
  noResponse: Map<string, { count: number; reason: string }>;
  errorLogLines: string[];
  /** Other output of the app during the run that is not a Nest LOG/DEBUG/VERBOSE line. */
  otherLines: string[];
  crashed: boolean;
  slow: { opened: number; closedByServer: number; answered: string[]; openAtEnd: number };
  rssBefore: number;
  rssAfter: number;
  heapBefore: number;
  heapAfter: number;
}

function keepAliveExchange(app: ReferenceApp, agent: Agent, spec: TrafficCase): Promise<Exchange> {
  return new Promise((resolve) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port: app.port,
        method: spec.method,
        path: spec.target,
        headers:
          spec.body === undefined
            ? spec.headers
            : { ...spec.headers, 'Content-Length': String(spec.body.length) },
        agent,
        timeout: 15_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', (error) => resolve({ headers: {}, body: '', failure: error.message }));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
    outgoing.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ headers: {}, body: '', failure: error.code ?? error.message }),
    );
    outgoing.end(spec.body);
  });
}

async function rawExchange(app: ReferenceApp, spec: TrafficCase): Promise<Exchange> {
  const outcome = await rawRequest(app.port, rawRequestOf(spec));
  return outcome.response === undefined
    ? { headers: {}, body: '', failure: outcome.failure }
    : {
        status: outcome.response.status,
        headers: outcome.response.headers,
        body: outcome.response.body,
      };
}

function describeRequest(spec: TrafficCase): string {
  const body =
    spec.body === undefined
      ? ''
      : ` body ${spec.body.length > 80 ? `${spec.body.length} bytes` : JSON.stringify(spec.body.toString())}`;
  return `${spec.method} ${spec.target}${body}`;
}

function describeResponse(exchange: Exchange): string {
  if (exchange.status === undefined) return `no response (${exchange.failure})`;
  const type = exchange.headers['content-type'] ?? '-';
  return `${exchange.status} ${type} ${exchange.body.slice(0, 300) || '(empty body)'}`;
}

/**
 * Connections that send their headers and part of a body, then nothing: whether the server
 * closes them (and what it answers) or leaves them open until the end of the run.
 */
class SlowBodies {
  private readonly sockets: Socket[] = [];
  readonly answered: string[] = [];
  closedByServer = 0;

  open(port: number): void {
    const socket = connect({ host: '127.0.0.1', port });
    this.sockets.push(socket);
    let received = '';
    socket.on('connect', () => {
      socket.write(
        'POST /api/v1/files HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer demo-acme-production-token\r\n' +
          'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name": "slow',
      );
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    let ended = false;
    // 'end' or 'error': the server's doing (the harness's own destroy() emits neither).
    const closed = () => {
      if (ended) return;
      ended = true;
      const index = this.sockets.indexOf(socket);
      if (index !== -1) this.sockets.splice(index, 1);
      this.closedByServer++;
      if (received !== '') this.answered.push(received.split('\r\n')[0]!);
    };
    socket.on('end', closed);
    socket.on('error', closed);
  }

  get openCount(): number {
    return this.sockets.length;
  }

  /** Destroys what is still open; how many were. */
  close(): number {
    const open = this.sockets.length;
    for (const socket of this.sockets.splice(0)) socket.destroy();
    return open;
  }
}

/** Warm-up before the counted run: 5 s, or a sixth of a shorter run. */
function warmupSeconds(seconds: number): number {
  return Math.min(5, Math.round((seconds / 6) * 10) / 10);
}

export async function loadOne(
  platform: Platform,
  options: { seconds: number; connections: number; rawConnections: number; slowBodies: number },
): Promise<LoadResult> {
  const app = await startReferenceApp(platform);
  const cases = trafficCases(platform);
  const keepAliveCases = cases.filter((spec) => spec.transport === 'keep-alive');
  const rawCases = cases.filter((spec) => spec.transport === 'raw');
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const result: LoadResult = {
    platform,
    seconds: options.seconds,
    requests: 0,
    responses: 0,
    byKind: Object.fromEntries(KINDS.map((kind) => [kind, 0])) as Record<Kind, number>,
    byStatus: {},
    nonConforming: new Map(),
    nonConformingCount: 0,
    serverErrors: 0,
    noResponse: new Map(),
    errorLogLines: [],
    otherLines: [],
    crashed: false,
    slow: { opened: 0, closedByServer: 0, answered: [], openAtEnd: 0 },
    rssBefore: 0,
    rssAfter: 0,
    heapBefore: 0,
    heapAfter: 0,
  };
  const one = async (spec: TrafficCase, record: boolean) => {
    const exchange =
      spec.transport === 'raw'
        ? await rawExchange(app, spec)
        : await keepAliveExchange(app, agent, spec);
    if (!record) return;
    result.requests++;
    result.byKind[spec.kind]++;
    if (spec.abortAfter !== undefined) return;
    if (exchange.status === undefined) {
      const entry = result.noResponse.get(spec.name) ?? {
        count: 0,
        reason: exchange.failure ?? '',
      };
      entry.count++;
      result.noResponse.set(spec.name, entry);
      return;
    }
    result.responses++;
    result.byStatus[exchange.status] = (result.byStatus[exchange.status] ?? 0) + 1;
    if (exchange.status >= 500) result.serverErrors++;
    const reason = nonConformity(spec, exchange.status, exchange.headers, exchange.body);
    if (reason !== undefined) {
      result.nonConformingCount++;
      const entry = result.nonConforming.get(spec.name) ?? {
        count: 0,
        reason,
        example: `${describeRequest(spec)} → ${describeResponse(exchange)}`,
      };
      entry.count++;
      result.nonConforming.set(spec.name, entry);
    }
  };
  const run = async (milliseconds: number, record: boolean) => {
    const until = Date.now() + milliseconds;
    const pool = (list: TrafficCase[], offset: number) => async () => {
      for (let index = offset; Date.now() < until && !app.crashed(); index++) {
        await one(list[index % list.length]!, record);
      }
    };
    await Promise.all([
      ...Array.from({ length: options.connections }, (_, worker) =>
        pool(keepAliveCases, worker * 7)(),
      ),
      ...Array.from({ length: options.rawConnections }, (_, worker) =>
        pool(rawCases, worker * 11)(),
      ),
    ]);
  };
  const slow = new SlowBodies();
  try {
    // Warm-up (JIT, lazy initialization, the first rate-limit windows): not counted.
    await run(warmupSeconds(options.seconds) * 1000, false);
    const before = await app.memory();
    result.rssBefore = before.rss;
    result.heapBefore = before.heapUsed;
    const linesBefore = app.lines.length;
    const slowTimer = setInterval(
      () => {
        if (result.slow.opened < options.slowBodies) {
          result.slow.opened++;
          slow.open(app.port);
        }
      },
      (options.seconds * 1000) / (options.slowBodies + 1),
    );
    await run(options.seconds * 1000, true);
    clearInterval(slowTimer);
    result.slow.openAtEnd = slow.openCount;
    result.slow.closedByServer = slow.closedByServer;
    result.slow.answered = slow.answered;
    slow.close();
    agent.destroy();
    // Let the server notice the closed connections before the heap is read.
    await new Promise((resolve) => setTimeout(resolve, 500));
    result.crashed = app.crashed();
    if (!result.crashed) {
      const after = await app.memory();
      result.rssAfter = after.rss;
      result.heapAfter = after.heapUsed;
    }
    const during = app.lines.slice(linesBefore);
    result.errorLogLines = during.filter(isErrorLogLine);
    result.otherLines = during.filter(
      (line) =>
        line.trim() !== '' &&
        !isErrorLogLine(line) &&
        !/^\[Nest\] \d+\s+-\s.*?\s(LOG|DEBUG|VERBOSE)\s/.test(line),
    );
  } finally {
    slow.close();
    agent.destroy();
    await app.stop();
  }
  return result;
}

/** Each case once, printed: for writing the expectations. */
async function probe(platform: Platform): Promise<void> {
  const app = await startReferenceApp(platform);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const seen = new Set<string>();
    for (const spec of trafficCases(platform)) {
      if (seen.has(spec.name)) continue;
      seen.add(spec.name);
      const exchange =
        spec.transport === 'raw'
          ? await rawExchange(app, spec)
          : await keepAliveExchange(app, agent, spec);
      const verdict =
        spec.abortAfter !== undefined
          ? 'aborted'
          : exchange.status === undefined
            ? 'NO RESPONSE'
            : (nonConformity(spec, exchange.status, exchange.headers, exchange.body) ?? 'ok');
      console.log(
        `[${verdict}] ${describeRequest(spec)} → ${describeResponse(exchange).slice(0, 240)}`,
      );
    }
    console.log(app.lines.filter(isErrorLogLine).join('\n'));
  } finally {
    agent.destroy();
    await app.stop();
  }
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)}`;
const count = (value: number) => value.toLocaleString('en-US');

export function loadTable(results: readonly LoadResult[]): string {
  return [
    '| platform | requests | responses | errors | malformed JSON | 413 | bad URL | aborted uploads | non-conforming | 5xx (should be 4xx) | no response | error log lines | crashes | slow bodies open at end | RSS before → after (MiB) | heap before → after (MiB) | heap after/before |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map((result) => {
      const noResponse = [...result.noResponse.values()].reduce(
        (sum, entry) => sum + entry.count,
        0,
      );
      return `| ${result.platform} | ${count(result.requests)} | ${count(result.responses)} | ${KINDS.map((kind) => count(result.byKind[kind])).join(' | ')} | ${count(result.nonConformingCount)} | ${result.serverErrors} | ${noResponse} | ${result.errorLogLines.length} | ${result.crashed ? 1 : 0} | ${result.slow.openAtEnd} of ${result.slow.opened} | ${mib(result.rssBefore)} → ${mib(result.rssAfter)} | ${mib(result.heapBefore)} → ${mib(result.heapAfter)} | ${(result.heapAfter / result.heapBefore).toFixed(3)}× |`;
    }),
  ].join('\n');
}

function details(result: LoadResult): string[] {
  const lines = [
    `- ${result.platform}: statuses ${Object.entries(result.byStatus)
      .map(([status, n]) => `${status}: ${count(n)}`)
      .join(
        ', ',
      )}; slow bodies closed by the server: ${result.slow.closedByServer}${result.slow.answered.length > 0 ? ` (answered ${[...new Set(result.slow.answered)].join(', ')})` : ''}.`,
  ];
  for (const [name, entry] of result.nonConforming) {
    lines.push(
      `  - non-conforming, ${name} (${count(entry.count)}×, ${entry.reason}): \`${entry.example.replaceAll('`', "'")}\``,
    );
  }
  for (const [name, entry] of result.noResponse) {
    lines.push(`  - no response, ${name} (${count(entry.count)}×): ${entry.reason}`);
  }
  for (const line of [
    ...new Set(result.errorLogLines.map((line) => line.replace(/^\[Nest\] \d+\s+-\s[^E]*/, ''))),
  ].slice(0, 5)) {
    lines.push(`  - error log line: \`${line.slice(0, 200)}\``);
  }
  for (const line of [...new Set(result.otherLines)].slice(0, 5)) {
    lines.push(`  - other output (${result.otherLines.length} lines): \`${line.slice(0, 200)}\``);
  }
  return lines;
}

const OPTIONS = {
  help: { type: 'boolean', default: false },
  seconds: { type: 'string', default: '60' },
  platform: { type: 'string', default: 'express,fastify' },
  connections: { type: 'string', default: '16' },
  'raw-connections': { type: 'string', default: '4' },
  'slow-bodies': { type: 'string', default: '20' },
  probe: { type: 'boolean', default: false },
  'graphql-heap': { type: 'boolean', default: false },
  padded: { type: 'boolean', default: false },
  requests: { type: 'string', default: '50000' },
  warmup: { type: 'string', default: '5000' },
  'unique-every': { type: 'string', default: '0' },
  snapshots: { type: 'string' },
} as const;

/** `--graphql-heap [--padded]`: the GraphQL heap checks, printed; exit 1 if `--padded` fails. */
async function graphqlHeaps(
  platforms: readonly Platform[],
  values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'],
): Promise<void> {
  if (values.padded) {
    for (const platform of platforms) {
      const { line, ok } = paddedHeapReport(await paddedHeap(platform));
      console.log(line);
      if (!ok) process.exitCode = 1;
    }
    return;
  }
  const requests = numberOption('requests', values.requests);
  const warmup = numberOption('warmup', values.warmup);
  const uniqueEvery = numberOption('unique-every', values['unique-every']);
  if (values.snapshots !== undefined) mkdirSync(values.snapshots, { recursive: true });
  for (const platform of platforms) {
    console.log(`${platform}: warm-up ${warmup}, then ${requests} twice…`);
    const result = await graphqlHeap(platform, {
      requests,
      warmup,
      uniqueEvery,
      snapshots: values.snapshots,
    });
    console.log(graphqlHeapReport(result));
  }
}

async function main() {
  const { values } = parseArgs({ options: OPTIONS, strict: true, allowPositionals: false });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  pinSelf();
  const seconds = numberOption('seconds', values.seconds);
  const platforms = values.platform.split(',') as Platform[];
  if (values['graphql-heap']) {
    await graphqlHeaps(platforms, values);
    return;
  }
  if (values.probe) {
    for (const platform of platforms) {
      console.log(`\n${platform}:`);
      await probe(platform);
    }
    return;
  }
  const options = {
    seconds,
    connections: numberOption('connections', values.connections),
    rawConnections: numberOption('raw-connections', values['raw-connections']),
    slowBodies: numberOption('slow-bodies', values['slow-bodies']),
  };
  const loadBefore = loadavg()[0]!;
  const started = new Date();
  const results: LoadResult[] = [];
  for (const platform of platforms) {
    console.log(`${platform}: ${seconds} s of mixed client errors…`);
    results.push(await loadOne(platform, options));
  }
  const loadAfter = loadavg()[0]!;
  const command = `npm run load -- --seconds ${seconds}`;
  const section = [
    `## Load: mixed client errors on the reference app (\`${command}\`, ${started.toISOString()}, Node ${process.version})`,
    '',
    `${cpus().length} × ${cpus()[0]?.model.split(' ').slice(0, 2).join(' ') ?? 'CPU'}, shared; load average ${loadBefore.toFixed(2)} at the start, ${loadAfter.toFixed(2)} at the end. dist/main.js ${PINNED ? 'pinned to the last CPU, the client to the first' : 'not pinned (no taskset)'}; per platform ${warmupSeconds(seconds)} s of warm-up (not counted), then ${seconds} s: ${options.connections} keep-alive connections sending well-formed errors and malformed JSON to the five APIs, ${options.rawConnections} more opening a connection per request for bodies over the limit, aborted uploads (half a 20 kB body, then the connection destroyed) and bad URLs, and ${options.slowBodies} slow bodies (headers and 15 bytes of a 1000-byte body, then nothing) opened over the run. A response conforms when its status is one its request may get (429 included where a per-key limit applies), it is JSON with a well-formed X-Request-Id, and the body matches the JSON schema of its prefix's format (\`renderErrorReference({ format, as: 'json' }).schema\`, ajv). Error log lines: the app's output lines at ERROR or FATAL (4xx are logged at debug, not printed). Heap: after two full GCs, before and after the counted run.`,
    '',
    loadTable(results),
    '',
    ...results.flatMap(details),
    '',
  ].join('\n');
  console.log(`\n${section}`);
  let existing = '';
  try {
    existing = readFileSync(RESULTS, 'utf8');
  } catch {
    existing = '# Benchmark results\n';
  }
  // Replaces the generated section only: hand-written sections after it (## Load notes) stay.
  const start = existing.indexOf('## Load:');
  const end = start === -1 ? -1 : existing.indexOf('\n## ', start + 1);
  const before = (start === -1 ? existing : existing.slice(0, start)).trimEnd();
  const after = end === -1 ? '' : `\n${existing.slice(end + 1)}`;
  writeFileSync(RESULTS, `${before}\n\n${section}${after}`);
  const failed = results.some(
    (result) =>
      result.nonConformingCount > 0 ||
      result.serverErrors > 0 ||
      result.errorLogLines.length > 0 ||
      result.crashed ||
      result.heapAfter > 1.05 * result.heapBefore,
  );
  if (failed) process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
