// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import type { MessageBubble_MessageFragment as Msg } from '../gql/graphql';
import { msg } from '../test/fixtures';
import { MessageList, severalSenders } from './MessageList';

afterEach(cleanup);

const sender = (kind: 'AGENT' | 'API_KEY' | 'BULK' | 'PHONE' | 'SYSTEM', name: string) => ({ __typename: 'Sender' as const, kind, name });
const out = (text: string, sentBy: ReturnType<typeof sender> | null) => msg({ text, direction: 'OUTBOUND', status: 'DELIVERED', sentBy } as Partial<Msg>);

/** Newest first, as the API pages them. */
const show = (messages: Msg[]) =>
  render(<MessageList messages={messages} contactName="Customer" hasMore={false} loadingMore={false} onLoadMore={() => undefined} />);

describe('sender names on outbound bubbles', () => {
  test('one sender: no names, the bubbles say "You" to screen readers only', () => {
    const { container } = show([out('second', sender('AGENT', 'Ada')), msg({ text: 'question' }), out('first', sender('AGENT', 'Ada'))]);
    expect(screen.getByText('second')).toBeTruthy();
    expect(container.querySelector('.iw-sender')).toBeNull();
    expect(screen.queryByText('Ada')).toBeNull();
    expect(screen.getAllByText('You:')).toHaveLength(2);
  });

  test('two senders: every outbound bubble names its own; the customer\'s do not', () => {
    const { container } = show([out('from the shop phone', sender('PHONE', 'Phone')), msg({ text: 'question' }), out('spring offer', sender('BULK', 'Spring sale by Grace')), out('hello', sender('AGENT', 'Ada'))]);
    const names = [...container.querySelectorAll('.iw-sender')].map((e) => e.textContent);
    expect(names).toEqual(['Ada:', 'Bulk: Spring sale by Grace:', 'Phone:']);
    expect(screen.getByText('Customer:')).toBeTruthy();
    expect(screen.queryByText('You:')).toBeNull();
  });

  test('a pending bubble without a sender yet does not count as a second sender', () => {
    expect(severalSenders([out('pending', null), out('sent', sender('AGENT', 'Ada'))])).toBe(false);
    expect(severalSenders([out('sent', sender('AGENT', 'Ada')), out('by the CRM', sender('API_KEY', 'CRM sync'))])).toBe(true);
    expect(severalSenders([msg({ text: 'inbound' }), out('sent', sender('AGENT', 'Ada'))])).toBe(false);
  });
});
