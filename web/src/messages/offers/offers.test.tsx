// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { ComponentType } from 'react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { LIMITS as SERVER_LIMITS } from '../../../../server/src/whatsapp/whatsapp.limits';
import ContactCardForm from './ContactCardForm';
import CtaUrlForm from './CtaUrlForm';
import LocationRequestForm from './LocationRequestForm';
import { LIMITS, type Offer, type OfferFormProps } from './offer';
import ProductForm from './ProductForm';

beforeEach(() => localStorage.clear());
afterEach(cleanup);

const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
const fill = (values: Record<string, string>) => Object.entries(values).forEach(([label, value]) => fireEvent.change(field(label), { target: { value } }));
const problemOf = (label: string) => document.getElementById(field(label).getAttribute('aria-describedby') ?? '')?.textContent;

function show(Form: ComponentType<OfferFormProps>, onSend = vi.fn(async (_o: Offer) => undefined)) {
  const onClose = vi.fn();
  render(<Form onSend={onSend} onClose={onClose} />);
  return { onSend, onClose };
}
const press = (name: string) => act(async () => void fireEvent.click(screen.getByRole('button', { name })));

test("the forms check the server's limits", () => {
  expect(LIMITS).toEqual({ body: SERVER_LIMITS.body, ctaDisplayText: SERVER_LIMITS.ctaDisplayText });
});

describe('link button', () => {
  test('nothing goes out while the message is missing, the label too long or the link not http(s)', async () => {
    const { onSend } = show(CtaUrlForm);
    fill({ 'Button label': 'x'.repeat(LIMITS.ctaDisplayText + 1), 'Link (https://…)': 'ftp://example.com' });
    await press('Send link button');
    expect(onSend).not.toHaveBeenCalled();
    expect(problemOf('Text')).toBe('The message is required');
    expect(problemOf('Button label')).toBe('The button label is 21 characters; at most 20');
    expect(problemOf('Link (https://…)')).toBe('The link must start with http:// or https://');
    expect(field('Link (https://…)').getAttribute('aria-invalid')).toBe('true');
  });

  test('20 emoji are 20 characters, as Meta counts; the trimmed values are sent and the form closes', async () => {
    const { onSend, onClose } = show(CtaUrlForm);
    fill({ Text: ' Track your order ', 'Button label': '📦'.repeat(20), 'Link (https://…)': 'https://shop.example/t/42' });
    await press('Send link button');
    expect(onSend).toHaveBeenCalledTimes(1);
    const offer = onSend.mock.calls[0]![0];
    expect(offer.input).toEqual({ ctaUrl: { body: 'Track your order', displayText: '📦'.repeat(20), url: 'https://shop.example/t/42' } });
    expect(offer.payload).toEqual({ interactive: { type: 'cta_url', body: { text: 'Track your order' }, action: { name: 'cta_url', parameters: { display_text: '📦'.repeat(20), url: 'https://shop.example/t/42' } } } });
    expect(onClose).toHaveBeenCalled();
  });

  test("the server's refusal shows in the form, which stays open with what was typed", async () => {
    const onSend = vi.fn(async () => {
      throw new Error('Not sent: ctaUrl.url must be an http(s) URL');
    });
    const { onClose } = show(CtaUrlForm, onSend);
    fill({ Text: 'Hi', 'Button label': 'Open', 'Link (https://…)': 'https://x.example' });
    await press('Send link button');
    expect(screen.getByRole('alert').textContent).toBe('Not sent: ctaUrl.url must be an http(s) URL');
    expect(onClose).not.toHaveBeenCalled();
    expect(field('Text').value).toBe('Hi');
  });

  test('Escape closes the form without reaching the widget; Enter in a field sends', async () => {
    const outer = vi.fn();
    const onSend = vi.fn(async () => undefined);
    const onClose = vi.fn();
    render(
      <div onKeyDown={outer}>
        <CtaUrlForm onSend={onSend} onClose={onClose} />
      </div>,
    );
    expect(document.activeElement).toBe(field('Text'));
    fill({ Text: 'Hi', 'Button label': 'Open', 'Link (https://…)': 'https://x.example' });
    await act(async () => void fireEvent.keyDown(field('Link (https://…)'), { key: 'Enter' }));
    expect(onSend).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(field('Text'), { key: 'Escape' });
    expect(onClose).toHaveBeenCalled();
    expect(outer).not.toHaveBeenCalledWith(expect.objectContaining({ key: 'Escape' }));
  });
});

describe('location request', () => {
  test('offers a message to start from; an empty or too long one is refused', async () => {
    const { onSend } = show(LocationRequestForm);
    expect(field('Text').value).toBe('Please share your location.');
    fill({ Text: '   ' });
    await press('Send location request');
    expect(problemOf('Text')).toBe('The message is required');
    fill({ Text: 'x'.repeat(LIMITS.body + 1) });
    await press('Send location request');
    expect(problemOf('Text')).toBe('The message is 1025 characters; at most 1024');
    expect(onSend).not.toHaveBeenCalled();
    fill({ Text: 'Where should we deliver?' });
    await press('Send location request');
    expect(onSend.mock.calls[0]![0].input).toEqual({ locationRequest: { body: 'Where should we deliver?' } });
  });
});

describe('product', () => {
  test('needs both ids; the message is optional but bounded; the catalog id is kept for the next one', async () => {
    const { onSend } = show(ProductForm);
    fill({ 'Text (optional)': 'x'.repeat(LIMITS.body + 1) });
    await press('Send product');
    expect(problemOf('Product id (SKU)')).toBe('The product id is required');
    expect(problemOf('Catalog id')).toBe('The catalog id is required');
    expect(problemOf('Text (optional)')).toBe('The message is 1025 characters; at most 1024');
    expect(onSend).not.toHaveBeenCalled();
    fill({ 'Product id (SKU)': 'SKU-42', 'Catalog id': 'cat-1', 'Text (optional)': '' });
    await press('Send product');
    const offer = onSend.mock.calls[0]![0];
    expect(offer.input).toEqual({ product: { catalogId: 'cat-1', productRetailerId: 'SKU-42' } });
    expect(offer.text).toBe('Product SKU-42');
    cleanup();
    show(ProductForm);
    expect(field('Catalog id').value).toBe('cat-1');
  });
});

describe('contact card', () => {
  test('needs a name and a phone or an email; an email must look like one', async () => {
    const { onSend } = show(ContactCardForm);
    await press('Send contact card');
    expect(problemOf('Name')).toBe('The name is required');
    expect(problemOf('Phone numbers (comma between)')).toBe('Add a phone number or an email');
    fill({ Name: 'Ada Support', Email: 'ada at example' });
    await press('Send contact card');
    expect(problemOf('Email')).toBe('This is not an email address');
    expect(problemOf('Phone numbers (comma between)')).toBeUndefined();
    expect(onSend).not.toHaveBeenCalled();
  });

  test('sends one card with every phone, the email and the company', async () => {
    const { onSend } = show(ContactCardForm);
    fill({ Name: 'Ada Support', 'Phone numbers (comma between)': '+1 555 0100, ,+1 555 0101', Email: 'ada@example.com', Company: 'Acme' });
    await press('Send contact card');
    const offer = onSend.mock.calls[0]![0];
    expect(offer.input).toEqual({
      contacts: [{ formattedName: 'Ada Support', phones: [{ phone: '+1 555 0100' }, { phone: '+1 555 0101' }], emails: [{ email: 'ada@example.com' }], org: { company: 'Acme' } }],
    });
    expect(offer).toMatchObject({ type: 'CONTACTS', text: 'Contact card: Ada Support' });
  });
});
