import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { ApiExceptionClass } from '../core/api.exception.js';
import {
  GENERIC_STATUSES,
  categoryForStatus,
  genericCodeForStatus,
} from '../core/http-status.mapping.js';
import { catalogEntries } from '../domains/error.catalog.js';
import type { ErrorFormat, JsonSchema } from '../formats/error-format.interface.js';
import { type FormatOption, resolveFormat } from '../formats/format.registry.js';
import { exampleBody, thrownExampleBody } from './error.examples.js';

/** What `npx nest-api-errors types` writes: declarations, and the guard that goes with them. */
export interface ErrorTypes {
  /** `errors.d.ts`: the body of each code, their union discriminated on the code, the guard. */
  declarations: string;
  /** `errors.js`: `isApiError`, reading the code where the format puts it. */
  javascript: string;
  /** `errors.ts`: the same types and the guard as one module, for a build to compile. */
  typescript: string;
  /** The codes the union discriminates, as bodies spell them. */
  codes: string[];
}

/** A JSON Schema position → TypeScript, with literal types where one body fixes a value. */
type Literals = ReadonlyMap<string, string>;

/**
 * How one body type reads the format's schema: the literal types it fixes, and the positions it
 * always carries although the schema makes them optional (a typed error's code, which the
 * timestamped and problem formats leave out only of bodies without one).
 */
interface BodyShape {
  literals: Literals;
  present: ReadonlySet<string>;
}

const json = (value: unknown) => JSON.stringify(value);
const pascal = (code: string) =>
  code
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');

function typeOf(schema: JsonSchema, path: string, shape: BodyShape, indent: string): string {
  const literal = shape.literals.get(path);
  if (literal !== undefined) {
    return literal;
  }
  const { type, properties, required, items, additionalProperties } = schema as {
    type?: string;
    properties?: Record<string, JsonSchema>;
    required?: string[];
    items?: JsonSchema;
    additionalProperties?: boolean | JsonSchema;
    enum?: unknown[];
  };
  const values = (schema as { enum?: unknown[] }).enum;
  if (values !== undefined) {
    return values.map(json).join(' | ');
  }
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return `Array<${items === undefined ? 'unknown' : typeOf(items, `${path}.0`, shape, indent)}>`;
    case 'object': {
      if (properties === undefined) {
        return typeof additionalProperties === 'object'
          ? `Record<string, ${typeOf(additionalProperties, `${path}.*`, shape, indent)}>`
          : 'Record<string, unknown>';
      }
      const inner = `${indent}  `;
      const members = Object.entries(properties).map(([key, property]) => {
        const at = path === '' ? key : `${path}.${key}`;
        const optional = required?.includes(key) || shape.present.has(at) ? '' : '?';
        return `${inner}${key}${optional}: ${typeOf(property, at, shape, inner)};`;
      });
      return `{\n${members.join('\n')}\n${indent}}`;
    }
    default:
      return 'unknown';
  }
}

/** Dot-paths of every leaf of an example body whose value is `value`. */
function positionsOf(body: unknown, value: unknown, path = '', into: string[] = []): string[] {
  if (body === value) {
    into.push(path);
  } else if (typeof body === 'object' && body !== null) {
    for (const [key, child] of Object.entries(body)) {
      positionsOf(child, value, path === '' ? key : `${path}.${key}`, into);
    }
  }
  return into;
}

/** `['errors', 0, 'code']` → `errors`, `errors.0`, `errors.0.code`: a position and those above it. */
function positionsAlong(path: readonly (string | number)[]): string[] {
  return path.map((_, index) => path.slice(0, index + 1).join('.'));
}

/** `['error', 'code']` → `{ error?: { code?: unknown } }`: what the guard reads, typed. */
function shapeOf(path: readonly (string | number)[]): string {
  const [segment, ...rest] = path;
  if (segment === undefined) {
    return 'unknown';
  }
  const inner = shapeOf(rest);
  return typeof segment === 'number' ? `Array<${inner}>` : `{ ${segment}?: ${inner} }`;
}

