import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

// The real Prisma 7 client of test/fixtures/prisma/schema.prisma, generated on first use with the
// project's own `prisma` CLI and kept (by schema and Prisma version) under the fixture's
// .generated/ folder, which git ignores: generated code is not committed, and a fresh clone
// generates it once.

const SCHEMA = new URL('../fixtures/prisma/schema.prisma', import.meta.url);
const GENERATED = new URL('../fixtures/prisma/.generated/', import.meta.url);

/** The part of the generated client the fixture uses. */
export interface PrismaModelDelegate {
  create(args: { data: Record<string, unknown> }): Promise<unknown>;
  findUniqueOrThrow(args: { where: Record<string, unknown> }): Promise<unknown>;
}

export interface PrismaClientLike {
  user: PrismaModelDelegate;
  post: PrismaModelDelegate;
  $disconnect(): Promise<void>;
}

export type PrismaClientClass = new (options: { adapter: unknown }) => PrismaClientLike;

const run = promisify(execFile);

/**
 * `prisma generate` into a folder of this process, then renamed into place: several test files
 * (one per vitest worker) may ask at once, and a rename either lands whole or finds the client
 * already there.
 */
async function generate(target: URL): Promise<void> {
  const scratch = new URL(`tmp-${process.pid}-${Date.now()}/`, GENERATED);
  mkdirSync(scratch, { recursive: true });
  try {
    writeFileSync(new URL('schema.prisma', scratch), readFileSync(SCHEMA));
    const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
    await run(process.execPath, [cli, 'generate', '--schema', 'schema.prisma'], {
      cwd: scratch,
      env: {
        ...process.env,
        // `generate` never runs the schema engine, but the CLI fetches it at start unless told
        // where one is; this machine reaches the npm registry and nothing else.
        PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        CHECKPOINT_DISABLE: '1',
      },
      timeout: 120_000,
    });
    try {
      renameSync(new URL('client/', scratch), target);
    } catch (error) {
      if (!existsSync(target)) {
        throw error;
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

let loaded: Promise<PrismaClientClass> | undefined;

/** The generated `PrismaClient` class (generated first when this schema and Prisma version have none yet). */
export function prismaClientClass(): Promise<PrismaClientClass> {
  loaded ??= (async () => {
    const version = (
      JSON.parse(
        readFileSync(createRequire(import.meta.url).resolve('prisma/package.json'), 'utf8'),
      ) as { version: string }
    ).version;
    const hash = createHash('sha256')
      .update(readFileSync(SCHEMA))
      .update(version)
      .digest('hex')
      .slice(0, 16);
    const target = new URL(`${hash}/`, GENERATED);
    if (!existsSync(new URL('client.ts', target))) {
      await generate(target);
    }
    const module = (await import(pathToFileURL(new URL('client.ts', target).pathname).href)) as {
      PrismaClient: PrismaClientClass;
    };
    return module.PrismaClient;
  })();
  return loaded;
}
