#!/usr/bin/env node
// The `nest-api-errors` command. A committed file rather than dist/cli.js itself: npm links a
// workspace's bin into node_modules/.bin only when the file exists at install time, and dist/ is
// only there after `npm run build`.
import('../dist/cli.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    process.stderr.write('nest-api-errors is not built: run `npm run build` first.\n');
    process.exitCode = 1;
    return;
  }
  throw error;
});
