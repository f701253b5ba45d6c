/**
 * sendMessage's call-to-action URL, contact card and location request kinds, through GraphQL to the
 * simulator: the body the simulator records is what Meta would get.
 */
import { describe, expect, it } from 'vitest';
import { sendFixture } from '../../test/send.fixture.js';

const fx = sendFixture('1778', 'id type waType text status waMessageId payload');
const { send, codeOf, lastSent } = fx;

const ada = {
  formattedName: 'Ada Lovelace', firstName: 'Ada', lastName: 'Lovelace',
  phones: [{ phone: '+44 20 7946 0000', type: 'work', waId: '442079460000' }],
  emails: [{ email: 'ada@example.com', type: 'HOME' }],
  urls: [{ url: 'https://example.com/ada', type: 'WORK' }],
  org: { company: 'Analytical Engines', title: 'Programmer' },
};

describe('the three newer kinds reach Meta in its shape', () => {
  it('a call-to-action URL button, with header and footer', async () => {
    const r = await send({ ctaUrl: { body: 'Your order is on its way', displayText: 'Track order', url: 'https://example.com/track/42', header: 'Order #42', footer: 'Thanks!' } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.sendMessage).toMatchObject({ type: 'INTERACTIVE', waType: 'interactive', text: 'Your order is on its way', waMessageId: expect.any(String) });
    const interactive = {
      type: 'cta_url',
      header: { type: 'text', text: 'Order #42' },
      body: { text: 'Your order is on its way' },
      footer: { text: 'Thanks!' },
      action: { name: 'cta_url', parameters: { display_text: 'Track order', url: 'https://example.com/track/42' } },
    };
    expect(await lastSent()).toMatchObject({ type: 'interactive', interactive });
    // Stored as other interactive messages are: Meta's object under `interactive`.
    expect(r.body.data.sendMessage.payload).toEqual({ interactive });
  });

  it('a call-to-action without header and footer sends neither', async () => {
    await send({ ctaUrl: { body: 'See the menu', displayText: 'Menu', url: 'http://example.com/menu' } });
    const body = await lastSent();
    expect(body.interactive).toEqual({ type: 'cta_url', body: { text: 'See the menu' }, action: { name: 'cta_url', parameters: { display_text: 'Menu', url: 'http://example.com/menu' } } });
  });

  it('contact cards, with names, phones, emails, urls and organisation', async () => {
    const r = await send({ contacts: [ada, { formattedName: 'Charles Babbage', phones: [{ phone: '+44 20 7946 0001' }] }] });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.sendMessage).toMatchObject({ type: 'CONTACTS', waType: 'contacts', text: 'Contact cards: Ada Lovelace, Charles Babbage', waMessageId: expect.any(String) });
    expect(await lastSent()).toEqual(expect.objectContaining({
      type: 'contacts',
      contacts: [
        {
          name: { formatted_name: 'Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace' },
          phones: [{ phone: '+44 20 7946 0000', type: 'WORK', wa_id: '442079460000' }],
          emails: [{ email: 'ada@example.com', type: 'HOME' }],
          urls: [{ url: 'https://example.com/ada', type: 'WORK' }],
          org: { company: 'Analytical Engines', title: 'Programmer' },
        },
        { name: { formatted_name: 'Charles Babbage' }, phones: [{ phone: '+44 20 7946 0001' }] },
      ],
    }));
  });

  it('a location request', async () => {
    const r = await send({ locationRequest: { body: 'Where should we deliver?' } });
    expect(r.body.data.sendMessage).toMatchObject({ type: 'INTERACTIVE', text: 'Where should we deliver?', waMessageId: expect.any(String) });
    expect(await lastSent()).toMatchObject({
      type: 'interactive',
      interactive: { type: 'location_request_message', body: { text: 'Where should we deliver?' }, action: { name: 'send_location' } },
    });
  });
});

describe("Meta's limits are checked before Meta sees anything", () => {
  const cta = { body: 'b', displayText: 'Go', url: 'https://example.com' };
  it.each([
    ['a cta body over 1,024 characters', { ctaUrl: { ...cta, body: 'x'.repeat(1025) } }, 'ctaUrl.body'],
    ['an empty cta body', { ctaUrl: { ...cta, body: ' ' } }, 'ctaUrl.body'],
    ['a button label over 20 characters', { ctaUrl: { ...cta, displayText: 'x'.repeat(21) } }, 'ctaUrl.displayText'],
    ['an empty button label', { ctaUrl: { ...cta, displayText: '' } }, 'ctaUrl.displayText'],
    ['a URL that is not http(s)', { ctaUrl: { ...cta, url: 'ftp://example.com/x' } }, 'ctaUrl.url'],
    ['a URL that is no URL', { ctaUrl: { ...cta, url: 'example.com' } }, 'ctaUrl.url'],
    ['a cta header over 60 characters', { ctaUrl: { ...cta, header: 'x'.repeat(61) } }, 'ctaUrl.header'],
    ['a cta footer over 60 characters', { ctaUrl: { ...cta, footer: 'x'.repeat(61) } }, 'ctaUrl.footer'],
    ['no contact card', { contacts: [] }, 'contacts'],
    ['six contact cards', { contacts: Array.from({ length: 6 }, (_, i) => ({ formattedName: `C${i}` })) }, 'contacts'],
    ['a card without a formatted name', { contacts: [{ formattedName: ' ', firstName: 'Ada' }] }, 'contacts[0].formattedName'],
    ['a phone of type CELL', { contacts: [{ formattedName: 'Ada', phones: [{ phone: '+1555', type: 'CELL' }] }] }, 'contacts[0].phones[0].type'],
    ['an empty phone number', { contacts: [{ formattedName: 'Ada', phones: [{ phone: '' }] }] }, 'contacts[0].phones[0].phone'],
    ['an email that is no address', { contacts: [{ formattedName: 'Ada', emails: [{ email: 'ada' }] }] }, 'contacts[0].emails[0].email'],
    ['a location request body over 1,024 characters', { locationRequest: { body: 'x'.repeat(1025) } }, 'locationRequest.body'],
    ['an empty location request', { locationRequest: { body: '' } }, 'locationRequest.body'],
    ['text with a location request', { text: 'hi', locationRequest: { body: 'where?' } }, 'text'],
    ['two kinds at once', { ctaUrl: cta, locationRequest: { body: 'where?' } }, undefined],
  ])('refuses %s with BAD_USER_INPUT', async (_what, input, field) => {
    const r = await send(input);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors?.[0]?.extensions?.field).toBe(field);
    expect(fx.t.sim.requests.filter((q) => q.method === 'POST')).toEqual([]);
  });
});
