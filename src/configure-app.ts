import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';

/**
 * What the reference app needs beyond `AppModule`, applied by `main.ts` and by the e2e suites
 * alike (before `init()`/`listen()`), so the tests exercise the server `npm start` runs.
 */
export function configureApp(app: INestApplication): void {
  if (app.getHttpAdapter().getType() !== 'express') {
    return;
  }
  const express = app as NestExpressApplication;
  // Advertising the framework only helps whoever fingerprints the server; Fastify sends nothing.
  express.disable('x-powered-by');
}
