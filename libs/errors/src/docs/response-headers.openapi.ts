/** The parts of an OpenAPI 3 document that carry response headers. */
interface HeadersDocument {
  paths?: Record<string, Record<string, unknown> | undefined>;
  components?: { headers?: Record<string, unknown> };
}

type Headers = Record<string, unknown>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every `headers` map of every response of every operation (references left out). */
function* responseHeaders(document: HeadersDocument): Generator<Headers> {
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item ?? {})) {
      const responses = isObject(operation) ? operation.responses : undefined;
      for (const response of Object.values(isObject(responses) ? responses : {})) {
        if (isObject(response) && isObject(response.headers) && response.$ref === undefined) {
          yield response.headers;
        }
      }
    }
  }
}

/** A JSON Pointer segment (RFC 6901): `~` and `/` escaped. */
const pointerSegment = (name: string) => name.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * Moves the response headers a document declares the same way everywhere (`X-Request-Id`,
 * `Retry-After` and `WWW-Authenticate` on the error responses `ApiErrors` writes, and any of the
 * app's own) into `components.headers`, each response then referring to its one entry. A header
 * declared differently on two responses, or whose name `components.headers` already holds with
 * another definition, stays where it is. `@nestjs/swagger` lets no decorator add a component
 * other than a schema, hence a step of its own, after `SwaggerModule.createDocument`. Changes the
 * document in place and returns it.
 *
 * @example
 * const document = shareResponseHeaders(SwaggerModule.createDocument(app, config));
 */
export function shareResponseHeaders<Document extends object>(document: Document): Document {
  const openApi = document as HeadersDocument;
  // Header name → its one definition as JSON, or null when two responses declare it differently.
  const definitions = new Map<string, string | null>();
  const existing = openApi.components?.headers ?? {};
  for (const [name, header] of Object.entries(existing)) {
    definitions.set(name, JSON.stringify(header));
  }
  for (const headers of responseHeaders(openApi)) {
    for (const [name, header] of Object.entries(headers)) {
      if (isObject(header) && header.$ref !== undefined) {
        continue;
      }
      const json = JSON.stringify(header);
      const known = definitions.get(name);
      definitions.set(name, known === undefined || known === json ? json : null);
    }
  }
  const shared: Record<string, unknown> = {};
  for (const [name, json] of definitions) {
    if (json !== null) {
      shared[name] = JSON.parse(json) as unknown;
    }
  }
  for (const headers of responseHeaders(openApi)) {
    for (const name of Object.keys(headers)) {
      const header = headers[name];
      if (shared[name] !== undefined && !(isObject(header) && header.$ref !== undefined)) {
        headers[name] = { $ref: `#/components/headers/${pointerSegment(name)}` };
      }
    }
  }
  if (Object.keys(shared).length > 0) {
    openApi.components = { ...openApi.components, headers: { ...existing, ...shared } };
  }
  return document;
}
