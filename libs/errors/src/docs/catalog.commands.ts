import { readFileSync } from 'node:fs';
import { diffCatalogs, renderCatalogDiff } from './catalog-diff.js';
import {
  type CatalogDocument,
  catalogDocument,
  parseCatalog,
  renderCatalog,
} from './error-catalog.json.js';
import type { ApiExceptionClass } from '../core/api.exception.js';

/** What the catalog commands print and write through (the CLI's `CliIo`). */
export interface CatalogIo {
  stdout(text: string): void;
  stderr(text: string): void;
  writeFile(path: string, text: string): void;
  /** Reads a text file; the file system's when not given. */
  readFile?(path: string): string;
}

/** The options the catalog commands share with `docs` and `types`, as the CLI parses them. */
export interface CatalogArgs {
  modules: string[];
  domains: string[];
  out: string | undefined;
  help: boolean;
}

/**
 * What the CLI lends the catalog commands, so that the app's classes are found exactly as `docs`
 * finds them: its usage text, its option parser, and the classes `--module` and `--domains` name
 * (the loaded files' own, those their controllers declare with `ApiErrors`, the domains named).
 */
export interface CatalogCliTools {
  usage: string;
  parse(args: readonly string[]): CatalogArgs;
  documentedClasses(parsed: CatalogArgs): Promise<readonly ApiExceptionClass[]>;
}

/** The options of `docs` that say how a page looks: a catalog lists codes, whatever the format. */
const PRESENTATION_OPTIONS = ['--format', '--json', '--docs-base-url', '--title'];

/** The command's options, refusing those of `docs` it does not take in one line. */
function parseOptions(
  command: string,
  args: readonly string[],
  refused: readonly string[],
  tools: CatalogCliTools,
): CatalogArgs {
  const option = args.find((arg) => refused.includes(arg));
  if (option !== undefined) {
    throw new Error(`${option} is not an option of ${command} (see nest-api-errors --help)`);
  }
  return tools.parse(args);
}

/** The catalog of the classes `--module` and `--domains` name, as `docs` would document them. */
async function appCatalog(parsed: CatalogArgs, tools: CatalogCliTools): Promise<CatalogDocument> {
  return catalogDocument(await tools.documentedClasses(parsed));
}

/**
 * `nest-api-errors catalog [--module FILE…] [--domains a,b] [--out FILE]`: the app's error
 * catalog as JSON, to commit beside each release and compare with `diff`.
 */
export async function catalogCommand(
  args: readonly string[],
  io: CatalogIo,
  tools: CatalogCliTools,
): Promise<number> {
  const parsed = parseOptions('catalog', args, PRESENTATION_OPTIONS, tools);
  if (parsed.help) {
    io.stdout(`${tools.usage}\n`);
    return 0;
  }
  const document = await appCatalog(parsed, tools);
  const text = renderCatalog(document);
  if (parsed.out === undefined) {
    io.stdout(text);
  } else {
    io.writeFile(parsed.out, text);
    io.stderr(`Wrote ${document.errors.length} codes to ${parsed.out}\n`);
  }
  return 0;
}

/** A catalog file, or one line saying why it cannot be read. */
function readCatalog(file: string, io: CatalogIo): CatalogDocument {
  let text: string;
  try {
    text = (io.readFile ?? ((path) => readFileSync(path, 'utf8')))(file);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new Error(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : message}`);
  }
  return parseCatalog(text, file);
}

/**
 * `nest-api-errors diff BASE.json [HEAD.json | --module FILE… [--domains a,b]]`: each change
 * from the base catalog (the last release's) to the head (another file, or the app the modules
 * load), breaking or compatible. Exit code 1 when anything breaks, else 0; 2 for bad input.
 */
export async function diffCommand(
  args: readonly string[],
  io: CatalogIo,
  tools: CatalogCliTools,
): Promise<number> {
  // The catalogs come first; the options after them are those of `catalog`.
  const firstOption = args.findIndex((arg) => arg.startsWith('-'));
  const files = firstOption === -1 ? [...args] : args.slice(0, firstOption);
  const options = firstOption === -1 ? [] : args.slice(firstOption);
  const parsed = parseOptions('diff', options, [...PRESENTATION_OPTIONS, '--out'], tools);
  if (parsed.help) {
    io.stdout(`${tools.usage}\n`);
    return 0;
  }
  const [baseFile, headFile, ...extra] = files;
  if (baseFile === undefined) {
    throw new Error(
      'diff takes the base catalog: nest-api-errors diff BASE.json [HEAD.json | --module FILE...]',
    );
  }
  if (extra.length > 0) {
    throw new Error(`diff compares two catalogs, not ${files.length} (${files.join(', ')})`);
  }
  if (headFile !== undefined && options.some((arg) => arg === '--module' || arg === '--domains')) {
    throw new Error(
      `diff compares ${baseFile} with ${headFile}, or with the catalog of --module and --domains: not both`,
    );
  }
  const base = readCatalog(baseFile, io);
  const head = headFile === undefined ? await appCatalog(parsed, tools) : readCatalog(headFile, io);
  const changes = diffCatalogs(base, head);
  io.stdout(renderCatalogDiff(changes));
  return changes.some((change) => change.breaking) ? 1 : 0;
}
