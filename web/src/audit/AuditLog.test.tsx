// @vitest-environment happy-dom
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { MeQuery, PermissionsProvider } from '../app/Permissions';
import { Widget } from '../app/Widget';
import { createCache } from '../shared/cache';
import { AUDIT_PAGE, AuditLogQuery, AuditLogView } from './AuditLog';

afterEach(cleanup);

const entry = (id: string, over: Record<string, unknown> = {}) => ({
  __typename: 'AuditEntry' as const, id, at: '2026-12-06T10:00:00.000Z', principalKind: 'AGENT', principalId: '7', principalName: 'Ada',
  action: 'sendMessage', targetIds: [`Message:${id}`, 'contactId:3'], outcome: 'ALLOWED', errorCode: null, ...over,
});
const page = (entries: ReturnType<typeof entry>[], endCursor: string | null, hasNextPage: boolean) => ({
  data: {
    auditLog: {
      __typename: 'AuditEntryConnection' as const,
      edges: entries.map((node) => ({ __typename: 'AuditEntryEdge' as const, cursor: `c${node.id}`, node })),
      pageInfo: { __typename: 'PageInfo' as const, hasNextPage, endCursor },
    },
  },
});

describe('audit log view', () => {
  test('shows the entries newest first, loads older ones, and filters by action and outcome', async () => {
    const filtered = vi.fn(() => page([entry('5', { outcome: 'REFUSED', errorCode: 'FORBIDDEN', principalName: 'Vic' })], null, false));
    const mocks = [
      { request: { query: AuditLogQuery, variables: { first: AUDIT_PAGE } }, result: page([entry('9'), entry('8')], 'c8', true) },
      { request: { query: AuditLogQuery, variables: { first: AUDIT_PAGE, after: 'c8' } }, result: page([entry('6', { action: 'markContactRead', targetIds: ['Contact:3'] })], 'c6', false) },
      { request: { query: AuditLogQuery, variables: { first: AUDIT_PAGE, action: 'sendMessage', outcome: 'REFUSED' } }, result: filtered },
    ];
    render(
      <MockedProvider mocks={mocks} cache={createCache()}>
        <AuditLogView />
      </MockedProvider>,
    );
    const rows = async () => (await screen.findAllByRole('row')).slice(1).map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent));
    const actions = async () => (await rows()).map((r) => r[2] ?? r[0]);
    await screen.findByText('Message:9 contactId:3');
    expect(await actions()).toEqual(['sendMessage', 'sendMessage', 'Load older']);
    fireEvent.click(screen.getByRole('button', { name: 'Load older' }));
    await screen.findByText('markContactRead');
    expect(await actions()).toEqual(['sendMessage', 'sendMessage', 'markContactRead']);
    expect(screen.queryByRole('button', { name: 'Load older' })).toBeNull();

    fireEvent.change(screen.getByRole('textbox', { name: 'Action' }), { target: { value: ' sendMessage ' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Outcome' }), { target: { value: 'REFUSED' } });
    fireEvent.click(screen.getByRole('button', { name: 'Filter' }));
    await screen.findByText('Refused (FORBIDDEN)');
    expect(filtered).toHaveBeenCalled();
    const [row] = await rows();
    expect(row![1]).toBe('Vic agent #7');
    expect(await rows()).toHaveLength(1);
  });

  test('the header offers it to admins only, and opens it in place of the inbox', async () => {
    for (const [scopes, offered] of [[['READ', 'SEND'], false], [['READ', 'SEND', 'ADMIN'], true]] as const) {
      const me = vi.fn(() => ({ data: { me: { __typename: 'Me' as const, kind: 'AGENT', name: 'Grace', role: null, scopes } } }));
      render(
        <MockedProvider mocks={[{ request: { query: MeQuery }, result: me }]} cache={createCache()}>
          <PermissionsProvider>
            <Widget options={{ httpUrl: 'http://x/graphql', wsUrl: 'ws://x/graphql', theme: 'light', open: true, title: false }} />
          </PermissionsProvider>
        </MockedProvider>,
      );
      const header = within(await screen.findByRole('region', { name: 'WhatsApp inbox' }));
      await vi.waitFor(() => expect(me).toHaveBeenCalled());
      if (!offered) {
        await new Promise((r) => setTimeout(r, 0)); // the answer rendered
        expect(header.queryByRole('button', { name: 'Audit log' })).toBeNull();
      } else {
        fireEvent.click(await header.findByRole('button', { name: 'Audit log' }));
        expect(await screen.findByRole('table')).toBeTruthy(); // its code loads on the first opening
        expect(screen.getByRole('searchbox', { name: 'Search conversations', hidden: true }).closest('.iw-body')?.hasAttribute('hidden')).toBe(true);
      }
      cleanup();
    }
  });
});
