import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type ApiExceptionClass,
  declarationSiteFiles,
  recordDeclaredClass,
  watchDeclarationSites,
} from '../core/api.exception.js';
import { errorCatalog, ownExceptionClasses } from '../domains/error.catalog.js';
import {
  DEFAULT_FORMAT,
  ERROR_FORMATS,
  type FormatName,
  type FormatOption,
  isFormatName,
} from '../formats/format.registry.js';
import type { FormatRoute } from '../formats/format.routes.js';
import { type CatalogCliTools, catalogCommand, diffCommand } from './catalog.commands.js';
import { referencedClasses, renderErrorReference } from './error-reference.renderer.js';
import { renderErrorTypes } from './error-types.renderer.js';
import { type ListenGuard, guardListen } from './listen.guard.js';

const FORMAT_NAMES = Object.keys(ERROR_FORMATS).join('|');

const USAGE = `Usage: nest-api-errors docs [options]
       nest-api-errors types [--format NAME] [--module FILE...] [--domains a,b] [--out FILE]
       nest-api-errors catalog [--module FILE...] [--domains a,b] [--out FILE]
       nest-api-errors diff BASE.json [HEAD.json | --module FILE... [--domains a,b]]

Writes the error reference of your API: the exception classes your compiled files declare with
define() or name in @ApiErrors (loaded with --module) and, of the catalogs the library ships,
the domains you name. The common domain (VALIDATION_ERROR, RATE_LIMITED, EXTERNAL_SERVICE_ERROR)
is always included.

Options:
  --module FILE...     compiled JavaScript files to load, so their exception classes register
                       (e.g. dist/app.module.js; not your main.js, which would start the app:
                       refused; a .ts file: build first). Both commands follow the
                       ErrorsModule.forRoot() they import: its format (unless --format); docs
                       also its routes and docsBaseUrl
  --domains a,b        shipped domains to include: sessions, vault-files, auth, agents,
                       secrets, rules, apps, users, tenants (or a domain of your own)
  --format NAME        ${FORMAT_NAMES} (default the module's, else timestamped)
  --json               JSON instead of Markdown
  --out FILE           write to FILE (its folder is created) instead of standard output
  --docs-base-url URL  where the reference is published (problem links codes to it; default
                       the module's docsBaseUrl)
  --title TEXT         page title (default "Error reference")
  -h, --help           this help

types writes the error bodies of the same codes as TypeScript, for your API's clients: a union
discriminated on the code, and isApiError(body, code) to narrow a response. --out errors.ts
writes one module your build compiles; --out errors.d.ts writes the types with the guard's code
beside them in errors.js. The simple format carries no code.

catalog writes the same codes as JSON (code, status, category, retryable, message template,
template fields, class, domain, deprecated), one line per code: commit it with each release.
diff compares a release's catalog with another catalog, or with the catalog of --module and
--domains (give the options the base was written with), one line per change: breaking (a code
removed or renamed, its status or category changed, a template field added) or compatible (a code
added, wording changed, a code deprecated). Exit code 1 when anything breaks, 0 otherwise.`;

/** Where the CLI reads and writes; injectable for tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Writes a file, creating its folder. */
  writeFile(path: string, text: string): void;
  /** Loads a module by path, as `import()` does. */
  load(path: string): Promise<unknown>;
  /**
   * Resolves once what the loaded modules started has run its course, saying whether one of them
   * tried to start a server (an app's main file); absent: nothing to wait for.
   */
  settle?(): Promise<{ listened: boolean }>;
  /** Reads a text file (the catalogs `diff` compares); the file system's when not given. */
  readFile?(path: string): string;
  /**
   * The exports of the files that declared exception classes while the modules loaded (those
   * `define()` was called from), imported again from the module cache; absent: only the loaded
   * modules' own exports name the app's classes.
   */
  declaringModules?(): Promise<unknown[]>;
}

/**
 * What the loaded app says of its errors, for `docs` and `types`: its `ErrorsModule.forRoot()`
 * options, and the typed classes its controllers declare with `ApiErrors`.
 */
export interface AppErrorsOptions {
  format?: FormatOption;
  routes?: readonly FormatRoute[];
  docsBaseUrl?: string;
  /** Documented whatever `--domains` says: the app's routes answer them. */
  declared?: readonly ApiExceptionClass[];
}

