import {
  BadRequestException,
  HttpException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import multer from 'multer';
import { describe, expect, it } from 'vitest';
import { normalizeError } from './error.normalizer.js';
import { MALFORMED_MULTIPART_MESSAGE } from './upload-error.mapping.js';

const hidden = { exposeInternalErrors: false };
const HOSTILE_FIELD = `<script>alert(1)</script>${'x'.repeat(50 * 1024)}`;

/** What a client sees of a thrown value: its status and message, never the field's name. */
function answer(thrown: unknown) {
  const { status, message, code, category, cause } = normalizeError(thrown, hidden);
  expect(message).not.toContain('<script>');
  expect(cause).toBe(thrown);
  return { status, message, code, category };
}

/** `@fastify/multipart`'s errors: `@fastify/error`s with a code and a status. */
function fastifyError(code: string, message: string, statusCode: number): Error {
  return Object.assign(new Error(message), { name: 'FastifyError', code, statusCode });
}

describe('upload errors', () => {
  it.each([
    ['LIMIT_FILE_SIZE', 413, 'File too large'],
    ['LIMIT_PART_COUNT', 400, 'Too many parts'],
    ['LIMIT_FILE_COUNT', 400, 'Too many files'],
    ['LIMIT_FIELD_KEY', 400, 'Field name too long'],
    ['LIMIT_FIELD_VALUE', 400, 'Field value too long'],
    ['LIMIT_FIELD_COUNT', 400, 'Too many fields'],
    ['LIMIT_UNEXPECTED_FILE', 400, 'Unexpected file field'],
    ['MISSING_FIELD_NAME', 400, 'Field name missing'],
    ['LIMIT_FIELD_NESTING', 400, 'Field name nesting too deep'],
    ['LIMIT_FIELD_ARRAY_INDEX', 400, 'Field name array index too large'],
    ['INVALID_FIELD_NAME', 400, 'Invalid field name'],
  ])('multer %s → %i %s, raw or as Nest wraps it on Express', (code, status, message) => {
    const raw = new multer.MulterError(code as multer.ErrorCode, HOSTILE_FIELD);
    expect(answer(raw)).toEqual({ status, message, code: undefined, category: 'VALIDATION' });
    // platform-express's transformException: the message names the field, the cause is kept.
    const Wrapper = status === 413 ? PayloadTooLargeException : BadRequestException;
    const wrapped = new Wrapper(`${raw.message} - ${HOSTILE_FIELD}`, { cause: raw });
    expect(answer(wrapped)).toEqual({ status, message, code: undefined, category: 'VALIDATION' });
    // @nestjs/platform-fastify/multipart: the same message, no cause.
    expect(answer(new Wrapper(`${raw.message} - ${HOSTILE_FIELD}`))).toMatchObject({
      status,
      message,
    });
  });

  it.each([
    ['FST_PARTS_LIMIT', 'reach parts limit', 413, 400, 'Too many parts'],
    ['FST_FILES_LIMIT', 'reach files limit', 413, 400, 'Too many files'],
    ['FST_FIELDS_LIMIT', 'reach fields limit', 413, 400, 'Too many fields'],
    ['FST_REQ_FILE_TOO_LARGE', 'request file too large', 413, 413, 'File too large'],
    [
      'FST_PROTO_VIOLATION',
      'prototype property is not allowed as field name',
      400,
      400,
      'Invalid field name',
    ],
    [
      'FST_MP_PREMATURE_CLOSE',
      'the request was closed before the multipart data was fully parsed',
      400,
      400,
      MALFORMED_MULTIPART_MESSAGE,
    ],
  ])('@fastify/multipart %s (%j, %i) → %i %s', (code, text, statusCode, status, message) => {
    expect(answer(fastifyError(code, text, statusCode))).toMatchObject({ status, message });
  });

  it.each([
    // Express: busboy's errors, wrapped by Nest with a `Multipart: ` prefix, the cause kept.
    ['Unexpected end of form', 'Multipart: Unexpected end of form'],
    ['Malformed part header', 'Multipart: Malformed part header'],
    ['Unexpected end of file', 'Multipart: Unexpected end of file'],
    ['Multipart: Boundary not found', 'Multipart: Boundary not found'],
  ])('busboy %j → 400 %s', (busboy, nest) => {
    const wrapped = new BadRequestException(nest, { cause: new Error(busboy) });
    expect(answer(wrapped)).toMatchObject({ status: 400, message: MALFORMED_MULTIPART_MESSAGE });
    // Fastify: the same message, no cause.
    expect(answer(new BadRequestException(nest))).toMatchObject({
      status: 400,
      message: MALFORMED_MULTIPART_MESSAGE,
    });
  });

  it("busboy's unsupported multipart type → 415 Unsupported media type, the type not echoed", () => {
    const cause = new Error('Unsupported content type: multipart/<script>');
    expect(
      answer(new UnsupportedMediaTypeException('Unsupported content type', { cause })),
    ).toMatchObject({ status: 415, message: 'Unsupported media type' });
  });

  it.each([
    ['a 400 of the app that is none of them', new BadRequestException('Name is required')],
    ['a status that does not match the message', new HttpException('File too large', 422)],
    ['a 404', new HttpException('Too many files - x', 404)],
  ])('%s keeps its message', (_, thrown) => {
    expect(normalizeError(thrown, hidden).message).toBe(
      (thrown.getResponse() as { message: string }).message ?? thrown.message,
    );
  });

  it('an Error named like multer with an unknown code, or none, is no upload error', () => {
    const unknown = Object.assign(new Error('x'), {
      name: 'MulterError',
      code: 'STREAM_DESTROYED',
    });
    expect(normalizeError(unknown, hidden).status).toBe(500);
    expect(normalizeError(new Error('Unexpected end of form'), hidden).status).toBe(500);
  });
});
