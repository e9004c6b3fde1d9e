import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { numberOption } from './cli-options.js';
import {
  type Load,
  type Pairing,
  type RowResult,
  instanceKey,
  instancesOf,
  measure,
  median,
  rowTable,
  runRows,
  summarize,
} from './harness.js';
import { heapSoak } from './heap-soak.js';
import { measureRender } from './micro.js';
import {
  type ChildApp,
  CLIENT_CPU,
  PINNED,
  SERVER_CPU,
  pinSelf,
  spawnPinned,
  startApp,
} from './processes.js';
import { profileTable, summarizeProfile } from './profile.js';
import { type Row, rows } from './rows.js';

/** What `--help` prints: the command and its options. */
const USAGE = `\`npm run bench [-- options]\`: the apps' CPU time per request for every DESIGN § Performance
row, on both adapters, then normalize + render timings and the heap soak; writes
bench/RESULTS.md.

  --rounds N        rounds per row after one warm-up round (default 9)
  --seconds S       concurrent pairing: seconds per round (default 1)
  --warm-up S       concurrent pairing: discarded seconds before each row's rounds (default 2)
  --alternating     pair A and B in turns (A B, B A, …), each alone, instead of concurrently
  --sample-ms M     alternating: server CPU per sample the request count is sized for (default 500)
  --requests N      alternating: a fixed request count per side and round instead
  --connections C   client connections per side (default 16)
  --only A,B        only rows whose id contains A or B (then RESULTS.md is left alone)
  --no-extras       skip the render timings and the heap soak
  --note TEXT       a line for RESULTS.md about the conditions of this run
  --out FILE        where to write (default bench/RESULTS.md)
  --profile TEXT    instead: CPU-profile both sides of each row whose id contains TEXT, each
                    alone (--requests N per side, default 20000; --focus a,b,c names frames to
                    time inclusively)`;

const ARGS = process.argv.slice(2);

/** The options above, checked: an unknown or misspelt one stops the run before any app starts. */
const parseOptions = () =>
  parseArgs({
    args: ARGS,
    strict: true,
    allowPositionals: false,
    options: {
      rounds: { type: 'string', default: '9' },
      seconds: { type: 'string', default: '1' },
      'warm-up': { type: 'string', default: '2' },
      alternating: { type: 'boolean', default: false },
      'sample-ms': { type: 'string', default: '500' },
      requests: { type: 'string' },
      connections: { type: 'string', default: '16' },
      only: { type: 'string' },
      'no-extras': { type: 'boolean', default: false },
      note: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'string' },
      focus: { type: 'string', default: '' },
      help: { type: 'boolean', default: false },
      // Internal: the heap soak runs in a child process of its own (see heapSoakInChild).
      'heap-soak': { type: 'boolean', default: false },
    },
  }).values;

const SELF = fileURLToPath(import.meta.url);
const RESULTS = fileURLToPath(new URL('../RESULTS.md', import.meta.url));
const PROFILES = fileURLToPath(new URL('../profiles/', import.meta.url));

async function heapSoakInChild(): Promise<Awaited<ReturnType<typeof heapSoak>>> {
  const child = spawnPinned(['--expose-gc', SELF, '--heap-soak']);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) {
    throw new Error(`heap soak exited with ${code}`);
  }
  return JSON.parse(output.trim().split('\n').at(-1)!) as Awaited<ReturnType<typeof heapSoak>>;
}

async function startApps(selected: readonly Row[]) {
  const apps = new Map<string, ChildApp>();
  // One at a time: they share one CPU, and start-up is not what is measured.
  for (const { key, variant } of instancesOf(selected)) {
    apps.set(key, await startApp(variant));
  }
  return apps;
}

const closeAll = (apps: ReadonlyMap<string, ChildApp>) =>
  Promise.all([...apps.values()].map((app) => app.close()));

/**
 * Alternating pairing: one warm-up pass of every row (JIT), which also sizes each row's request
 * count: both sides get the same count, enough for `sampleMs` of server CPU on the costlier side.
 */
