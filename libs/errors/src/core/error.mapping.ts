import type { FieldViolation } from './api-error.interface.js';

/**
 * Turns an error the app did not make itself (its ORM's, its HTTP client's) into the error it
 * means: returns a replacement thrown value (an `ApiException`, a Nest `HttpException`, any
 * `Error`), or `undefined` to leave it to the next mapper. Mappers run before normalization, in
 * order, on whatever is neither an `ApiException` nor an `HttpException`; the first replacement
 * wins. Keep the original as the replacement's `cause`. A mapper must be synchronous and must not
 * throw: one that throws, or returns anything but an `Error` or `undefined`, turns the error into
 * a generic 500 whose log line names the mapper.
 *
 * @example
 * const paymentErrors: ErrorMapper = (thrown) =>
 *   thrown instanceof Stripe.errors.StripeCardError
 *     ? new PaymentRequiredException({ cause: thrown })
 *     : undefined;
 *
 * ErrorsModule.forRoot({ mappers: [paymentErrors, ...defaultErrorMappers] });
 */
export type ErrorMapper = (thrown: unknown) => unknown;

/** What a shipped mapper tells the pipeline about its replacement, beyond what Nest's exceptions carry. */
export interface MappedErrorNote {
  /**
   * The original for the log, in one line: its class name, driver code, constraint and field
   * names (`QueryFailedError code=23505 constraint=users_email_key fields=email`). Never its
   * message: ORM and driver messages quote submitted values, SQL and connection strings.
   */
  readonly origin: string;
  /** Violations a generic HTTP replacement (which has none of its own) answers with. */
  readonly details?: readonly FieldViolation[];
  /** Overrides what the status implies (a write conflict is a 409 worth retrying). */
  readonly retryable?: boolean;
}

/** A note with the original it describes, for the stack frames of the log. */
export interface MappedErrorRecord extends MappedErrorNote {
  readonly original: unknown;
}

/**
 * A mapper for `Error`s only: what a library throws is always one, and anything else (a string,
 * a plain object) passes untouched to the next mapper.
 */
export function errorMapper(map: (error: Error) => unknown): ErrorMapper {
  return (thrown) => (thrown instanceof Error ? map(thrown) : undefined);
}

/** An object's fields, read without trusting its shape; an empty record for anything else. */
export function recordOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/**
 * Replacement → what it replaced. A WeakMap rather than a property: a replacement may be frozen
 * or a class of the app's own, and nothing here should show up in its `JSON.stringify`.
 */
const records = new WeakMap<object, MappedErrorRecord>();

/** Records that `replacement` stands for `original`; returns the replacement. */
export function noteMappedError<Replacement extends object>(
  replacement: Replacement,
  original: unknown,
  note: MappedErrorNote,
): Replacement {
  records.set(replacement, { ...note, original });
  return replacement;
}

/** What a mapped error replaced, when `value` is the replacement a mapper returned. */
export function mappedErrorRecord(value: unknown): MappedErrorRecord | undefined {
  return typeof value === 'object' && value !== null ? records.get(value) : undefined;
}

/** A class name, driver code or schema name as the log may show it: no spaces, quotes or values. */
const IDENTIFIER = /^[A-Za-z0-9_$.:-]{1,128}$/;

/** `value` when it is a safe identifier; undefined otherwise. */
export function identifier(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) {
    return String(value);
  }
  return typeof value === 'string' && IDENTIFIER.test(value) ? value : undefined;
}

/** The identifiers of a list, in order, without the unsafe ones. */
export function identifiers(values: unknown): string[] {
  if (!Array.isArray(values)) {
    return [];
  }
  return values.slice(0, 32).flatMap((value) => identifier(value) ?? []);
}

/**
 * `QueryFailedError code=23505 constraint=users_email_key fields=email`: a name and the facts
 * worth logging, each an identifier (anything else is left out).
 */
export function originLine(
  name: string,
  facts: Readonly<Record<string, string | number | readonly string[] | undefined>>,
): string {
  let line = identifier(name) ?? 'Error';
  for (const [key, fact] of Object.entries(facts)) {
    const shown = typeof fact === 'object' ? identifiers(fact).join(',') : (identifier(fact) ?? '');
    if (shown !== '') {
      line += ` ${key}=${shown}`;
    }
  }
  return line;
}

/** The class name of an error, as far as it can be told without trusting its message. */
function errorName(error: Error): string | undefined {
  return identifier(error.name) ?? identifier(error.constructor?.name);
}

/**
 * What a replacement made by a mapper of the app's own stands for, when it said nothing itself:
 * the original's class name and its `code`, never its message.
 */
export function describeOrigin(thrown: unknown): string {
  try {
    if (thrown instanceof Error) {
      return originLine(errorName(thrown) ?? 'Error', {
        code: (thrown as { code?: unknown }).code as string | undefined,
      });
    }
    return thrown === null ? 'null' : `a thrown ${typeof thrown}`;
  } catch {
    return 'a value that could not be described';
  }
}

/** The `    at …` lines of an error's stack: where it was thrown, without its message. */
export function stackFrames(value: unknown): string {
  try {
    if (!(value instanceof Error) || typeof value.stack !== 'string') {
      return '';
    }
    const { stack } = value;
    // V8 writes `Name: message` first, and a message may hold lines of its own that look like
    // frames: those are cut off with it when the stack still starts with it.
    const header = `${value.name}: ${value.message}`;
    return (stack.startsWith(header) ? stack.slice(header.length) : stack)
      .split('\n')
      .filter((line) => /^\s+at /.test(line))
      .map((line) => `\n${line}`)
      .join('');
  } catch {
    return '';
  }
}

/**
 * What a mapper that broke becomes: the cause of a generic 500, so the log says which mapper
 * failed and how (its own error as the cause), and the client gets the documented 500.
 */
export class ErrorMapperFailure extends Error {
  override readonly name = 'ErrorMapperFailure';

  constructor(index: number, mapper: ErrorMapper, thrown: unknown, what: string, cause?: unknown) {
    const name = identifier(mapper.name);
    super(
      `The error mapper mappers[${index}]${name === undefined ? '' : ` (${name})`} ${what} ` +
        `while mapping ${describeOrigin(thrown)}; a generic 500 was sent`,
      cause === undefined ? undefined : { cause },
    );
  }
}

/** `a string`, `a Promise` …: what a mapper returned instead of an error, for its failure's message. */
export function kindOfValue(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (typeof value === 'object') {
    return value instanceof Promise ? 'a Promise (mappers are synchronous)' : 'an object';
  }
  return `a ${typeof value}`;
}
