import type { CliIo } from './docs.cli.js';

/**
 * The CLI's input and output in memory, for tests: what it prints, the files it writes (which
 * `readFile` reads back) and the modules `--module` loads, by path; `listened` says whether they
 * tried to start a server.
 */
export function memoryCliIo(
  modules: Readonly<Record<string, () => unknown>> = {},
  listened = false,
) {
  const out: string[] = [];
  const err: string[] = [];
  const files = new Map<string, string>();
  const io: CliIo = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    writeFile: (path, text) => files.set(path, text),
    readFile: (path) => {
      const text = files.get(path);
      if (text === undefined) {
        throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), {
          code: 'ENOENT',
        });
      }
      return text;
    },
    load: async (path) => {
      const load = modules[path];
      if (load === undefined) {
        throw new Error(`Cannot find module '${path}'\n    at somewhere (node:internal)`);
      }
      return load();
    },
    settle: async () => ({ listened }),
  };
  return { io, out, err, files };
}
