import {
  ParseArrayPipe,
  ParseBoolPipe,
  ParseDatePipe,
  ParseEnumPipe,
  ParseFilePipe,
  ParseFloatPipe,
  ParseIntPipe,
  ParseUUIDPipe,
  type PipeTransform,
} from '@nestjs/common';

type ParsePipe = PipeTransform & { exceptionFactory: (message: string) => unknown };

/**
 * Nest's parse pipes. Each refuses a value it cannot parse with its `exceptionFactory` (a 400
 * unless the app gave it `errorHttpStatusCode` or a factory of its own), before the handler runs.
 */
const PARSE_PIPES: readonly (abstract new (...args: any[]) => PipeTransform)[] = [
  ParseIntPipe,
  ParseFloatPipe,
  ParseBoolPipe,
  ParseUUIDPipe,
  ParseEnumPipe,
  ParseArrayPipe,
  ParseDatePipe,
  ParseFilePipe,
];

/**
 * Values a parse pipe refuses before awaiting anything: a control character no number, boolean,
 * UUID, enum member or date is, then no value at all (ParseArrayPipe splits any string; it and
 * ParseFilePipe refuse a missing one). ParseFilePipe is given only the missing file: anything
 * else would run the app's file validators on it.
 */
const REFUSED = ['\u0000', undefined] as const;
const NO_FILE = [undefined] as const;

/** What a parse pipe refuses, and what it throws for it, as the route answers it. */
export interface ParsePipeRefusal {
  /** The pipe's class name (`ParseUUIDPipe`). */
  name: string;
  /** What the pipe's own `exceptionFactory` makes of its message: a Nest exception, usually. */
  thrown: unknown;
}

const isParsePipe = (value: unknown) => PARSE_PIPES.some((each) => value instanceof each);

/** The pipe a parameter decorator names: an instance, or a class Nest instantiates itself. */
function instanceOf(pipe: unknown): ParsePipe | undefined {
  if (typeof pipe !== 'function') {
    return isParsePipe(pipe) ? (pipe as ParsePipe) : undefined;
  }
  if (!PARSE_PIPES.some((each) => pipe === each || pipe.prototype instanceof each)) {
    // A pipe class of the app's own is never built here.
    return undefined;
  }
  try {
    return new (pipe as new () => ParsePipe)();
  } catch {
    // ParseEnumPipe as a class: Nest cannot build it either (it needs the enum).
    return undefined;
  }
}

/**
 * The message the pipe refuses a value with, read by running its own `transform` with a
 * factory that keeps the message: the exact words of the installed Nest and of the pipe's options
 * (`uuid v 4 is expected`). Each pipe calls its factory before it awaits anything.
 */
function refusalMessage(pipe: ParsePipe): string | undefined {
  for (const value of pipe instanceof ParseFilePipe ? NO_FILE : REFUSED) {
    let message: unknown;
    const probe = Object.create(pipe, {
      exceptionFactory: {
        value: (text: unknown) => {
          message = text;
          return new Error('refused');
        },
      },
    }) as ParsePipe;
    try {
      const result: unknown = pipe.transform.call(probe, value, { type: 'param' });
      if (result instanceof Promise) {
        // The refusal, or a rejection of what it awaited: known already, or not at all.
        result.catch(() => undefined);
      }
    } catch {
      // ParseDatePipe refuses synchronously.
    }
    if (typeof message === 'string') {
      return message;
    }
  }
  return undefined;
}

/**
 * What a parameter's pipe answers a value it cannot parse with (`@Param('id', ParseUUIDPipe)`:
 * 400 `Validation failed (uuid is expected)`), for the route's OpenAPI responses. Undefined for a
 * pipe that is none of Nest's parse pipes (the app's own could do anything when called).
 */
export function parsePipeRefusal(pipe: unknown): ParsePipeRefusal | undefined {
  const parsing = instanceOf(pipe);
  const message = parsing === undefined ? undefined : refusalMessage(parsing);
  if (parsing === undefined || message === undefined) {
    return undefined;
  }
  try {
    return { name: parsing.constructor.name, thrown: parsing.exceptionFactory(message) };
  } catch {
    // A factory of the app's own that throws: the pipe's error is then whatever it threw.
    return undefined;
  }
}
