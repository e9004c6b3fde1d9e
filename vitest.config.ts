import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // SWC, not esbuild: Nest's DI needs the decorator metadata only SWC emits.
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: {
    // Tests run the library from its sources, reached by its package name as users reach it.
    conditions: ['nest-api-errors:source'],
  },
  ssr: { resolve: { conditions: ['nest-api-errors:source'] } },
  test: {
    include: ['libs/errors/src/**/*.spec.ts', 'test/**/*.spec.ts', 'test/**/*.e2e-spec.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
