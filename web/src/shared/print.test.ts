import { addTypenameToDocument } from '@apollo/client/utilities';
import { Kind, parse, print as graphqlPrint, type DocumentNode } from 'graphql';
import { describe, expect, test } from 'vitest';
import * as generated from '../gql/graphql';
import { print } from './print';

const documents = Object.entries(generated).filter((e): e is [string, DocumentNode] => (e[1] as { kind?: unknown } | null)?.kind === Kind.DOCUMENT);

// What the server reads is the point: the one-line text parses back to the same document graphql-js prints.
const same = (doc: DocumentNode) => expect(graphqlPrint(parse(print(doc)))).toBe(graphqlPrint(doc));

describe('print (the widget build’s stand-in for graphql-js print)', () => {
  test('every document of the widget, as Apollo sends it (with __typename), prints to the same operation', () => {
    expect(documents.length).toBeGreaterThan(20);
    for (const [, doc] of documents) {
      same(doc);
      same(addTypenameToDocument(doc));
    }
  });

  test('every kind of node an operation can hold', () => {
    same(
      parse(`
        query Q($a: Int = 3, $b: [String!]! = ["x", "y\\"z\\n\\u00e9"], $c: In = { k: { l: [1.5, null, true, ENUM] } }) @dir(x: $a) {
          alias: field(arg: $a, obj: { f: "s" }, list: [$a]) @include(if: true) @skip(if: false) { id }
          ... on Type @dir { inner }
          ... @include(if: $d) { bare }
          ...Frag @dir(y: 1)
        }
        mutation { m(x: "plain") }
        subscription S { s }
        fragment Frag on Type @dir { id ...Other }
      `),
    );
    expect(print(parse('{ a }'))).toBe('query{a}');
    // A block string goes as an ordinary string with the same value.
    expect(print(parse('mutation { m(x: """block "string"\n  indented """) }'))).toBe('mutation{m(x:"block \\"string\\"\\nindented ")}');
  });

  test('schema definitions are refused, not printed wrong', () => {
    expect(() => print(parse('type T { a: Int }'))).toThrow(/ObjectTypeDefinition/);
  });
});
