// @vitest-environment happy-dom
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { Composer } from '../messages/Composer';
import { createCache } from '../shared/cache';
import { CannedRepliesQuery, fillPlaceholders, slashQuery } from './canned';

beforeEach(() => localStorage.clear());
afterEach(cleanup);

const replies = [
  { __typename: 'CannedReply' as const, id: '1', shortcut: 'hello', text: 'Hello {{contact.name}}, this is {{agent.name}}.' },
  { __typename: 'CannedReply' as const, id: '2', shortcut: 'order', text: 'Your order {{order.id}} is on its way, {{contact.name}}.' },
  { __typename: 'CannedReply' as const, id: '3', shortcut: 'thanks', text: 'Thank you!' },
];
const mock = { request: { query: CannedRepliesQuery }, result: { data: { cannedReplies: replies } }, maxUsageCount: 10 };

function renderComposer(onSend = vi.fn(async () => undefined), onNote = vi.fn(async () => undefined)) {
  render(
    <MockedProvider mocks={[mock]} cache={createCache()}>
      <Composer contactId="7" disabledReason={null} onSend={onSend} onNote={onNote} fillValues={{ 'contact.name': 'Maria', 'agent.name': 'Ada' }} />
    </MockedProvider>,
  );
  return { onSend, onNote };
}
const box = () => screen.getByRole('textbox') as HTMLTextAreaElement;
const type = (text: string) => fireEvent.change(box(), { target: { value: text } });
const options = () => screen.queryAllByRole('option').map((o) => o.textContent);

describe('canned replies in the composer', () => {
  test('/ opens the list, typing filters it, arrows and Enter insert one with the names filled', async () => {
    const { onSend } = renderComposer();
    type('/');
    await waitFor(() => expect(options()).toHaveLength(3));
    type('/ord');
    await waitFor(() => expect(options()).toEqual(['/orderYour order {{order.id}} is on its way, {{contact.name}}.']));
    type('/h');
    await waitFor(() => expect(options()).toHaveLength(2)); // hello by shortcut, thanks by its text ("Thank")
    fireEvent.keyDown(box(), { key: 'ArrowDown' });
    fireEvent.keyDown(box(), { key: 'ArrowUp' });
    expect(screen.getAllByRole('option')[0]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(box().value).toBe('Hello Maria, this is Ada.');
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(onSend).not.toHaveBeenCalled(); // choosing inserts; the next Enter sends
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(onSend).toHaveBeenCalledWith('Hello Maria, this is Ada.');
  });

  test('a click chooses; unknown placeholders stay visible and are pointed out', async () => {
    renderComposer();
    type('/ord');
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(1));
    fireEvent.mouseDown(screen.getByRole('option'));
    expect(box().value).toBe('Your order {{order.id}} is on its way, Maria.');
    expect(screen.getByText(/Fill in before sending/).textContent).toContain('Fill in before sending: {{order.id}}');
  });

  test('Escape closes the list and keeps the text; a slash later in a message opens nothing', async () => {
    renderComposer();
    type('/than');
    await waitFor(() => expect(options()).toHaveLength(1));
    fireEvent.keyDown(box(), { key: 'Escape' });
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(box().value).toBe('/than');
    type('and/or');
    expect(screen.queryByRole('listbox')).toBeNull();
  });
});

describe('Reply / Note', () => {
  test('in Note mode the text goes to onNote, never onSend', () => {
    const { onSend, onNote } = renderComposer();
    fireEvent.click(screen.getByRole('button', { name: 'Note' }));
    expect(screen.getByRole('textbox', { name: 'Internal note' })).toBeTruthy();
    type('@Ada please check');
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(onNote).toHaveBeenCalledWith('@Ada please check');
    expect(onSend).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Reply' }));
    expect(screen.getByRole('textbox', { name: 'Message' })).toBeTruthy();
  });
});

describe('fillPlaceholders', () => {
  test('fills known values, leaves unknown and empty ones as written and lists them', () => {
    expect(fillPlaceholders('Hi {{ contact.name }}, {{agent.name}} here about {{ticket}}', { 'contact.name': 'Li', 'agent.name': '' })).toEqual({
      text: 'Hi Li, {{agent.name}} here about {{ticket}}',
      unfilled: ['{{agent.name}}', '{{ticket}}'],
    });
  });
  test('slashQuery: only a draft that is one /word', () => {
    expect(slashQuery('/')).toBe('');
    expect(slashQuery('/abc')).toBe('abc');
    expect(slashQuery('/abc def')).toBeNull();
    expect(slashQuery('a /abc')).toBeNull();
  });
});

describe('@mentions in a note', () => {
  test('@ offers the agents whose names start with what follows; Enter inserts the whole name', () => {
    const onNote = vi.fn(async () => undefined);
    render(
      <MockedProvider mocks={[]} cache={createCache()}>
        <Composer contactId="8" disabledReason={null} onSend={vi.fn(async () => undefined)} onNote={onNote} mentionNames={['Ada', 'Bea Lovelace', 'Ben']} />
      </MockedProvider>,
    );
    type('@b'); // Reply mode: no mentions
    expect(screen.queryByRole('listbox')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Note' }));
    type('ask @b');
    expect(options()).toEqual(['@Bea Lovelace', '@Ben']);
    type('ask @bea l');
    expect(options()).toEqual(['@Bea Lovelace']);
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(box().value).toBe('ask @Bea Lovelace ');
    expect(screen.queryByRole('listbox')).toBeNull();
    type('ask @Bea Lovelace about it');
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(onNote).toHaveBeenCalledWith('ask @Bea Lovelace about it');
  });
});
