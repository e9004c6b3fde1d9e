import {
  type ArgumentMetadata,
  Injectable,
  Logger,
  type PipeTransform,
  StandardSchemaValidationPipe,
  ValidationPipe,
  type ValidationPipeOptions,
} from '@nestjs/common';
import type { FieldLocation, FieldViolation } from '../core/api-error.interface.js';
import { ValidationFailedException } from '../domains/common.exceptions.js';
import {
  fieldLocationOf,
  violationsFromClassValidator,
  violationsFromStandardSchema,
} from './field-violations.mapper.js';

/**
 * What the validators' exception factories throw: the violations, before the argument's location
 * is known. `transform` turns it into the one `ValidationFailedException` (not an Error: no stack
 * is captured for it).
 */
class PendingViolations {
  constructor(readonly violations: FieldViolation[]) {}

  /** The exception, each violation located where the argument came from. */
  toException(location: FieldLocation | undefined): ValidationFailedException {
    if (location !== undefined) {
      // Fresh objects from the mappers: nobody else holds them.
      for (const violation of this.violations) {
        violation.location ??= location;
      }
    }
    return new ValidationFailedException({ details: this.violations });
  }
}

/**
 * Nest's `ValidationPipe`, with one difference: a failure throws `ValidationFailedException`
 * (one `FieldViolation` per failed constraint, dot-paths for nested objects and arrays, the
 * location of the argument). Parameters declared with a Standard Schema (`@Body({ schema })`,
 * Nest 12) are validated by Nest's `StandardSchemaValidationPipe` and fail the same way.
 *
 * class-validator and class-transformer are optional: without them, DTO classes pass through
 * unvalidated (a warning says so once) while Standard Schema parameters are still validated.
 */
@Injectable()
export class ErrorsValidationPipe extends ValidationPipe {
  private static readonly logger = new Logger('ErrorsValidationPipe');
  private readonly schemaPipe: StandardSchemaValidationPipe;
  private classValidatorAvailable: Promise<boolean> | boolean;

  constructor(options: ValidationPipeOptions = {}) {
    super({
      ...options,
      exceptionFactory: (errors) => new PendingViolations(violationsFromClassValidator(errors)),
    });
    this.schemaPipe = new StandardSchemaValidationPipe({
      transform: options.transform ?? true,
      validateCustomDecorators: options.validateCustomDecorators,
      exceptionFactory: (issues) => new PendingViolations(violationsFromStandardSchema(issues)),
    });
    this.classValidatorAvailable = Promise.all([
      this.loadValidator(options.validatorPackage),
      this.loadTransformer(options.transformerPackage),
    ]).then(([validator, transformer]) => {
      const available = validator !== undefined && transformer !== undefined;
      if (!available) {
        ErrorsValidationPipe.logger.warn(
          'class-validator or class-transformer is not installed: DTO classes are not validated',
        );
      }
      this.classValidatorAvailable = available;
      return available;
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      if (metadata.schema !== undefined) {
        return await this.schemaPipe.transform(value, metadata);
      }
      if (this.classValidatorAvailable !== true && !(await this.classValidatorAvailable)) {
        return value;
      }
      return await super.transform(value, metadata);
    } catch (error) {
      if (isStackOverflow(error)) {
        // class-transformer, class-validator and Nest's proto-key stripping all recurse: input
        // nested thousands of levels deep exhausts the stack. That is the client's input, not a
        // server fault.
        throw new ValidationFailedException({
          details: [
            {
              path: '',
              message: 'Input is nested too deeply',
              rule: 'maxDepth',
              location: fieldLocationOf(metadata.type),
            },
          ],
        });
      }
      const location = fieldLocationOf(metadata.type);
      if (error instanceof PendingViolations) {
        throw error.toException(location);
      }
      if (
        error instanceof ValidationFailedException &&
        location !== undefined &&
        error.details?.some((violation) => violation.location === undefined)
      ) {
        // One a validator threw itself. New violations, not the thrower's: a list of details may
        // be shared or frozen.
        throw new ValidationFailedException({
          message: error.message,
          details: error.details.map((violation) => ({
            ...violation,
            location: violation.location ?? location,
          })),
        });
      }
      throw error;
    }
  }

  /** Nest's loaders end the process when a package is missing; here that only disables DTO checks. */
  protected override loadValidator(validatorPackage?: unknown): any {
    return validatorPackage ?? import('class-validator').catch(() => undefined);
  }

  protected override loadTransformer(transformerPackage?: unknown): any {
    return transformerPackage ?? import('class-transformer').catch(() => undefined);
  }
}

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && error.message.includes('call stack');
}

/**
 * A validation pipe whose failures become `ValidationFailedException`: class-validator DTOs and
 * Standard Schema parameters alike, with dot-paths (`items.0.name`). `ErrorsModule.forRoot()`
 * installs one globally; call this for a route-level pipe or when `validation: false`.
 *
 * @example
 * @Post()
 * create(@Body(createValidationPipe({ whitelist: true })) body: CreateSessionDto) {}
 */
export function createValidationPipe(options?: ValidationPipeOptions): PipeTransform {
  return new ErrorsValidationPipe(options);
}
