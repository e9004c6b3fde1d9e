import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { ValidationError } from '@nestjs/common';
import type { FieldLocation, FieldViolation } from '../core/api-error.interface.js';

/**
 * class-validator errors → one violation per failed constraint, depth first, with the nested
 * property names joined by dots (`items.0.name`: arrays nest by index).
 */
export function violationsFromClassValidator(
  errors: readonly ValidationError[],
  prefix = '',
  into: FieldViolation[] = [],
): FieldViolation[] {
  for (const error of errors) {
    const path = prefix === '' ? String(error.property) : `${prefix}.${String(error.property)}`;
    const { constraints, children } = error;
    if (constraints !== undefined) {
      for (const rule of Object.keys(constraints)) {
        into.push({ path, message: constraints[rule]!, rule });
      }
    }
    if (children !== undefined && children.length > 0) {
      violationsFromClassValidator(children, path, into);
    }
  }
  return into;
}

/** Standard Schema issues (zod, valibot, arktype, …) → violations with the same dot-paths. */
export function violationsFromStandardSchema(
  issues: readonly StandardSchemaV1.Issue[],
): FieldViolation[] {
  return issues.map((issue) => ({
    path:
      issue.path === undefined
        ? ''
        : issue.path
            .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
            .join('.'),
    message: issue.message,
  }));
}

/** Nest's argument type (`body`, `query`, `param`, `custom`) → where a violation's value came from. */
export function fieldLocationOf(type: string): FieldLocation | undefined {
  switch (type) {
    case 'body':
      return 'body';
    case 'query':
      return 'query';
    case 'param':
      return 'params';
    default:
      return undefined;
  }
}
