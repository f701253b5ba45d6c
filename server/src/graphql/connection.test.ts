import 'reflect-metadata';
import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectsCount } from './connection.js';

/** The `contacts` field of `query` and its fragments, as a resolver's `info` has them. */
function info(query: string) {
  const doc = parse(query);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  return { fieldNodes: [op.selectionSet.selections[0] as FieldNode], fragments };
}

describe('selectsCount (whether a page sends its count query along)', () => {
  it('sees totalCount and totalCountIsExact, directly or through fragments', () => {
    expect(selectsCount(info('{ contacts { totalCount edges { cursor } } }'))).toBe(true);
    expect(selectsCount(info('{ contacts { totalCountIsExact } }'))).toBe(true);
    expect(selectsCount(info('{ contacts { ... on ContactConnection { totalCount } } }'))).toBe(true);
    expect(selectsCount(info('{ contacts { ...Page } } fragment Page on ContactConnection { pageInfo { hasNextPage } ...Count } fragment Count on ContactConnection { totalCount }'))).toBe(true);
  });
  it('does not count for a page that shows none', () => {
    expect(selectsCount(info('{ contacts { edges { node { id } } pageInfo { hasNextPage } } }'))).toBe(false);
    expect(selectsCount(info('{ contacts { ...Page } } fragment Page on ContactConnection { edges { cursor } }'))).toBe(false);
    // a field of that name deeper down is not the page's count
    expect(selectsCount(info('{ contacts { edges { node { ... on Contact { totalCount: id } } } } }'))).toBe(false);
  });
});
