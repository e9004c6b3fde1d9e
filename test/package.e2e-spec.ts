import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeFiles } from './support/readme-examples.js';

// `npm pack` in libs/errors, installed into a fresh Nest 12 app outside the workspace, then one
// request through it on each platform. `--prefer-offline`, not `--offline`: `npm ci` leaves package
// tarballs in the cache but not the metadata an install resolves versions from, so with an empty
// cache (a fresh machine, CI) the metadata comes from the registry and the tarballs from the cache.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LIBRARY = join(ROOT, 'libs/errors');

/**
 * This process's environment less vitest's own variables, which would steer a vitest it runs, and
 * without colours, so that a runner's output reads as text.
 */
const ENV: NodeJS.ProcessEnv = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('VITEST') && name !== 'FORCE_COLOR',
    ),
  ),
  NO_COLOR: '1',
};

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...ENV, npm_config_update_notifier: 'false', ...env },
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/** A Nest app written without decorator syntax, so it runs as plain ESM JavaScript. */
const APP = `
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { EntryNotFoundException, ErrorsModule } from 'nest-api-errors';

class FilesController {
  get() {
    throw new EntryNotFoundException();
  }
}
Controller('files')(FilesController);
Get(':id')(FilesController.prototype, 'get', Object.getOwnPropertyDescriptor(FilesController.prototype, 'get'));
class AppModule {}
Module({ imports: [ErrorsModule.forRoot()], controllers: [FilesController] })(AppModule);

const platform = process.argv[2];
const app = await NestFactory.create(AppModule, platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter(), { logger: false });
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address();
const response = await fetch('http://127.0.0.1:' + port + '/files/1?token=x', { headers: { 'x-request-id': 'pack-1' } });
console.log(JSON.stringify({
  status: response.status,
  contentType: response.headers.get('content-type'),
  requestId: response.headers.get('x-request-id'),
  body: await response.json(),
}));
await app.close();
`;

/** A CommonJS app (what `nest new` made before Nest 12), loading the ES module through require(). */
const CJS_APP = `
require('reflect-metadata');
const { Controller, Get, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { ExpressAdapter } = require('@nestjs/platform-express');
const { EntryNotFoundException, ErrorsModule } = require('nest-api-errors');
const { expectApiError } = require('nest-api-errors/testing');

class FilesController {
  get() {
    throw new EntryNotFoundException();
  }
}
Controller('files')(FilesController);
Get(':id')(FilesController.prototype, 'get', Object.getOwnPropertyDescriptor(FilesController.prototype, 'get'));
class AppModule {}
Module({ imports: [ErrorsModule.forRoot({ format: 'problem' })], controllers: [FilesController] })(AppModule);

(async () => {
  const app = await NestFactory.create(AppModule, new ExpressAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address();
  const response = await fetch('http://127.0.0.1:' + port + '/files/1');
  const headers = Object.fromEntries(response.headers);
  expectApiError({ status: response.status, headers, text: await response.text() }, EntryNotFoundException, { path: '/files/1' });
  console.log('cjs ok');
  await app.close();
})();
`;

/** What a consumer's code uses of the types, checked by tsc under each module resolution. */
const CONSUMER = `
import { Module } from '@nestjs/common';
import { ApiException, EntryNotFoundException, ErrorsModule, type FormatName } from 'nest-api-errors';
import { expectApiError } from 'nest-api-errors/testing';

export class FlowLockedException extends ApiException.define({
  code: 'FLOW_LOCKED',
  status: 409,
  message: 'Flow {flowId} is locked by another editor',
}) {}

const locked = new FlowLockedException({ flowId: 'flw_1' });
export const code: 'FLOW_LOCKED' = locked.code;
// @ts-expect-error the message's template field is required
export const missing = new FlowLockedException();
export const format: FormatName = 'envelope';

@Module({ imports: [ErrorsModule.forRoot({ format, routes: [{ path: '/v2', format: 'traced' }] })] })
export class AppModule {}

export function check(response: { status: number; headers: Record<string, unknown>; text: string }) {
  expectApiError(response, EntryNotFoundException, { path: '/files/1' });
}
`;

