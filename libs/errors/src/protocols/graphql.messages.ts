/**
 * graphql-js writes what the request supplied into the messages of its parse, validation and
 * variable-coercion errors: variable values, literals, unknown field and type names, aliases,
 * fragment and operation names (`Variable "$i" got invalid value "S3CR3T" at "i.priority"; Int
 * cannot represent non-integer value: "S3CR3T"`). Error bodies never echo submitted values
 * (README § Security), so these messages are rewritten: the reason, the schema's type and
 * field names, the variable and its path stay; what came from the request goes.
 *
 * Rewriting works on graphql-js 16's message templates. A message that matches none of them is
 * kept up to its first `: `, where scalars put the value they refused.
 */

/** A double-quoted string as graphql-js prints one (`inspect`, `JSON.stringify`). */
const QUOTED = String.raw`"(?:[^"\\]|\\.)*"`;
const NAME = '[_A-Za-z][_0-9A-Za-z]*';

/** `Syntax Error: …`: token values and characters the lexer quotes. */
const SYNTAX_TOKEN_VALUE = new RegExp(`\\b(Name|String|BlockString|Int|Float) ${QUOTED}`, 'g');
const SYNTAX_CHARACTER = new RegExp(`(?: but got)?: (?:${QUOTED}|U\\+[0-9A-F]{4})`, 'g');

/** Whole-message templates of validation and execution errors, in graphql-js's wording. */
const TEMPLATES: readonly (readonly [RegExp, string])[] = [
  [
    new RegExp(`^Variable "(\\$${NAME})" is never used in operation ${QUOTED}\\.$`),
    'Variable "$1" is never used.',
  ],
  [
    new RegExp(`^Variable "(\\$${NAME})" is not defined by operation ${QUOTED}\\.$`),
    'Variable "$1" is not defined.',
  ],
  [new RegExp(`^Unknown operation named ${QUOTED}\\.$`), 'Unknown operation name.'],
  [new RegExp(`^Cannot query field ${QUOTED} on type `), 'Cannot query field on type '],
  [new RegExp(`^Unknown argument ${QUOTED} on (field|directive) `), 'Unknown argument on $1 '],
  [new RegExp(`^Unknown (type|fragment|directive) ${QUOTED}\\.`), 'Unknown $1.'],
  [new RegExp(`^Fragment ${QUOTED} `), 'Fragment '],
  [
    new RegExp(`^Cannot spread fragment ${QUOTED} within itself[\\s\\S]*$`),
    'Cannot spread a fragment within itself.',
  ],
  [
    new RegExp(
      `^There can be only one (operation|fragment|argument|input field) named ${QUOTED}\\.$`,
    ),
    'There can be only one $1 of that name.',
  ],
  [
    new RegExp(`^Fields ${QUOTED} conflict because [\\s\\S]*$`),
    'Fields with the same response name conflict. Use different aliases on the fields to fetch both if this was intentional.',
  ],
  [new RegExp(`^Subscription ${QUOTED} must `), 'Subscription must '],
  [
    new RegExp(`^The (?:${QUOTED}|[a-z ]+) definition is not executable\\.$`),
    'The definition is not executable.',
  ],
];

/**
 * Reasons a value was refused, as they appear alone (a literal in the document) or after `; `
 * (a variable): only the type or field of the schema they name is kept.
 */
const REASONS: readonly (readonly [RegExp, string])[] = [
  // Built-in and conventional scalars: `Int cannot represent non-integer value: "S3CR3T"`;
  // enums: `Enum "Locale" cannot represent non-enum value: xx.`
  [/^([^:]*? cannot represent [^:]*?): [\s\S]*$/, '$1.'],
  [
    new RegExp(`^Value ${QUOTED} does not exist in (${QUOTED}) enum\\.`),
    'Value does not exist in $1 enum.',
  ],
  [new RegExp(`^Field ${QUOTED} is not defined by type `), 'Field is not defined by type '],
  [
    new RegExp(`^Expected value of type (${QUOTED}), found [\\s\\S]*$`),
    'Expected value of type $1.',
  ],
  // A custom scalar's own message follows `Expected type "X".`: drop it.
  [new RegExp(`^Expected type (${QUOTED})\\. [\\s\\S]*$`), 'Expected type $1.'],
];

/** Reasons graphql-js writes with only schema names in them. */
const SAFE_REASONS: readonly RegExp[] = [
  new RegExp(`^Expected type ${QUOTED}( to be an object)?\\.$`),
  new RegExp(`^Field ${QUOTED} of required type ${QUOTED} was not provided\\.$`),
  new RegExp(`^Field ${QUOTED} must be non-null\\.$`),
  /^Exactly one key must be specified for OneOf type "[^"]*"\.$/,
];

function firstMatch(
  message: string,
  rules: readonly (readonly [RegExp, string])[],
): string | undefined {
  for (const [pattern, replacement] of rules) {
    if (pattern.test(message)) {
      return message.replace(pattern, replacement);
    }
  }
  return undefined;
}

/** A reason a value was refused, without the value. */
function redactReason(reason: string): string {
  const rewritten = firstMatch(reason, REASONS);
  if (rewritten !== undefined) {
    return rewritten;
  }
  if (SAFE_REASONS.some((pattern) => pattern.test(reason))) {
    return reason;
  }
  // Scalars put the value they refused after a colon.
  const colon = reason.indexOf(': ');
  return colon === -1 ? reason : `${reason.slice(0, colon)}.`;
}

const COERCION = new RegExp(`^Variable "\\$(${NAME})" got invalid value `);

/**
 * `Variable "$i" got invalid value <value>[ at "i.path"]; <reason>`: rebuilt without the value.
 * The reason is the message of the error graphql-js wrapped (`originalError`), which tells where
 * the value ends even when it contains `; ` or ` at "`.
 */
function redactCoercion(message: string, variable: string, reason: string | undefined): string {
  if (reason === undefined || !message.endsWith(`; ${reason}`)) {
    return `Variable "$${variable}" got invalid value.`;
  }
  const prefix = message.slice(0, message.length - reason.length - 2);
  const at = new RegExp(` at "(${variable}(?:\\.${NAME}|\\[\\d+\\])*)"$`).exec(prefix);
  return `Variable "$${variable}" got invalid value${at === null ? '' : ` at "${at[1]}"`}; ${redactReason(reason)}`;
}

/**
 * The message of a GraphQL-layer error (parse, validation, variable coercion, operation
 * resolution) without anything the request supplied. `originalMessage` is the message of the
 * error graphql-js wrapped, when there is one.
 */
export function redactGraphQLMessage(message: string, originalMessage?: string): string {
  if (message.startsWith('Syntax Error: ')) {
    return message.replace(SYNTAX_TOKEN_VALUE, '$1').replace(SYNTAX_CHARACTER, '');
  }
  const coercion = COERCION.exec(message);
  if (coercion !== null) {
    return redactCoercion(message, coercion[1]!, originalMessage);
  }
  return firstMatch(message, TEMPLATES) ?? redactReason(message);
}
