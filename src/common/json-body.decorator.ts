import { Body, type PipeTransform } from '@nestjs/common';
import { ValidationFailedException } from 'nest-api-errors';

/**
 * Runs after the global validation pipe has checked the body against the parameter's DTO. That
 * pipe validates a missing or `null` body as `{}` and then hands it over as it came, so a DTO
 * without required fields lets `null` through (it refuses strings, numbers and arrays itself).
 * Here every value that is not a JSON object fails the way Nest fails those (same path and
 * message), and a missing body is `{}`: the `/api` API answers a "PATCH request with an empty
 * body" with its domain message ("No fields to update"), as for `{}` (README § `/api`).
 */
export class JsonObjectPipe implements PipeTransform {
  transform(value: unknown): unknown {
    if (value === undefined) {
      return {};
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ValidationFailedException({
        details: [
          {
            path: 'body',
            message: 'Validation failed (object is expected)',
            rule: 'isObject',
            location: 'body',
          },
        ],
      });
    }
    return value;
  }
}

/**
 * `@Body()` for the reference app's handlers: the whole body, validated by the parameter's
 * class-validator DTO (the global pipe), and always a JSON object. Type the parameter with a DTO
 * class: with `object` or an interface, the global pipe has nothing to validate against.
 */
export const JsonBody = (): ParameterDecorator => Body(JsonObjectPipe);