/** tsc's options for a consumer: a classic Nest tsconfig, with the module settings varied. */
function tsconfig(module: string, moduleResolution: string) {
  return JSON.stringify({
    compilerOptions: {
      module,
      moduleResolution,
      target: 'ES2022',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      types: [],
      ignoreDeprecations: '6.0',
    },
    files: ['consumer.ts'],
  });
}

/**
 * The app of the library README's testing spec (README § Testing): a service that throws a typed
 * error, injected by type (so the runner must emit decorator metadata), and a validated DTO.
 */
const TESTED_APP = `
import { Body, Controller, Get, Injectable, Module, Param, Post } from '@nestjs/common';
import { IsString } from 'class-validator';
import { EntryNotFoundException, ErrorsModule } from 'nest-api-errors';

class CreateFileDto {
  @IsString()
  name!: string;
}

@Injectable()
export class FilesService {
  get(id: string): never {
    throw new EntryNotFoundException();
  }
}

@Controller('files')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Get(':id')
  get(@Param('id') id: string) {
    return this.files.get(id);
  }

  @Post()
  create(@Body() file: CreateFileDto) {
    return file;
  }
}

@Module({ imports: [ErrorsModule.forRoot()], controllers: [FilesController], providers: [FilesService] })
export class AppModule {}
`;

/** The README's files for a Nest 12 app's tests: tsconfig.json, jest.config.js, the spec. */
const TESTING_FILES = readmeFiles(new URL('../libs/errors/README.md', import.meta.url));

/** The README's spec with its test functions imported from where the README says Jest's are. */
function forJest(spec: string): string {
  const jest = spec.replace(
    "from 'vitest'; // Jest: from '@jest/globals'",
    "from '@jest/globals';",
  );
  expect(jest).not.toBe(spec);
  return jest;
}

