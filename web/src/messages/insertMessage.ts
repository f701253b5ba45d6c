import type { ApolloCache } from '@apollo/client';
import type { MessageBubble_MessageFragment } from '../gql/graphql';
import { MESSAGES_PAGE, MessagesQuery } from './MessageList';

/** Puts a message at the newest end of its conversation when that conversation is cached. */
export function insertMessage(cache: ApolloCache, message: MessageBubble_MessageFragment, contactId: string): void {
  cache.updateQuery({ query: MessagesQuery, variables: { contactId, first: MESSAGES_PAGE } }, (data) => {
    if (!data || data.messages.edges.some((e) => e.node.id === message.id)) return undefined;
    return {
      messages: {
        ...data.messages,
        totalCount: data.messages.totalCount + 1,
        edges: [{ __typename: 'MessageEdge' as const, cursor: '', node: message }, ...data.messages.edges],
      },
    };
  });
}
