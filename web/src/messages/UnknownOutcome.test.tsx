// @vitest-environment happy-dom
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createCache } from '../shared/cache';
import { msg } from '../test/fixtures';
import { MessageBubble } from './MessageBubble';
import { DismissMutation, ResendMutation } from './UnknownOutcome';

afterEach(cleanup);

const unknown = (resendableAt: string) => msg({ id: '77', direction: 'OUTBOUND', waMessageId: null, status: 'UNKNOWN', resendableAt });

function show(m: ReturnType<typeof msg>) {
  const resent = vi.fn(() => ({ data: { resendMessage: { ...m, status: 'PENDING' as const, resendableAt: null } } }));
  const dismissed = vi.fn(() => ({
    data: { dismissMessage: { ...m, status: 'FAILED' as const, resendableAt: null, error: { __typename: 'MessageError' as const, code: null, title: 'Not confirmed by WhatsApp', message: 'Dismissed without sending it again', details: null } } },
  }));
  render(
    <MockedProvider
      mocks={[
        { request: { query: ResendMutation, variables: { id: m.id } }, result: resent },
        { request: { query: DismissMutation, variables: { id: m.id } }, result: dismissed },
      ]}
      cache={createCache()}
    >
      <MessageBubble message={m} contactName="Ada" />
    </MockedProvider>,
  );
  return { resent, dismissed };
}

describe('an outbound message whose outcome is unknown', () => {
  test('past its reconcile time it says it may not have been delivered; Resend asks the server once', async () => {
    const { resent, dismissed } = show(unknown(new Date(Date.now() - 1000).toISOString()));
    expect(screen.getByRole('note').textContent).toMatch(/^May not have been delivered/);
    expect(screen.getByRole('img', { name: 'Not confirmed by WhatsApp' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Resend' }));
    await waitFor(() => expect(resent).toHaveBeenCalledTimes(1));
    expect(dismissed).not.toHaveBeenCalled();
  });

  test('Dismiss asks the server to let it be', async () => {
    const { resent, dismissed } = show(unknown(new Date(Date.now() - 1000).toISOString()));
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(dismissed).toHaveBeenCalledTimes(1));
    expect(resent).not.toHaveBeenCalled();
  });

  test('while WhatsApp may still report it, no buttons; they appear once the reconcile time is reached', async () => {
    show(unknown(new Date(Date.now() + 400).toISOString()));
    expect(screen.queryByRole('button', { name: 'Resend' })).toBeNull();
    expect(screen.queryByText(/May not have been delivered/)).toBeNull();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Resend' })).toBeTruthy(), { timeout: 3000 });
  });
});
