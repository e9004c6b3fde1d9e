import {
  type GraphQLError,
  buildSchema,
  execute,
  getVariableValues,
  parse,
  validate,
  type OperationDefinitionNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { redactGraphQLMessage } from './graphql.messages.js';

// Each case asks graphql-js itself for the message, with "S3CR3T" wherever the request can put
// something of its own, so a change in graphql-js's wording fails here rather than leaking.
const schema = buildSchema(`
  enum Locale { en de fr }
  input RunInput { flowId: ID! locale: Locale! priority: Int tags: [String!] }
  type Flow { id: ID! name: String! }
  type Query { flow(id: ID!): Flow flows: [Flow!]! }
  type Mutation { run(input: RunInput!): Flow }
`);

function syntaxError(query: string): GraphQLError {
  try {
    parse(query);
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error(`${query} parsed`);
}

function validationErrors(query: string): GraphQLError[] {
  return [...validate(schema, parse(query))];
}

function coercionErrors(
  query: string,
  variables: Record<string, unknown>,
): readonly GraphQLError[] {
  const operation = parse(query).definitions[0] as OperationDefinitionNode;
  const result = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  return result.errors ?? [];
}

function redacted(error: GraphQLError): string {
  const message = redactGraphQLMessage(error.message, error.originalError?.message);
  expect(message).not.toMatch(/S3CR3T/i);
  return message;
}

describe('redactGraphQLMessage', () => {
  it.each([
    ['{ flows { id } S3CR3T( }', 'Syntax Error: Expected Name, found "}".'],
    ['{ flow(id: "S3CR3T" "x") { id } }', 'Syntax Error: Expected Name, found String.'],
    ['query S3CR3T S3CR3T { flows { id } }', 'Syntax Error: Expected "{", found Name.'],
    ['{ flow(id: 0S3CR3T) { id } }', 'Syntax Error: Invalid number, expected digit.'],
    ['{ flows { id } } S3CR3T', 'Syntax Error: Unexpected Name.'],
    ['{ flows { id } } ~S3CR3T', 'Syntax Error: Unexpected character.'],
    ['{ flow(id: "\\S3CR3T") { id } }', 'Syntax Error: Invalid character escape sequence.'],
  ])('a syntax error in %s', (query, message) => {
    expect(redacted(syntaxError(query))).toBe(message);
  });

  it.each([
    ['{ S3CR3T }', 'Cannot query field on type "Query".'],
    ['{ flowz { id } }', 'Cannot query field on type "Query". Did you mean "flow" or "flows"?'],
    ['{ flow(id: "x", S3CR3T: 1) { id } }', 'Unknown argument on field "Query.flow".'],
    ['{ flows @S3CR3T { id } }', 'Unknown directive.'],
    ['query ($v: S3CR3T) { flows { id } }', 'Unknown type.'],
    ['{ flows { ...S3CR3T } }', 'Unknown fragment.'],
    ['query S3CR3T ($v: Int) { flows { id } }', 'Variable "$v" is never used.'],
    ['query S3CR3T { flow(id: $v) { id } }', 'Variable "$v" is not defined.'],
    ['fragment S3CR3T on Flow { id } { flows { id } }', 'Fragment is never used.'],
    [
      'query S3CR3T { flows { id } } query S3CR3T { flows { id } }',
      'There can be only one operation of that name.',
    ],
    [
      '{ S3CR3T: flow(id: "a") { id } S3CR3T: flow(id: "b") { id } }',
      'Fields with the same response name conflict. Use different aliases on the fields to fetch both if this was intentional.',
    ],
    ['{ flow(id: 1.5) { id } }', 'ID cannot represent a non-string and non-integer value.'],
    [
      'mutation { run(input: { flowId: "x", locale: en, priority: "S3CR3T" }) { id } }',
      'Int cannot represent non-integer value.',
    ],
    [
      'mutation { run(input: { flowId: "x", locale: S3CR3T }) { id } }',
      'Value does not exist in "Locale" enum.',
    ],
    [
      'mutation { run(input: { flowId: "x", locale: "S3CR3T" }) { id } }',
      'Enum "Locale" cannot represent non-enum value.',
    ],
    [
      'mutation { run(input: { flowId: "x", locale: en, S3CR3T: 1 }) { id } }',
      'Field is not defined by type "RunInput".',
    ],
    [
      'mutation { run(input: { locale: en }) { id } }',
      'Field "RunInput.flowId" of required type "ID!" was not provided.',
    ],
    ['type S3CR3T { id: ID } { flows { id } }', 'The definition is not executable.'],
  ])('a validation error in %s', (query, message) => {
    const [error] = validationErrors(query).filter((candidate) =>
      /S3CR3T|flowz|flowId|1\.5/.test(candidate.message),
    );
    expect(redacted(error!)).toBe(message);
  });

  it.each([
    [
      { i: { flowId: 'x', locale: 'en', priority: 'S3CR3T' } },
      'Variable "$i" got invalid value at "i.priority"; Int cannot represent non-integer value.',
    ],
    [
      { i: { flowId: 'x', locale: 'S3CR3T' } },
      'Variable "$i" got invalid value at "i.locale"; Value does not exist in "Locale" enum.',
    ],
    [
      { i: { flowId: 'x', locale: 'en', tags: ['ok', 7] } },
      'Variable "$i" got invalid value at "i.tags[1]"; String cannot represent a non string value.',
    ],
    [
      { i: { flowId: 'x', locale: 'en', S3CR3T: 1 } },
      'Variable "$i" got invalid value; Field is not defined by type "RunInput".',
    ],
    [
      { i: { flowId: 'x', locale: 'en', priority: 'S3CR3T; x at "i.flowId"' } },
      'Variable "$i" got invalid value at "i.priority"; Int cannot represent non-integer value.',
    ],
    [{ i: 'S3CR3T' }, 'Variable "$i" got invalid value; Expected type "RunInput" to be an object.'],
    [{}, 'Variable "$i" of required type "RunInput!" was not provided.'],
  ])('a variable %j', (variables, message) => {
    const [error] = coercionErrors('mutation ($i: RunInput!) { run(input: $i) { id } }', variables);
    expect(redacted(error!)).toBe(message);
  });

  it('an unknown operation name', () => {
    const result = execute({
      schema,
      document: parse('query A { flows { id } }'),
      operationName: 'S3CR3T',
    }) as { errors: GraphQLError[] };
    expect(redacted(result.errors[0]!)).toBe('Unknown operation name.');
  });

  it('a message of its own is kept up to its first ": "', () => {
    expect(redactGraphQLMessage('Operation has 11 aliases; at most 10 are allowed.')).toBe(
      'Operation has 11 aliases; at most 10 are allowed.',
    );
    expect(redactGraphQLMessage('Not a valid email: S3CR3T')).toBe('Not a valid email.');
  });
});
