/** Any value `JSON.parse` returns. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

type Schema = Readonly<Record<string, unknown>>;

/**
 * Whether a parsed JSON value has the shape a (small) JSON Schema describes: `type`, `required`,
 * `properties`, `additionalProperties: false` and `items`, which is all the built-in formats' body
 * schemas need to tell their bodies apart. Values (patterns, ranges, enums) are not checked: the
 * body comparison does that. Not `strict`, members a schema does not name are allowed.
 */
export function matchesSchema(value: JsonValue, schema: Schema, strict = true): boolean {
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = (schema.required ?? []) as string[];
      if (required.some((key) => !(key in value))) return false;
      return Object.keys(value).every((key) =>
        key in properties
          ? matchesSchema(value[key]!, properties[key]!, strict)
          : !strict || schema.additionalProperties !== false,
      );
    }
    case 'array':
      return (
        Array.isArray(value) &&
        (schema.items === undefined ||
          value.every((item) => matchesSchema(item, schema.items as Schema, strict)))
      );
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}
