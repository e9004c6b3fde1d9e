import { readFileSync } from 'node:fs';

/** A request a README example replays; each README test reads the fields it documents. */
export interface ReadmeRequest {
  /**
   * Which app answers: `reference`, `fixture`, `graphql`, `format:<name>`, `rpc`, `grpc` (a
   * `FindOne` call with `data`), `ws`, `sse`, …
   */
  app: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path?: string;
  headers?: Record<string, string>;
  /** Sent as it is when a string, as JSON otherwise. */
  body?: unknown;
  /** Instead of `body`: a JSON body this many bytes long, for a body over the app's limit. */
  bodyBytes?: number;
  /** Instead of `body`: a multipart body with these files (`bytes` long, named `<field>.bin`). */
  files?: { field: string; bytes: number }[];
  status?: number;
  /** For app `graphql`: the query, its variables and operation name. */
  query?: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  /** For app `rpc`: the message pattern a TCP client sends (with `data` and `metadata`). */
  pattern?: string;
  /** For app `ws`: the event a WebSocket client sends (with `data`, handshake `headers`). */
  event?: string;
  data?: unknown;
  /** For apps `rpc` and `grpc`: the metadata the message carries. */
  metadata?: Record<string, string>;
  /** Send it this many times; the README shows the last answer. */
  repeat?: number;
  /** Headers the response must carry, as the README says (lower-case names). */
  responseHeaders?: Record<string, string>;
  /** `metric`: the line is what the request added to the `api.errors` counter, not its body. */
  shows?: 'metric';
}

/** One example a README documents: the request (in an HTML comment) and the body shown after it. */
export interface ReadmeExample<Request extends ReadmeRequest = ReadmeRequest> {
  /** The heading the example sits under, for test names. */
  title: string;
  request: Request;
  /** The body exactly as the README shows it (one line of JSON). */
  shown: string;
  /** The same, parsed. */
  body: Record<string, unknown>;
}

/** An `<!-- example: {...} -->` comment and the ```json block right after it. */
const EXAMPLE = /<!-- example: (\{.*?\}) -->\n\n```json\n([\s\S]*?)```/g;

const JSON_BLOCK = '```json\n';

/** An `<!-- output: {...} -->` comment and the fenced block (any language) right after it. */
const OUTPUT = /<!-- output: (\{.*?\}) -->\n\n```(\w+)\n([\s\S]*?)```/g;

/** What a README output block shows: a command's output, or the warnings an app logs. */
export interface ReadmeOutputRequest {
  /** `nest-api-errors` arguments, run in process; the test says what `--module` loads. */
  argv?: string[];
  /** For `diff`: `base.json` is the current catalog, each code named removed (null) or changed. */
  base?: Record<string, Record<string, unknown> | null>;
  /** The exit code the command ends with (default 0). */
  exit?: number;
  /**
   * Instead of `argv`: the app whose warnings the block shows, those it logs for `GET paths`, or
   * without `paths` those it logs at start-up.
   */
  app?: string;
  paths?: string[];
}

/** One output block of a README and the run that replays it. */
export interface ReadmeOutput {
  title: string;
  request: ReadmeOutputRequest;
  /** The block's text, exactly as the README shows it. */
  shown: string;
}

/** The last heading of this README text, for test names and messages. */
function headingOf(before: string): string {
  return [...before.matchAll(/^#+ (.+)$/gm)].at(-1)?.[1] ?? 'example';
}

/** A ```json block of a README that no `<!-- example: … -->` comment replays. */
export interface BlockWithoutExample {
  /** The heading the block sits under. */
  title: string;
  /** Its line in the README, for messages (it moves with every edit above it). */
  line: number;
  /** The name of the HTML comment right before it (`openapi` for `<!-- openapi: … -->`), if any. */
  comment: string | undefined;
}

/**
 * Every ```json block of a README that `readmeExamples()` does not replay: a README test expects
 * none, or exactly the blocks it lists with the reason each is not replayed there.
 */
export function jsonBlocksWithoutExample(file: string | URL): BlockWithoutExample[] {
  const text = readFileSync(file, 'utf8');
  const replayed = new Set(
    [...text.matchAll(EXAMPLE), ...text.matchAll(OUTPUT)].map(
      (match) => match.index + match[0].indexOf('```'),
    ),
  );
  const blocks: BlockWithoutExample[] = [];
  for (let at = text.indexOf(JSON_BLOCK); at !== -1; at = text.indexOf(JSON_BLOCK, at + 1)) {
    if (replayed.has(at)) {
      continue;
    }
    const before = text.slice(0, at);
    blocks.push({
      title: headingOf(before),
      line: before.split('\n').length,
      comment: /<!-- ([\w-]+)\b[^\n]*-->\n\n$/.exec(before)?.[1],
    });
  }
  return blocks;
}

/**
 * Every example of a README, so tests can replay the request and compare the body it shows. A
 * comment names one request (`{"app": …, "path": …}`) for a block with one body, or several
 * (`{"requests": [...]}`) for a block with one body per line.
 */
export function readmeExamples<Request extends ReadmeRequest = ReadmeRequest>(
  file: string | URL,
): ReadmeExample<Request>[] {
  const text = readFileSync(file, 'utf8');
  const examples: ReadmeExample<Request>[] = [];
  for (const match of text.matchAll(EXAMPLE)) {
    const before = text.slice(0, match.index);
    const title = headingOf(before);
    const comment = JSON.parse(match[1]!) as Request | { requests: Request[] };
    const requests = 'requests' in comment ? comment.requests : [comment];
    const lines = match[2]!.trim().split('\n');
    if (lines.length !== requests.length) {
      throw new Error(
        `${String(file)}: "${title}" shows ${lines.length} bodies for ${requests.length} requests`,
      );
    }
    requests.forEach((request, index) =>
      examples.push({
        title,
        request,
        shown: lines[index]!,
        body: JSON.parse(lines[index]!) as Record<string, unknown>,
      }),
    );
  }
  return examples;
}

/** Every output block of a README (`<!-- output: {...} -->`), so tests can replay each run. */
export function readmeOutputs(file: string | URL): ReadmeOutput[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(OUTPUT)].map((match) => ({
    title: headingOf(text.slice(0, match.index)),
    request: JSON.parse(match[1]!) as ReadmeOutputRequest,
    shown: match[3]!,
  }));
}

/** A `<!-- file: path -->` comment and the fenced block (any language) right after it. */
const FILE = /<!-- file: ([^\s]+) -->\n\n```\w+\n([\s\S]*?)```/g;

/**
 * The files a README shows whole (`<!-- file: jest.config.js -->` before the block), by path, so
 * a test can write them into an app exactly as a reader copies them.
 */
export function readmeFiles(file: string | URL): Map<string, string> {
  const text = readFileSync(file, 'utf8');
  return new Map([...text.matchAll(FILE)].map((match) => [match[1]!, match[2]!]));
}
