// @vitest-environment happy-dom
import { GraphQLError } from 'graphql';
import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createCache } from '../shared/cache';
import { msg } from '../test/fixtures';
import { ApprovedTemplatesQuery, fill, placeholders, TemplatePicker } from './TemplatePicker';
import { SendMessageMutation } from './useSend';

afterEach(cleanup);

const templates = [
  {
    __typename: 'Template' as const,
    id: 't1',
    name: 'order_update',
    language: 'en_US',
    category: 'UTILITY',
    components: [
      { type: 'HEADER', format: 'IMAGE' },
      { type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped.' },
      { type: 'FOOTER', text: 'Reply STOP to opt out' },
    ],
  },
  {
    __typename: 'Template' as const,
    id: 't2',
    name: 'welcome',
    language: 'de',
    category: 'MARKETING',
    components: [{ type: 'BODY', text: 'Hallo {{first_name}}!' }],
  },
];

const templatesMock = { request: { query: ApprovedTemplatesQuery }, result: { data: { templates } }, maxUsageCount: 5 };

function renderPicker(sendMock: MockLink.MockedResponse) {
  render(
    <MockedProvider mocks={[templatesMock, sendMock]} cache={createCache()}>
      <TemplatePicker contactId="1" />
    </MockedProvider>,
  );
}

const select = () => screen.getByRole('combobox', { name: 'Template' }) as HTMLSelectElement;
const sendButton = () => screen.getByRole('button', { name: 'Send template' }) as HTMLButtonElement;

describe('TemplatePicker', () => {
  test('lists approved templates, fills two positional parameters and sends them', async () => {
    const sent = msg({ id: '900', direction: 'OUTBOUND', type: 'TEMPLATE', text: 'Hi Ada, your order 42 has shipped.', status: 'SENT' });
    const result = vi.fn(() => ({ data: { sendMessage: { ...sent, contact: { __typename: 'Contact' as const, id: '1' } } } }));
    renderPicker({
      request: {
        query: SendMessageMutation,
        variables: { input: { contactId: '1', template: { name: 'order_update', language: 'en_US', parameters: ['Ada', '42'] } } },
      },
      result,
    });

    await screen.findByRole('option', { name: 'order_update (en_US)' });
    expect(screen.getByRole('option', { name: 'welcome (de)' })).toBeTruthy();

    fireEvent.change(select(), { target: { value: 't1' } });
    const first = screen.getByRole('textbox', { name: '{{1}}' });
    const second = screen.getByRole('textbox', { name: '{{2}}' });
    expect(sendButton().disabled).toBe(true);
    fireEvent.change(first, { target: { value: 'Ada' } });
    expect(sendButton().disabled).toBe(true);
    expect(screen.getByRole('group', { name: 'Preview' }).textContent).toContain('Hi Ada, your order {{2}} has shipped.');
    fireEvent.change(second, { target: { value: '42' } });
    expect(screen.getByRole('group', { name: 'Preview' }).textContent).toContain('Hi Ada, your order 42 has shipped.');
    expect(sendButton().disabled).toBe(false);

    fireEvent.click(sendButton());
    await waitFor(() => expect(result).toHaveBeenCalledTimes(1));
    await waitFor(() => expect((screen.getByRole('textbox', { name: '{{1}}' }) as HTMLInputElement).value).toBe(''));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  test('named placeholders go out as namedParameters; a refusal shows as an alert', async () => {
    renderPicker({
      request: {
        query: SendMessageMutation,
        variables: { input: { contactId: '1', template: { name: 'welcome', language: 'de', namedParameters: [{ name: 'first_name', value: 'Ada' }] } } },
      },
      result: { errors: [new GraphQLError('Template welcome is paused', { extensions: { code: 'BAD_USER_INPUT' } })] },
    });
    await screen.findByRole('option', { name: 'welcome (de)' });
    fireEvent.change(select(), { target: { value: 't2' } });
    fireEvent.change(screen.getByRole('textbox', { name: '{{first_name}}' }), { target: { value: 'Ada' } });
    fireEvent.click(sendButton());
    expect((await screen.findByRole('alert')).textContent).toContain('Template welcome is paused');
  });
});

describe('placeholders', () => {
  test('positional keys run 1…n in order; named keys keep their first appearance', () => {
    expect(placeholders([{ type: 'BODY', text: '{{2}} then {{1}} and {{2}}' }], 'BODY').keys).toEqual(['1', '2']);
    expect(placeholders([{ type: 'BODY', text: '{{ name }} / {{order_id}}' }], 'BODY').keys).toEqual(['name', 'order_id']);
    expect(placeholders([{ type: 'HEADER', format: 'TEXT', text: 'For {{1}}' }], 'HEADER').keys).toEqual(['1']);
    expect(placeholders([{ type: 'HEADER', format: 'VIDEO' }], 'HEADER').keys).toEqual([]);
  });
  test('fill leaves empty values as the placeholder', () => {
    expect(fill('Hi {{1}}, {{2}}', { '1': 'Ada' })).toBe('Hi Ada, {{2}}');
  });
});
