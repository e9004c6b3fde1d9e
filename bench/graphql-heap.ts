import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { type Platform, type ReferenceApp, startReferenceApp } from './reference-app.js';

// `npm run load -- --graphql-heap`: whether the reference app keeps anything per GraphQL error.
// dist/main.js (with bench/dist/app-hook.js preloaded for heap readings and snapshots), GraphQL
// error traffic of every layer over keep-alive HTTP on loopback, the heap (after full GCs) after a
// warm-up, after `requests` more and after `requests` more again: a bounded cache filling shows as
// growth in the first half only, a per-request leak in both. `--padded` instead checks that
// distinct documents padded with a comment cannot grow the heap past what /graphql's document store
// may hold (the regression check of `BoundedDocumentStore`; exit 1 if they do).
//
// The /graphql per-key rate limit (300/min) is raised in the app for this run only (the hook's
// GRAPHQL_RATE_LIMIT), so that the requests reach Apollo and the resolvers rather than the 429.
// `uniqueEvery: N` makes every Nth document unique (an id literal), as clients that do not use
// variables send them; by default documents repeat and ids travel in variables.

const AUTH = { authorization: 'Bearer demo-graphql-key', 'x-project-id': 'prj_demo' };

interface GraphQLCase {
  name: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

const json = { 'content-type': 'application/json' };
const gql = (query: string, variables?: Record<string, unknown>) =>
  JSON.stringify(variables === undefined ? { query } : { query, variables });

/** Errors of every layer: resolver (per field, HTTP 200), GraphQL (400), before GraphQL (401/404). */
const GRAPHQL_ERROR_CASES: readonly GraphQLCase[] = [
  {
    name: 'resolver NOT_FOUND',
    status: 200,
    headers: { ...json, ...AUTH },
    body: gql('{ flow(id: "flw_nope") { id } }'),
  },
  {
    name: 'resolver FORBIDDEN (variables)',
    status: 200,
    headers: { ...json, ...AUTH },
    body: gql('query ($id: ID!) { flow(id: $id) { id name } }', { id: 'flw_billing' }),
  },
  {
    name: 'resolver validation (class-validator, 2 details)',
    status: 200,
    headers: { ...json, ...AUTH },
    body: gql('mutation ($input: RunFlowInput!) { runFlow(input: $input) { id } }', {
      input: { flowId: 'flw_onboarding', locale: 'xx', priority: 99 },
    }),
  },
  {
    name: 'parse failure',
    status: 400,
    headers: { ...json, ...AUTH },
    body: gql('{ flow(id: "flw_nope" { id }'),
  },
  {
    name: 'validation failure (unknown field)',
    status: 400,
    headers: { ...json, ...AUTH },
    body: gql('{ flow(id: "flw_nope") { id secret } }'),
  },
  {
    name: 'variable coercion (missing $id)',
    status: 400,
    headers: { ...json, ...AUTH },
    body: gql('query ($id: ID!) { flow(id: $id) { id } }'),
  },
  {
    name: 'missing API key (middleware)',
    status: 401,
    headers: { ...json, 'x-project-id': 'prj_demo' },
    body: gql('{ flows { id } }'),
  },
  {
    name: 'unknown project (middleware)',
    status: 404,
    headers: { ...json, ...AUTH, 'x-project-id': 'prj_nope' },
    body: gql('{ flows { id } }'),
  },
];

function send(
  app: ReferenceApp,
  agent: Agent,
  spec: GraphQLCase,
  body = spec.body,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port: app.port,
        method: 'POST',
        path: '/graphql',
        agent,
        headers: { ...spec.headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** `total` requests cycling through the cases, `connections` in flight; wrong statuses counted. */
async function drive(
  app: ReferenceApp,
  total: number,
  uniqueEvery: number,
  offset: number,
  connections = 8,
): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  let next = 0;
  let wrong = 0;
  const worker = async () => {
    while (next < total) {
      const index = next++;
      const spec = GRAPHQL_ERROR_CASES[index % GRAPHQL_ERROR_CASES.length]!;
      const unique = uniqueEvery > 0 && index % uniqueEvery === 0;
      const body = unique ? gql(`{ flow(id: "flw_nope_${offset + index}") { id } }`) : spec.body;
      const status = await send(app, agent, unique ? GRAPHQL_ERROR_CASES[0]! : spec, body);
      if (status !== (unique ? 200 : spec.status)) wrong++;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  agent.destroy();
  return wrong;
}

export interface GraphQLHeapResult {
  platform: Platform;
  requests: number;
  wrongStatus: number;
  heapAfterWarmup: number;
  heapAfterRequests: number;
  heapAfterTwice: number;
  rssAfterWarmup: number;
  rssAfterTwice: number;
}

/**
 * Warm-up, heap, `requests`, heap, `requests` more, heap. With `snapshots` (a folder), heap
 * snapshots after the warm-up and after the first `requests`, for DevTools' comparison view.
 */
export async function graphqlHeap(
  platform: Platform,
  options: { requests: number; warmup: number; uniqueEvery: number; snapshots?: string },
): Promise<GraphQLHeapResult> {
  const app = await startReferenceApp(platform, { GRAPHQL_RATE_LIMIT: '1000000000' });
  try {
    let wrongStatus = await drive(app, options.warmup, options.uniqueEvery, 0);
    const file = (name: string) => join(options.snapshots!, `${platform}-${name}.heapsnapshot`);
    const warm = await app.memory();
    if (options.snapshots !== undefined) await app.snapshot(file('before'));
    wrongStatus += await drive(app, options.requests, options.uniqueEvery, options.warmup);
    const once = await app.memory();
    if (options.snapshots !== undefined) await app.snapshot(file('after'));
    wrongStatus += await drive(
      app,
      options.requests,
      options.uniqueEvery,
      options.warmup + options.requests,
    );
    const twice = await app.memory();
    const result: GraphQLHeapResult = {
      platform,
      requests: options.requests,
      wrongStatus,
      heapAfterWarmup: warm.heapUsed,
      heapAfterRequests: once.heapUsed,
      heapAfterTwice: twice.heapUsed,
      rssAfterWarmup: warm.rss,
      rssAfterTwice: twice.rss,
    };
    if (app.crashed()) throw new Error(`${platform} crashed:\n${app.lines.join('\n')}`);
    return result;
  } finally {
    await app.stop();
  }
}

export interface PaddedHeapResult {
  platform: Platform;
  documents: number;
  documentChars: number;
  wrongStatus: number;
  heapBefore: number;
  heapAfter: number;
  /** The most the document cache may add: the app's DOCUMENT_STORE_MAX_BYTES. */
  bound: number;
}

/**
 * Distinct valid documents, each padded with a comment to just under the platform's body limit
 * (1 MB on Fastify, 100 kB on Express), `totalChars` in all; the heap may grow by at most what
 * /graphql's document store may hold. With Apollo's default store it grew by the whole amount
 * (173 MiB for 200 documents of 900 kB on Fastify): that store counts a document by its JSON,
 * not by the source text and tokens it keeps.
 */
export async function paddedHeap(platform: Platform, totalChars = 160 * 1024 * 1024) {
  const store = new URL('../../dist/flows-graphql/document-store.js', import.meta.url).href;
  const { DOCUMENT_STORE_MAX_BYTES } = (await import(store)) as {
    DOCUMENT_STORE_MAX_BYTES: number;
  };
  const documentChars = platform === 'fastify' ? 900_000 : 90_000;
  const documents = Math.ceil(totalChars / documentChars);
  const app = await startReferenceApp(platform, { GRAPHQL_RATE_LIMIT: '1000000000' });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const padding = 'x'.repeat(documentChars);
    const spec = { ...GRAPHQL_ERROR_CASES[0]!, status: 200 };
    let wrongStatus = 0;
    const sendPadded = async (index: number) => {
      const body = gql(`{ flows { id } } # ${index} ${padding}`);
      if ((await send(app, agent, spec, body)) !== 200) wrongStatus++;
    };
    for (let index = 0; index < 5; index++) await sendPadded(-1 - index);
    const before = await app.memory();
    for (let index = 0; index < documents; index++) await sendPadded(index);
    const after = await app.memory();
    if (app.crashed()) throw new Error(`${platform} crashed:\n${app.lines.join('\n')}`);
    return {
      platform,
      documents,
      documentChars,
      wrongStatus,
      heapBefore: before.heapUsed,
      heapAfter: after.heapUsed,
      bound: DOCUMENT_STORE_MAX_BYTES,
    } satisfies PaddedHeapResult;
  } finally {
    agent.destroy();
    await app.stop();
  }
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(2)} MiB`;

/** The readings of one `graphqlHeap` run, as printed. */
export function graphqlHeapReport(result: GraphQLHeapResult): string {
  return [
    `## ${result.platform}: ${result.requests.toLocaleString('en-US')} GraphQL errors, twice`,
    `wrong statuses: ${result.wrongStatus}`,
    `heap after warm-up ${mib(result.heapAfterWarmup)}, after ${result.requests} ${mib(result.heapAfterRequests)} (${(result.heapAfterRequests / result.heapAfterWarmup).toFixed(3)}×), after ${2 * result.requests} ${mib(result.heapAfterTwice)} (${(result.heapAfterTwice / result.heapAfterWarmup).toFixed(3)}×); RSS ${mib(result.rssAfterWarmup)} → ${mib(result.rssAfterTwice)}`,
  ].join('\n');
}

/** The verdict line of one `paddedHeap` run, and whether the heap stayed within the bound. */
export function paddedHeapReport(result: PaddedHeapResult): { line: string; ok: boolean } {
  const growth = result.heapAfter - result.heapBefore;
  const ok = result.wrongStatus === 0 && growth <= result.bound;
  return {
    ok,
    line: `${result.platform}: ${result.documents} distinct valid documents of ${result.documentChars} characters: heap ${mib(result.heapBefore)} → ${mib(result.heapAfter)} (+${mib(growth)}; at most +${mib(result.bound)}), wrong statuses ${result.wrongStatus}: ${ok ? 'ok' : 'FAILED'}`,
  };
}
