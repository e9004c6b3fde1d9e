import { HttpException } from '@nestjs/common';
import type { ErrorCategory, FieldViolation } from './api-error.interface.js';
import { categoryForStatus, isErrorStatus, isRetryableStatus } from './http-status.mapping.js';

/** What every exception may be given when thrown. */
export interface ApiExceptionOptions {
  /** Replaces the documented message. For a 5xx it reaches the log only, never the body. */
  message?: string;
  details?: readonly FieldViolation[];
  /** Kept for the log; never serialized into a body. */
  cause?: unknown;
  /** Sent as `Retry-After` (seconds). */
  retryAfterSeconds?: number;
}

/** A code, status and message, as one catalog row declares them. */
export interface ApiErrorDefinitionInput<
  Code extends string = string,
  Status extends number = number,
  Message extends string = string,
> {
  code: Code;
  status: Status;
  /** The documented message; `{field}` marks a template field filled from the constructor. */
  message: Message;
  /** Defaults from the status (`categoryForStatus`). */
  category?: ErrorCategory;
  /** Defaults to true for 429 and 5xx. */
  retryable?: boolean;
  /** Default `Retry-After` when the thrower gives none. */
  retryAfterSeconds?: number;
  /**
   * Marks the code deprecated, saying what to use instead (`'use FLOW_ARCHIVED'`): shown in the
   * catalog, the error reference, the generated types (`@deprecated`) and OpenAPI. The error
   * still answers exactly as before; removing the code later is what breaks clients.
   */
  deprecated?: string;
}

/**
 * A definition after `define()`: every default resolved once per class, so nothing is looked up
 * per throw.
 */
export interface ApiErrorDefinition<Code extends string = string, Status extends number = number> {
  readonly code: Code;
  readonly status: Status;
  readonly message: string;
  readonly category: ErrorCategory;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;
  /** `sessions`, `vault-files`, …; `common` for the classes that extend ApiException directly. */
  readonly domain: string;
  /** Heading of the domain in generated references: `Session and flow execution errors`. */
  readonly domainTitle: string;
  /** Template fields of the message in order (`['provider']`); empty when it has none. */
  readonly fields: readonly string[];
  /** Why the code is deprecated, or what replaces it; undefined while it is not. */
  readonly deprecated: string | undefined;
}

/** `'Unknown provider: {provider}'` → `'provider'`. */
export type TemplateFields<Message extends string> =
  Message extends `${string}{${infer Field}}${infer Rest}` ? Field | TemplateFields<Rest> : never;

/**
 * Constructor arguments of a defined exception: the options are optional unless the message has
 * template fields, which are then required by name.
 */
export type ApiExceptionArgs<Message extends string> = [TemplateFields<Message>] extends [never]
  ? [options?: ApiExceptionOptions]
  : [
      options: ApiExceptionOptions & {
        readonly [Field in TemplateFields<Message>]: string | number;
      },
    ];

type AbstractApiExceptionClass = abstract new (...args: any[]) => ApiException;

/**
 * The class `define()` returns: the base it was called on, narrowed to one code and status, with
 * the constructor the message's template asks for.
 */
export type DefinedApiExceptionClass<
  Base extends AbstractApiExceptionClass,
  Code extends string,
  Status extends number,
  Message extends string,
> = Omit<Base, 'prototype'> & {
  // The narrowed members come first: for an intersection of methods, calls resolve to the first.
  new (
    ...args: ApiExceptionArgs<Message>
  ): { readonly code: Code; getStatus(): Status } & InstanceType<Base>;
  readonly prototype: InstanceType<Base>;
  readonly definition: ApiErrorDefinition<Code, Status>;
};

/** Any concrete exception class with a definition, as `errorCatalog()` and `ApiErrors()` take it. */
export interface ApiExceptionClass {
  new (...args: any[]): ApiException;
  readonly name: string;
  readonly definition: ApiErrorDefinition;
}

