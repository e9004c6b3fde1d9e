import type { JsonSchema } from './error-format.interface.js';

/** An object with exactly these properties: what every format's body is, at every level. */
export function closedObject(
  required: readonly string[],
  properties: Readonly<Record<string, JsonSchema>>,
): JsonSchema {
  return { type: 'object', required: [...required], additionalProperties: false, properties };
}

/** `{error: {…}}`: the body of the formats whose documented APIs wrap the error in one member. */
export function errorMemberSchema(
  required: readonly string[],
  properties: Readonly<Record<string, JsonSchema>>,
): JsonSchema {
  return closedObject(['error'], { error: closedObject(required, properties) });
}

/** An HTTP error status, as the bodies that carry one state it. */
export const STATUS_SCHEMA: JsonSchema = { type: 'integer', minimum: 400, maximum: 599 };

/** `[{path, message}]`: how `envelope` and `graphql` list the violations of a validation failure. */
export const PATH_MESSAGE_LIST_SCHEMA: JsonSchema = {
  type: 'array',
  items: closedObject(['path', 'message'], {
    path: { type: 'string' },
    message: { type: 'string' },
  }),
};
