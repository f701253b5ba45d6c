import type { ASTNode } from 'graphql';

/**
 * Prints a GraphQL document (operations and fragments: what a client sends) on one line. The build
 * gives it to Apollo Client in place of graphql-js's `print`, which also knows every schema
 * definition and block strings and pretty-prints them: 2 kB gzip the widget needn't download.
 * A node it does not know (schema definitions) throws.
 */
export function print(node: ASTNode): string {
  return p(node as unknown as Node);
}

function p(n: Node): string {
  switch (n.kind) {
    case 'Document':
      return list(n.definitions, '\n');
    case 'OperationDefinition':
      return `${n.operation}${n.name ? ` ${n.name.value}` : ''}${wrap('(', list(n.variableDefinitions, ','), ')')}${directives(n)}${p(n.selectionSet!)}`;
    case 'VariableDefinition':
      return `${p(n.variable!)}:${p(n.type!)}${n.defaultValue ? `=${p(n.defaultValue)}` : ''}${directives(n)}`;
    case 'SelectionSet':
      return `{${list(n.selections, ' ')}}`;
    case 'Field':
      return `${n.alias ? `${n.alias.value}:` : ''}${n.name!.value}${wrap('(', list(n.arguments, ','), ')')}${directives(n)}${n.selectionSet ? p(n.selectionSet) : ''}`;
    case 'Argument':
    case 'ObjectField':
      return `${n.name!.value}:${p(n.value as Node)}`;
    case 'FragmentSpread':
      return `...${n.name!.value}${directives(n)}`;
    case 'InlineFragment':
      return `...${n.typeCondition ? ` on ${n.typeCondition.name!.value}` : ''}${directives(n)}${p(n.selectionSet!)}`;
    case 'FragmentDefinition':
      return `fragment ${n.name!.value} on ${n.typeCondition!.name!.value}${directives(n)}${p(n.selectionSet!)}`;
    case 'Directive':
      return `@${n.name!.value}${wrap('(', list(n.arguments, ','), ')')}`;
    case 'Variable':
      return `$${n.name!.value}`;
    case 'IntValue':
    case 'FloatValue':
    case 'EnumValue':
      return n.value as string;
    case 'BooleanValue':
      return String(n.value);
    case 'StringValue':
      // JSON's escapes (\" \\ \n \uXXXX ...) are all GraphQL string escapes too.
      return JSON.stringify(n.value);
    case 'NullValue':
      return 'null';
    case 'ListValue':
      return `[${list(n.values, ',')}]`;
    case 'ObjectValue':
      return `{${list(n.fields, ',')}}`;
    case 'NamedType':
      return n.name!.value;
    case 'ListType':
      return `[${p(n.type!)}]`;
    case 'NonNullType':
      return `${p(n.type!)}!`;
    default:
      throw new Error(`print: a ${n.kind} node is not part of an operation`);
  }
}

/** The fields this printer reads, on any node kind. */
interface Node {
  kind: string;
  operation?: string;
  name?: { value: string };
  alias?: { value: string };
  value?: unknown;
  typeCondition?: Node;
  selectionSet?: Node;
  variable?: Node;
  type?: Node;
  defaultValue?: Node;
  definitions?: readonly Node[];
  variableDefinitions?: readonly Node[];
  selections?: readonly Node[];
  arguments?: readonly Node[];
  directives?: readonly Node[];
  values?: readonly Node[];
  fields?: readonly Node[];
}

const list = (nodes: readonly Node[] | undefined, separator: string) => (nodes ?? []).map(p).join(separator);
const wrap = (before: string, inner: string, after: string) => (inner ? before + inner + after : '');
const directives = (n: Node) => wrap(' ', list(n.directives, ' '), '');
