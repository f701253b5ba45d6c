// @vitest-environment happy-dom
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { Composer } from '../messages/Composer';
import { createCache } from '../shared/cache';
import { AlsoHere } from './Presence';
import { PresenceChangedSubscription, SetTypingMutation } from './usePresence';

beforeEach(() => localStorage.clear());
afterEach(cleanup);

const agent = (id: string, name: string, typing = false) => ({ __typename: 'AgentPresence' as const, typing, agent: { __typename: 'PresenceAgent' as const, id, name } });
const presence = (agents: ReturnType<typeof agent>[]) => ({
  request: { query: PresenceChangedSubscription, variables: { contactId: '7' } },
  result: { data: { presenceChanged: { __typename: 'ConversationPresence' as const, contactId: '7', agents } } },
  maxUsageCount: 10,
});

test('the header names the other agents in the conversation', async () => {
  render(
    <MockedProvider mocks={[presence([agent('1', 'Ada Lovelace'), agent('2', 'Bob')])]} cache={createCache()}>
      <AlsoHere contactId="7" />
    </MockedProvider>,
  );
  expect(await screen.findByLabelText('Also here: Ada Lovelace and Bob')).toBeTruthy();
  expect(screen.getByText('AL')).toBeTruthy();
});

test('the composer says who else is replying, signals typing once per burst of keys, and a stop when cleared', async () => {
  const signals: boolean[] = [];
  const typing = (value: boolean) => ({
    request: { query: SetTypingMutation, variables: { contactId: '7', typing: value } },
    result: vi.fn(() => {
      signals.push(value);
      return { data: { setTyping: true } };
    }),
    maxUsageCount: 10,
  });
  render(
    <MockedProvider mocks={[presence([agent('1', 'Ada', true)]), typing(true), typing(false)]} cache={createCache()}>
      <Composer contactId="7" disabledReason={null} onSend={async () => undefined} />
    </MockedProvider>,
  );
  await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Ada is replying…'));
  const box = screen.getByRole('textbox', { name: 'Message' });
  for (const text of ['h', 'he', 'hel', 'hell', 'hello']) fireEvent.change(box, { target: { value: text } });
  await waitFor(() => expect(signals).toEqual([true]));
  fireEvent.change(box, { target: { value: '' } });
  await waitFor(() => expect(signals).toEqual([true, false]));
});
