import type { GraphQLFormattedError } from 'graphql';
import {
  GraphQLError,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  getNamedType,
  isCompositeType,
  visit,
  type DocumentNode,
  type GraphQLCompositeType,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';

/** Introspection list fields that may appear once on a path: `fields { type { fields …` multiplies. */
const INTROSPECTION_LISTS = new Set(['types', 'fields', 'inputFields', 'interfaces', 'possibleTypes', 'enumValues', 'args', 'directives']);

/**
 * Bounds introspection, which graphql-armor leaves out: `fields { type { fields { … } } }` grows
 * exponentially, so each introspection list field may appear once on a path and `ofType` at most
 * `maxOfType` times (the standard introspection query never repeats a list).
 */
export function introspectionLimitRule(maxOfType = 16): ValidationRule {
  return (context) => {
    const schema = context.getSchema();
    return {
      OperationDefinition(op) {
        let budget = 50_000; // selections visited, fragments expanded; a fragment fan-out bomb stops here
        const walk = (set: SelectionSetNode, parent: GraphQLCompositeType | undefined, lists: readonly string[], ofType: number, frags: readonly string[]): string | null => {
          for (const sel of set.selections) {
            if (--budget < 0) return 'the operation has too many selections to check';
            if (sel.kind === Kind.FIELD) {
              const name = sel.name.value;
              const introspecting = parent?.name.startsWith('__') ?? false;
              let nextLists = lists;
              let nextOfType = ofType;
              if (introspecting && INTROSPECTION_LISTS.has(name)) {
                if (lists.includes(name)) return `introspection may not nest \`${name}\` inside \`${name}\``;
                nextLists = [...lists, name];
              }
              if (introspecting && name === 'ofType' && ++nextOfType > maxOfType) return `introspection may nest \`ofType\` at most ${maxOfType} times`;
              if (!sel.selectionSet) continue;
              const def = name === '__schema' ? SchemaMetaFieldDef : name === '__type' ? TypeMetaFieldDef : parent && 'getFields' in parent ? parent.getFields()[name] : undefined;
              const type = def ? getNamedType(def.type) : undefined;
              const problem = walk(sel.selectionSet, type && isCompositeType(type) ? type : undefined, nextLists, nextOfType, frags);
              if (problem) return problem;
            } else {
              let target: SelectionSetNode | undefined;
              let condition: string | undefined;
              let nextFrags = frags;
              if (sel.kind === Kind.INLINE_FRAGMENT) {
                target = sel.selectionSet;
                condition = sel.typeCondition?.name.value;
              } else {
                const name = sel.name.value;
                if (frags.includes(name)) continue; // a cycle: NoFragmentCyclesRule reports it
                const fragment = context.getFragment(name);
                target = fragment?.selectionSet;
                condition = fragment?.typeCondition.name.value;
                nextFrags = [...frags, name];
              }
              if (!target) continue;
              const type = condition ? schema.getType(condition) : parent;
              const problem = walk(target, type && isCompositeType(type) ? type : undefined, lists, ofType, nextFrags);
              if (problem) return problem;
            }
          }
          return null;
        };
        const root = schema.getRootType(op.operation) ?? undefined;
        const problem = walk(op.selectionSet, root, [], 0, []);
        if (problem) context.reportError(new GraphQLError(problem, { nodes: [op] }));
      },
    };
  };
}

/** An error the client caused with its input: BAD_USER_INPUT, HTTP 400 when raised before execution. */
export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}

/**
 * Finds a NUL character in the document's strings or the variables, which PostgreSQL text and jsonb
 * cannot hold; iterative, so deeply nested variables cannot overflow the stack.
 */
export function nulCharacterError(document: DocumentNode | undefined, variables: unknown): GraphQLError | null {
  let found = false;
  if (document) {
    visit(document, {
      StringValue(node) {
        if (node.value.includes('\u0000')) found = true;
      },
    });
  }
  const stack: unknown[] = [variables];
  let budget = 1_000_000;
  while (!found && stack.length && --budget > 0) {
    const v = stack.pop();
    if (typeof v === 'string') found = v.includes('\u0000');
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\u0000')) found = true;
        stack.push(x);
      }
    }
  }
  return found ? badInput('strings may not contain the NUL character (U+0000)') : null;
}

/** PostgreSQL's class 22 (data exception): the database could not use a value, e.g. a forged cursor. */
export function isDataException(err: unknown): boolean {
  return isDatabaseError(err) && /^22[0-9A-Z]{3}$/.test(err.code);
}

/** pg's DatabaseError and MikroORM's wrappers of it both carry a SQLSTATE `code` and a `severity`. */
function isDatabaseError(err: unknown): err is { code: string; severity: string } {
  const e = err as { code?: unknown; severity?: unknown } | null;
  return typeof e?.code === 'string' && typeof e.severity === 'string';
}

/**
 * The error as a client sees it: a database data exception becomes BAD_USER_INPUT, any other database
 * error INTERNAL_SERVER_ERROR, neither with the database's wording (it can quote the SQL).
 */
export function clientError(formatted: GraphQLFormattedError, original: unknown): GraphQLFormattedError {
  const cause = original instanceof GraphQLError ? original.originalError : original;
  if (!isDatabaseError(cause)) return formatted;
  if (!isDataException(cause)) return { ...formatted, message: 'internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  const where = formatted.path?.length ? ` of \`${formatted.path.join('.')}\`` : '';
  return { ...formatted, message: `an argument${where} has a value that cannot be used`, extensions: { code: 'BAD_USER_INPUT' } };
}
