// @vitest-environment happy-dom
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { Conversation, ConversationQuery, MarkContactReadMutation } from '../messages/Conversation';
import { MESSAGES_PAGE, MessagesQuery } from '../messages/insertMessage';
import { createCache } from '../shared/cache';
import { conversationContact, messagesPage, msg } from '../test/fixtures';
import { MeQuery, PermissionsProvider } from './Permissions';

beforeEach(() => localStorage.clear());
afterEach(cleanup);

const contact = conversationContact({ tags: [] });

/** The conversation with Ada (2 unread), opened by a caller with `role` and `scopes`. */
function openAs(role: string | null, scopes: string[]) {
  const markRead = vi.fn(() => ({ data: { markContactRead: { __typename: 'Contact' as const, id: '1', unreadCount: 0 } } }));
  const messages = [msg({ text: 'Where is my order?', waMessageId: 'wamid.in.1' })];
  const mocks = [
    { request: { query: MeQuery }, result: { data: { me: { __typename: 'Me', kind: role ? 'AGENT' : 'API_KEY', name: 'Grace', role, scopes, agent: role ? { __typename: 'Agent', id: '7' } : null } } } },
    { request: { query: ConversationQuery, variables: { contactId: '1' } }, result: { data: { contact } }, maxUsageCount: 5 },
    {
      request: { query: MessagesQuery, variables: { contactId: '1', first: MESSAGES_PAGE } },
      result: messagesPage(messages, 1),
      maxUsageCount: 5,
    },
    { request: { query: MarkContactReadMutation, variables: { id: '1' } }, result: markRead, maxUsageCount: 5 },
  ];
  render(
    <MockedProvider mocks={mocks} cache={createCache()}>
      <PermissionsProvider>
        <Conversation contactId="1" visible onBack={() => undefined} />
      </PermissionsProvider>
    </MockedProvider>,
  );
  return { markRead };
}

describe('what the caller may do', () => {
  test('a VIEWER reads the conversation but gets no composer, no actions, no replies, and does not mark it read', async () => {
    const { markRead } = openAs('VIEWER', ['READ']);
    expect(await screen.findByText('Read only: you can read conversations but not reply to them.')).toBeTruthy();
    expect(screen.getByText('Where is my order?')).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'Message' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Send' })).toBeNull();
    expect(screen.queryByRole('toolbar', { name: 'Contact actions' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Reply to/ })).toBeNull();
    await new Promise((r) => setTimeout(r, 50));
    expect(markRead).not.toHaveBeenCalled();
  });

  test('an AGENT replies, pins, closes and edits, marks read, but may not block', async () => {
    const { markRead } = openAs('AGENT', ['READ', 'SEND']);
    const toolbar = await screen.findByRole('toolbar', { name: 'Contact actions' });
    expect(screen.getByRole('textbox', { name: 'Message' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Reply to Ada’s message' })).toBeTruthy();
    expect([...toolbar.querySelectorAll('button')].map((b) => b.textContent)).toEqual(['Pin', 'Close', 'Edit']);
    expect(screen.queryByText(/Read only/)).toBeNull();
    await vi.waitFor(() => expect(markRead).toHaveBeenCalled());
  });

  test('an ADMIN (here a key with every scope) may also block', async () => {
    openAs(null, ['READ', 'SEND', 'BULK', 'ADMIN', 'SESSIONS', 'METRICS']);
    const toolbar = await screen.findByRole('toolbar', { name: 'Contact actions' });
    expect([...toolbar.querySelectorAll('button')].map((b) => b.textContent)).toEqual(['Pin', 'Close', 'Block', 'Edit']);
  });
});