/** Options of a one-off `new ApiException({...})`, without a class of its own. */
export interface ApiExceptionInit extends ApiExceptionOptions, ApiErrorDefinitionInput {
  /** For a one-off error the message is required. */
  message: string;
}

const TEMPLATE_FIELD = /\{([A-Za-z0-9_]+)\}/g;

/**
 * Every class `define()` made in this process, in the order they were declared: the shipped
 * catalog and the app's own. What `renderErrorReference()` and the `docs` CLI document when they
 * are not told which classes to. A slot holds the class the app declared on it once that class
 * is known (`recordDeclaredClass`), else the one `define()` returned.
 */
const definedClasses: ApiExceptionClass[] = [];

/** The slot in `definedClasses` of each class `define()` returned. */
const slotOfDefined = new Map<Function, number>();

/** The classes `define()` made so far (see `definedClasses`). */
export function definedExceptionClasses(): readonly ApiExceptionClass[] {
  return definedClasses;
}

/**
 * Records the class an app declared on a class `define()` returned (`class CardDeclinedError
 * extends ApiException.define({...}) {}`), so that catalogs name it rather than the returned
 * class, which is named from the code and changes with it (no rename could be told from a removal
 * then). `define()` cannot see the class declared on its result: what lists the app's classes
 * (`ApiErrors`, the CLI's loaded modules) tells it here. The first class declared on a result is
 * kept; anything else (a class `define()` did not return the parent of, a second subclass, a
 * value that is no class) is ignored.
 */
export function recordDeclaredClass(declared: unknown): void {
  if (typeof declared !== 'function' || Object.hasOwn(declared, 'definition')) {
    return;
  }
  const parent: unknown = Object.getPrototypeOf(declared);
  const slot = typeof parent === 'function' ? slotOfDefined.get(parent) : undefined;
  if (slot !== undefined && definedClasses[slot] === parent) {
    definedClasses[slot] = declared as ApiExceptionClass;
  }
}

/** The files `define()` was called from, once `watchDeclarationSites()` turned recording on. */
let declarationSites: Set<string> | undefined;

/**
 * From now on, `define()` records the file it is called from: a CLI that only loads an app's
 * modules can then import those files again (from the module cache) and find in their exports
 * the classes declared on what `define()` returned. Off by default: it reads a stack per class.
 */
export function watchDeclarationSites(): void {
  declarationSites ??= new Set();
}

/** The files (`file:` URLs, or paths for CommonJS) `define()` was called from while watched. */
export function declarationSiteFiles(): readonly string[] {
  return declarationSites === undefined ? [] : [...declarationSites];
}

/** How many frames `recordDeclarationSite` reads: the caller's, and a helper's caller or two. */
const DECLARATION_FRAMES = 4;

