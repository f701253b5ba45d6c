import { describe, expect, it } from 'vitest';
import { waitFor } from '../../test/harness.js';
import { sendFixture } from '../../test/send.fixture.js';

const fx = sendFixture('1777', 'id type text status waMessageId media { id link mimeType filename } location { latitude name } reaction { messageId emoji }');
const { SEND, send, codeOf, lastSent } = fx;

describe('every send kind reaches Meta in its shape', () => {
  it('text with a link preview', async () => {
    const r = await send({ text: 'see https://example.com', previewUrl: true });
    expect(r.body.data.sendMessage).toMatchObject({ type: 'TEXT', text: 'see https://example.com' });
    expect(await lastSent()).toMatchObject({ type: 'text', text: { body: 'see https://example.com', preview_url: true } });
  });
  it.each([
    ['IMAGE', { link: 'https://example.com/a.jpg', caption: 'a photo', mimeType: 'image/jpeg' }, { image: { link: 'https://example.com/a.jpg', caption: 'a photo' } }],
    ['VIDEO', { id: '1234567890', caption: 'clip' }, { video: { id: '1234567890', caption: 'clip' } }],
    ['AUDIO', { id: '1234567891' }, { audio: { id: '1234567891' } }],
    ['DOCUMENT', { link: 'https://example.com/x.pdf', filename: 'invoice.pdf', caption: 'your invoice' }, { document: { link: 'https://example.com/x.pdf', filename: 'invoice.pdf', caption: 'your invoice' } }],
    ['STICKER', { id: '1234567892' }, { sticker: { id: '1234567892' } }],
  ])('%s by id or link', async (kind, media, expected) => {
    const r = await send({ media: { kind, ...media } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.sendMessage.type).toBe(kind);
    expect(await lastSent()).toMatchObject({ type: kind.toLowerCase(), ...expected });
  });
  it('location', async () => {
    const r = await send({ location: { latitude: 52.52, longitude: 13.405, name: 'Office', address: 'Berlin' } });
    expect(r.body.data.sendMessage).toMatchObject({ type: 'LOCATION', location: { latitude: 52.52, name: 'Office' } });
    // Numbers in GraphQL and in the widget, strings on the wire as Meta's description types them.
    expect(await lastSent()).toMatchObject({ type: 'location', location: { latitude: '52.52', longitude: '13.405', name: 'Office', address: 'Berlin' } });
  });
  it('reaction to a customer message, and its removal', async () => {
    const wamid = 'wamid.REACT-TARGET';
    const { rows } = await fx.t.db.query(
      `insert into message (wa_message_id, contact_id, direction, type, text, status) values ($1, $2, 'INBOUND', 'TEXT', 'hi', 'RECEIVED') returning id`,
      [wamid, fx.contact],
    );
    const r = await send({ reaction: { messageId: rows[0].id, emoji: '👍' } });
    expect(r.body.data.sendMessage).toMatchObject({ type: 'REACTION', reaction: { messageId: wamid, emoji: '👍' } });
    expect(await lastSent()).toMatchObject({ type: 'reaction', reaction: { message_id: wamid, emoji: '👍' } });
    await send({ reaction: { messageId: rows[0].id, emoji: '' } });
    await waitFor(() => fx.t.sim.sent.length === 2, 5000, 'removal');
    expect(await lastSent()).toMatchObject({ reaction: { message_id: wamid, emoji: '' } });
  });
  it('interactive reply buttons and lists', async () => {
    await send({ interactive: { body: 'Pick one', footer: 'thanks', buttons: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] } });
    expect(await lastSent()).toMatchObject({
      type: 'interactive',
      interactive: { type: 'button', body: { text: 'Pick one' }, footer: { text: 'thanks' }, action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }, { type: 'reply', reply: { id: 'no', title: 'No' } }] } },
    });
    await send({ interactive: { body: 'Menu', listButton: 'Open', sections: [{ title: 'Food', rows: [{ id: 'p', title: 'Pizza', description: 'hot' }] }] } });
    await waitFor(() => fx.t.sim.sent.length === 2, 5000, 'list');
    expect(await lastSent()).toMatchObject({ interactive: { type: 'list', action: { button: 'Open', sections: [{ title: 'Food', rows: [{ id: 'p', title: 'Pizza' }] }] } } });
  });
});