function valueAt(body: unknown, path: readonly (string | number)[]): unknown {
  let current = body;
  for (const segment of path) {
    current = (current as Record<string, unknown> | undefined)?.[segment];
  }
  return current;
}

interface Member {
  code: string;
  name: string;
  body: unknown;
  status: number;
  category: string;
  description: string;
  /** The code's deprecation note, for `@deprecated`. */
  deprecated: string | undefined;
}

/** A JSDoc line's text, unable to end the comment it sits in. */
const jsdoc = (text: string) => text.replaceAll('*/', '* /');

/** A member's JSDoc: its code, status and message, and `@deprecated` when the code is. */
function doc(member: Member): string {
  const summary = `\`${member.code}\` (${member.status}): ${jsdoc(member.description)}`;
  return member.deprecated === undefined
    ? `/** ${summary} */\n`
    : `/**\n * ${summary}\n * @deprecated ${jsdoc(member.deprecated)}\n */\n`;
}

/**
 * The name of the body without a code: ending otherwise than `ErrorBody`, no code's body can
 * take it.
 */
const WITHOUT_CODE = 'ApiErrorBodyWithoutCode';

/**
 * The error bodies of these classes (and, where a format always carries one, of the generic codes)
 * in `format`, as TypeScript: one interface per code with its literal code and status, the body
 * of the errors the format sends without a code (timestamped's validation failures, a plain
 * `NotFoundException` in timestamped or problem) where it has one, their union `ApiErrorBody`
 * discriminated on the code, and `isApiError(body, code)` to narrow a response on its code.
 */
