import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { createServer } from 'node:net';
import { AGENTS_API_KEYS } from './agents-api/agents-api.store.js';
import { AppModule } from './app.module.js';
import { configureApp } from './configure-app.js';
import { DASHBOARD_DEMO } from './dashboard-api/dashboard-api.store.js';
import { GRAPHQL_DEMO } from './flows-graphql/graphql-access.middleware.js';
import { SUBJECT_TOKENS } from './identity-api/identity-api.store.js';
import { OPENAPI_JSON_PATH, SWAGGER_UI_PATH } from './openapi.js';
import { DEMO } from './platform/data/platform.store.js';
import { SDK_KEYS } from './sdk-api/sdk-api.store.js';

/**
 * Whether something already listens on host:port, asked before Nest starts: once started, Nest
 * logs an error of its own for a taken port, before the one line that says what to do.
 */
function portTaken(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE'));
    probe.listen(port, host, () => probe.close(() => resolve(false)));
  });
}

/**
 * `npm start`: the reference app on HOST:PORT (default 127.0.0.1:3000), on Express unless
 * HTTP_ADAPTER=fastify, then the demo credentials of each API it serves.
 */
async function bootstrap(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  if (await portTaken(port, host)) {
    console.error(
      `Port ${port} is already in use: stop what holds it or set PORT to another port.`,
    );
    process.exit(1);
  }
  const platform = process.env.HTTP_ADAPTER === 'fastify' ? 'fastify' : 'express';
  const adapter = platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = await NestFactory.create(AppModule, adapter, { logger: ['error', 'warn', 'log'] });
  configureApp(app);
  // SIGTERM/SIGINT close the app (in-flight requests finish, then the process exits 0).
  app.enableShutdownHooks();
  try {
    await app.listen(port, host);
  } catch (error) {
    const code = (error as { code?: string }).code;
    console.error(
      code === 'EADDRINUSE'
        ? `Port ${port} is already in use: stop what holds it or set PORT to another port.`
        : `Could not start the reference app: ${(error as Error).message}`,
    );
    await app.close().catch(() => undefined);
    process.exit(1);
  }
  const url = `http://${host}:${port}`;
  const logger = new Logger('ReferenceApp');
  logger.log(`Listening on ${url} (${platform})`);
  logger.log(`OpenAPI document: ${url}${OPENAPI_JSON_PATH}, Swagger UI: ${url}${SWAGGER_UI_PATH}`);
  logger.log(`Demo bearer tokens for /api/v1: ${Object.values(DEMO.tokens).join(', ')}`);
  logger.log(`Demo API key for /api (Authorization: Bearer): ${AGENTS_API_KEYS.join(', ')}`);
  logger.log(
    `Demo API key for /graphql: ${GRAPHQL_DEMO.apiKey} with x-project-id ${GRAPHQL_DEMO.projectId}`,
  );
  logger.log(
    `Demo subject tokens for POST /v2/auth/exchange: ${Object.values(SUBJECT_TOKENS).join(', ')}`,
  );
  logger.log(
    `Demo dashboard logins for /api/dashboard: ${DASHBOARD_DEMO.owner.email} / ${DASHBOARD_DEMO.owner.password}, ${DASHBOARD_DEMO.viewer.email} / ${DASHBOARD_DEMO.viewer.password}`,
  );
  logger.log(
    `Demo SDK keys for /api/sdk (X-API-Key): ${SDK_KEYS.active}, ${SDK_KEYS.another} (revoked: ${SDK_KEYS.revoked})`,
  );
  logger.log(
    `Try: curl -s ${url}/api/v1/files/${DEMO.files.deleted} -H 'Authorization: Bearer ${DEMO.tokens.acmeProduction}'`,
  );
}

void bootstrap();
