import type { ApolloCache } from '@apollo/client';
import { graphql } from '../gql';
import type { MessageBubble_MessageFragment } from '../gql/graphql';

/**
 * A conversation's messages, newest first. Here rather than beside MessageList: live updates
 * (app/live.ts) insert into it before any conversation is open, and the conversation's code loads later.
 */
export const MessagesQuery = graphql(`
  query Messages($contactId: ID!, $first: Int, $after: String) {
    messages(contactId: $contactId, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node {
          id
          ...MessageBubble_message
        }
      }
    }
  }
`);

/** Messages per page. */
export const MESSAGES_PAGE = 40;

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
