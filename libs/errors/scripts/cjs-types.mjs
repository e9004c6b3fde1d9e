// After `tsc`: a copy of the type declarations that TypeScript reads as CommonJS, for apps that
// `require()` the package (Node ≥ 20.19 loads this ES module through require). Under
// `moduleResolution: node16`, a CommonJS file may not import declarations TypeScript sees as an
// ES module (TS1479); a `package.json` with `"type": "commonjs"` above the copy tells it these are
// CommonJS, which is what `require()` returns here.
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const target = join(dist, 'types-cjs');
for (const file of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
  if (file.endsWith('.d.ts') && !file.startsWith('types-cjs')) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    cpSync(join(dist, file), join(target, file));
  }
}
writeFileSync(join(target, 'package.json'), '{ "type": "commonjs" }\n');
