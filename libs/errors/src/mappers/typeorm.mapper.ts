import {
  type ErrorMapper,
  errorMapper,
  recordOf,
  identifier,
  originLine,
} from '../core/error.mapping.js';
import {
  conflict,
  fieldViolation,
  invalidInput,
  notFound,
  unavailable,
} from './mapped-error.factory.js';

// TypeORM wraps what the driver threw in a `QueryFailedError` whose `driverError` is the
// driver's own error: pg's (`code` 23505, `constraint`, `table`, `column`, `detail`), mysql2's
// (`errno` 1062, `sqlMessage`), mssql's (`number` 2627), better-sqlite3's and sqlite3's
// (`code` SQLITE_CONSTRAINT_UNIQUE, or SQLITE_CONSTRAINT and the message), sql.js's (the message
// alone). Their messages quote submitted values (pg's `detail`, MySQL's `Duplicate entry 'x'`,
// MSSQL's `The duplicate key value is (x)`): only schema names are read out of them.

/** What the database refused, whatever the driver. */
type Violation = 'unique' | 'foreignKey' | 'notNull' | 'check' | 'unreachable';

interface DriverFacts {
  violation: Violation;
  code: string | undefined;
  constraint?: string | undefined;
  table?: string | undefined;
  /** The columns concerned, where the driver names them. */
  fields: string[];
}

const POSTGRES: Readonly<Record<string, Violation>> = {
  '23505': 'unique',
  '23503': 'foreignKey',
  '23502': 'notNull',
  '23514': 'check',
  // admin_shutdown, crash_shutdown, cannot_connect_now: the server is going or not there yet.
  '57P01': 'unreachable',
  '57P02': 'unreachable',
  '57P03': 'unreachable',
};

const MYSQL: Readonly<Record<number, Violation>> = {
  1062: 'unique',
  1451: 'foreignKey',
  1452: 'foreignKey',
  1048: 'notNull',
  3819: 'check',
};

const MSSQL: Readonly<Record<number, Violation>> = {
  2627: 'unique',
  2601: 'unique',
  515: 'notNull',
};

const SQLITE: Readonly<Record<string, Violation>> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreignKey',
  SQLITE_CONSTRAINT_NOTNULL: 'notNull',
  SQLITE_CONSTRAINT_CHECK: 'check',
};

/**
 * SQLite's own messages, which every SQLite driver passes on (sql.js gives nothing else):
 * `UNIQUE constraint failed: author.email, author.name`, `CHECK constraint failed: chk_age`.
 */
const SQLITE_MESSAGE =
  /(UNIQUE|FOREIGN KEY|NOT NULL|CHECK) constraint failed(?:: ([A-Za-z0-9_$.]+(?:, [A-Za-z0-9_$.]+)*))?/;

const SQLITE_MESSAGE_VIOLATION: Readonly<Record<string, Violation>> = {
  UNIQUE: 'unique',
  'FOREIGN KEY': 'foreignKey',
  'NOT NULL': 'notNull',
  CHECK: 'check',
};

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** `author.email` → `email`: clients know fields, not tables. */
function columnName(qualified: string): string {
  return qualified.split('.').at(-1)!;
}

/** What a SQLite driver's error says, from its extended code or else its message. */
function sqliteFacts(driver: Record<string, unknown>, message: string): DriverFacts | undefined {
  const match = SQLITE_MESSAGE.exec(message);
  const code = identifier(driver.code);
  const violation =
    (code === undefined ? undefined : SQLITE[code]) ??
    (match === null ? undefined : SQLITE_MESSAGE_VIOLATION[match[1]!]);
  if (violation === undefined) {
    return undefined;
  }
  const named = match?.[2]?.split(', ') ?? [];
  if (violation === 'check') {
    return { violation, code, constraint: identifier(named[0]), fields: [] };
  }
  // `author.email`: the table, then the column.
  const table = named[0]?.includes('.') === true ? named[0].split('.')[0] : undefined;
  return { violation, code, table, fields: named.map(columnName) };
}

