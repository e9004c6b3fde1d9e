import {
  HttpException,
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
import { describe, expect, it } from 'vitest';
import { parsePipeRefusal } from './parse-pipes.openapi.js';

// Against the installed @nestjs/common: each parse pipe's own words, through its own factory.

/** A refusal as status and message, for comparison. */
function refusal(pipe: unknown) {
  const found = parsePipeRefusal(pipe);
  if (found === undefined) {
    return undefined;
  }
  const { thrown } = found;
  return thrown instanceof HttpException
    ? [found.name, thrown.getStatus(), thrown.message]
    : [found.name, thrown];
}

enum Color {
  Red = 'red',
}

describe('parsePipeRefusal', () => {
  it.each([
    [ParseIntPipe, 'Validation failed (numeric string is expected)'],
    [ParseFloatPipe, 'Validation failed (numeric string is expected)'],
    [ParseBoolPipe, 'Validation failed (boolean string is expected)'],
    [ParseUUIDPipe, 'Validation failed (uuid is expected)'],
    [ParseArrayPipe, 'Validation failed (parsable array expected)'],
    [ParseDatePipe, 'Validation failed (invalid date format)'],
    [ParseFilePipe, 'File is required'],
  ])('%o as a class, which Nest builds itself: a 400 with its message', (pipe, message) => {
    expect(refusal(pipe)).toEqual([pipe.name, 400, message]);
  });

  it("an instance with options: the status and words they give, through the pipe's factory", () => {
    expect(refusal(new ParseUUIDPipe({ version: '4' }))).toEqual([
      'ParseUUIDPipe',
      400,
      'Validation failed (uuid v 4 is expected)',
    ]);
    expect(refusal(new ParseIntPipe({ errorHttpStatusCode: 422 }))).toEqual([
      'ParseIntPipe',
      422,
      'Validation failed (numeric string is expected)',
    ]);
    expect(refusal(new ParseEnumPipe(Color, { optional: true }))).toEqual([
      'ParseEnumPipe',
      400,
      'Validation failed (enum string is expected)',
    ]);
    expect(refusal(new ParseFilePipe({ fileIsRequired: false }))).toBeUndefined();
    const refused = new Error('refused');
    expect(refusal(new ParseBoolPipe({ exceptionFactory: () => refused }))).toEqual([
      'ParseBoolPipe',
      refused,
    ]);
  });

  it("leaves any other pipe alone: an app's own class is never built, nor its transform run", () => {
    let built = 0;
    let transformed = 0;
    class TrimPipe implements PipeTransform {
      constructor() {
        built++;
      }
      transform(value: unknown) {
        transformed++;
        return value;
      }
    }
    for (const pipe of [TrimPipe, new TrimPipe(), ParseEnumPipe, undefined, 'ParseIntPipe', {}]) {
      expect(parsePipeRefusal(pipe)).toBeUndefined();
    }
    expect([built, transformed]).toEqual([1, 0]);
  });

  it('a pipe whose factory throws is left out', () => {
    const pipe = new ParseIntPipe({
      exceptionFactory: () => {
        throw new Error('no');
      },
    });
    expect(parsePipeRefusal(pipe)).toBeUndefined();
  });
});
