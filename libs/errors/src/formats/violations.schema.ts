import type { JsonSchema } from './error-format.interface.js';

/** `[{path, message}]`: how `envelope` and `graphql` list the violations of a validation failure. */
export const PATH_MESSAGE_LIST_SCHEMA: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['path', 'message'],
    additionalProperties: false,
    properties: { path: { type: 'string' }, message: { type: 'string' } },
  },
};
