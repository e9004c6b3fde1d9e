import type { FieldViolation } from '../core/api-error.interface.js';
import {
  type ErrorMapper,
  errorMapper,
  recordOf,
  identifier,
  identifiers,
  originLine,
} from '../core/error.mapping.js';
import {
  type FieldRule,
  conflict,
  fieldViolation,
  invalidInput,
  notFound,
  unavailable,
} from './mapped-error.factory.js';

// Prisma's documented error reference: PrismaClientKnownRequestError carries `code` (P2002…) and
// `meta`; PrismaClientInitializationError an `errorCode`. Prisma 7's driver adapters put what
// the database said in `meta.driverAdapterError.cause` (`kind`, `originalCode`, `constraint`)
// instead of Prisma 6's `meta.target`; both are read. Recognized by shape: the library does not
// import @prisma/client.

/** The record asked for does not exist: P2025 (an operation's record), P2001 (a where). */
const NOT_FOUND: ReadonlySet<string> = new Set(['P2025', 'P2001']);

/** The database cannot be reached, timed out, or closed the connection. */
const UNAVAILABLE: ReadonlySet<string> = new Set(['P1001', 'P1002', 'P1008', 'P1017']);

/** A value the database refused, by what is wrong with it. */
const INVALID_VALUE: Readonly<Record<string, FieldRule>> = {
  P2000: 'tooLong',
  P2005: 'invalid',
  P2006: 'invalid',
  P2007: 'invalid',
  P2011: 'required',
  P2012: 'required',
};

/** The leading identifier of a Prisma meta text (`Post_authorId_fkey (index)` → `Post_authorId_fkey`). */
function leadingIdentifier(value: unknown): string | undefined {
  return typeof value === 'string'
    ? identifier(/^[A-Za-z0-9_$.:-]+/.exec(value.trim())?.[0])
    : undefined;
}

/** What Prisma says of the constraint: the fields it covers, or its name. */
interface ConstraintFacts {
  fields: string[];
  constraint: string | undefined;
  /** The database's own code, from a driver adapter (`SQLITE_CONSTRAINT_UNIQUE`, `23505`). */
  driverCode: string | undefined;
}

function constraintFacts(code: string, meta: Record<string, unknown>): ConstraintFacts {
  const cause = recordOf(recordOf(meta.driverAdapterError).cause);
  const adapterConstraint = recordOf(cause.constraint);
  const driverCode = identifier(cause.originalCode);
  // Prisma 6: `target` lists the fields (or names the index); P2011 names them in `constraint`.
  const listed = code === 'P2011' ? meta.constraint : meta.target;
  if (Array.isArray(listed)) {
    return { fields: identifiers(listed), constraint: undefined, driverCode };
  }
  if (Array.isArray(adapterConstraint.fields)) {
    return { fields: identifiers(adapterConstraint.fields), constraint: undefined, driverCode };
  }
  const single =
    code === 'P2000'
      ? (meta.column_name ?? cause.column)
      : code === 'P2012'
        ? // `path` is where in the query the value is missing: its last segment is the field.
          typeof meta.path === 'string'
          ? meta.path.split('.').at(-1)
          : undefined
        : code === 'P2005' || code === 'P2006'
          ? meta.field_name
          : undefined;
  const field = leadingIdentifier(single);
  return {
    fields: field === undefined ? [] : [field],
    constraint: leadingIdentifier(
      typeof listed === 'string'
        ? listed
        : (adapterConstraint.index ?? (code === 'P2003' ? meta.field_name : undefined)),
    ),
    driverCode,
  };
}

/**
 * Prisma's errors, by code: P2002 (unique) → 409 with one detail per field; P2025, P2001 → 404;
 * P2003 (foreign key), P2034 (write conflict, retryable) → 409; P2000, P2005, P2006, P2007,
 * P2011, P2012 → 400 `VALIDATION_ERROR` naming the field where Prisma does; P1001, P1002,
 * P1008, P1017 and `PrismaClientInitializationError` → 503. The log line names the code, the
 * model, the database's code, the constraint and the fields; Prisma's message (which quotes the
 * call, its values and the database's host) goes nowhere.
 */
function mapPrismaError(thrown: Error): unknown {
  if (thrown.name === 'PrismaClientInitializationError') {
    return unavailable(
      thrown,
      originLine(thrown.name, { code: (thrown as { errorCode?: string }).errorCode }),
    );
  }
  const { code, meta: rawMeta } = thrown as { code?: unknown; meta?: unknown };
  if (thrown.name !== 'PrismaClientKnownRequestError' || typeof code !== 'string') {
    return undefined;
  }
  const meta = recordOf(rawMeta);
  const facts = constraintFacts(code, meta);
  const origin = originLine(thrown.name, {
    code,
    model: meta.modelName as string | undefined,
    driverCode: facts.driverCode,
    constraint: facts.constraint,
    fields: facts.fields,
  });
  if (code === 'P2002') {
    return conflict(thrown, origin, { uniqueFields: facts.fields });
  }
  if (code === 'P2003') {
    return conflict(thrown, origin);
  }
  if (code === 'P2034') {
    return conflict(thrown, origin, { retryable: true });
  }
  if (NOT_FOUND.has(code)) {
    return notFound(thrown, origin);
  }
  if (UNAVAILABLE.has(code)) {
    return unavailable(thrown, origin);
  }
  const rule = INVALID_VALUE[code];
  if (rule !== undefined) {
    const details: FieldViolation[] = facts.fields.map((field) => fieldViolation(field, rule));
    return invalidInput(thrown, origin, details);
  }
  return undefined;
}

/**
 * The mapper for Prisma's errors (`@prisma/client` 5–7, with or without a driver adapter),
 * recognized by their documented shape: P2002 unique → 409 with a detail per field
 * (`email must be unique`); P2025/P2001 not found → 404; P2003 foreign key and P2034 write
 * conflict (retryable) → 409; P2000/P2005/P2006/P2007/P2011/P2012 → 400 `VALIDATION_ERROR` with
 * the field where known; P1001/P1002/P1008/P1017 and `PrismaClientInitializationError` → 503.
 * Part of `defaultErrorMappers`.
 *
 * @example
 * ErrorsModule.forRoot({ mappers: [prismaErrors()] }); // Prisma only
 */
export function prismaErrors(): ErrorMapper {
  return errorMapper(mapPrismaError);
}
