/**
 * Templates with media headers and buttons, through GraphQL to the simulator: the body the simulator
 * records is what Meta would get; a send the template cannot take is refused before Meta sees it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sendFixture } from '../../test/send.fixture.js';

const fx = sendFixture('1779', 'id type text status waMessageId payload');
const { send, codeOf, lastSent } = fx;

const policy = { code: 'en_US', policy: 'deterministic' };
const photo = (extra: Record<string, unknown> = {}) => ({ template: { name: 'order_shipped_photo', language: 'en_US', parameters: ['Ada'], header: { kind: 'IMAGE', link: 'https://example.com/parcel.jpg' }, buttons: [{ index: 0, text: 'A1B2C3' }], ...extra } });
const coupon = (extra: Record<string, unknown> = {}) => ({ template: { name: 'spring_coupon', language: 'en_US', buttons: [{ index: 0, couponCode: 'SPRING20' }], ...extra } });
const invoice = (extra: Record<string, unknown> = {}) => ({ template: { name: 'invoice_ready', language: 'en_US', parameters: ['INV-1042'], header: { kind: 'DOCUMENT', link: 'https://example.com/inv.pdf' }, ...extra } });

beforeAll(async () => {
  // A text header with a variable, beside the simulator's defaults.
  fx.t.sim.templates.push({
    id: '7100000000000001', name: 'visit_named', language: 'en_US', status: 'APPROVED', category: 'UTILITY',
    components: [{ type: 'HEADER', format: 'TEXT', text: 'For {{first_name}}' }, { type: 'BODY', text: 'Your visit is on {{day}}.' }],
  });
  const synced = await fx.t.gql(`mutation { syncTemplates { name } }`);
  expect(synced.body.errors).toBeUndefined();
});

describe('templates with media headers and buttons reach Meta in its shape', () => {
  it('an image header by link, a URL suffix and a quick reply payload', async () => {
    const r = await send(photo({ buttons: [{ index: 0, text: 'A1B2C3' }, { index: 1, payload: 'STOP_UPDATES' }] }));
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.sendMessage).toMatchObject({ type: 'TEMPLATE', text: 'Hi Ada, your order is on its way.', waMessageId: expect.any(String) });
    const template = {
      name: 'order_shipped_photo',
      language: policy,
      components: [
        { type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.com/parcel.jpg' } }] },
        { type: 'body', parameters: [{ type: 'text', text: 'Ada' }] },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'A1B2C3' }] },
        { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'STOP_UPDATES' }] },
      ],
    };
    expect((await lastSent()).template).toEqual(template);
    // Stored with what the customer sees, for the widget: the header, the footer and the buttons filled in.
    expect(r.body.data.sendMessage.payload).toEqual({
      template,
      rendered: {
        header: { format: 'IMAGE', link: 'https://example.com/parcel.jpg' },
        footer: 'Reply STOP to opt out',
        buttons: [{ type: 'URL', text: 'Track order', url: 'https://example.com/track/A1B2C3' }, { type: 'QUICK_REPLY', text: 'Stop updates', payload: 'STOP_UPDATES' }],
      },
    });
  });

  it('an image header by media id; a quick reply without payload sends no button component', async () => {
    await send(photo({ header: { kind: 'IMAGE', id: '4490709327384033' } }));
    expect((await lastSent()).template.components).toEqual([
      { type: 'header', parameters: [{ type: 'image', image: { id: '4490709327384033' } }] },
      { type: 'body', parameters: [{ type: 'text', text: 'Ada' }] },
      { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'A1B2C3' }] },
    ]);
  });

  it('a document header with its filename', async () => {
    const r = await send(invoice({ header: { kind: 'DOCUMENT', link: 'https://example.com/inv.pdf', filename: 'INV-1042.pdf' } }));
    expect(r.body.data.sendMessage).toMatchObject({ text: 'Your invoice INV-1042 is attached.', payload: { rendered: { header: { format: 'DOCUMENT', link: 'https://example.com/inv.pdf', filename: 'INV-1042.pdf' } } } });
    expect((await lastSent()).template).toEqual({
      name: 'invoice_ready',
      language: policy,
      components: [
        { type: 'header', parameters: [{ type: 'document', document: { link: 'https://example.com/inv.pdf', filename: 'INV-1042.pdf' } }] },
        { type: 'body', parameters: [{ type: 'text', text: 'INV-1042' }] },
      ],
    });
  });

  it('a copy code button; the fixed URL button beside it takes nothing', async () => {
    const r = await send(coupon());
    expect(r.body.errors).toBeUndefined();
    expect((await lastSent()).template).toEqual({
      name: 'spring_coupon',
      language: policy,
      components: [{ type: 'button', sub_type: 'copy_code', index: '0', parameters: [{ type: 'coupon_code', coupon_code: 'SPRING20' }] }],
    });
    expect(r.body.data.sendMessage.payload.rendered).toEqual({
      buttons: [{ type: 'COPY_CODE', text: 'Copy offer code', code: 'SPRING20' }, { type: 'URL', text: 'Shop now', url: 'https://example.com/shop' }],
    });
  });

  it("a text header's variable given as header.text, named like the template", async () => {
    const r = await send({ template: { name: 'visit_named', language: 'en_US', header: { kind: 'TEXT', text: 'Ada' }, namedParameters: [{ name: 'day', value: 'Monday' }] } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.sendMessage.payload.rendered).toEqual({ header: { format: 'TEXT', text: 'For Ada' } });
    expect((await lastSent()).template.components).toEqual([
      { type: 'header', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Ada' }] },
      { type: 'body', parameters: [{ type: 'text', parameter_name: 'day', text: 'Monday' }] },
    ]);
  });
});

describe("a template's header and buttons are checked before Meta sees anything", () => {
  it.each([
    ['an image template without its image', photo({ header: undefined }), 'template.header', /has an IMAGE header/],
    ['a video for an image header', photo({ header: { kind: 'VIDEO', link: 'https://example.com/v.mp4' } }), 'template.header.kind', /IMAGE header, not a VIDEO/],
    ['header media with both id and link', photo({ header: { kind: 'IMAGE', id: '1', link: 'https://example.com/p.jpg' } }), 'template.header', /exactly one of id or link/],
    ['header media by a plain http link', photo({ header: { kind: 'IMAGE', link: 'http://example.com/p.jpg' } }), 'template.header.link', /https/],
    ['a filename on an image header', photo({ header: { kind: 'IMAGE', link: 'https://example.com/p.jpg', filename: 'p.jpg' } }), 'template.header.filename', /document/],
    ['a document template without its document', invoice({ header: undefined }), 'template.header', /DOCUMENT header/],
    ['a media header for a template without one', coupon({ header: { kind: 'IMAGE', link: 'https://example.com/p.jpg' } }), 'template.header.kind', /no header/],
    ['header text for a header without a variable', { template: { name: 'hello_world', language: 'en_US', header: { kind: 'TEXT', text: 'Hi' } } }, 'template.header.kind', /text header without a variable/],
    ['the header variable given twice', { template: { name: 'visit_named', language: 'en_US', header: { kind: 'TEXT', text: 'Ada' }, namedParameters: [{ name: 'first_name', value: 'Ada' }, { name: 'day', value: 'Mon' }] } }, 'template.header', /once/],
    ['a URL button without its suffix', photo({ buttons: [] }), 'template.buttons', /button 0 \(URL “Track order”\) needs its text/],
    ['a suffix for a fixed URL button', coupon({ buttons: [{ index: 0, couponCode: 'SPRING20' }, { index: 1, text: 'x' }] }), 'template.buttons[1]', /takes no parameter: its URL has no/],
    ['a copy code button without any button given', coupon({ buttons: undefined }), 'template.buttons', /couponCode/],
    ['a coupon code over 15 characters', coupon({ buttons: [{ index: 0, couponCode: 'SPRING2026SAVE20' }] }), 'template.buttons[0].couponCode', /15/],
    ['a coupon code with punctuation', coupon({ buttons: [{ index: 0, couponCode: 'SAVE-20' }] }), 'template.buttons[0].couponCode', /letters and digits/],
    ['a payload for a URL button', photo({ buttons: [{ index: 0, payload: 'x' }] }), 'template.buttons[0]', /takes text only/],
    ['two parameters for one button', photo({ buttons: [{ index: 0, text: 'A1', payload: 'x' }] }), 'template.buttons[0]', /takes text only/],
    ['a quick reply payload over 256 characters', photo({ buttons: [{ index: 0, text: 'A1' }, { index: 1, payload: 'x'.repeat(257) }] }), 'template.buttons[1].payload', /256/],
    ['an empty URL suffix', photo({ buttons: [{ index: 0, text: ' ' }] }), 'template.buttons[0].text', /empty/],
    ['a URL suffix making the URL over 2,000 characters', photo({ buttons: [{ index: 0, text: 'x'.repeat(1980) }] }), 'template.buttons[0].text', /2000/],
    ['a button the template does not have', photo({ buttons: [{ index: 0, text: 'A1' }, { index: 2, payload: 'x' }] }), 'template.buttons[1].index', /buttons 0 to 1, not 2/],
    ['buttons for a template without buttons', invoice({ buttons: [{ index: 0, payload: 'x' }] }), 'template.buttons[0].index', /no buttons/],
    ['one button given twice', photo({ buttons: [{ index: 0, text: 'A1' }, { index: 0, text: 'B2' }] }), 'template.buttons[1].index', /twice/],
  ])('refuses %s with BAD_USER_INPUT', async (_what, input, field, message) => {
    const r = await send(input);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors?.[0]?.extensions?.field).toBe(field);
    expect(r.body.errors?.[0]?.message).toMatch(message);
    expect(fx.t.sim.requests.filter((q) => q.method === 'POST')).toEqual([]);
  });
});
