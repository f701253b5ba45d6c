// @vitest-environment happy-dom
import { GraphQLError } from 'graphql';
import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createCache } from '../shared/cache';
import { msg } from '../test/fixtures';
import { ApprovedTemplatesQuery, TemplatePicker } from './TemplatePicker';
import { fill, placeholders, shapeOf } from './templateForm';
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
      { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track order', url: 'https://example.com/track/{{1}}' }, { type: 'QUICK_REPLY', text: 'Stop updates' }] },
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
  {
    __typename: 'Template' as const,
    id: 't3',
    name: 'spring_coupon',
    language: 'en_US',
    category: 'MARKETING',
    components: [
      { type: 'BODY', text: 'Spring is here: 20% off.' },
      { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', text: 'Copy offer code' }, { type: 'URL', text: 'Shop now', url: 'https://example.com/shop' }] },
    ],
  },
  {
    __typename: 'Template' as const,
    id: 't4',
    name: 'invoice_ready',
    language: 'en_US',
    category: 'UTILITY',
    components: [{ type: 'HEADER', format: 'DOCUMENT' }, { type: 'BODY', text: 'Your invoice {{1}} is attached.' }],
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
  test('lists approved templates; an image header link, two positional parameters and a URL suffix are needed, previewed and sent', async () => {
    const sent = msg({ id: '900', direction: 'OUTBOUND', type: 'TEMPLATE', text: 'Hi Ada, your order 42 has shipped.', status: 'SENT' });
    const result = vi.fn(() => ({ data: { sendMessage: { ...sent, contact: { __typename: 'Contact' as const, id: '1' } } } }));
    const template = { name: 'order_update', language: 'en_US', parameters: ['Ada', '42'], header: { kind: 'IMAGE', link: 'https://example.com/parcel.jpg' }, buttons: [{ index: 0, text: 'A1B2' }] };
    renderPicker({ request: { query: SendMessageMutation, variables: { input: { contactId: '1', template } } }, result });

    await screen.findByRole('option', { name: 'order_update (en_US)' });
    expect(screen.getByRole('option', { name: 'welcome (de)' })).toBeTruthy();

    fireEvent.change(select(), { target: { value: 't1' } });
    const preview = () => screen.getByRole('group', { name: 'Preview' }).textContent;
    expect(preview()).toContain('Image header: link needed');
    expect(preview()).toContain('Track order → https://example.com/track/{{1}}');
    expect(preview()).toContain('Stop updates');
    expect(preview()).toContain('Reply STOP to opt out');
    const type = (name: string, value: string) => fireEvent.change(screen.getByRole('textbox', { name }), { target: { value } });
    type('{{1}}', 'Ada');
    type('{{2}}', '42');
    type('Button “Track order”: URL suffix', 'A1B2');
    expect(preview()).toContain('Hi Ada, your order 42 has shipped.');
    expect(preview()).toContain('Track order → https://example.com/track/A1B2');
    // Everything but the header image: not yet.
    expect(sendButton().disabled).toBe(true);
    type('Header image link', 'https://example.com/parcel.jpg');
    expect(preview()).toContain('Image header: https://example.com/parcel.jpg');
    expect(sendButton().disabled).toBe(false);

    fireEvent.click(sendButton());
    await waitFor(() => expect(result).toHaveBeenCalledTimes(1));
    await waitFor(() => expect((screen.getByRole('textbox', { name: '{{1}}' }) as HTMLInputElement).value).toBe(''));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  test('a copy code button asks for its code (at most 15 characters); the fixed URL button asks nothing', async () => {
    const result = vi.fn(() => ({ data: { sendMessage: { ...msg({ direction: 'OUTBOUND', type: 'TEMPLATE' }), contact: { __typename: 'Contact' as const, id: '1' } } } }));
    const template = { name: 'spring_coupon', language: 'en_US', buttons: [{ index: 0, couponCode: 'SPRING20' }] };
    renderPicker({ request: { query: SendMessageMutation, variables: { input: { contactId: '1', template } } }, result });
    await screen.findByRole('option', { name: 'spring_coupon (en_US)' });
    fireEvent.change(select(), { target: { value: 't3' } });
    expect(screen.getAllByRole('textbox')).toHaveLength(1);
    const code = screen.getByRole('textbox', { name: 'Button “Copy offer code”: coupon code' }) as HTMLInputElement;
    expect(code.maxLength).toBe(15);
    expect(sendButton().disabled).toBe(true);
    fireEvent.change(code, { target: { value: 'SPRING20' } });
    const preview = screen.getByRole('group', { name: 'Preview' }).textContent;
    expect(preview).toContain('Copy offer code: SPRING20');
    expect(preview).toContain('Shop now → https://example.com/shop');
    fireEvent.click(sendButton());
    await waitFor(() => expect(result).toHaveBeenCalledTimes(1));
  });

  test('a document header asks for its link', async () => {
    const result = vi.fn(() => ({ data: { sendMessage: { ...msg({ direction: 'OUTBOUND', type: 'TEMPLATE' }), contact: { __typename: 'Contact' as const, id: '1' } } } }));
    const template = { name: 'invoice_ready', language: 'en_US', parameters: ['INV-7'], header: { kind: 'DOCUMENT', link: 'https://example.com/inv.pdf' } };
    renderPicker({ request: { query: SendMessageMutation, variables: { input: { contactId: '1', template } } }, result });
    await screen.findByRole('option', { name: 'invoice_ready (en_US)' });
    fireEvent.change(select(), { target: { value: 't4' } });
    fireEvent.change(screen.getByRole('textbox', { name: '{{1}}' }), { target: { value: 'INV-7' } });
    expect(sendButton().disabled).toBe(true);
    fireEvent.change(screen.getByRole('textbox', { name: 'Header document link' }), { target: { value: 'https://example.com/inv.pdf' } });
    expect(screen.getByRole('group', { name: 'Preview' }).textContent).toContain('Document header: https://example.com/inv.pdf');
    fireEvent.click(sendButton());
    await waitFor(() => expect(result).toHaveBeenCalledTimes(1));
  });
});

describe('placeholders', () => {
  test('positional keys run 1…n in order; named keys keep their first appearance', () => {
    expect(placeholders([{ type: 'BODY', text: '{{2}} then {{1}} and {{2}}' }], 'BODY').keys).toEqual(['1', '2']);
    expect(placeholders([{ type: 'BODY', text: '{{ name }} / {{order_id}}' }], 'BODY').keys).toEqual(['name', 'order_id']);
    expect(placeholders([{ type: 'HEADER', format: 'TEXT', text: 'For {{1}}' }], 'HEADER').keys).toEqual(['1']);
    expect(placeholders([{ type: 'HEADER', format: 'VIDEO' }], 'HEADER').keys).toEqual([]);
  });
  test('buttons say which need a value: a URL with {{1}} and a copy code', () => {
    const { buttons } = shapeOf({ name: 't', language: 'en', components: [{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://x.example/{{1}}' }, { type: 'URL', text: 'Shop', url: 'https://x.example/shop' }, { type: 'COPY_CODE', text: 'Copy' }, { type: 'QUICK_REPLY', text: 'No' }] }] });
    expect(buttons.map((b) => [b.index, b.type, b.key])).toEqual([[0, 'URL', 'btn:0'], [1, 'URL', undefined], [2, 'COPY_CODE', 'btn:2'], [3, 'QUICK_REPLY', undefined]]);
  });
  test('fill leaves empty values as the placeholder', () => {
    expect(fill('Hi {{1}}, {{2}}', { '1': 'Ada' })).toBe('Hi Ada, {{2}}');
  });
});
