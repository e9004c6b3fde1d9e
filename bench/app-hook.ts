import { writeHeapSnapshot } from 'node:v8';

// Preloaded (`node --expose-gc --import bench/dist/app-hook.js dist/main.js`) into the reference
// app by `npm run load` (and its `--graphql-heap` checks): answers heap questions over the IPC
// channel its parent opened, so that dist/main.js runs unchanged. Nothing else of the app is touched,
// except that GRAPHQL_RATE_LIMIT (a number of requests per minute) raises /graphql's per-key
// limit, for a soak that must reach the resolvers more than 300 times a minute.

export type HookCommand = { type: 'memory' } | { type: 'snapshot'; file: string };

export interface MemoryReply {
  type: 'memory';
  /** After two full collections. */
  heapUsed: number;
  rss: number;
}

export interface SnapshotReply {
  type: 'snapshot';
  file: string;
  heapUsed: number;
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) {
    throw new Error('app-hook: run node with --expose-gc');
  }
  gc();
  gc();
}

if (process.send !== undefined) {
  process.on('message', (command: HookCommand) => {
    if (command.type === 'memory') {
      collect();
      const { heapUsed, rss } = process.memoryUsage();
      process.send!({ type: 'memory', heapUsed, rss } satisfies MemoryReply);
    } else if (command.type === 'snapshot') {
      collect();
      const heapUsed = process.memoryUsage().heapUsed;
      const file = writeHeapSnapshot(command.file);
      process.send!({ type: 'snapshot', file, heapUsed } satisfies SnapshotReply);
    }
  });
  // The channel must not keep the app alive once Nest has closed it (SIGTERM).
  process.channel?.unref();
}

const graphqlLimit = Number(process.env.GRAPHQL_RATE_LIMIT ?? '');
if (graphqlLimit > 0) {
  const middleware = new URL(
    '../../dist/flows-graphql/graphql-access.middleware.js',
    import.meta.url,
  ).href;
  const { DEFAULT_GRAPHQL_RATE_LIMIT } = (await import(middleware)) as {
    DEFAULT_GRAPHQL_RATE_LIMIT: { requestsPerMinute: number };
  };
  DEFAULT_GRAPHQL_RATE_LIMIT.requestsPerMinute = graphqlLimit;
}
