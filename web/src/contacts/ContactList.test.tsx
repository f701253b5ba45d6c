// @vitest-environment happy-dom
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { ContactRow_ContactFragment as Contact } from '../gql/graphql';
import { createCache } from '../shared/cache';
import { layout, visibleRange } from '../ui/windowing';
import { byRecent, ContactList, ContactsQuery, contactVariables, matches } from './ContactList';

afterEach(cleanup);

const c = (id: string, over: Partial<Contact> = {}): Contact => ({
  __typename: 'Contact',
  id,
  name: `Customer ${id}`,
  waId: `1555000${id}`,
  isPinned: false,
  isBlocked: false,
  tags: [],
  unreadCount: 0,
  lastMessageAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  conversationClosed: false,
  assignee: null,
  lastMessage: null,
  ...over,
});

describe('ordering and filters', () => {
  test('pinned first, then the latest message', () => {
    const list = [
      c('1', { lastMessageAt: '2026-01-02T00:00:00Z' }),
      c('2', { lastMessageAt: '2026-01-03T00:00:00Z' }),
      c('3', { isPinned: true, lastMessageAt: '2026-01-01T00:00:00Z' }),
    ];
    expect(list.sort(byRecent).map((x) => x.id)).toEqual(['3', '2', '1']);
  });

  test('local filter mirrors the server filter', () => {
    expect(matches(c('1', { isPinned: true }), { pinned: true })).toBe(true);
    expect(matches(c('1'), { pinned: true })).toBe(false);
    expect(matches(c('1', { tags: ['vip'] }), { tag: 'vip' })).toBe(true);
    expect(matches(c('1', { isBlocked: true }), { blocked: true })).toBe(true);
  });

  test('a tab keeps the contacts of its assignee: the caller (ME), nobody (NONE) or one agent', () => {
    const ada = { __typename: 'Agent' as const, id: '7', name: 'Ada' };
    expect(matches(c('1', { assignee: ada }), { assignee: 'ME', me: '7' })).toBe(true);
    expect(matches(c('1', { assignee: ada }), { assignee: 'ME', me: '8' })).toBe(false);
    expect(matches(c('1'), { assignee: 'ME', me: '7' })).toBe(false);
    expect(matches(c('1'), { assignee: 'NONE' })).toBe(true);
    expect(matches(c('1', { assignee: ada }), { assignee: 'NONE' })).toBe(false);
    expect(matches(c('1', { assignee: ada }), { assignee: '7' })).toBe(true);
    expect(contactVariables({ assignee: 'ME', me: '7' })).toEqual({ first: expect.any(Number), assignee: 'ME' });
  });

  test('unset filters are left out of the variables', () => {
    expect(contactVariables({ search: '  ', tag: '' })).toEqual({ first: expect.any(Number) });
    expect(contactVariables({ search: ' ada ', pinned: true })).toMatchObject({ search: 'ada', pinned: true });
  });
});

describe('windowing', () => {
  test('10,000 messages: only the viewport and overscan are rendered', () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => String(i));
    const l = layout(keys, new Map([['0', 200]]), 60);
    expect(l.total).toBe(200 + 9_999 * 60);
    const [start, end] = visibleRange(l, l.total - 600, 600, 5);
    expect(end).toBe(10_000);
    expect(end - start).toBeLessThanOrEqual(16);
    expect(visibleRange(l, 0, 600, 0)).toEqual([0, 8]);
  });
});

describe('ContactList', () => {
  test('renders a window of a long list, shows unread badges, and arrow keys move focus', async () => {
    const contacts = Array.from({ length: 100 }, (_, i) => c(String(i + 1), { unreadCount: i === 0 ? 3 : 0, lastMessageAt: new Date(Date.UTC(2026, 0, 1, 0, 100 - i)).toISOString() }));
    const mocks = [
      {
        request: { query: ContactsQuery, variables: contactVariables({}) },
        result: {
          data: {
            contacts: {
              __typename: 'ContactConnection',
              totalCount: 5000,
              totalCountIsExact: true,
              pageInfo: { __typename: 'PageInfo', hasNextPage: true, endCursor: 'x' },
              edges: contacts.map((node) => ({ __typename: 'ContactEdge', cursor: node.id, node })),
            },
          },
        },
      },
    ];
    const onSelect = vi.fn();
    render(
      <MockedProvider mocks={mocks} cache={createCache()}>
        <ContactList filter={{}} selectedId={null} onSelect={onSelect} />
      </MockedProvider>,
    );
    const first = await screen.findByRole('button', { name: /Customer 1\b/ });
    expect(screen.getByRole('list', { name: 'Conversations, 5000 in all' })).toBeTruthy();
    expect(screen.getAllByRole('button').length).toBeLessThanOrEqual(30);
    expect(screen.getByLabelText('3 unread')).toBeTruthy();
    first.focus();
    fireEvent.keyDown(first, { key: 'ArrowDown' });
    expect((document.activeElement as HTMLElement).dataset.contactId).toBe('2');
    fireEvent.click(document.activeElement!);
    expect(onSelect).toHaveBeenCalledWith('2');
  });

  test('a search with more matches than it counts says "100+" and leaves the set size unknown', async () => {
    const contacts = Array.from({ length: 3 }, (_, i) => c(String(i + 1)));
    const mocks = [
      {
        request: { query: ContactsQuery, variables: contactVariables({ search: 'refund' }) },
        result: {
          data: {
            contacts: {
              __typename: 'ContactConnection',
              totalCount: 100,
              totalCountIsExact: false,
              pageInfo: { __typename: 'PageInfo', hasNextPage: true, endCursor: 'x' },
              edges: contacts.map((node) => ({ __typename: 'ContactEdge', cursor: node.id, node })),
            },
          },
        },
      },
    ];
    render(
      <MockedProvider mocks={mocks} cache={createCache()}>
        <ContactList filter={{ search: 'refund' }} selectedId={null} onSelect={() => undefined} />
      </MockedProvider>,
    );
    await screen.findByRole('button', { name: /Customer 1\b/ });
    const list = screen.getByRole('list', { name: 'Conversations, 100+ in all' });
    expect(list.querySelector('li')?.getAttribute('aria-setsize')).toBe('-1');
  });
});
