import { describe, expect, test } from 'vitest';
import { insertMessage } from '../messages/insertMessage';
import { MessageBubbleFragment } from '../messages/MessageBubble';
import { MESSAGES_PAGE, MessagesQuery } from '../messages/insertMessage';
import { createCache } from '../shared/cache';
import { msg } from '../test/fixtures';

const page = (ids: ReturnType<typeof msg>[], hasNextPage: boolean, endCursor: string | null) => ({
  messages: {
    __typename: 'MessageConnection' as const,
    totalCount: 100,
    pageInfo: { __typename: 'PageInfo' as const, hasNextPage, endCursor },
    edges: ids.map((node) => ({ __typename: 'MessageEdge' as const, cursor: `c${node.id}`, node })),
  },
});

describe('messages connection in the cache', () => {
  const m = Array.from({ length: 6 }, (_, i) => msg({ id: String(1000 + i), text: `m${i}` }));
  const newestFirst = [...m].reverse();
  const vars = { contactId: '1', first: MESSAGES_PAGE };
  const ids = (cache: ReturnType<typeof createCache>) => cache.readQuery({ query: MessagesQuery, variables: vars })!.messages.edges.map((e) => e.node.id);

  test('older pages append; the oldest cursor is kept', () => {
    const cache = createCache();
    cache.writeQuery({ query: MessagesQuery, variables: vars, data: page(newestFirst.slice(0, 3), true, 'c1003') });
    cache.writeQuery({ query: MessagesQuery, variables: { ...vars, after: 'c1003' }, data: page(newestFirst.slice(3), false, 'c1000') });
    expect(ids(cache)).toEqual(['1005', '1004', '1003', '1002', '1001', '1000']);
    expect(cache.readQuery({ query: MessagesQuery, variables: vars })!.messages.pageInfo).toMatchObject({ hasNextPage: false, endCursor: 'c1000' });
  });

  test('a poll of the newest page adds what is new and keeps loaded history', () => {
    const cache = createCache();
    cache.writeQuery({ query: MessagesQuery, variables: vars, data: page(newestFirst.slice(1, 3), true, 'c1003') });
    cache.writeQuery({ query: MessagesQuery, variables: { ...vars, after: 'c1003' }, data: page(newestFirst.slice(3), false, 'c1000') });
    cache.writeQuery({ query: MessagesQuery, variables: vars, data: page(newestFirst.slice(0, 2), true, 'c1004') });
    expect(ids(cache)).toEqual(['1005', '1004', '1003', '1002', '1001', '1000']);
    expect(cache.readQuery({ query: MessagesQuery, variables: vars })!.messages.pageInfo).toMatchObject({ hasNextPage: false, endCursor: 'c1000' });
  });

  test('a live message joins its conversation once; unknown conversations are left alone', () => {
    const cache = createCache();
    cache.writeQuery({ query: MessagesQuery, variables: vars, data: page(newestFirst.slice(1), false, 'c1000') });
    insertMessage(cache, m[5]!, '1');
    insertMessage(cache, m[5]!, '1');
    expect(ids(cache)).toEqual(['1005', '1004', '1003', '1002', '1001', '1000']);
    insertMessage(cache, msg({ id: '2000' }), '2');
    expect(cache.readQuery({ query: MessagesQuery, variables: { contactId: '2', first: MESSAGES_PAGE } })).toBeNull();
  });

  test('a status change (as messageStatusChanged delivers it) updates the one normalized message', () => {
    const cache = createCache();
    const out = msg({ id: '3000', direction: 'OUTBOUND', status: 'SENT' });
    cache.writeQuery({ query: MessagesQuery, variables: vars, data: page([out], false, null) });
    cache.writeFragment({ fragment: MessageBubbleFragment, fragmentName: 'MessageBubble_message', data: { ...out, status: 'READ' } });
    expect(cache.readQuery({ query: MessagesQuery, variables: vars })!.messages.edges[0]!.node.status).toBe('READ');
  });

  test('a copy older than the cached one (a lower revision) changes nothing; a newer one replaces it', () => {
    const cache = createCache();
    const status = () => cache.readQuery({ query: MessagesQuery, variables: vars })!.messages.edges[0]!.node.status;
    const write = (over: Partial<ReturnType<typeof msg>>) =>
      cache.writeFragment({ fragment: MessageBubbleFragment, fragmentName: 'MessageBubble_message', data: { ...out, ...over } });
    const out = msg({ id: '3001', direction: 'OUTBOUND', status: 'READ', revision: 4 });
    cache.writeQuery({ query: MessagesQuery, variables: vars, data: page([out], false, null) });
    // sendMessage's answer, read before the statuses came, arriving after their frames.
    write({ status: 'PENDING', revision: 1 });
    expect(status()).toBe('READ');
    // A failure reported later, and Retry sending it again: each newer, each shown.
    write({ status: 'FAILED', revision: 5 });
    expect(status()).toBe('FAILED');
    write({ status: 'PENDING', revision: 6 });
    expect(status()).toBe('PENDING');
  });
});
