// @vitest-environment happy-dom
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, expect, test, vi } from 'vitest';
import { MeQuery, PermissionsProvider } from '../app/Permissions';
import { Widget } from '../app/Widget';
import { createCache } from '../shared/cache';

afterEach(cleanup);

test('the header offers the templates to admins only, in place of the inbox', async () => {
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
      expect(header.queryByRole('button', { name: 'Templates' })).toBeNull();
    } else {
      fireEvent.click(await header.findByRole('button', { name: 'Templates' }));
      const view = within(await screen.findByRole('region', { name: 'Templates' }));
      fireEvent.click(view.getByRole('button', { name: 'New template' }));
      expect(await screen.findByRole('form', { name: 'New template' })).toBeTruthy();
      expect(screen.getByRole('searchbox', { name: 'Search conversations', hidden: true }).closest('.iw-body')?.hasAttribute('hidden')).toBe(true);
    }
    cleanup();
  }
});
