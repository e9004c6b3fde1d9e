import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

/**
 * How much one `/graphql` document may ask for. `maxTokens` bounds what graphql-js parses (and so
 * everything after it): a megabyte of aliases is refused after 5,000 tokens, before any
 * validation or execution. The rest are validation rules, checked before execution.
 */
export const QUERY_LIMITS = {
  maxTokens: 5_000,
  maxAliases: 10,
  maxDepth: 6,
  maxFields: 100,
} as const;

/** `extensions.code` of a document over a limit (HTTP 400). */
export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

interface Measure {
  aliases: number;
  depth: number;
  fields: number;
}

const NOTHING: Measure = { aliases: 0, depth: 0, fields: 0 };

/** Aliases, depth and fields of a selection set, fragments expanded (each measured once). */
function measure(
  selectionSet: SelectionSetNode,
  context: ValidationContext,
  fragments: Map<string, Measure | undefined>,
): Measure {
  const total: Measure = { aliases: 0, depth: 0, fields: 0 };
  for (const selection of selectionSet.selections) {
    let part: Measure;
    if (selection.kind === Kind.FIELD) {
      // Introspection is bounded by graphql-js's own MaxIntrospectionDepthRule.
      const nested =
        selection.selectionSet === undefined || selection.name.value.startsWith('__')
          ? NOTHING
          : measure(selection.selectionSet, context, fragments);
      part = {
        aliases: nested.aliases + (selection.alias === undefined ? 0 : 1),
        depth: nested.depth + 1,
        fields: nested.fields + 1,
      };
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      part = measure(selection.selectionSet, context, fragments);
    } else {
      part = fragmentMeasure(context.getFragment(selection.name.value), context, fragments);
    }
    total.aliases += part.aliases;
    total.fields += part.fields;
    total.depth = Math.max(total.depth, part.depth);
  }
  return total;
}

function fragmentMeasure(
  fragment: FragmentDefinitionNode | null | undefined,
  context: ValidationContext,
  fragments: Map<string, Measure | undefined>,
): Measure {
  if (fragment === null || fragment === undefined) {
    return NOTHING;
  }
  const name = fragment.name.value;
  if (fragments.has(name)) {
    // Measured already, or a cycle (NoFragmentCyclesRule reports it): count it once.
    return fragments.get(name) ?? NOTHING;
  }
  fragments.set(name, undefined);
  const result = measure(fragment.selectionSet, context, fragments);
  fragments.set(name, result);
  return result;
}

/**
 * A validation rule refusing operations over `limits` with one 400 `QUERY_TOO_COMPLEX` error per
 * limit exceeded (the message names the limit, never the request's content).
 */
export function queryLimitsRule(
  limits: Pick<typeof QUERY_LIMITS, 'maxAliases' | 'maxDepth' | 'maxFields'> = QUERY_LIMITS,
): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, Measure | undefined>();
    return {
      OperationDefinition(operation: OperationDefinitionNode) {
        const { aliases, depth, fields } = measure(operation.selectionSet, context, fragments);
        const refuse = (message: string) =>
          context.reportError(
            new GraphQLError(message, {
              nodes: operation,
              extensions: { code: QUERY_TOO_COMPLEX },
            }),
          );
        if (aliases > limits.maxAliases) {
          refuse(`Operation has ${aliases} aliases; the limit is ${limits.maxAliases}.`);
        }
        if (depth > limits.maxDepth) {
          refuse(`Operation is ${depth} fields deep; the limit is ${limits.maxDepth}.`);
        }
        if (fields > limits.maxFields) {
          refuse(`Operation selects ${fields} fields; the limit is ${limits.maxFields}.`);
        }
        return false;
      },
    };
  };
}
