import { describe, expect, it } from 'vitest';
import { humanizeKey, nfmReplySummary, orderSummary } from './message.summary.js';

describe('summaries of structured inbound messages', () => {
  it.each([
    ['screen_0_First_name_0', 'First name'],
    ['comment_text', 'Comment text'],
    ['numberOfGuests', 'Number of guests'],
    ['date', 'Date'],
    ['_', '_'],
  ])('humanizes the field %s as %s', (key, label) => expect(humanizeKey(key)).toBe(label));

  it('lists answers (lists joined, yes/no), skips the token and empty answers', () => {
    const response_json = JSON.stringify({ flow_token: 't', toppings: ['cheese', 'olives'], vegan: false, note: '', guests: 4 });
    expect(nfmReplySummary({ name: 'flow', body: 'Sent', response_json })).toBe('Flow answer: Toppings — cheese, olives; Vegan — No; Guests — 4');
    expect(nfmReplySummary({ name: 'flow', body: 'Sent', response_json: '{"flow_token":"t"}' })).toBe('Flow answer (no answers)');
    // An answer Meta sent in a shape we cannot read still says what it is.
    expect(nfmReplySummary({ name: 'flow', body: 'Sent', response_json: 'not json' })).toBe('Flow answer: Sent');
    expect(nfmReplySummary({ name: 'address_message', response_json: '{"city":"Berlin"}' })).toBe('Address: City — Berlin');
  });

  it('sums an order by currency at the unit prices, rounding to cents, with names and the note when given', () => {
    const items = [
      { product_retailer_id: 'SKU123', name: 'Blue shirt', quantity: 2, item_price: 19.99, currency: 'EUR' },
      { product_retailer_id: 'SKU124', quantity: 1, item_price: 19.99, currency: 'EUR' },
    ];
    expect(orderSummary({ catalog_id: '1', product_items: items })).toBe('🛒 Order: 2 × Blue shirt (SKU123) 19.99 EUR, 1 × SKU124 19.99 EUR — total 59.97 EUR');
    expect(orderSummary({ product_items: [items[1], { product_retailer_id: 'X', quantity: 3, item_price: 2.5, currency: 'USD' }], text: ' gift wrap please ' }))
      .toBe('🛒 Order: 1 × SKU124 19.99 EUR, 3 × X 2.5 USD — total 19.99 EUR + 7.5 USD — “gift wrap please”');
    expect(orderSummary({ product_items: [] })).toBe('🛒 Order: no items');
  });
});
