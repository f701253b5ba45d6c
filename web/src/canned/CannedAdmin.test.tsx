// @vitest-environment happy-dom
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { GraphQLError } from 'graphql';
import { afterEach, describe, expect, test } from 'vitest';
import { createCache } from '../shared/cache';
import { CannedAdmin } from './CannedAdmin';
import { DeleteCannedReply as Delete, UpdateCannedReply as Update } from './CannedPanel';
import { CannedRepliesQuery } from './canned';

afterEach(cleanup);

const reply = (id: string, shortcut: string, text: string) => ({ __typename: 'CannedReply' as const, id, shortcut, text });
const list = (...replies: ReturnType<typeof reply>[]) => ({ request: { query: CannedRepliesQuery }, result: { data: { cannedReplies: replies } } });

describe('CannedAdmin', () => {
  test('lists the replies; an edit saves, a refused delete says why, a delete removes it', async () => {
    render(
      <MockedProvider
        cache={createCache()}
        mocks={[
          list(reply('1', 'hello', 'Hello!'), reply('2', 'bye', 'Bye!')),
          { request: { query: Update, variables: { id: '1', input: { shortcut: 'hi', text: 'Hi there!' } } }, result: { data: { updateCannedReply: reply('1', 'hi', 'Hi there!') } } },
          { request: { query: Delete, variables: { id: '2' } }, result: { errors: [new GraphQLError('no canned reply 2', { extensions: { code: 'NOT_FOUND' } })] } },
          { request: { query: Delete, variables: { id: '2' } }, result: { data: { deleteCannedReply: { __typename: 'CannedReply', id: '2' } } } },
          list(reply('1', 'hi', 'Hi there!')),
        ]}
      >
        <CannedAdmin />
      </MockedProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Canned replies' }));
    const panel = await screen.findByRole('dialog', { name: 'Canned replies' }); // its code loads on the first opening
    await within(panel).findByText('/hello');
    fireEvent.click(within(panel).getByRole('button', { name: 'Edit /hello' }));
    const form = within(panel).getByRole('form', { name: 'Edit /hello' });
    fireEvent.change(within(form).getByRole('textbox', { name: 'Shortcut' }), { target: { value: 'hi' } });
    fireEvent.change(within(form).getByRole('textbox', { name: 'Reply text' }), { target: { value: 'Hi there!' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    await within(panel).findByText('/hi');
    fireEvent.click(within(panel).getByRole('button', { name: 'Delete /bye' }));
    await waitFor(() => expect(within(panel).getByRole('alert').textContent).toBe('no canned reply 2'));
    fireEvent.click(within(panel).getByRole('button', { name: 'Delete /bye' }));
    await waitFor(() => expect(within(panel).queryByText('/bye')).toBeNull());
  });
});
