import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type AppKey, comparisonTable, comparisons, runComparisons } from './harness.js';
import { heapSoak } from './heap-soak.js';
import { measureRender } from './micro.js';

// `npm run bench [-- --rounds N --duration S --connections C --out FILE]`
// Starts the four apps as child processes on loopback, drives them with autocannon in turns
// (A B A B …), then times normalize + render in-process and soaks the heap in a child process.

function option(name: string, fallback: number): number;
function option(name: string, fallback: string): string;
function option(name: string, fallback: number | string): number | string {
  const index = process.argv.indexOf(`--${name}`);
  if (index === -1) {
    return fallback;
  }
  const value = process.argv[index + 1]!;
  return typeof fallback === 'number' ? Number(value) : value;
}

const APP_SCRIPT = fileURLToPath(new URL('./bench-app.js', import.meta.url));
const SELF = fileURLToPath(import.meta.url);

/**
 * On a machine with taskset and at least two CPUs, the apps run on the last CPU and this process
 * (the autocannon client) on the first, so client and server never compete for one core and the
 * OS does not move them around between samples. Without it the ratios drift by ±20% between runs.
 */
const PINNED = cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;
const SERVER_CPU = String(cpus().length - 1);
if (PINNED) {
  spawnSync('taskset', ['-pc', '0', String(process.pid)]);
}

function spawnPinned(args: string[], env?: NodeJS.ProcessEnv): ChildProcess {
  const [command, commandArgs] = PINNED
    ? ['taskset', ['-c', SERVER_CPU, process.execPath, ...args]]
    : [process.execPath, args];
  return spawn(command, commandArgs, {
    env: env ?? process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

function startApp(key: AppKey): Promise<{ child: ChildProcess; url: string }> {
  const [platform, mode] = key.split('/');
  const child = spawnPinned([APP_SCRIPT], {
    ...process.env,
    PLATFORM: platform,
    MODE: mode,
    NODE_ENV: 'production',
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${key} did not start within 20 s`)), 20_000);
    child.once('exit', (code) => reject(new Error(`${key} exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /READY (\d+)/.exec(chunk.toString());
      if (match !== null) {
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${match[1]}` });
      }
    });
  });
}

async function heapSoakInChild(): Promise<{
  requests: number;
  heapAfterWarmup: number;
  heapAfterAll: number;
  ratio: number;
}> {
  const child = spawnPinned(['--expose-gc', SELF, '--heap-soak']);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) {
    throw new Error(`heap soak exited with ${code}`);
  }
  return JSON.parse(output.trim().split('\n').at(-1)!);
}

async function main() {
  if (process.argv.includes('--heap-soak')) {
    process.stdout.write(`${JSON.stringify(await heapSoak())}\n`);
    return;
  }
  const rounds = option('rounds', 5);
  const duration = option('duration', 3);
  const connections = option('connections', 32);
  const out = option('out', fileURLToPath(new URL('../RESULTS.md', import.meta.url)));
  const keys: AppKey[] = ['express/builtin', 'express/errors', 'fastify/builtin', 'fastify/errors'];
  const started = await Promise.all(keys.map(startApp));
  const urls = Object.fromEntries(keys.map((key, index) => [key, started[index]!.url])) as Record<
    AppKey,
    string
  >;
  try {
    const options = { urls, rounds: 1, duration: 1, connections };
    // Warm every path once (JIT, connection pools) before anything is kept.
    await runComparisons(comparisons(), options);
    const results = await runComparisons(comparisons(), {
      ...options,
      rounds,
      duration,
      onSample: (line) => console.log(line),
    });
    const render = await measureRender();
    const heap = await heapSoakInChild();
    const command = `npm run bench -- --rounds ${rounds} --duration ${duration} --connections ${connections}`;
    const report = [
      '# Benchmark results',
      '',
      `Made by \`${command}\` on ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}${PINNED ? `; apps pinned to CPU ${SERVER_CPU}, the client to CPU 0` : ''}.`,
      `Each ratio is B's median requests/s over A's, measured in turns (A B A B …, ${rounds} rounds of ${duration} s each, ${connections} connections, one autocannon client on loopback); the raw medians are beside it.`,
      '',
      comparisonTable(results),
      '',
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
      `| ${(heap.heapAfterWarmup / 1048576).toFixed(1)} MiB | ${(heap.heapAfterAll / 1048576).toFixed(1)} MiB | ${heap.ratio.toFixed(3)}× | ≤ 1.05× | ${heap.ratio <= 1.05 ? 'yes' : 'NO'} |`,
      '',
    ].join('\n');
    // Keep the load figures `npm run load` wrote, if any: the two commands fill one file.
    let previous = '';
    try {
      previous = readFileSync(out, 'utf8');
    } catch {
      // first run
    }
    const load = previous.indexOf('## Load: mixed error traffic');
    writeFileSync(out, load === -1 ? report : `${report}\n${previous.slice(load)}`);
    console.log(`\n${report}\nWritten to ${out}`);
  } finally {
    for (const { child } of started) {
      child.kill('SIGTERM');
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
