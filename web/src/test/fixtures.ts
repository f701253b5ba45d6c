import type { MessageBubble_MessageFragment as Msg } from '../gql/graphql';

let n = 100;
/** A message as the MessageBubble fragment selects it; override what the test is about. */
export function msg(over: Partial<Msg> = {}): Msg {
  n += 1;
  return {
    __typename: 'Message',
    id: String(n),
    waMessageId: `wamid.${n}`,
    clientMessageId: null,
    direction: 'INBOUND',
    type: 'TEXT',
    waType: 'text',
    text: 'hello',
    status: 'RECEIVED',
    resendableAt: null,
    revision: 0,
    timestamp: new Date(Date.UTC(2026, 0, 1, 12, 0, n % 60)).toISOString(),
    payload: null,
    editedAt: null,
    isDeleted: false,
    forwarded: false,
    contextWaMessageId: null,
    error: null,
    media: null,
    location: null,
    reaction: null,
    replyTo: null,
    sentBy: null,
    ...over,
  };
}

/** The media part of a message, as the MessageBubble fragment selects it. */
export function media(over: Partial<NonNullable<Msg['media']>> = {}): NonNullable<Msg['media']> {
  return { __typename: 'MessageMedia', mimeType: null, filename: null, voice: null, animated: null, url: null, downloadStatus: null, fileSize: null, ...over };
}

/** The answer of a `messages` page holding `messages` (one page, nothing after it). */
export function messagesPage(messages: Msg[], totalCount = messages.length) {
  return {
    data: {
      messages: {
        __typename: 'MessageConnection',
        totalCount,
        pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: 'x' },
        edges: messages.map((node) => ({ __typename: 'MessageEdge', cursor: node.id, node })),
      },
    },
  };
}

/** A contact as the conversation's header query answers it, its window open; override what the test is about. */
export function conversationContact(over: Record<string, unknown> = {}) {
  return {
    __typename: 'Contact' as const,
    id: '1',
    name: 'Ada',
    displayName: null,
    profileName: 'Ada',
    waId: '15551234567',
    username: null,
    isPinned: false,
    isBlocked: false,
    tags: ['vip'],
    conversationClosed: false,
    windowExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    unreadCount: 2,
    assignee: null,
    ...over,
  };
}