/**
 * Finds what the loaded modules say of their errors (given by the command's entry point, which
 * sits above the module layer).
 */
export type AppOptionsFinder = (loaded: readonly unknown[]) => AppErrorsOptions | undefined;

/** Set by the first load: every server the loaded files start is stopped from listening. */
let listenGuard: ListenGuard | undefined;

/**
 * Resolves when Node has nothing left to run (`beforeExit`): whatever the loaded files started
 * has gone as far as it can, the servers they started holding nothing open (they never listened).
 */
function drained(): { promise: Promise<void>; cancel(): void } {
  let done!: () => void;
  const promise = new Promise<void>((resolve) => {
    done = resolve;
  });
  process.once('beforeExit', done);
  return { promise, cancel: () => process.off('beforeExit', done) };
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  writeFile: (path, text) => {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    writeFileSync(path, text);
  },
  load: async (path) => {
    listenGuard ??= guardListen();
    watchDeclarationSites();
    // A file whose top-level code awaits `app.listen()` never finishes importing: the stopped
    // listen never calls back.
    const idle = drained();
    const loaded = await Promise.race([
      import(pathToFileURL(resolve(path)).href) as Promise<unknown>,
      idle.promise.then(() => idle),
    ]);
    idle.cancel();
    if (loaded === idle && !listenGuard.listened) {
      throw new Error('its top-level code never finished');
    }
    return loaded === idle ? undefined : loaded;
  },
  // A main file's bootstrap is usually async (`void bootstrap()`): its `app.listen()` comes after
  // the import has returned, so the answer waits until nothing is left to run.
  settle: async () => {
    if (listenGuard === undefined) {
      return { listened: false };
    }
    if (!listenGuard.listened) {
      await drained().promise;
    }
    listenGuard.restore();
    return { listened: listenGuard.listened };
  },
  readFile: (path) => readFileSync(path, 'utf8'),
  declaringModules: async () => {
    // Each file has run already (its classes are declared): import() returns what it exported.
    // One that never finished (awaiting something that never comes) is not waited for.
    const idle = drained();
    const namespaces = await Promise.all(
      declarationSiteFiles().map((file) =>
        Promise.race([
          (import(isAbsolute(file) ? pathToFileURL(file).href : file) as Promise<unknown>).catch(
            () => undefined,
          ),
          idle.promise.then(() => undefined),
        ]),
      ),
    );
    idle.cancel();
    return namespaces;
  },
};

/** A mistake in the command line: one line on stderr, exit code 2. */
class UsageError extends Error {}

interface DocsArgs {
  /** `--format`; else the module's format, else the default. */
  format: FormatName | undefined;
  json: boolean;
  out: string | undefined;
  docsBaseUrl: string | undefined;
  title: string | undefined;
  modules: string[];
  domains: string[];
  help: boolean;
}

function parseDocsArgs(args: readonly string[], refused: readonly string[] = []): DocsArgs {
  const parsed: DocsArgs = {
    format: undefined,
    json: false,
    out: undefined,
    docsBaseUrl: undefined,
    title: undefined,
    modules: [],
    domains: ['common'],
    help: false,
  };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (refused.includes(arg)) {
      throw new UsageError(`${arg} is an option of docs only`);
    }
    const value = (what: string): string => {
      const next = args[++index];
      if (next === undefined || next.startsWith('--')) {
        throw new UsageError(`${arg} takes ${what}`);
      }
      return next;
    };
    switch (arg) {
      case '-h':
      case '--help':
        parsed.help = true;
        break;
      case '--json':
        parsed.json = true;
        break;
      case '--format': {
        const name = value(`one of ${FORMAT_NAMES}`);
        if (!isFormatName(name)) {
          throw new UsageError(`--format takes one of ${FORMAT_NAMES}, not "${name}"`);
        }
        parsed.format = name;
        break;
      }
      case '--out':
        parsed.out = value('a file path');
        break;
      case '--docs-base-url':
        parsed.docsBaseUrl = value('a URL');
        break;
      case '--title':
        parsed.title = value('a title');
        break;
      case '--domains':
        parsed.domains.push(
          ...value('a comma-separated list of domains')
            .split(',')
            .map((domain) => domain.trim())
            .filter((domain) => domain !== ''),
        );
        break;
      case '--module':
        // One or more files, up to the next option.
        parsed.modules.push(value('a file path'));
        while (args[index + 1] !== undefined && !args[index + 1]!.startsWith('--')) {
          parsed.modules.push(args[++index]!);
        }
        break;
      default:
        throw new UsageError(`unknown option "${arg}" (see nest-api-errors docs --help)`);
    }
  }
  return parsed;
}

