/**
 * Upload errors: what multer (Express, through `@nestjs/platform-express`'s `FileInterceptor`),
 * `@nestjs/platform-fastify/multipart` and `@fastify/multipart` raise for a multipart body, each
 * recognized by its documented shape (the library imports none of them) and answered with a
 * fixed message. Their own messages name the field (`Unexpected file field - <name>`), which the
 * client chose: at any length, markup included. A field or file name is never echoed.
 */

/** A recognized upload error: the status and the only message a client sees. */
export interface UploadError {
  status: number;
  message: string;
}

/** A multipart body the parser could not read to its end (truncated, no boundary, bad part). */
export const MALFORMED_MULTIPART_MESSAGE = 'Malformed multipart body';

/**
 * multer's codes (`MulterError#code`, which Nest's Fastify upload interceptors copy) with multer's
 * messages, minus the field name. A file over `limits.fileSize` is a 413, as Nest answers it;
 * every other limit a 400.
 */
const LIMITS: ReadonlyMap<string, UploadError> = new Map(
  [
    ['LIMIT_FILE_SIZE', 413, 'File too large'],
    ['LIMIT_PART_COUNT', 400, 'Too many parts'],
    ['LIMIT_FILE_COUNT', 400, 'Too many files'],
    ['LIMIT_FIELD_KEY', 400, 'Field name too long'],
    ['LIMIT_FIELD_VALUE', 400, 'Field value too long'],
    ['LIMIT_FIELD_COUNT', 400, 'Too many fields'],
    ['LIMIT_UNEXPECTED_FILE', 400, 'Unexpected file field'],
    ['MISSING_FIELD_NAME', 400, 'Field name missing'],
    ['LIMIT_FIELD_NESTING', 400, 'Field name nesting too deep'],
    ['LIMIT_FIELD_ARRAY_INDEX', 400, 'Field name array index too large'],
    ['INVALID_FIELD_NAME', 400, 'Invalid field name'],
    // Nest's Fastify interceptors only: JSON text fields over `limits.jsonFieldsSize`.
    ['LIMIT_JSON_FIELDS_SIZE', 400, 'JSON field values too large'],
  ].map(([code, status, message]) => [code as string, { status, message } as UploadError]),
);

const MALFORMED: UploadError = { status: 400, message: MALFORMED_MULTIPART_MESSAGE };

/** What multer's limit `code` (`LIMIT_FILE_SIZE`) is answered with, for documentation. */
export function uploadLimitError(code: string): UploadError | undefined {
  return LIMITS.get(code);
}

/**
 * `@fastify/multipart`'s codes (`@fastify/error`s): its limits as the multer code that says the
 * same (it answers them 413; Nest's interceptors, and this, 400 as on Express), and the two that
 * mean the body could not be read.
 */
const FASTIFY_MULTIPART: ReadonlyMap<string, UploadError> = new Map([
  ['FST_PARTS_LIMIT', LIMITS.get('LIMIT_PART_COUNT')!],
  ['FST_FILES_LIMIT', LIMITS.get('LIMIT_FILE_COUNT')!],
  ['FST_FIELDS_LIMIT', LIMITS.get('LIMIT_FIELD_COUNT')!],
  ['FST_REQ_FILE_TOO_LARGE', LIMITS.get('LIMIT_FILE_SIZE')!],
  ['FST_PROTO_VIOLATION', LIMITS.get('INVALID_FIELD_NAME')!],
  ['FST_MP_PREMATURE_CLOSE', MALFORMED],
  ['FST_INVALID_JSON_FIELD_ERROR', MALFORMED],
]);

/**
 * The messages of the Nest exceptions both platforms' upload interceptors throw, by what precedes
 * ` - <field name>`: multer's (which Nest's Fastify interceptors copy), and the parsers' failures,
 * which carry no code (busboy's, prefixed `Multipart: ` by Nest, and `@fastify/multipart`'s two
 * that Nest passes on as they are). On Fastify these exceptions have no `cause` to read instead.
 */
const NEST_MESSAGES: ReadonlyMap<string, UploadError> = new Map([
  ...[...LIMITS.values()].map((error): [string, UploadError] => [error.message, error]),
  ...[
    'Multipart: Boundary not found',
    'Multipart: Malformed part header',
    'Multipart: Unexpected end of form',
    'Multipart: Unexpected end of file',
    'the request was closed before the multipart data was fully parsed',
    'a request field is not a valid JSON as declared by its Content-Type',
  ].map((message): [string, UploadError] => [message, MALFORMED]),
]);

/** busboy's own messages (multer's parser), which Nest keeps as the `cause` on Express. */
const BUSBOY_MESSAGES: ReadonlyMap<string, UploadError> = new Map(
  [
    'Multipart: Boundary not found',
    'Malformed part header',
    'Unexpected end of form',
    'Unexpected end of file',
  ].map((message): [string, UploadError] => [message, MALFORMED]),
);

/** busboy refuses a `multipart/*` type other than form-data; Nest's 415 keeps it as the cause. */
const UNSUPPORTED_CONTENT_TYPE = 'Unsupported content type';
const UNSUPPORTED: UploadError = { status: 415, message: 'Unsupported media type' };

/**
 * The upload error a thrown value is, raw: a `MulterError` (multer used as Express middleware),
 * an `@fastify/multipart` error (its `request.file()` / `parts()` used in a handler), or the error
 * Nest's Fastify interceptors raise internally (`MultipartError`, multer's codes). Undefined for
 * anything else.
 */
export function uploadErrorOf(thrown: unknown): UploadError | undefined {
  if (!(thrown instanceof Error)) {
    return undefined;
  }
  const { code } = thrown as { code?: unknown };
  if (typeof code !== 'string') {
    return undefined;
  }
  if (thrown.name === 'MulterError' || thrown.name === 'MultipartError') {
    return LIMITS.get(code);
  }
  return thrown.name === 'FastifyError' ? FASTIFY_MULTIPART.get(code) : undefined;
}

/**
 * The upload error a Nest `HttpException` of `status` stands for: on Express, Nest keeps multer's
 * or busboy's error as the `cause`; on Fastify, Nest's interceptors give none, and the exception
 * is recognized by its message (`Unexpected file field - <field name>`). Undefined for any other.
 */
export function uploadErrorOfHttpException(
  status: number,
  message: string,
  cause: unknown,
): UploadError | undefined {
  if (status !== 400 && status !== 413 && status !== 415) {
    return undefined;
  }
  const fromCause = uploadErrorOf(cause) ?? busboyError(cause);
  if (fromCause !== undefined || status === 415) {
    return fromCause;
  }
  const field = message.indexOf(' - ');
  const known = NEST_MESSAGES.get(field === -1 ? message : message.slice(0, field));
  return known?.status === status ? known : undefined;
}

/** One of busboy's errors, which have no code: only its messages tell them. */
function busboyError(cause: unknown): UploadError | undefined {
  if (!(cause instanceof Error) || typeof cause.message !== 'string') {
    return undefined;
  }
  return cause.message.startsWith(UNSUPPORTED_CONTENT_TYPE)
    ? UNSUPPORTED
    : BUSBOY_MESSAGES.get(cause.message);
}
