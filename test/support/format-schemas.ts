import { type ErrorReference, type FormatName, renderErrorReference } from 'nest-api-errors';

/** The JSON Schema of a built-in format's body, as the generated reference publishes it. */
export function formatSchema(format: FormatName): ErrorReference['schema'] {
  return (JSON.parse(renderErrorReference({ format, as: 'json' })) as ErrorReference).schema;
}
