// @vitest-environment happy-dom
import { MockedProvider } from '@apollo/client/testing/react';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { PresenceChangedSubscription } from '../presence/usePresence';
import { createCache } from '../shared/cache';
import { conversationContact, messagesPage, msg } from '../test/fixtures';
import { composerBlock, Conversation, ConversationQuery, MarkContactReadMutation } from './Conversation';
import { MESSAGES_PAGE, MessagesQuery } from './insertMessage';
import { ApprovedTemplatesQuery } from './TemplatePicker';
import { SendMessageMutation } from './useSend';

afterEach(cleanup);

const contact = conversationContact;

function setup(c: ReturnType<typeof contact>, sent: Array<Record<string, unknown>> = []) {
  const markRead = vi.fn(() => ({ data: { markContactRead: { __typename: 'Contact' as const, id: '1', unreadCount: 0 } } }));
  const messages = [msg({ text: 'Where is my order?' }), msg({ text: 'It shipped', direction: 'OUTBOUND', status: 'READ' })].reverse();
  const mocks = [
    { request: { query: ConversationQuery, variables: { contactId: '1' } }, result: { data: { contact: c } }, maxUsageCount: 5 },
    {
      request: { query: MessagesQuery, variables: { contactId: '1', first: MESSAGES_PAGE } },
      result: messagesPage(messages, 2),
      maxUsageCount: 5,
    },
    { request: { query: MarkContactReadMutation, variables: { id: '1' } }, result: markRead, maxUsageCount: 5 },
    { request: { query: PresenceChangedSubscription, variables: { contactId: '1' } }, result: { data: { presenceChanged: { __typename: 'ConversationPresence' as const, contactId: '1', agents: [] } } }, maxUsageCount: 10 },
    {
      request: { query: ApprovedTemplatesQuery },
      result: {
        data: {
          templates: [
            { __typename: 'Template', id: 't1', name: 'order_update', language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi {{1}}' }] },
          ],
        },
      },
      maxUsageCount: 5,
    },
    // Never answered: what shows meanwhile is the optimistic bubble.
    { request: { query: SendMessageMutation, variables: (v: { input: Record<string, unknown> }) => sent.push(v.input) > 0 }, result: { data: null }, delay: Infinity },
  ];
  render(
    <MockedProvider mocks={mocks} cache={createCache()}>
      <Conversation contactId="1" visible onBack={() => undefined} />
    </MockedProvider>,
  );
  return { markRead };
}

describe('Conversation', () => {
  test('shows the history with ticks, the contact actions, and marks the conversation read', async () => {
    const { markRead } = setup(contact());
    expect(await screen.findByText('It shipped')).toBeTruthy();
    expect(screen.getByText('Where is my order?')).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Read' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Ada' })).toBeTruthy();
    expect(screen.getByRole('toolbar', { name: 'Contact actions' })).toBeTruthy();
    expect(screen.getByText('vip')).toBeTruthy();
    expect((screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement).disabled).toBe(false);
    await waitFor(() => expect(markRead).toHaveBeenCalled());
  });

  test('a closed customer-service window offers templates instead of free text', async () => {
    setup(contact({ windowExpiresAt: null, unreadCount: 0 }));
    expect(await screen.findByText(/24-hour customer service window is closed/)).toBeTruthy();
    expect(screen.getByText(/send an approved message template/)).toBeTruthy();
    expect(screen.queryByRole('textbox', { name: 'Message' })).toBeNull();
    expect(await screen.findByRole('option', { name: 'order_update (en_US)' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Send template' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'More kinds of message' }));
    expect(screen.getByRole('menu').getAttribute('aria-describedby')).toBeTruthy();
    expect(screen.getByText(/only an approved template can be sent/)).toBeTruthy();
  });

  test('a link button from the "+" menu shows at once as a pending bubble and goes out as ctaUrl', async () => {
    const sent: Array<Record<string, unknown>> = [];
    setup(contact({ unreadCount: 0 }), sent);
    fireEvent.click(await screen.findByRole('button', { name: 'More kinds of message' }));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Link button' }));
    await screen.findByRole('form', { name: 'Link button' });
    for (const [label, value] of Object.entries({ Text: 'Track your order', 'Button label': 'Track', 'Link (https://…)': 'https://shop.example/t/42' })) {
      fireEvent.change(screen.getByLabelText(label), { target: { value } });
    }
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Send link button' })));
    const bubble = (await screen.findByText('https://shop.example/t/42')).closest('.iw-bubble') as HTMLElement;
    expect(bubble.textContent).toContain('Track your order');
    expect(bubble.querySelector('[role=img]')!.getAttribute('aria-label')).toBe('Sending');
    expect(sent).toEqual([expect.objectContaining({ contactId: '1', ctaUrl: { body: 'Track your order', displayText: 'Track', url: 'https://shop.example/t/42' } })]);
  });

  test('a blocked contact gets no template picker', async () => {
    setup(contact({ isBlocked: true, unreadCount: 0 }));
    expect(await screen.findByText(/This contact is blocked/)).toBeTruthy();
    expect((screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement).disabled).toBe(true);
    expect(screen.queryByRole('combobox', { name: 'Template' })).toBeNull();
  });
});

describe('composerBlock', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  test('open window and not blocked: free text allowed', () => {
    expect(composerBlock({ isBlocked: false, windowExpiresAt: '2026-01-01T13:00:00Z' }, now)).toBeNull();
  });
  test('null or past expiry: closed', () => {
    expect(composerBlock({ isBlocked: false, windowExpiresAt: null }, now)).toMatch(/window is closed/);
    expect(composerBlock({ isBlocked: false, windowExpiresAt: '2026-01-01T11:59:59Z' }, now)).toMatch(/window is closed/);
  });
  test('blocked contacts: blocked', () => {
    expect(composerBlock({ isBlocked: true, windowExpiresAt: '2026-01-01T13:00:00Z' }, now)).toMatch(/blocked/);
  });
});
