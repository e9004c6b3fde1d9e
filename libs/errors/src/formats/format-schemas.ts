import type { ErrorFormatName } from './error-formats.js';

/** A JSON Schema (draft 2020-12 / OpenAPI 3.1 subset) describing one format's error body. */
export type JsonSchema = Record<string, unknown>;

const CATEGORIES = [
  'VALIDATION',
  'AUTH',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMIT',
  'EXTERNAL_SERVICE',
  'INTERNAL',
];

/**
 * The body schema of each built-in format: used for OpenAPI responses (`ApiErrors`) and by the
 * property tests that check every rendered body against it.
 */
export const FORMAT_SCHEMAS: Readonly<Record<ErrorFormatName, JsonSchema>> = {
  timestamped: {
    type: 'object',
    required: ['statusCode', 'timestamp', 'path', 'message'],
    additionalProperties: false,
    properties: {
      statusCode: { type: 'integer', minimum: 400, maximum: 599 },
      timestamp: { type: 'string', format: 'date-time' },
      path: { type: 'string' },
      message: { type: 'string' },
      code: { type: 'string', description: 'Only on domain errors' },
    },
  },
  traced: {
    type: 'object',
    required: ['error'],
    additionalProperties: false,
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message', 'trace_id'],
        additionalProperties: false,
        properties: {
          code: { type: 'string', pattern: '^[a-z0-9_]+$' },
          message: { type: 'string' },
          trace_id: { type: 'string', description: 'Equals the X-Request-Id response header' },
          details: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
  },
  simple: {
    type: 'object',
    required: ['error'],
    additionalProperties: false,
    properties: { error: { type: 'string' } },
  },
  envelope: {
    type: 'object',
    required: ['error'],
    additionalProperties: false,
    properties: {
      error: {
        type: 'object',
        required: ['message', 'statusCode', 'code', 'category'],
        additionalProperties: false,
        properties: {
          message: { type: 'string' },
          statusCode: { type: 'integer', minimum: 400, maximum: 599 },
          code: { type: 'string' },
          category: { type: 'string', enum: CATEGORIES },
          details: {
            type: 'array',
            items: {
              type: 'object',
              required: ['path', 'message'],
              additionalProperties: false,
              properties: { path: { type: 'string' }, message: { type: 'string' } },
            },
          },
        },
      },
    },
  },
  problem: {
    type: 'object',
    required: ['type', 'title', 'status', 'detail', 'instance', 'requestId'],
    additionalProperties: false,
    properties: {
      type: { type: 'string', format: 'uri-reference' },
      title: { type: 'string' },
      status: { type: 'integer', minimum: 400, maximum: 599 },
      detail: { type: 'string' },
      instance: { type: 'string' },
      code: { type: 'string' },
      requestId: { type: 'string' },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['detail', 'pointer'],
          additionalProperties: false,
          properties: { detail: { type: 'string' }, pointer: { type: 'string' } },
        },
      },
    },
  },
};