async function sizeRequests(
  selected: readonly Row[],
  apps: ReadonlyMap<string, ChildApp>,
  connections: number,
  sampleMs: number,
  fixed: number | undefined,
): Promise<Map<Row, number>> {
  const counts = new Map<Row, number>();
  for (const row of selected) {
    let costliest = 0;
    // Twice: the first pass is mostly JIT; the second prices a request.
    for (const pass of [1, 2]) {
      for (const side of ['a', 'b'] as const) {
        const app = apps.get(instanceKey(row, side))!;
        const sample = await measure(row[side], app, { requests: fixed ?? 2000 }, connections);
        if (pass === 2) {
          costliest = Math.max(costliest, sample.cpuPerRequest);
        }
      }
    }
    counts.set(
      row,
      fixed ?? Math.min(50_000, Math.max(1000, Math.round((sampleMs * 10) / costliest) * 100)),
    );
  }
  return counts;
}

async function profileRows(
  selected: readonly Row[],
  connections: number,
  requests: number,
  focus: readonly string[],
): Promise<void> {
  const apps = await startApps(selected);
  try {
    mkdirSync(PROFILES, { recursive: true });
    for (const row of selected) {
      for (const [side, probe] of [
        ['A', row.a],
        ['B', row.b],
      ] as const) {
        const app = apps.get(instanceKey(row, side === 'A' ? 'a' : 'b'))!;
        const file = `${PROFILES}${row.id.replace('/', '-')}-${side}.cpuprofile`;
        await measure(probe, app, { requests: 5000 }, connections);
        await app.profileStart();
        const sample = await measure(probe, app, { requests }, connections);
        await app.profileStop(file);
        console.log(
          `\n${profileTable(
            `${row.id} ${side}: ${probe.variant} ${probe.method} ${probe.path} (${sample.cpuPerRequest.toFixed(1)} µs/req process CPU while profiling; ${requests} requests; ${file})`,
            summarizeProfile(file, sample.requests, focus),
          )}`,
        );
      }
    }
  } finally {
    await closeAll(apps);
  }
}

function method(
  pairing: Pairing,
  rounds: number,
  connections: number,
  seconds: number,
  warmUp: number,
): string {
  const common = `**µs/req** is the app process's own CPU time (user + system, \`process.cpuUsage()\` read over IPC before and after a sample) divided by the requests it answered in that sample. **B/A** is the median of the ${rounds} per-round ratios; IQR: interquartile range. A target is met when the median B/A is at most the target; "within IQR" marks a verdict the spread could flip. Requests/s is what the client saw (${connections} connections per side), for reference only.`;
  return pairing === 'concurrent'
    ? `Each round runs a row's two sides **at the same time** for ${seconds} s, each app in its own process on the server CPU (one process per variant and path, so each only ever serves the request it is measured on), so whatever else the machine does in that second weighs on both sides alike. Every path is served for 2 s first (JIT); then row by row, ${warmUp} s of discarded load on both sides and ${rounds} rounds back to back. ${common}`
    : `Each round runs a row's two sides **in turns**, each alone on the server CPU (A B, then B A, …), over a fixed number of requests. ${rounds} rounds per row after a warm-up, rounds outermost. ${common}`;
}

function sizes(results: readonly RowResult[], apps: ReadonlyMap<string, ChildApp>): string {
  return results
    .filter((result) => result.a.path === '/sized')
    .map(
      (result) =>
        `${result.platform}: the \`/sized\` success body and the \`/typed\` error body are both ${apps.get(instanceKey(result, 'a'))!.sizedBytes} bytes.`,
    )
    .join(' ');
}