describe('the npm package', () => {
  let workdir: string;
  let appDir: string;
  let files: string[];
  /** The packed package, as a path a fresh app's package.json can name. */
  let tarball: string;

  beforeAll(() => {
    workdir = mkdtempSync(join(tmpdir(), 'nest-api-errors-pack-'));
    const packed = JSON.parse(
      run('npm', ['pack', '--json', '--pack-destination', workdir], LIBRARY),
    ) as {
      filename: string;
      files: { path: string }[];
    }[];
    files = packed[0]!.files.map((file) => file.path);
    tarball = join(workdir, packed[0]!.filename);
    const versions = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      }
    ).dependencies;
    appDir = join(workdir, 'app');
    mkdirSync(appDir);
    writeFileSync(
      join(appDir, 'package.json'),
      JSON.stringify({
        name: 'fresh-nest-app',
        private: true,
        type: 'module',
        dependencies: {
          '@nestjs/common': versions['@nestjs/common'],
          '@nestjs/core': versions['@nestjs/core'],
          '@nestjs/platform-express': versions['@nestjs/platform-express'],
          '@nestjs/platform-fastify': versions['@nestjs/platform-fastify'],
          'reflect-metadata': versions['reflect-metadata'],
          rxjs: versions.rxjs,
          'nest-api-errors': `file:${tarball}`,
        },
      }),
    );
    writeFileSync(join(appDir, 'app.mjs'), APP);
    run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--no-package-lock',
      ],
      appDir,
    );
  }, 240_000);

  afterAll(() => {
    rmSync(workdir, { recursive: true, force: true });
  });

  it('ships the CommonJS type view and every file its source maps name, but no specs', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/types-cjs/package.json',
        'dist/types-cjs/index.d.ts',
        'dist/types-cjs/testing/index.d.ts',
        'src/index.ts',
      ]),
    );
    for (const map of files.filter((file) => file.endsWith('.map'))) {
      const { sources } = JSON.parse(
        readFileSync(join(appDir, 'node_modules/nest-api-errors', map), 'utf8'),
      ) as {
        sources: string[];
      };
      for (const source of sources) {
        expect(files, `${map} names ${source}`).toContain(join(dirname(map), source));
      }
    }
  });

  it.each([
    ['an ES module app (NodeNext)', 'module', 'NodeNext', 'NodeNext'],
    ['a CommonJS app (moduleResolution node)', 'commonjs', 'commonjs', 'node'],
    ['a CommonJS app (node16)', 'commonjs', 'node16', 'node16'],
    ['a CommonJS app (nodenext)', 'commonjs', 'nodenext', 'nodenext'],
  ])('type-checks %s', (_, type, module, moduleResolution) => {
    const dir = join(appDir, `consumer-${module}-${moduleResolution}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type }));
    // Under node16, a CommonJS file may import no ES module: Nest 12's own packages are ES modules,
    // so such an app cannot import @nestjs/common at all; what is checked is this package's types.
    writeFileSync(
      join(dir, 'consumer.ts'),
      moduleResolution === 'node16'
        ? CONSUMER.replace(/^import \{ Module \}.*$/m, '').replace(/@Module[\s\S]*?\{\}\n/, '')
        : CONSUMER,
    );
    writeFileSync(join(dir, 'tsconfig.json'), tsconfig(module, moduleResolution));
    run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], dir);
  });

  it('runs in a CommonJS app through require()', () => {
    writeFileSync(join(appDir, 'app.cjs'), CJS_APP);
    expect(run('node', ['app.cjs'], appDir)).toContain('cjs ok');
  });

  it("docs: --module loads the app's classes, --domains adds shipped ones, --out makes its folder", () => {
    writeFileSync(
      join(appDir, 'orders.mjs'),
      `import { ApiException } from 'nest-api-errors';
export class OrdersException extends ApiException {}
OrdersException.domain = 'orders';
OrdersException.domainTitle = 'Orders';
export class OrderLockedException extends OrdersException.define({ code: 'ORDER_LOCKED', status: 409, message: 'Order {orderId} is locked' }) {}
`,
    );
    const bin = join(appDir, 'node_modules/.bin/nest-api-errors');
    run(
      bin,
      ['docs', '--module', 'orders.mjs', '--domains', 'tenants', '--out', 'docs/api/errors.md'],
      appDir,
    );
    const markdown = readFileSync(join(appDir, 'docs/api/errors.md'), 'utf8');
    expect(markdown).toContain('### Orders');
    expect(markdown).toContain('`ORDER_LOCKED` | 409 | Order {orderId} is locked |');
    expect(markdown).toContain('`AUDIENCE_IN_USE`');
    expect(markdown).not.toContain('`INVALID_CLIENT`');
    expect(run(bin, ['docs', '--help'], appDir)).toContain('Usage: nest-api-errors docs');

    // An app module: docs follows the format and routes of the ErrorsModule.forRoot() it imports.
    writeFileSync(
      join(appDir, 'app.module.mjs'),
      `import { Module } from '@nestjs/common';
import { ErrorsModule } from 'nest-api-errors';
export class AppModule {}
Module({ imports: [ErrorsModule.forRoot({ format: 'envelope', routes: [{ path: '/orders', format: 'problem' }] })] })(AppModule);
`,
    );
    const followed = run(bin, ['docs', '--module', 'orders.mjs', 'app.module.mjs'], appDir);
    expect(followed).toContain('"code": "ORDER_LOCKED",\n    "category": "CONFLICT"');
    expect(followed).toContain(
      '| `/orders` | problem | `application/problem+json; charset=utf-8` |',
    );
  });

  it('docs refuses a --module file that starts the app (one line, exit 2), and a .ts file', () => {
    writeFileSync(
      join(appDir, 'main.mjs'),
      `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.mjs';
async function bootstrap() {
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0);
  console.log('listening');
}
void bootstrap();
`,
    );
    const bin = join(appDir, 'node_modules/.bin/nest-api-errors');
    const refused = spawnSync(bin, ['docs', '--module', 'main.mjs'], {
      cwd: appDir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect([refused.status, refused.stdout]).toEqual([2, '']);
    expect(refused.stderr).toBe(
      'nest-api-errors: main.mjs started a server when loaded (stopped before it listened): give --module your app module or the files that declare your exception classes (e.g. dist/app.module.js), not the file that starts the app\n',
    );
    const typescript = spawnSync(bin, ['docs', '--module', 'src/app.module.ts'], {
      cwd: appDir,
      encoding: 'utf8',
    });
    expect([typescript.status, typescript.stderr]).toEqual([
      2,
      'nest-api-errors: src/app.module.ts is TypeScript: build the app first (nest build) and give --module the compiled file, e.g. dist/app.module.js\n',
    ]);
    // Without --module, the reference has none of the app's codes: it says how to add them.
    const bare = spawnSync(bin, ['docs'], { cwd: appDir, encoding: 'utf8' });
    expect(bare.status).toBe(0);
    expect(bare.stderr).toContain('nest-api-errors: none of your own codes is in this reference');
  });

  it('types --out src/api/errors.ts writes one module the app build compiles and runs', () => {
    const bin = join(appDir, 'node_modules/.bin/nest-api-errors');
    run(bin, ['types', '--format', 'envelope', '--out', 'build/src/api/errors.ts'], appDir);
    writeFileSync(
      join(appDir, 'build/src/main.ts'),
      `import { isApiError } from './api/errors.js';
const body: unknown = { error: { message: 'Too many requests', statusCode: 429, code: 'RATE_LIMITED', category: 'RATE_LIMIT' } };
if (isApiError(body, 'RATE_LIMITED')) {
  const status: 429 = body.error.statusCode;
  console.log('narrowed', status);
}
`,
    );
    writeFileSync(join(appDir, 'build/package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(
      join(appDir, 'build/tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          types: [],
          rootDir: 'src',
          outDir: 'dist',
        },
        include: ['src'],
      }),
    );
    run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], join(appDir, 'build'));
    expect(run('node', ['dist/main.js'], join(appDir, 'build'))).toBe('narrowed 429\n');
  });

  it('catalog and diff: the CI step against the last release, with their exit codes', () => {
    const bin = join(appDir, 'node_modules/.bin/nest-api-errors');
    const flows = (status: number, extra = '') =>
      `import { ApiException } from 'nest-api-errors';
export class FlowLockedException extends ApiException.define({ code: 'FLOW_LOCKED', status: ${status}, message: 'Flow {flowId} is locked', deprecated: 'use FLOW_ARCHIVED' }) {}
${extra}`;
    writeFileSync(join(appDir, 'flows-v1.mjs'), flows(409));
    writeFileSync(
      join(appDir, 'flows-v2.mjs'),
      flows(
        423,
        "export class FlowArchivedException extends ApiException.define({ code: 'FLOW_ARCHIVED', status: 410, message: 'Flow {flowId} is archived' }) {}",
      ),
    );
    const cli = (...args: string[]) => spawnSync(bin, args, { cwd: appDir, encoding: 'utf8' });

    const written = cli(
      'catalog',
      '--module',
      'flows-v1.mjs',
      '--out',
      'release/errors-catalog.json',
    );
    expect([written.status, written.stderr]).toEqual([
      0,
      'Wrote 4 codes to release/errors-catalog.json\n',
    ]);
    expect(readFileSync(join(appDir, 'release/errors-catalog.json'), 'utf8')).toContain(
      '\n    {"code":"FLOW_LOCKED","status":409,"category":"CONFLICT","retryable":false,"message":"Flow {flowId} is locked","fields":["flowId"],"class":"FlowLockedException","domain":"common","deprecated":"use FLOW_ARCHIVED"},\n',
    );

    const same = cli('diff', 'release/errors-catalog.json', '--module', 'flows-v1.mjs');
    expect([same.status, same.stdout, same.stderr]).toEqual([0, 'no changes\n', '']);

    const next = cli('diff', 'release/errors-catalog.json', '--module', 'flows-v2.mjs');
    expect([next.status, next.stdout, next.stderr]).toEqual([
      1,
      [
        'compatible: FLOW_ARCHIVED added (410 NOT_FOUND)',
        'breaking: FLOW_LOCKED status 409 → 423',
        // Its category followed the status.
        'breaking: FLOW_LOCKED category CONFLICT → VALIDATION',
        '2 breaking, 1 compatible',
        '',
      ].join('\n'),
      '',
    ]);

    for (const [args, message] of [
      [['diff', 'package.json'], 'package.json is not a nest-api-errors catalog'],
      [['diff', 'release/missing.json'], 'cannot read release/missing.json: no such file'],
    ] as const) {
      const refused = cli(...args);
      expect([refused.status, refused.stdout]).toEqual([2, '']);
      expect(refused.stderr).toMatch(new RegExp(`^nest-api-errors: ${message}.*\\n$`));
    }
  });

  it('catalog and diff name the class the app declared: its code changed is a rename', () => {
    const bin = join(appDir, 'node_modules/.bin/nest-api-errors');
    // An app module that imports its exception classes from a file of their own, exports none of
    // them and names them in no ApiErrors: only the module is given to --module.
    const release = (version: string, code: string) => {
      mkdirSync(join(appDir, `payments-${version}`), { recursive: true });
      writeFileSync(
        join(appDir, `payments-${version}/cards.mjs`),
        `import { ApiException } from 'nest-api-errors';
export class CardDeclinedError extends ApiException.define({ code: '${code}', status: 402, message: 'The card was declined' }) {}
`,
      );
      writeFileSync(
        join(appDir, `payments-${version}/app.module.mjs`),
        `import { Module } from '@nestjs/common';
import { ErrorsModule } from 'nest-api-errors';
import { CardDeclinedError } from './cards.mjs';
export class AppModule {}
Module({ imports: [ErrorsModule.forRoot()] })(AppModule);
export const decline = () => new CardDeclinedError();
`,
      );
      return `payments-${version}/app.module.mjs`;
    };
    const cli = (...args: string[]) => spawnSync(bin, args, { cwd: appDir, encoding: 'utf8' });

    const written = cli('catalog', '--module', release('v1', 'PAYMENT_REQUIRED'));
    expect([written.status, written.stderr]).toEqual([0, '']);
    expect(written.stdout).toContain(
      '\n    {"code":"PAYMENT_REQUIRED","status":402,"category":"VALIDATION","retryable":false,"message":"The card was declined","fields":[],"class":"CardDeclinedError","domain":"common","deprecated":null},\n',
    );
    writeFileSync(join(appDir, 'payments-v1.json'), written.stdout);

    const renamed = cli('diff', 'payments-v1.json', '--module', release('v2', 'CARD_DECLINED'));
    expect([renamed.status, renamed.stdout, renamed.stderr]).toEqual([
      1,
      'breaking: PAYMENT_REQUIRED renamed to CARD_DECLINED (CardDeclinedError)\n1 breaking, 0 compatible\n',
      '',
    ]);
  });

  it('ships ESM JavaScript, type declarations, README, LICENSE and the CLI; no specs', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'LICENSE',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/cli.js',
        'dist/testing/index.js',
      ]),
    );
    expect(files.filter((file) => file.includes('.spec.'))).toEqual([]);
  });

  it('installs without class-validator, swagger, GraphQL, microservices or gRPC (all optional)', () => {
    const installed = (name: string) =>
      spawnSync(
        'node',
        ['-e', `import('${name}').then(() => process.exit(0), () => process.exit(1))`],
        { cwd: appDir },
      ).status === 0;
    expect(installed('nest-api-errors')).toBe(true);
    expect(installed('class-validator')).toBe(false);
    expect(installed('@nestjs/swagger')).toBe(false);
    expect(installed('@grpc/grpc-js')).toBe(false);
    expect(installed('protobufjs')).toBe(false);
  });

  it.each(['express', 'fastify'])(
    'answers a request through the installed package on %s',
    (platform) => {
      const output = JSON.parse(
        run('node', ['app.mjs', platform], appDir).trim().split('\n').at(-1)!,
      ) as Record<string, unknown>;
      expect(output).toEqual({
        status: 404,
        contentType: 'application/json; charset=utf-8',
        requestId: 'pack-1',
        body: {
          statusCode: 404,
          timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
          path: '/files/1',
          message: 'Requested file entry does not exist',
          code: 'ENTRY_NOT_FOUND',
        },
      });
    },
  );

  it('links the nest-api-errors command in the workspace itself (npm ci, then a build)', () => {
    // `npm pack` above ran the library's build; `npm ci` linked the committed bin wrapper.
    const markdown = run('npx', ['--no-install', 'nest-api-errors', 'docs'], ROOT);
    expect(markdown).toMatch(/^# Error reference\n/);
  });

  it('installs the nest-api-errors docs command', () => {
    const markdown = run(
      join(appDir, 'node_modules/.bin/nest-api-errors'),
      ['docs', '--format', 'envelope', '--domains', 'tenants'],
      appDir,
    );
    expect(markdown).toMatch(/^# Error reference\n/);
    expect(markdown).toContain('`AUDIENCE_IN_USE`');
  });
  it("runs the README's spec under Vitest and under Jest in ESM mode, as written there", () => {
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const version = (name: string) => root.dependencies[name] ?? root.devDependencies[name]!;
    const pinned = (names: string[]) =>
      Object.fromEntries(names.map((name) => [name, version(name)]));
    const dir = join(workdir, 'tested-app');
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'fresh-nest-app-tests',
        private: true,
        type: 'module',
        dependencies: {
          ...pinned(['@nestjs/common', '@nestjs/core', '@nestjs/platform-express']),
          ...pinned(['reflect-metadata', 'rxjs', 'class-validator', 'class-transformer']),
          'nest-api-errors': `file:${tarball}`,
        },
        devDependencies: pinned([
          '@nestjs/testing',
          'supertest',
          '@types/supertest',
          'typescript',
          'vitest',
          'jest',
          'ts-jest',
        ]),
      }),
    );
    expect([...TESTING_FILES.keys()].sort()).toEqual([
      'jest.config.js',
      'test/files.spec.ts',
      'tsconfig.json',
    ]);
    for (const [path, text] of TESTING_FILES) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    writeFileSync(join(dir, 'src/app.module.ts'), TESTED_APP);
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], dir);
    const spec = TESTING_FILES.get('test/files.spec.ts')!;
    const vitest = () =>
      spawnSync(join(dir, 'node_modules/.bin/vitest'), ['run'], {
        cwd: dir,
        encoding: 'utf8',
        env: ENV,
      });
    const jest = () =>
      spawnSync('node', ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js'], {
        cwd: dir,
        encoding: 'utf8',
        env: ENV,
      });

    // As the README shows it: the spec type-checks, and Vitest runs it with no config of its own.
    run(join(dir, 'node_modules/.bin/tsc'), ['--noEmit', '-p', 'tsconfig.json'], dir);
    const vitestRun = vitest();
    expect(vitestRun.status, vitestRun.stdout + vitestRun.stderr).toBe(0);
    expect(vitestRun.stdout).toMatch(/Tests\s+2 passed \(2\)/);

    writeFileSync(join(dir, 'test/files.spec.ts'), forJest(spec));
    run(join(dir, 'node_modules/.bin/tsc'), ['--noEmit', '-p', 'tsconfig.json'], dir);
    const jestRun = jest();
    expect(jestRun.status, jestRun.stdout + jestRun.stderr).toBe(0);
    expect(jestRun.stderr).toContain('Tests:       2 passed, 2 total');

    // And a wrong expectation fails under each, with expectApiError's message.
    const wrong = (text: string) => text.replace("{ path: '/files/42' }", "{ path: '/files/43' }");
    writeFileSync(join(dir, 'test/files.spec.ts'), wrong(forJest(spec)));
    const failedJest = jest();
    expect(failedJest.status).toBe(1);
    expect(failedJest.stderr).toContain('expectApiError: path');
    writeFileSync(join(dir, 'test/files.spec.ts'), wrong(spec));
    const failedVitest = vitest();
    expect(failedVitest.status).toBe(1);
    expect(failedVitest.stdout + failedVitest.stderr).toContain('expectApiError: path');
  }, 240_000);
});