describe('validation before Meta sees anything', () => {
  it.each([
    ['text over 4,096 characters', { text: 'x'.repeat(4097) }],
    ['empty text', { text: ' ' }],
    ['caption over 1,024 characters', { media: { kind: 'IMAGE', link: 'https://example.com/a.jpg', caption: 'x'.repeat(1025) } }],
    ['media with both id and link', { media: { kind: 'IMAGE', id: '1', link: 'https://example.com/a.jpg' } }],
    ['media by plain http', { media: { kind: 'IMAGE', link: 'http://example.com/a.jpg' } }],
    ['an image that is a gif', { media: { kind: 'IMAGE', link: 'https://example.com/a.gif', mimeType: 'image/gif' } }],
    ['an image over 5 MB', { media: { kind: 'IMAGE', id: '1', mimeType: 'image/png', sizeBytes: 6 * 1024 * 1024 } }],
    ['a sticker over 500 KB', { media: { kind: 'STICKER', id: '1', sizeBytes: 600 * 1024 } }],
    ['a caption on audio', { media: { kind: 'AUDIO', id: '1', caption: 'no' } }],
    ['a latitude of 91', { location: { latitude: 91, longitude: 0 } }],
    ['four reply buttons', { interactive: { body: 'b', buttons: [1, 2, 3, 4].map((i) => ({ id: `b${i}`, title: `B${i}` })) } }],
    ['a button title over 20 characters', { interactive: { body: 'b', buttons: [{ id: 'a', title: 'x'.repeat(21) }] } }],
    ['eleven list rows', { interactive: { body: 'b', listButton: 'Go', sections: [{ title: 's', rows: Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `R${i}` })) }] } }],
    ['two kinds at once', { location: { latitude: 1, longitude: 1 }, interactive: { body: 'b', buttons: [{ id: 'a', title: 'A' }] } }],
    ['an unknown template', { template: { name: 'nope', language: 'en_US' } }],
  ])('refuses %s with BAD_USER_INPUT', async (_what, input) => {
    const r = await send(input);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fx.t.sim.requests.filter((q) => q.method === 'POST')).toEqual([]);
  });
  it('a reaction to an unknown message is NOT_FOUND', async () => {
    expect(codeOf(await send({ reaction: { messageId: '999999', emoji: '👍' } }))).toBe('NOT_FOUND');
  });
});

describe('templates', () => {
  it('sends an approved template outside the 24-hour window, with its parameters checked and its text rendered', async () => {
    await fx.t.gql(`mutation { syncTemplates { name } }`);
    const { rows } = await fx.t.db.query(`insert into contact (wa_id, last_inbound_at) values ('17780000001', now() - interval '3 days') returning id`);
    const closed = rows[0].id;
    expect(codeOf(await fx.t.gql(SEND, { input: { contactId: closed, text: 'free text' } }))).toBe('OUTSIDE_SERVICE_WINDOW');
    const wrong = await fx.t.gql(SEND, { input: { contactId: closed, template: { name: 'order_update', language: 'en_US', parameters: ['Ada'] } } });
    expect(codeOf(wrong)).toBe('BAD_USER_INPUT');
    expect(wrong.body.errors?.[0].message).toMatch(/takes 2 parameters, got 1/);
    expect(codeOf(await fx.t.gql(SEND, { input: { contactId: closed, template: { name: 'spring_sale', language: 'en_US' } } }))).toBe('BAD_USER_INPUT'); // PENDING
    const ok = await fx.t.gql(SEND, { input: { contactId: closed, template: { name: 'order_update', language: 'en_US', parameters: ['Ada', '#42'] } } });
    expect(ok.body.data.sendMessage).toMatchObject({ type: 'TEMPLATE', text: 'Hi Ada, your order #42 has shipped.' });
    expect(await lastSent()).toMatchObject({
      type: 'template',
      template: { name: 'order_update', language: { code: 'en_US', policy: 'deterministic' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ada' }, { type: 'text', text: '#42' }] }] },
    });
  });
});