/** Adds the files of the code calling `define()` to `declarationSites`, when watched. */
function recordDeclarationSite(sites: Set<string>): void {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  try {
    // The call sites themselves, not the text: their file is the module's own URL even where a
    // source map would print the .ts file.
    Error.prepareStackTrace = (_error, callSites) => callSites;
    Error.stackTraceLimit = DECLARATION_FRAMES;
    const holder: { stack?: NodeJS.CallSite[] } = {};
    Error.captureStackTrace(holder, ApiException.define);
    for (const site of holder.stack ?? []) {
      const file = site.getFileName();
      if (typeof file === 'string' && !file.startsWith('node:')) {
        sites.add(file);
      }
    }
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}

/** `FLOW_LOCKED` → `FlowLockedException`: the name a class made by `define()` carries itself. */
function classNameOf(code: string): string {
  const words = code
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  return `${words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('')}Exception`;
}

/** Resolves every default of a definition once, when its class is declared. */
function resolveDefinition(
  input: ApiErrorDefinitionInput,
  domain: string,
  domainTitle: string = domain,
): ApiErrorDefinition {
  if (!isErrorStatus(input.status)) {
    throw new RangeError(
      `Error ${input.code} has status ${input.status}; an error status is 400–599`,
    );
  }
  const unusable = /\{(?![A-Za-z0-9_]+\})[^}]*\}/.exec(input.message);
  if (unusable !== null) {
    throw new TypeError(
      `Error ${input.code}: "${unusable[0]}" is not a template field; fields are {letters_digits_underscores}`,
    );
  }
  if (
    input.deprecated !== undefined &&
    (typeof input.deprecated !== 'string' || input.deprecated.trim() === '')
  ) {
    // An empty note would read as "not deprecated" everywhere the note is shown.
    throw new TypeError(
      `Error ${input.code}: deprecated takes a note saying what to use instead ('use FLOW_ARCHIVED')`,
    );
  }
  return Object.freeze({
    code: input.code,
    status: input.status,
    message: input.message,
    category: input.category ?? categoryForStatus(input.status),
    retryable: input.retryable ?? isRetryableStatus(input.status),
    retryAfterSeconds: input.retryAfterSeconds,
    domain,
    domainTitle,
    fields: Object.freeze([...input.message.matchAll(TEMPLATE_FIELD)].map((match) => match[1]!)),
    deprecated: input.deprecated,
  });
}

const NO_VALUES: Readonly<Record<string, string>> = Object.freeze({});

/** The values of a definition's template fields, as given to the constructor. */
function templateValuesOf(
  definition: ApiErrorDefinition,
  options: Record<string, unknown> | undefined,
): Readonly<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const field of definition.fields) {
    // Only strings and numbers: String() of a symbol, or of an object whose toString throws, would
    // throw out of the constructor.
    const value = options?.[field];
    values[field] = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  }
  return Object.freeze(values);
}

/** `Unknown provider: {provider}` with `{provider: 'slack'}` → `Unknown provider: slack`. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.includes('{')
    ? template.replace(TEMPLATE_FIELD, (_, field: string) => values[field] ?? '')
    : template;
}

/**
 * Base of every typed error. It is a Nest `HttpException`, so anything that understands those
 * (guards, interceptors, other filters) still does; `ErrorsFilter` reads its code, category,
 * details and retry hints from it.
 *
 * Declare an error as a class per code with `define()`, so the code, status and documented message
 * live in one place and carry literal types. A 4xx is built without a stack trace (most of the cost
 * of `new Error()`, and useless for a client error); set `ApiException.captureClientErrorStacks`
 * to keep them. A 5xx always keeps its stack for the log.
 *
 * @example
 * export class PaymentRequiredException extends ApiException.define({
 *   code: 'PAYMENT_REQUIRED',
 *   status: 402,
 *   message: 'This workspace has no active subscription',
 * }) {}
 *
 * throw new PaymentRequiredException();
 * throw new ApiException({ code: 'TEAPOT', status: 418, message: 'I am a teapot' }); // one-off
 */
export class ApiException extends HttpException {
  /** Domain of the classes defined directly on this base; each domain base overrides it. */
  static readonly domain: string = 'common';

  /** Heading of the domain in generated references; a domain base sets its own. */
  static readonly domainTitle: string = 'Common errors';

  /**
   * Build 4xx ApiExceptions with a stack trace. Off by default: a client error's stack only costs
   * time; turn it on while debugging where client errors come from.
   */
  static captureClientErrorStacks = false;

  declare readonly code: string;
  declare readonly category: ErrorCategory;
  declare readonly details: readonly FieldViolation[] | undefined;
  declare readonly retryable: boolean;
  declare readonly retryAfterSeconds: number | undefined;
  /** The definition this error was built from: the same object for every instance of a class. */
  declare readonly definition: ApiErrorDefinition;
  /**
   * The definition's message with this error's template fields filled in: what a 5xx shows in
   * place of a message given at the throw site, which may describe internals.
   */
  declare readonly documentedMessage: string;
  /** The values of the message's template fields (`{provider: 'slack'}`), for translations. */
  declare readonly templateValues: Readonly<Record<string, string>>;