async function main() {
  const options = parseOptions();
  if (options.help) {
    console.log(USAGE);
    return;
  }
  if (options['heap-soak']) {
    process.stdout.write(`${JSON.stringify(await heapSoak())}\n`);
    return;
  }
  pinSelf();
  const rounds = numberOption('rounds', options.rounds);
  const pairing: Pairing = options.alternating ? 'alternating' : 'concurrent';
  const seconds = numberOption('seconds', options.seconds);
  const sampleMs = numberOption('sample-ms', options['sample-ms']);
  const fixed =
    options.requests === undefined ? undefined : numberOption('requests', options.requests);
  const connections = numberOption('connections', options.connections);
  const warmUp = numberOption('warm-up', options['warm-up']);
  const only = options.only ?? options.profile;
  const selected = rows().filter(
    (row) => only === undefined || only.split(',').some((part) => row.id.includes(part)),
  );
  if (selected.length === 0) {
    throw new Error(`no row id contains "${only}"`);
  }
  if (options.profile !== undefined) {
    await profileRows(
      selected,
      connections,
      fixed ?? 20_000,
      options.focus.split(',').filter((name) => name !== ''),
    );
    return;
  }

  const started = Date.now();
  const loadBefore = loadavg()[0]!;
  const apps = await startApps(selected);
  let results: RowResult[];
  let sizeNote: string;
  try {
    let load: (row: Row) => Load;
    if (pairing === 'concurrent') {
      load = () => ({ seconds });
      // JIT: every path served for a while before any row is measured.
      await runRows(selected, {
        apps,
        rounds: 1,
        pairing,
        load: () => ({ seconds: 2 }),
        connections,
      });
    } else {
      const counts = await sizeRequests(selected, apps, connections, sampleMs, fixed);
      load = (row) => ({ requests: counts.get(row)! });
    }
    results = await runRows(selected, {
      apps,
      rounds,
      pairing,
      connections,
      load,
      warmUpSeconds: warmUp,
      onSample: (line) => console.log(line),
    });
    sizeNote = sizes(results, apps);
  } finally {
    await closeAll(apps);
  }
  const extras = !options['no-extras'];
  const render = extras ? await measureRender() : [];
  const heap = extras ? await heapSoakInChild() : undefined;
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const loadNote = `load average ${loadBefore.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end`;

  const command = `npm run bench${ARGS.length === 0 ? '' : ` -- ${ARGS.map((arg) => (/\s/.test(arg) ? JSON.stringify(arg) : arg)).join(' ')}`}`;
  const perSample = results.map(
    (result) =>
      `${result.id} ${Math.round(median([...result.aSamples, ...result.bSamples].map((sample) => sample.requests)))}`,
  );
  const note = options.note;
  const report = [
    '# Benchmark results',
    '',
    `Made by \`${command}\` on ${new Date().toISOString()} (${minutes} min), Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}${PINNED ? `; apps pinned to CPU ${SERVER_CPU}, the client (autocannon, loopback) to CPU ${CLIENT_CPU}` : '; NOT pinned (no taskset or one CPU)'}; ${loadNote}.`,
    ...(note === undefined ? [] : ['', `**${note}**`]),
    '',
    method(pairing, rounds, connections, seconds, warmUp),
    '',
    rowTable(results),
    '',
    `Requests per side per round (median): ${perSample.join(', ')}. ${sizeNote}`,
    '',
    ...(extras
      ? [
          '## normalize + render of one domain error (in-process, tinybench median)',
          '',
          '| format | median | target | met |',
          '|---|---:|---:|---|',
          ...render.map(
            ({ format, medianNs }) =>
              `| ${format} | ${Math.round(medianNs)} ns | ≤ 1000 ns | ${medianNs <= 1000 ? 'yes' : 'NO'} |`,
          ),
          '',
          '## Heap after error responses (Fastify over loopback HTTP, full GC before each reading)',
          '',
          '| after 10,000 | after 200,000 | ratio | target | met |',
          '|---:|---:|---:|---:|---|',
          `| ${(heap!.heapAfterWarmup / 1048576).toFixed(1)} MiB | ${(heap!.heapAfterAll / 1048576).toFixed(1)} MiB | ${heap!.ratio.toFixed(3)}× | ≤ 1.05× | ${heap!.ratio <= 1.05 ? 'yes' : 'NO'} |`,
          '',
        ]
      : []),
  ].join('\n');
  console.log(`\n${report}`);
  const out = options.out ?? (only === undefined && extras ? RESULTS : undefined);
  if (out === undefined) {
    console.log('(a partial run: RESULTS.md left alone; --out FILE to write it somewhere)');
    return;
  }
  // Keep what follows the generated part (`npm run load`'s figures, notes): the commands share a file.
  let previous = '';
  try {
    previous = readFileSync(out, 'utf8');
  } catch {
    // first run
  }
  const kept = previous.search(/^## (Load: mixed error traffic|Notes)/m);
  writeFileSync(out, kept === -1 ? report : `${report}\n${previous.slice(kept)}`);
  console.log(`Written to ${out}`);
  for (const result of results) {
    const ratio = summarize(result.ratios);
    console.log(
      `${result.id}: ${ratio.median.toFixed(2)}× (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