/** An object's own properties; none when reading them throws. */
function entriesOf(holder: unknown): [string, unknown][] {
  if ((typeof holder !== 'object' || holder === null) && typeof holder !== 'function') {
    return [];
  }
  try {
    return Object.entries(holder);
  } catch {
    // A binding of a module whose evaluation failed halfway is not initialized.
    return [];
  }
}

/**
 * Records each exported class declared on a class `define()` returned, so that the catalog names
 * `CardDeclinedError`, not `PaymentRequiredException` (the returned class, named from its code).
 * A CommonJS file's exports are its namespace's `default`.
 */
function recordExportedClasses(namespaces: readonly unknown[]): void {
  for (const namespace of namespaces) {
    for (const [name, exported] of entriesOf(namespace)) {
      recordDeclaredClass(exported);
      if (name === 'default') {
        for (const [, member] of entriesOf(exported)) {
          recordDeclaredClass(member);
        }
      }
    }
  }
}

/**
 * Loads the app's compiled files, so the classes they declare register (under the names the app
 * gave them, where their files export them); their exports.
 */
async function loadModules(files: readonly string[], io: CliIo): Promise<unknown[]> {
  const loaded: unknown[] = [];
  for (const file of files) {
    if (/\.[cm]?tsx?$/.test(file)) {
      // Node cannot import TypeScript here (and the app's decorators need its compiler options).
      throw new UsageError(
        `${file} is TypeScript: build the app first (nest build) and give --module the compiled file, e.g. dist/app.module.js`,
      );
    }
    try {
      loaded.push(await io.load(file));
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new UsageError(`could not load ${file}: ${reason}`);
    }
  }
  if (files.length > 0 && (await io.settle?.())?.listened === true) {
    throw new UsageError(
      `${files.join(' ')} started a server when loaded (stopped before it listened): give --module your app module or the files that declare your exception classes (e.g. dist/app.module.js), not the file that starts the app`,
    );
  }
  if (files.length > 0) {
    recordExportedClasses([...loaded, ...((await io.declaringModules?.()) ?? [])]);
  }
  return loaded;
}

/**
 * Refuses a domain that is neither shipped nor one of the loaded app's own (the `static domain` of
 * its classes): left out silently, a typo would give a reference without the codes asked for.
 */