  constructor(init?: ApiExceptionInit | ApiExceptionOptions) {
    const definition =
      (new.target as unknown as Partial<ApiExceptionClass>).definition ??
      oneOffDefinition(init as ApiExceptionInit | undefined);
    const templateValues =
      definition.fields.length === 0
        ? NO_VALUES
        : templateValuesOf(definition, init as Record<string, unknown>);
    const documentedMessage =
      definition.fields.length === 0
        ? definition.message
        : fillTemplate(definition.message, templateValues);
    const withoutStack = definition.status < 500 && !ApiException.captureClientErrorStacks;
    const stackTraceLimit = Error.stackTraceLimit;
    if (withoutStack) {
      // The stack is captured while Error's constructor runs, inside super().
      Error.stackTraceLimit = 0;
    }
    try {
      super(
        init?.message ?? documentedMessage,
        definition.status,
        init?.cause === undefined ? undefined : { cause: init.cause },
      );
    } finally {
      // Restored whatever happens: a lowered limit would leave every later error without a stack.
      if (withoutStack) {
        Error.stackTraceLimit = stackTraceLimit;
      }
    }
    this.documentedMessage = documentedMessage;
    this.templateValues = templateValues;
    this.definition = definition;
    this.code = definition.code;
    this.category = definition.category;
    this.details = init?.details;
    this.retryable = definition.retryable;
    this.retryAfterSeconds = init?.retryAfterSeconds ?? definition.retryAfterSeconds;
  }

  /**
   * Declares an error class on this base: `class X extends SessionsException.define({...}) {}`.
   * The definition is resolved once here; the returned class carries the literal code and status
   * types, and a constructor that requires the message's template fields.
   */
  static define<
    Base extends AbstractApiExceptionClass,
    const Code extends string,
    const Status extends number,
    const Message extends string,
  >(
    this: Base,
    input: ApiErrorDefinitionInput<Code, Status, Message>,
  ): DefinedApiExceptionClass<Base, Code, Status, Message> {
    const Parent = this as unknown as typeof ApiException;
    // A base that names its domain but no title is titled by its domain.
    const titled = Object.hasOwn(Parent, 'domainTitle') || !Object.hasOwn(Parent, 'domain');
    const definition = resolveDefinition(
      input,
      Parent.domain,
      titled ? Parent.domainTitle : Parent.domain,
    );
    const Defined = class extends (Parent as new (...args: any[]) => ApiException) {
      static readonly definition = definition;
    };
    // The class the app declares (`class X extends Base.define(...) {}`) cannot be seen from
    // here: its parent is named after the code, as catalog classes are, until the declared
    // class is recorded in its slot (`recordDeclaredClass`).
    Object.defineProperty(Defined, 'name', { value: classNameOf(definition.code) });
    slotOfDefined.set(Defined, definedClasses.length);
    definedClasses.push(Defined as unknown as ApiExceptionClass);
    if (declarationSites !== undefined) {
      recordDeclarationSite(declarationSites);
    }
    return Defined as unknown as DefinedApiExceptionClass<Base, Code, Status, Message>;
  }

  /** Nest's own filters and `getResponse()` readers see the code as well as the message. */
  override getResponse(): { statusCode: number; message: string; code: string } {
    return { statusCode: this.getStatus(), message: this.message, code: this.code };
  }

  /** What `JSON.stringify(exception)` gives: never the cause, never the stack. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      statusCode: this.getStatus(),
      code: this.code,
      message: this.message,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

function oneOffDefinition(init: ApiExceptionInit | undefined): ApiErrorDefinition {
  if (init?.code === undefined || init.status === undefined || init.message === undefined) {
    throw new TypeError(
      'new ApiException() needs { code, status, message }, or a class declared with ApiException.define()',
    );
  }
  return resolveDefinition(init, ApiException.domain, ApiException.domainTitle);
}