export function renderErrorTypes(
  formatOption: FormatOption,
  classes: readonly ApiExceptionClass[],
): ErrorTypes {
  const format: ErrorFormat = resolveFormat(formatOption);
  const { codePath, schema } = format;
  if (codePath === undefined || schema === undefined) {
    throw new TypeError(
      `the ${format.name} format carries no code to tell errors apart; use another --format`,
    );
  }
  const members: Member[] = [];
  const seen = new Set<string>();
  /** The codes this format sends bodies without, described for the codeless body's JSDoc. */
  const withoutCode: string[] = [];
  const add = (
    body: unknown,
    status: number,
    category: string,
    description: string,
    deprecated?: string,
  ) => {
    const code = valueAt(body, codePath);
    if (typeof code !== 'string' || seen.has(code)) {
      return;
    }
    seen.add(code);
    members.push({
      code,
      name: `${pascal(code)}ErrorBody`,
      body,
      status,
      category,
      description,
      deprecated,
    });
  };
  for (const entry of catalogEntries(classes)) {
    const body = exampleBody(entry.exceptionClass, format);
    if (valueAt(body, codePath) === undefined) {
      // This format shows no code for this error (timestamped's validation failures): its body
      // is the codeless one.
      withoutCode.push(`\`${entry.code}\` (${entry.status}): ${entry.message}`);
    } else {
      add(body, entry.status, entry.category, entry.message, entry.deprecated);
    }
  }
  if (format.alwaysCarriesCode === true) {
    for (const status of GENERIC_STATUSES) {
      add(
        thrownExampleBody(new HttpException(STATUS_CODES[status] ?? 'Error', status), format),
        status,
        categoryForStatus(status),
        `Any ${status} without a code of its own (${genericCodeForStatus(status)})`,
      );
    }
  }
  // Nest's own exceptions carry no code: where a format sends none, any HTTP error without a code
  // of its own (an unknown route's 404, a guard's 403) has the codeless body.
  if (
    valueAt(thrownExampleBody(new HttpException('Not Found', 404), format), codePath) === undefined
  ) {
    withoutCode.push(
      'any HTTP error without a code of its own (a plain `NotFoundException`, an unknown route)',
    );
  }
  const pathKey = codePath.join('.');
  // A typed error's body always carries its code, where the schema says "only on domain errors".
  const coded = new Set(positionsAlong(codePath));
  const interfaces = members.map((member) => {
    const literals = new Map<string, string>([[pathKey, json(member.code)]]);
    // The status and category each body of this code carries are known too.
    for (const position of positionsOf(member.body, member.status)) {
      literals.set(position, String(member.status));
    }
    for (const position of positionsOf(member.body, member.category)) {
      literals.set(position, json(member.category));
    }
    return `${doc(member)}export interface ${member.name} ${typeOf(schema, '', { literals, present: coded }, '')}`;
  });
  if (withoutCode.length > 0) {
    // `code?: undefined` keeps the union discriminated: `body.code === undefined` narrows to it.
    const shape = { literals: new Map([[pathKey, 'undefined']]), present: new Set<string>() };
    const listed = withoutCode.map((each) => ` * - ${jsdoc(each)}\n`).join('');
    interfaces.push(
      `/**\n * A body without a code:\n${listed} */\nexport interface ${WITHOUT_CODE} ${typeOf(schema, '', shape, '')}`,
    );
  }
  const union = [
    ...members.map((member) => member.name),
    ...(withoutCode.length > 0 ? [WITHOUT_CODE] : []),
  ];
  const accessor = codePath
    .map((segment) => (typeof segment === 'number' ? `?.[${segment}]` : `?.${segment}`))
    .join('');
  const header = (command: string) => [
    `// Generated by \`${command}\`: the error bodies of this API.`,
    '// Regenerate it when the API gains codes; do not edit.',
    '',
  ];
  const command = `nest-api-errors types --format ${format.name}`;
  const types = [
    `/** Every code an error body of this API carries, as the ${format.name} format spells it. */`,
    `export type ApiErrorCode =\n${members.map((member) => `  | ${json(member.code)}`).join('\n')};`,
    '',
    ...interfaces.flatMap((text) => [text, '']),
    withoutCode.length > 0
      ? '/** Any error body of this API: a union discriminated on its code (undefined in a body without one). */'
      : '/** Any error body of this API: a union discriminated on its code. */',
    `export type ApiErrorBody =\n${union.map((name) => `  | ${name}`).join('\n')};`,
    '',
    '/** The body of one code. */',
    'export type ApiErrorBodyOf<Code extends ApiErrorCode> = {',
    ...members.map(
      (member) =>
        `${member.deprecated === undefined ? '' : `  /** @deprecated ${jsdoc(member.deprecated)} */\n`}  ${json(member.code)}: ${member.name};`,
    ),
    '}[Code];',
    '',
    '/** True when `body` is the error body of `code`, which narrows it to that body. */',
  ];
  const declarations = [
    ...header(command),
    ...types,
    'export declare function isApiError<Code extends ApiErrorCode>(',
    '  body: unknown,',
    '  code: Code,',
    '): body is ApiErrorBodyOf<Code>;',
    '',
  ].join('\n');
  const javascript = [
    `// Generated by \`${command}\`, beside its .d.ts; do not edit.`,
    '',
    '/** True when `body` is the error body of `code`. */',
    'export function isApiError(body, code) {',
    `  return typeof body === 'object' && body !== null && body${accessor} === code;`,
    '}',
    '',
  ].join('\n');
  // One module a build compiles (nest build copies no .js from src/): the guard reads the code
  // through the one shape it needs, so the file passes `strict` and `noImplicitAny`.
  const typescript = [
    ...header(`${command} --out <file>.ts`),
    ...types,
    'export function isApiError<Code extends ApiErrorCode>(',
    '  body: unknown,',
    '  code: Code,',
    '): body is ApiErrorBodyOf<Code> {',
    '  return (',
    "    typeof body === 'object' &&",
    '    body !== null &&',
    `    (body as ${shapeOf(codePath)})${accessor} === code`,
    '  );',
    '}',
    '',
  ].join('\n');
  return {
    declarations,
    javascript,
    typescript,
    codes: members.map((member) => member.code),
  };
}