/** `Key (email, tenant_id)=(…)`: the columns of pg's `detail`, never what follows the `=`. */
function postgresKeyColumns(detail: string): string[] {
  const columns = /^Key \(([^)]+)\)=/.exec(detail)?.[1];
  return columns === undefined
    ? []
    : columns.split(', ').flatMap((column) => identifier(column) ?? []);
}

/** pg's error (`code`, `constraint`, `table`, `column`, `detail`). */
function postgresFacts(driver: Record<string, unknown>): DriverFacts | undefined {
  const code = identifier(driver.code);
  if (code === undefined) {
    return undefined;
  }
  // Class 08: connection exceptions (08000, 08003, 08006, 08001, 08004, …).
  const violation = code.startsWith('08') && code.length === 5 ? 'unreachable' : POSTGRES[code];
  if (violation === undefined) {
    return undefined;
  }
  const column = identifier(driver.column);
  return {
    violation,
    code,
    constraint: identifier(driver.constraint),
    table: identifier(driver.table),
    fields:
      violation === 'notNull'
        ? column === undefined
          ? []
          : [column]
        : violation === 'unique'
          ? postgresKeyColumns(textOf(driver.detail))
          : [],
  };
}

/** mysql2's error (`errno`, `code`, `sqlMessage`). */
function mysqlFacts(driver: Record<string, unknown>): DriverFacts | undefined {
  const errno = driver.errno;
  const violation = typeof errno === 'number' ? MYSQL[errno] : undefined;
  if (violation === undefined) {
    return undefined;
  }
  const message = textOf(driver.sqlMessage) || textOf(driver.message);
  // `Duplicate entry 'x' for key 'users.email'`: the key is last, after the (quoted) value.
  const key = / for key '([^']+)'$/.exec(message)?.[1];
  const column = /^Column '([^']+)' cannot be null$/.exec(message)?.[1];
  const constraint =
    violation === 'unique'
      ? key
      : (/CONSTRAINT `([^`]+)`/.exec(message)?.[1] ??
        /^Check constraint '([^']+)'/.exec(message)?.[1]);
  return {
    violation,
    code: identifier(driver.code) ?? String(errno),
    constraint: identifier(constraint),
    fields: column === undefined || identifier(column) === undefined ? [] : [column],
  };
}

/** mssql's error (`number`, also under `originalError.info`), read from its fixed texts. */
function mssqlFacts(driver: Record<string, unknown>): DriverFacts | undefined {
  const number = driver.number ?? recordOf(recordOf(driver.originalError).info).number;
  if (typeof number !== 'number') {
    return undefined;
  }
  const message = textOf(driver.message);
  // 547: `The INSERT statement conflicted with the FOREIGN KEY (or CHECK) constraint "FK_x".`
  const violation =
    number === 547
      ? / FOREIGN KEY | REFERENCE /.test(message)
        ? 'foreignKey'
        : / CHECK /.test(message)
          ? 'check'
          : undefined
      : MSSQL[number];
  if (violation === undefined) {
    return undefined;
  }
  const column = /^Cannot insert the value NULL into column '([^']+)'/.exec(message)?.[1];
  return {
    violation,
    code: String(number),
    constraint: identifier(/ constraint ['"]([^'"]+)['"]/.exec(message)?.[1]),
    fields: column === undefined || identifier(column) === undefined ? [] : [column],
  };
}

/** A `QueryFailedError`'s driver error, whichever driver made it. */
function driverFacts(error: Error): DriverFacts | undefined {
  const driver = recordOf((error as { driverError?: unknown }).driverError);
  const message = textOf(driver.message) || error.message;
  return (
    postgresFacts(driver) ??
    mysqlFacts(driver) ??
    mssqlFacts(driver) ??
    sqliteFacts(driver, message)
  );
}

/**
 * The database is not there: Node's `connect ECONNREFUSED` (what pg, mysql2 and mssql throw
 * while connecting, an `AggregateError` when several addresses were tried), or pg's own error
 * for a connection class 08 / 57P0x code outside a query.
 */
function unreachableFacts(error: Error): DriverFacts | undefined {
  const { code, syscall, errors, severity, isAxiosError } = error as {
    code?: unknown;
    syscall?: unknown;
    errors?: unknown;
    severity?: unknown;
    isAxiosError?: unknown;
  };
  if (isAxiosError === true) {
    return undefined;
  }
  if (code === 'ECONNREFUSED' && (syscall === 'connect' || Array.isArray(errors))) {
    return { violation: 'unreachable', code, fields: [] };
  }
  if (typeof severity === 'string') {
    const facts = postgresFacts(error as unknown as Record<string, unknown>);
    return facts?.violation === 'unreachable' ? facts : undefined;
  }
  return undefined;
}

/** The entity an `EntityNotFoundError` names: a class, an entity schema's name, or a string. */
function entityName(entityClass: unknown): string | undefined {
  if (typeof entityClass === 'function') {
    return identifier(entityClass.name);
  }
  return identifier(entityClass) ?? identifier(recordOf(recordOf(entityClass).options).name);
}

/**
 * TypeORM's errors: `EntityNotFoundError` → 404; `QueryFailedError` unique or foreign key → 409
 * (a unique violation with a detail per column, where the driver names them), not null or check
 * → 400 `VALIDATION_ERROR`; a database that cannot be reached → 503. The log line names the
 * driver's code, the constraint, the table and the columns; the SQL, its parameters and the
 * driver's message go nowhere.
 */
function mapTypeormError(thrown: Error): unknown {
  if (thrown.name === 'EntityNotFoundError') {
    return notFound(
      thrown,
      originLine(thrown.name, {
        entity: entityName((thrown as { entityClass?: unknown }).entityClass),
      }),
    );
  }
  const facts = thrown.name === 'QueryFailedError' ? driverFacts(thrown) : unreachableFacts(thrown);
  if (facts === undefined) {
    return undefined;
  }
  // pg names its errors `error`: its class says more.
  const name =
    thrown.name === 'QueryFailedError'
      ? thrown.name
      : (identifier(thrown.constructor?.name) ?? thrown.name);
  const origin = originLine(name, {
    code: facts.code,
    constraint: facts.constraint,
    table: facts.table,
    fields: facts.fields,
  });
  switch (facts.violation) {
    case 'unique':
      return conflict(thrown, origin, { uniqueFields: facts.fields });
    case 'foreignKey':
      return conflict(thrown, origin);
    case 'notNull':
      return invalidInput(
        thrown,
        origin,
        facts.fields.map((field) => fieldViolation(field, 'required')),
      );
    case 'check':
      return invalidInput(thrown, origin, []);
    case 'unreachable':
      return unavailable(thrown, origin);
    default: {
      const unknownViolation: never = facts.violation;
      return unknownViolation;
    }
  }
}

/**
 * The mapper for TypeORM's errors (and a database that refuses connections), recognized by
 * their documented shape for Postgres, MySQL/MariaDB, SQLite (better-sqlite3, sqlite3, sql.js)
 * and SQL Server: `EntityNotFoundError` (`findOneByOrFail`) → 404; a unique violation → 409 with
 * a detail per column (`email must be unique`); a foreign key violation → 409; not null → 400
 * `VALIDATION_ERROR` naming the column (`name is required`); a check constraint → 400
 * `VALIDATION_ERROR`; `ECONNREFUSED`, Postgres class 08 and 57P01–57P03 → 503. Part of
 * `defaultErrorMappers`.
 */
export function typeormErrors(): ErrorMapper {
  return errorMapper(mapTypeormError);
}
