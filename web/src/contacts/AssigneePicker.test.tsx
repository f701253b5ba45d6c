// @vitest-environment happy-dom
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createCache } from '../shared/cache';
import { PermissionsContext, type Permissions } from '../shared/usePermissions';
import { conversationContact } from '../test/fixtures';
import { AssigneePicker, AssignContactMutation, AssignPrompt, TeamQuery } from './AssigneePicker';
import { ContactCountsQuery } from './assignment';

afterEach(cleanup);

const agent = (id: string, name: string, over: Record<string, unknown> = {}) => ({ __typename: 'Agent' as const, id, name, role: 'AGENT', active: true, available: true, ...over });
const BOB = { __typename: 'Agent' as const, id: '8', name: 'Bob' };
const ME = { __typename: 'Agent' as const, id: '7', name: 'Ada' };

/** The picker for a caller with `may`, on a conversation assigned to `assignee`; `assignContact` answers with `to` as the new assignee. */
function open(may: Partial<Permissions>, assignee: typeof BOB | null, to: typeof BOB | null = null, prompt?: () => void) {
  const assigned = vi.fn(() => ({
    data: {
      assignContact: {
        ...conversationContact({ assignee: to }),
        lastMessageAt: null,
        createdAt: '2026-01-01T00:00:00.000Z',
        lastMessage: null,
      },
    },
  }));
  const mocks = [
    { request: { query: AssignContactMutation, variables: { id: '1', agentId: to?.id ?? null } }, result: assigned, maxUsageCount: 2 },
    { request: { query: ContactCountsQuery }, result: { data: { contactCounts: { __typename: 'ContactCounts', mine: 1, unassigned: 0, all: 1 } } }, maxUsageCount: 5 },
    {
      request: { query: TeamQuery },
      result: { data: { agents: [agent('7', 'Ada'), agent('8', 'Bob', { available: false }), agent('9', 'Vi', { role: 'VIEWER' }), agent('10', 'Lee', { active: false })] } },
    },
  ];
  render(
    <MockedProvider mocks={mocks} cache={createCache()}>
      <PermissionsContext.Provider value={{ known: true, send: true, admin: false, agentId: '7', ...may }}>
        {prompt ? <AssignPrompt contactId="1" onDismiss={prompt} /> : <AssigneePicker contact={{ id: '1', assignee }} />}
      </PermissionsContext.Provider>
    </MockedProvider>,
  );
  return { assigned };
}

describe('the assignee picker', () => {
  test('an agent takes an unassigned conversation', async () => {
    const { assigned } = open({}, null, ME);
    expect(screen.getByText('Unassigned')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Assign to me' }));
    await vi.waitFor(() => expect(assigned).toHaveBeenCalled());
  });

  test("an agent gives up their own conversation, and may not touch another agent's", async () => {
    const { assigned } = open({}, ME, null);
    expect(screen.getByText('Assigned to you')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Unassign' }));
    await vi.waitFor(() => expect(assigned).toHaveBeenCalled());
    cleanup();
    open({}, BOB);
    expect(screen.getByText('Assigned to Bob')).toBeTruthy();
    expect(screen.queryAllByRole('button')).toHaveLength(0);
  });

  test('a viewer only reads who has it', () => {
    open({ send: false, agentId: '9' }, null);
    expect(screen.getByText('Unassigned')).toBeTruthy();
    expect(screen.queryAllByRole('button')).toHaveLength(0);
  });

  test('an admin picks any active agent or admin (away ones marked), not viewers nor deactivated agents', async () => {
    const { assigned } = open({ admin: true }, null, BOB);
    const select = (await screen.findByRole('combobox', { name: 'Assignee' })) as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['Unassigned', 'Ada', 'Bob (away)']);
    fireEvent.change(select, { target: { value: '8' } });
    await vi.waitFor(() => expect(assigned).toHaveBeenCalled());
  });
});

describe('the offer after a reply', () => {
  test('takes the conversation for the agent, or goes away', async () => {
    const dismiss = vi.fn();
    const { assigned } = open({}, null, ME, dismiss);
    expect(screen.getByText('You replied to an unassigned conversation.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Assign to me' }));
    await vi.waitFor(() => expect(assigned).toHaveBeenCalled());
    fireEvent.click(screen.getByRole('button', { name: 'Not now' }));
    expect(dismiss).toHaveBeenCalled();
  });
});
