import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/configure-app.js';
import { type AdapterName, type TestAppOptions, createTestApp } from './test-app.js';

/** The reference app as `npm start` serves it: `AppModule` with main.ts's `configureApp`. */
export function createReferenceApp(
  adapter: AdapterName,
  options: Omit<TestAppOptions, 'configure'> = {},
): ReturnType<typeof createTestApp> {
  return createTestApp(adapter, { imports: [AppModule] }, { ...options, configure: configureApp });
}
