import { Ajv } from 'ajv';
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ErrorReference, renderErrorReference } from 'nest-api-errors';
import { INVALID_ORDER } from './bench-app.js';

// `npm run load [-- --duration S]`: mixed error traffic (domain, validation, 500, unknown route,
// 429) for S seconds (default 60) against the ErrorsModule app on each platform, every response
// checked for its status, a body matching the format's schema and a well-formed X-Request-Id.
// Loopback only, bounded in time; the figures go to bench/RESULTS.md.

const APP = fileURLToPath(new URL('./bench-app.js', import.meta.url));
const RESULTS = fileURLToPath(new URL('../RESULTS.md', import.meta.url));
const conforms = new Ajv({ strict: false, validateFormats: false }).compile(
  (JSON.parse(renderErrorReference({ as: 'json' })) as ErrorReference).schema,
);

const TRAFFIC = [
  { method: 'GET', path: '/typed', status: 404 },
  {
    method: 'POST',
    path: '/validate',
    status: 400,
    body: JSON.stringify(INVALID_ORDER),
    headers: { 'content-type': 'application/json' },
  },
  { method: 'GET', path: '/crash', status: 500 },
  { method: 'GET', path: '/no/such/route?token=secret', status: 404 },
  { method: 'GET', path: '/limited', status: 429 },
] as const;

interface LoadResult {
  platform: string;
  responses: number;
  nonConforming: number;
  crashes: number;
  heapBefore: number;
  heapAfter: number;
  byStatus: Record<number, number>;
  /** Error log lines the app wrote (one per 500). */
  logLines: number;
}

async function heapOf(url: string): Promise<number> {
  return ((await (await fetch(`${url}/__heap`)).json()) as { heapUsed: number }).heapUsed;
}

async function loadOne(platform: 'express' | 'fastify', duration: number): Promise<LoadResult> {
  const child = spawn(process.execPath, ['--expose-gc', APP], {
    env: { ...process.env, VARIANT: `${platform}/errors`, NODE_ENV: 'production' },
    // stderr carries one error log (with stack) per 500: counted, not printed.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logLines = 0;
  child.stderr!.on('data', (chunk: Buffer) => {
    logLines += chunk.toString().split('ErrorsFilter').length - 1;
  });
  let stopping = false;
  let crashes = 0;
  child.on('exit', () => {
    if (!stopping) crashes++;
  });
  const url = await new Promise<string>((resolve) =>
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /READY (\d+)/.exec(chunk.toString());
      if (match !== null) resolve(`http://127.0.0.1:${match[1]}`);
    }),
  );
  const byStatus: Record<number, number> = {};
  let nonConforming = 0;
  let responses = 0;
  const heapBefore = await heapOf(url);
  await autocannon({
    url,
    connections: 16,
    duration,
    requests: TRAFFIC.map((spec) => ({
      method: spec.method,
      path: spec.path,
      ...('body' in spec ? { body: spec.body, headers: spec.headers } : {}),
      onResponse: (
        status: number,
        body: string,
        _context: unknown,
        headers: Record<string, string>,
      ) => {
        responses++;
        byStatus[status] = (byStatus[status] ?? 0) + 1;
        let ok =
          status === spec.status && /^[A-Za-z0-9._:-]{1,128}$/.test(headers['x-request-id'] ?? '');
        try {
          const parsed = JSON.parse(body) as Record<string, unknown>;
          ok &&= conforms(parsed) && !body.includes('secret') && !body.includes('hunter2');
        } catch {
          ok = false;
        }
        if (!ok) nonConforming++;
      },
    })),
  } as autocannon.Options);
  const heapAfter = await heapOf(url);
  stopping = true;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return { platform, responses, nonConforming, crashes, heapBefore, heapAfter, byStatus, logLines };
}

async function main() {
  const index = process.argv.indexOf('--duration');
  const duration = index === -1 ? 60 : Number(process.argv[index + 1]);
  const results: LoadResult[] = [];
  for (const platform of ['express', 'fastify'] as const) {
    console.log(`${platform}: ${duration} s of mixed error traffic…`);
    results.push(await loadOne(platform, duration));
  }
  const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;
  const table = [
    `## Load: mixed error traffic (\`npm run load -- --duration ${duration}\`, ${new Date().toISOString()}, Node ${process.version})`,
    '',
    'Domain 404, validation 400, internal 500, unknown-route 404 and 429 in turn, 16 connections on loopback; every response checked for its status, a body matching the timestamped schema, no secret from the query or the thrown error, and a well-formed X-Request-Id.',
    '',
    '| platform | responses | 400 | 404 | 429 | 500 | 500s logged | non-conforming | crashes | heap before | heap after |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (result) =>
        `| ${result.platform} | ${result.responses.toLocaleString('en-US')} | ${result.byStatus[400] ?? 0} | ${result.byStatus[404] ?? 0} | ${result.byStatus[429] ?? 0} | ${result.byStatus[500] ?? 0} | ${result.logLines} | ${result.nonConforming} | ${result.crashes} | ${mib(result.heapBefore)} | ${mib(result.heapAfter)} |`,
    ),
    '',
  ].join('\n');
  console.log(`\n${table}`);
  let existing = '';
  try {
    existing = readFileSync(RESULTS, 'utf8');
  } catch {
    existing = '# Benchmark results\n';
  }
  const start = existing.indexOf('## Load: mixed error traffic');
  writeFileSync(
    RESULTS,
    `${(start === -1 ? existing : existing.slice(0, start)).trimEnd()}\n\n${table}`,
  );
  if (results.some((result) => result.nonConforming > 0 || result.crashes > 0)) {
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
