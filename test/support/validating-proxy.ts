import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type request from 'supertest';
import { freePort } from './free-port.js';

/** One violation Prism reports in its `sl-violations` header. */
export interface Violation {
  /** `['request', 'body', 'name']`, `['response', 'headers', 'x-request-id']`, … */
  location: string[];
  severity: 'Error' | 'Warning' | 'Info' | 'Hint';
  code?: string | number;
  message: string;
}

/** Prism's command (`@stoplight/prism-cli`, the package's `bin`). */
const PRISM_BIN = join(
  dirname(createRequire(import.meta.url).resolve('@stoplight/prism-cli/package.json')),
  'dist/index.js',
);

/** A running Prism proxy and how to stop it. */
export interface ValidatingProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts Prism's validating proxy in front of the app at `appUrl`, checking every request and
 * response against the OpenAPI document the app serves at `documentPath`. It forwards
 * everything (`--errors=false`) and reports what does not match in each response's
 * `sl-violations` header. Resolves once Prism listens.
 */
export async function startValidatingProxy(
  appUrl: string,
  documentPath: string,
): Promise<ValidatingProxy> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      PRISM_BIN,
      'proxy',
      `${appUrl}${documentPath}`,
      appUrl,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--errors=false',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  let listening = false;
  await new Promise<void>((resolve, reject) => {
    // Read to the end (a full pipe would stall Prism); kept only until it listens.
    const seen = (chunk: Buffer) => {
      if (listening) {
        return;
      }
      output += chunk.toString();
      if (output.includes('Prism is listening')) {
        listening = true;
        resolve();
      }
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code) => reject(new Error(`prism exited with ${code}: ${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

/** The violations Prism found in one exchange (none: an empty list). */
export function violationsOf(response: request.Response): Violation[] {
  const header = response.headers['sl-violations'];
  return typeof header === 'string' ? (JSON.parse(header) as Violation[]) : [];
}
