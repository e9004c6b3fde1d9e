import type { ValidationError } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import {
  fieldLocationOf,
  violationsFromClassValidator,
  violationsFromStandardSchema,
} from './field-violations.mapper.js';

describe('violationsFromClassValidator', () => {
  it('gives one violation per failed constraint, with dot-paths through objects and arrays', () => {
    const errors: ValidationError[] = [
      {
        property: 'items',
        children: [
          {
            property: '0',
            children: [
              {
                property: 'name',
                constraints: {
                  isString: 'name must be a string',
                  isNotEmpty: 'name should not be empty',
                },
                children: [],
              },
            ],
          },
        ],
      },
      { property: 'age', constraints: { isInt: 'age must be an integer number' }, children: [] },
    ];
    expect(violationsFromClassValidator(errors)).toEqual([
      { path: 'items.0.name', message: 'name must be a string', rule: 'isString' },
      { path: 'items.0.name', message: 'name should not be empty', rule: 'isNotEmpty' },
      { path: 'age', message: 'age must be an integer number', rule: 'isInt' },
    ]);
  });

  it('keeps a constraint on a parent next to those of its children', () => {
    const errors: ValidationError[] = [
      {
        property: 'address',
        constraints: { isObject: 'address must be an object' },
        children: [{ property: 'city', constraints: { isString: 'city must be a string' } }],
      },
    ];
    expect(violationsFromClassValidator(errors).map((violation) => violation.path)).toEqual([
      'address',
      'address.city',
    ]);
  });
});

describe('violationsFromStandardSchema', () => {
  it('joins path segments, keyed or bare, with dots', () => {
    expect(
      violationsFromStandardSchema([
        { message: 'Invalid enum value', path: ['events', 0, 'type'] },
        { message: 'Required', path: [{ key: 'user' }, { key: 'email' }] },
        { message: 'Expected object' },
      ]),
    ).toEqual([
      { path: 'events.0.type', message: 'Invalid enum value' },
      { path: 'user.email', message: 'Required' },
      { path: '', message: 'Expected object' },
    ]);
  });
});

describe('fieldLocationOf', () => {
  it.each([
    ['body', 'body'],
    ['query', 'query'],
    ['param', 'params'],
    ['custom', undefined],
  ])('%s → %s', (type, location) => {
    expect(fieldLocationOf(type)).toBe(location);
  });
});
