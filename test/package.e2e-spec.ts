import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `npm pack` in libs/errors, installed into a fresh Nest 12 app outside the workspace, then one
// request through it on each platform. `--prefer-offline`, not `--offline`: `npm ci` leaves package
// tarballs in the cache but not the metadata an install resolves versions from, so with an empty
// cache (a fresh machine, CI) the metadata comes from the registry and the tarballs from the cache.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LIBRARY = join(ROOT, 'libs/errors');

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
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

describe('the npm package', () => {
  let workdir: string;
  let appDir: string;
  let files: string[];

  beforeAll(() => {
    workdir = mkdtempSync(join(tmpdir(), 'nest-api-errors-pack-'));
    const packed = JSON.parse(
      run('npm', ['pack', '--json', '--pack-destination', workdir], LIBRARY),
    ) as {
      filename: string;
      files: { path: string }[];
    }[];
    files = packed[0]!.files.map((file) => file.path);
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
          'nest-api-errors': `file:${join(workdir, packed[0]!.filename)}`,
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

  it('ships ESM JavaScript, type declarations, README, LICENSE and the CLI; no sources or specs', () => {
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
    expect(files.filter((file) => file.startsWith('src/') || file.includes('.spec.'))).toEqual([]);
  });

  it('installs without class-validator, swagger, GraphQL or microservices (all optional)', () => {
    const installed = (name: string) =>
      spawnSync(
        'node',
        ['-e', `import('${name}').then(() => process.exit(0), () => process.exit(1))`],
        { cwd: appDir },
      ).status === 0;
    expect(installed('nest-api-errors')).toBe(true);
    expect(installed('class-validator')).toBe(false);
    expect(installed('@nestjs/swagger')).toBe(false);
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
      ['docs', '--format', 'envelope'],
      appDir,
    );
    expect(markdown).toMatch(/^# Error reference\n/);
    expect(markdown).toContain('`AUDIENCE_IN_USE`');
  });
});
