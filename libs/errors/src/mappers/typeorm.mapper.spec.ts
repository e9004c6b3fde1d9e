import { DatabaseError } from 'pg';
import { EntityNotFoundError, EntitySchema, QueryFailedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { generic, invalid, mapWith } from './mapper.spec-helper.js';
import { typeormErrors } from './typeorm.mapper.js';

// TypeORM's real error classes around each driver's error: pg's own DatabaseError; mysql2's,
// mssql's and sqlite3's by the shape those drivers document (they are not installed here).
// SQLite runs for real in test/real-world-errors.e2e-spec.ts: through libsql (better-sqlite3's API
// and error shape) and sql.js.

const SECRET = 'ada@example.com';
const SQL = `INSERT INTO "author"("email") VALUES ($1) -- ${SECRET}`;

class Author {}

const map = (thrown: unknown) => mapWith(typeormErrors(), thrown);

/** pg's error, as the server reports it. */
function postgres(code: string, fields: Partial<DatabaseError> = {}): DatabaseError {
  return Object.assign(new DatabaseError(`violates constraint (${SECRET})`, 100, 'error'), {
    severity: 'ERROR',
    code,
    ...fields,
  });
}

function queryFailed(driverError: unknown): QueryFailedError {
  return new QueryFailedError(SQL, [SECRET], driverError as Error);
}

/** mysql2's error: `code`, `errno`, `sqlState`, `sqlMessage`. */
function mysql(code: string, errno: number, sqlMessage: string): Error {
  return Object.assign(new Error(sqlMessage), { code, errno, sqlState: '23000', sqlMessage });
}

/** mssql's RequestError: `number`, and its fixed English messages. */
function mssql(number: number, message: string): Error {
  return Object.assign(new Error(message), { name: 'RequestError', code: 'EREQUEST', number });
}

const UNIQUE_EMAIL = [{ path: 'email', message: 'email must be unique', rule: 'unique' }];
const NAME_REQUIRED = [{ path: 'name', message: 'name is required', rule: 'required' }];

describe('typeormErrors', () => {
  it('EntityNotFoundError (findOneByOrFail) is a 404 naming the entity', () => {
    for (const [target, entity] of [
      [Author, 'Author'],
      ['author', 'author'],
      [new EntitySchema({ name: 'Book', columns: {} }), 'Book'],
    ] as const) {
      const { error, origin } = map(new EntityNotFoundError(target, { email: SECRET }));
      expect(error).toEqual(generic(404));
      expect(origin).toBe(`EntityNotFoundError entity=${entity}`);
    }
  });

  describe('Postgres (pg)', () => {
    it('23505 unique: 409, one detail per column of the key, constraint and table logged', () => {
      const { error, origin } = map(
        queryFailed(
          postgres('23505', {
            constraint: 'author_email_tenant_key',
            table: 'author',
            detail: `Key (email, tenant_id)=(${SECRET}, 7) already exists.`,
          }),
        ),
      );
      expect(error).toEqual(
        generic(409, {
          details: [
            ...UNIQUE_EMAIL,
            { path: 'tenant_id', message: 'tenant_id must be unique', rule: 'unique' },
          ],
        }),
      );
      expect(origin).toBe(
        'QueryFailedError code=23505 constraint=author_email_tenant_key table=author fields=email,tenant_id',
      );
    });

    it('23503 foreign key: 409 without details', () => {
      const { error, origin } = map(
        queryFailed(
          postgres('23503', {
            constraint: 'book_author_fkey',
            table: 'book',
            detail: 'Key (author_id)=(9) is not present',
          }),
        ),
      );
      expect(error).toEqual(generic(409));
      expect(origin).toBe('QueryFailedError code=23503 constraint=book_author_fkey table=book');
    });

    it('23502 not null: 400 naming the column; 23514 check: 400 naming nothing', () => {
      expect(
        map(queryFailed(postgres('23502', { column: 'name', table: 'author' }))).error,
      ).toEqual(invalid(NAME_REQUIRED));
      const check = map(queryFailed(postgres('23514', { constraint: 'chk_pages', table: 'book' })));
      expect(check.error).toEqual(invalid());
      expect(check.origin).toBe('QueryFailedError code=23514 constraint=chk_pages table=book');
    });

    it.each(['08006', '08001', '08P01', '57P01', '57P03'])(
      '%s: the database went away, 503',
      (code) => {
        expect(map(queryFailed(postgres(code))).error).toEqual(generic(503));
        // pg's own error outside a query (a pool's connection), too.
        const { error, origin } = map(postgres(code));
        expect(error).toEqual(generic(503));
        expect(origin).toBe(`DatabaseError code=${code}`);
      },
    );
  });

  describe('MySQL and MariaDB (mysql2)', () => {
    it('1062 duplicate entry: 409, the key logged, the value nowhere', () => {
      const { error, origin } = map(
        queryFailed(
          mysql('ER_DUP_ENTRY', 1062, `Duplicate entry '${SECRET}' for key 'author.IDX_email'`),
        ),
      );
      expect(error).toEqual(generic(409));
      expect(origin).toBe('QueryFailedError code=ER_DUP_ENTRY constraint=author.IDX_email');
    });

    it('1451 / 1452 foreign key: 409 with the constraint logged', () => {
      for (const [code, errno] of [
        ['ER_ROW_IS_REFERENCED_2', 1451],
        ['ER_NO_REFERENCED_ROW_2', 1452],
      ] as const) {
        const { error, origin } = map(
          queryFailed(
            mysql(
              code,
              errno,
              'Cannot add or update a child row: a foreign key constraint fails (`shop`.`book`, CONSTRAINT `FK_book_author` FOREIGN KEY (`authorId`) REFERENCES `author` (`id`))',
            ),
          ),
        );
        expect(error).toEqual(generic(409));
        expect(origin).toBe(`QueryFailedError code=${code} constraint=FK_book_author`);
      }
    });

    it('1048 column cannot be null: 400 naming it; 3819 check: 400', () => {
      expect(
        map(queryFailed(mysql('ER_BAD_NULL_ERROR', 1048, "Column 'name' cannot be null"))).error,
      ).toEqual(invalid(NAME_REQUIRED));
      const check = map(
        queryFailed(
          mysql('ER_CHECK_CONSTRAINT_VIOLATED', 3819, "Check constraint 'chk_pages' is violated."),
        ),
      );
      expect(check.error).toEqual(invalid());
      expect(check.origin).toBe(
        'QueryFailedError code=ER_CHECK_CONSTRAINT_VIOLATED constraint=chk_pages',
      );
    });
  });

  describe('SQL Server (mssql)', () => {
    it.each([2627, 2601])(
      '%i unique: 409, the constraint logged, the duplicate value nowhere',
      (number) => {
        const { error, origin } = map(
          queryFailed(
            mssql(
              number,
              `Violation of UNIQUE KEY constraint 'UQ_author_email'. Cannot insert duplicate key in object 'dbo.author'. The duplicate key value is (${SECRET}).`,
            ),
          ),
        );
        expect(error).toEqual(generic(409));
        expect(origin).toBe(`QueryFailedError code=${number} constraint=UQ_author_email`);
      },
    );

    it('547 is a 409 for a foreign key and a 400 for a check; 515 names the column', () => {
      expect(
        map(
          queryFailed(
            mssql(
              547,
              'The INSERT statement conflicted with the FOREIGN KEY constraint "FK_book_author".',
            ),
          ),
        ).error,
      ).toEqual(generic(409));
      expect(
        map(
          queryFailed(
            mssql(547, 'The INSERT statement conflicted with the CHECK constraint "chk_pages".'),
          ),
        ).error,
      ).toEqual(invalid());
      expect(
        map(
          queryFailed(
            mssql(
              515,
              "Cannot insert the value NULL into column 'name', table 'shop.dbo.author'; column does not allow nulls. INSERT fails.",
            ),
          ),
        ).error,
      ).toEqual(invalid(NAME_REQUIRED));
    });
  });

  describe('SQLite', () => {
    it.each([
      [
        'SQLITE_CONSTRAINT_UNIQUE',
        'UNIQUE constraint failed: author.email',
        generic(409, { details: UNIQUE_EMAIL }),
      ],
      [
        'SQLITE_CONSTRAINT_PRIMARYKEY',
        'UNIQUE constraint failed: author.email',
        generic(409, { details: UNIQUE_EMAIL }),
      ],
      ['SQLITE_CONSTRAINT_FOREIGNKEY', 'FOREIGN KEY constraint failed', generic(409)],
      [
        'SQLITE_CONSTRAINT_NOTNULL',
        'NOT NULL constraint failed: author.name',
        invalid(NAME_REQUIRED),
      ],
      ['SQLITE_CONSTRAINT_CHECK', 'CHECK constraint failed: chk_pages', invalid()],
    ])('%s (better-sqlite3: its code)', (code, message, expected) => {
      expect(
        map(queryFailed(Object.assign(new Error(message), { name: 'SqliteError', code }))).error,
      ).toEqual(expected);
    });

    it('sqlite3 (code SQLITE_CONSTRAINT) and sql.js (no code) by the message', () => {
      const sqlite3 = Object.assign(
        new Error('SQLITE_CONSTRAINT: UNIQUE constraint failed: author.email'),
        { code: 'SQLITE_CONSTRAINT', errno: 19 },
      );
      const { error, origin } = map(queryFailed(sqlite3));
      expect(error).toEqual(generic(409, { details: UNIQUE_EMAIL }));
      expect(origin).toBe('QueryFailedError code=SQLITE_CONSTRAINT table=author fields=email');
      expect(map(queryFailed(new Error('NOT NULL constraint failed: author.name'))).origin).toBe(
        'QueryFailedError table=author fields=name',
      );
    });
  });

  it('a refused connection is a 503: Node ECONNREFUSED, and the AggregateError of several addresses', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), {
      errno: -111,
      code: 'ECONNREFUSED',
      syscall: 'connect',
      address: '10.0.0.5',
      port: 5432,
    });
    expect(map(refused)).toEqual({ error: generic(503), origin: 'Error code=ECONNREFUSED' });
    const aggregate = Object.assign(new AggregateError([refused, refused]), {
      code: 'ECONNREFUSED',
    });
    expect(map(aggregate)).toEqual({
      error: generic(503),
      origin: 'AggregateError code=ECONNREFUSED',
    });
  });

  it('passes what it does not know', () => {
    for (const thrown of [
      queryFailed(postgres('42P01')),
      queryFailed(new Error('syntax error near "SELEC"')),
      Object.assign(new Error('connect ECONNREFUSED'), {
        code: 'ECONNREFUSED',
        isAxiosError: true,
      }),
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' }),
      { name: 'QueryFailedError', driverError: { code: '23505' } },
      new Error('UNIQUE constraint failed: author.email'),
    ]) {
      expect(typeormErrors()(thrown)).toBeUndefined();
    }
  });
});
