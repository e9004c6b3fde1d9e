import type { FieldViolation } from '../core/api-error.interface.js';
import {
  type ErrorMapper,
  errorMapper,
  recordOf,
  identifier,
  originLine,
} from '../core/error.mapping.js';
import {
  conflict,
  fieldViolation,
  invalidInput,
  notFound,
  unavailable,
} from './mapped-error.factory.js';

// Mongoose's documented errors (`mongoose.Error.ValidationError`, `CastError`,
// `DocumentNotFoundError`) and the MongoDB driver's (`MongoServerError` with `code` 11000 and
// `keyPattern`), recognized by name and shape: the library imports neither package.

/** Names of the errors the driver and Mongoose throw when no server can be reached. */
const UNREACHABLE: ReadonlySet<string> = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
]);

/** Duplicate key (11000; 11001 from old servers), from a write, a bulk write or insertMany. */
const DUPLICATE_KEY_ERRORS: ReadonlySet<string> = new Set([
  'MongoServerError',
  'MongoBulkWriteError',
  'MongoWriteConcernError',
]);

/** The texts a value would show as in a message: itself, or its elements (one level down). */
function shownAs(value: unknown, depth = 0): string[] {
  switch (typeof value) {
    case 'string':
      return value.trim() === '' ? [] : [value.trim()];
    case 'number':
    case 'bigint':
    case 'boolean':
      return [String(value)];
    case 'object': {
      if (value === null) {
        return [];
      }
      if (Array.isArray(value)) {
        return depth > 0 ? [] : value.slice(0, 50).flatMap((item) => shownAs(item, depth + 1));
      }
      // An ObjectId, a Date, a Decimal128: what it prints as.
      const text = String(value);
      return text.startsWith('[object ') ? [] : [text];
    }
    default:
      return [];
  }
}

/**
 * A validator's message, unless it repeats the submitted value (Mongoose's built-in `enum` and
 * `match` messages, and any `{VALUE}` template, do): then `<path> is invalid`. A cast error's
 * message always quotes the value.
 */
function violationOf(error: Record<string, unknown>): FieldViolation | undefined {
  const path = typeof error.path === 'string' && error.path !== '' ? error.path : undefined;
  if (path === undefined || identifier(path) === undefined) {
    return undefined;
  }
  const message = typeof error.message === 'string' ? error.message : '';
  const rule = error.name === 'CastError' ? 'cast' : (identifier(error.kind) ?? 'invalid');
  try {
    const echoes = shownAs(error.value).some((text) => message.includes(text));
    if (error.name === 'ValidatorError' && message !== '' && !echoes) {
      return { path, message, rule };
    }
  } catch {
    // A value that cannot be printed is not printed: the generic message below.
  }
  return { ...fieldViolation(path, 'invalid'), rule };
}

/** One violation per failed path of a `ValidationError` (its nested `ValidationError`s are listed flat beside it). */
function violationsOf(errors: Record<string, unknown>): FieldViolation[] {
  return Object.values(errors)
    .slice(0, 200)
    .flatMap((error) => {
      const entry = recordOf(error);
      return entry.name === 'ValidationError' ? [] : (violationOf(entry) ?? []);
    });
}

/**
 * Mongoose's and MongoDB's errors: `ValidationError` and `CastError` → 400 `VALIDATION_ERROR`
 * (one detail per path), `DocumentNotFoundError` → 404, duplicate key 11000 → 409 (one detail
 * per field of `keyPattern`), no server → 503. The log line names the paths, the index and its
 * fields; the values, the filter and the server's message go nowhere.
 */
function mapMongooseError(thrown: Error): unknown {
  const { name } = thrown;
  const fields = thrown as unknown as Record<string, unknown>;
  if (name === 'ValidationError' && typeof fields.errors === 'object' && fields.errors !== null) {
    const details = violationsOf(fields.errors as Record<string, unknown>);
    if (details.length === 0) {
      // Not Mongoose's (another library's ValidationError): left to the next mapper.
      return undefined;
    }
    return invalidInput(
      thrown,
      originLine(name, { paths: details.map((detail) => detail.path) }),
      details,
    );
  }
  if (name === 'CastError' && typeof fields.path === 'string') {
    const violation = violationOf(fields);
    return invalidInput(
      thrown,
      originLine(name, { path: fields.path, kind: fields.kind as string | undefined }),
      violation === undefined ? [] : [violation],
    );
  }
  if (name === 'DocumentNotFoundError' && 'filter' in thrown) {
    return notFound(thrown, name);
  }
  if (DUPLICATE_KEY_ERRORS.has(name) && (fields.code === 11000 || fields.code === 11001)) {
    const keys = Object.keys(recordOf(fields.keyPattern)).flatMap((key) => identifier(key) ?? []);
    // `… index: email_1 dup key: { email: "…" }`: the index name, never the key's value.
    const index = / index: (\S+) dup key/.exec(thrown.message)?.[1];
    return conflict(thrown, originLine(name, { code: fields.code, index, fields: keys }), {
      uniqueFields: keys,
    });
  }
  if (UNREACHABLE.has(name)) {
    return unavailable(thrown, name);
  }
  return undefined;
}

/**
 * The mapper for Mongoose's and the MongoDB driver's errors, recognized by their documented
 * shape: `ValidationError` and `CastError` → 400 `VALIDATION_ERROR` with one detail per path (the
 * validator's message, or `<path> is invalid` where the message would repeat the submitted
 * value); `DocumentNotFoundError` → 404; `MongoServerError` 11000 (duplicate key) → 409 with a
 * detail per field of its `keyPattern`; server selection and network errors → 503. Part of
 * `defaultErrorMappers`.
 */
export function mongooseErrors(): ErrorMapper {
  return errorMapper(mapMongooseError);
}