function checkDomains(domains: readonly string[]): void {
  const known = [...new Set(errorCatalog(ownExceptionClasses()).map((entry) => entry.domain))];
  const unknown = [...new Set(domains.filter((domain) => !known.includes(domain)))];
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown domain${unknown.length > 1 ? 's' : ''} ${unknown.map((domain) => `"${domain}"`).join(', ')} (known: ${known.join(', ')})`,
    );
  }
}

/**
 * What a reference or the types document: the app's own classes (every `define()` loaded), those
 * its controllers declare with `ApiErrors`, and the domains named.
 */
function documentedClasses(domains: readonly string[], app: AppErrorsOptions | undefined) {
  return referencedClasses({
    classes: [...ownExceptionClasses(), ...(app?.declared ?? [])],
    domains,
  });
}

/** The app's `forRoot` options when `--module` loaded anything and a finder was given. */
function appOptions(
  loaded: readonly unknown[],
  findOptions: AppOptionsFinder | undefined,
): AppErrorsOptions | undefined {
  return loaded.length === 0 ? undefined : findOptions?.(loaded);
}

const formatName = (format: FormatOption): string =>
  typeof format === 'string' ? format : String(format.name);

async function types(
  args: readonly string[],
  io: CliIo,
  findOptions?: AppOptionsFinder,
): Promise<number> {
  const parsed = parseDocsArgs(args, ['--json', '--docs-base-url', '--title']);
  if (parsed.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const { out } = parsed;
  const declarationsOnly = out?.endsWith('.d.ts') === true;
  if (out !== undefined && !declarationsOnly && !/\.[cm]?ts$/.test(out)) {
    throw new UsageError(
      `--out takes a .ts file (one module your build compiles) or a .d.ts file (types, the guard in a .js beside it), not "${out}"`,
    );
  }
  const loaded = await loadModules(parsed.modules, io);
  checkDomains(parsed.domains);
  const app = appOptions(loaded, findOptions);
  const format = parsed.format ?? app?.format ?? DEFAULT_FORMAT;
  let rendered;
  try {
    rendered = renderErrorTypes(format, documentedClasses(parsed.domains, app));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (out === undefined) {
    io.stdout(rendered.declarations);
    return 0;
  }
  if (declarationsOnly) {
    io.writeFile(out, rendered.declarations);
    io.writeFile(`${out.slice(0, -'.d.ts'.length)}.js`, rendered.javascript);
  } else {
    io.writeFile(out, rendered.typescript);
  }
  io.stderr(
    `Wrote ${rendered.codes.length} error bodies (${formatName(format)}) to ${out}${declarationsOnly ? ' and its .js' : ''}\n`,
  );
  return 0;
}

async function docs(
  args: readonly string[],
  io: CliIo,
  findOptions?: AppOptionsFinder,
): Promise<number> {
  const parsed = parseDocsArgs(args);
  if (parsed.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const loaded = await loadModules(parsed.modules, io);
  checkDomains(parsed.domains);
  const app = appOptions(loaded, findOptions);
  const format = parsed.format ?? app?.format ?? DEFAULT_FORMAT;
  const classes = [...ownExceptionClasses(), ...(app?.declared ?? [])];
  let text;
  try {
    text = renderErrorReference({
      format,
      routes: app?.routes,
      as: parsed.json ? 'json' : 'markdown',
      docsBaseUrl: parsed.docsBaseUrl ?? app?.docsBaseUrl,
      title: parsed.title,
      classes,
      domains: parsed.domains,
    });
  } catch (error) {
    // A format object of the app's that cannot render the examples: say so in one line.
    throw new UsageError(`could not render the reference: ${(error as Error).message}`);
  }
  if (parsed.out === undefined) {
    io.stdout(text);
  } else {
    io.writeFile(parsed.out, text);
    io.stderr(`Wrote the ${formatName(format)} error reference to ${parsed.out}\n`);
  }
  if (classes.length === 0) {
    // A reference without a code of the app's own, as a new user's first run gives: written, but
    // not silently.
    io.stderr(
      'nest-api-errors: none of your own codes is in this reference: load the compiled files that declare them (--module dist/app.module.js: its @ApiErrors and define() classes), and name the shipped domains your app throws (--domains vault-files,auth)\n',
    );
  }
  return 0;
}

/** What `catalog` and `diff` (catalog.commands.ts) take from this CLI. */
const catalogTools = (io: CliIo, findOptions: AppOptionsFinder | undefined): CatalogCliTools => ({
  usage: USAGE,
  parse: (args) => parseDocsArgs(args),
  documentedClasses: async ({ modules, domains }) => {
    const loaded = await loadModules(modules, io);
    checkDomains(domains);
    return documentedClasses(domains, appOptions(loaded, findOptions));
  },
});

/**
 * `npx nest-api-errors <command> …`; resolves to the exit code, never throws. `findOptions`
 * reads the app's `ErrorsModule.forRoot()` options from the loaded modules, for `docs`.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo = processIo,
  findOptions?: AppOptionsFinder,
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case '-h':
      case '--help':
      case 'help':
        io.stdout(`${USAGE}\n`);
        return 0;
      case 'docs':
        return await docs(rest, io, findOptions);
      case 'types':
        return await types(rest, io, findOptions);
      case 'catalog':
        return await catalogCommand(rest, io, catalogTools(io, findOptions));
      case 'diff':
        return await diffCommand(rest, io, catalogTools(io, findOptions));
      case undefined:
        throw new UsageError('no command given (nest-api-errors docs --help)');
      default:
        throw new UsageError(`unknown command "${command}" (nest-api-errors docs --help)`);
    }
  } catch (error) {
    // One line, whatever went wrong: a CLI user gets a reason, not a stack.
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`nest-api-errors: ${message.split('\n')[0]}\n`);
    return 2;
  }
}
