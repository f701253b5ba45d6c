import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSimulator, type RunningSimulator } from './src/simulator.js';
import { startReceiver, waitFor } from './test-receiver.js';

const SECRET = 'app-secret';
const TOKEN = 'test-token';
const PNID = '106540352242922';
const WABA = '102290129340398';

let sim: RunningSimulator;
let hook: Awaited<ReturnType<typeof startReceiver>>;

const graph = (path: string, init: RequestInit = {}, token = TOKEN) =>
  fetch(`${sim.url}/v25.0${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });
const send = (body: object) => graph(`/${PNID}/messages`, { method: 'POST', body: JSON.stringify(body) });
const interactive = (i: object) => ({ messaging_product: 'whatsapp', to: '1', type: 'interactive', interactive: { body: { text: 'b' }, ...i } });
const products = (n: number) => Array.from({ length: n }, (_, i) => ({ product_retailer_id: `p${i}` }));
const text = (extra: object = {}) => ({ messaging_product: 'whatsapp', to: '+1 650-555-1234', type: 'text', text: { body: 'hi' }, ...extra });

beforeAll(async () => {
  hook = await startReceiver(SECRET);
  sim = await startSimulator({ appSecret: SECRET, accessToken: TOKEN, phoneNumberId: PNID, wabaId: WABA, webhookUrl: hook.url, log: () => {} });
});
afterAll(async () => {
  await sim?.close();
  await hook?.close();
});
beforeEach(() => {
  sim.reset();
  hook.received.length = 0;
});

describe('inbound webhooks', () => {
  it('injects a signed, well-formed messages webhook', async () => {
    const r = await sim.injectInbound({ from: '15551234567', name: 'Ada', text: 'hello', contextMessageId: 'wamid.PREV' });
    expect(r.webhookStatus).toBe(200);
    expect(r.waMessageId).toMatch(/^wamid\.SIM[\w-]+$/);
    const [w] = hook.received;
    expect(w.signatureValid).toBe(true);
    expect(w.body).toEqual(r.body);
    expect(w.body.object).toBe('whatsapp_business_account');
    expect(w.body.entry[0].id).toBe(WABA);
    const change = w.body.entry[0].changes[0];
    expect(change.field).toBe('messages');
    expect(change.value.metadata).toEqual({ display_phone_number: '15550001111', phone_number_id: PNID });
    expect(change.value.contacts[0]).toMatchObject({ profile: { name: 'Ada' }, wa_id: '15551234567' });
    expect(change.value.contacts[0].user_id).toMatch(/^US\.\d+$/);
    expect(change.value.messages[0]).toMatchObject({
      from: '15551234567', id: r.waMessageId, type: 'text', text: { body: 'hello' }, context: { id: 'wamid.PREV' },
    });
    expect(change.value.messages[0].timestamp).toMatch(/^\d+$/);
  });

  it('injects over HTTP for a username user, and inbound media by id', async () => {
    const mediaId = sim.addMedia(Buffer.from('jpeg-bytes'), 'image/jpeg');
    const res = await fetch(`${sim.url}/_simulator/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'US.42', message: { image: { id: mediaId, mime_type: 'image/jpeg', caption: 'pic' } } }),
    });
    expect(res.status).toBe(200);
    const { waMessageId, webhookStatus } = await res.json();
    expect(webhookStatus).toBe(200);
    const value = hook.received[0].body.entry[0].changes[0].value;
    expect(value.contacts[0]).toEqual({ profile: { name: 'Sim User' }, user_id: 'US.42' });
    expect(value.messages[0]).toMatchObject({ id: waMessageId, from_user_id: 'US.42', type: 'image', image: { id: mediaId } });
    expect(value.messages[0].from).toBeUndefined();
  });

  it('signs raw bodies byte for byte', async () => {
    const raw = '{"object":"whatsapp_business_account","entry":[],"note":"h\u00e9llo \ud83d\udc4b"}';
    expect(await sim.postWebhook(raw)).toEqual({ status: 200 });
    expect(hook.received[0].raw.toString('utf8')).toBe(raw);
    expect(hook.received[0].signatureValid).toBe(true);
  });
});

describe('sending', () => {
  it('accepts a send, then posts sent, delivered and read with the callback data', async () => {
    const res = await send(text({ biz_opaque_callback_data: 'local-uuid-1' }));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ messaging_product: 'whatsapp', contacts: [{ input: '+1 650-555-1234', wa_id: '16505551234' }] });
    const wamid = body.messages[0].id;
    expect(body.messages[0].message_status).toBe('accepted');
    const statuses = await waitFor(() => (hook.statuses().length === 3 ? hook.statuses() : undefined));
    expect(statuses.map((s) => s.status).sort()).toEqual(['delivered', 'read', 'sent']);
    expect(hook.received.every((w) => w.signatureValid)).toBe(true);
    for (const s of statuses) {
      expect(s).toMatchObject({
        id: wamid, recipient_id: '16505551234', biz_opaque_callback_data: 'local-uuid-1',
        pricing: { pricing_model: 'PMP', type: 'free_customer_service', category: 'service' },
      });
    }
    expect(sim.sent).toMatchObject([{ waMessageId: wamid, to: '+1 650-555-1234', type: 'text' }]);
    expect(sim.requests[0]).toMatchObject({ method: 'POST', path: `/v25.0/${PNID}/messages`, status: 200 });
  });

  it('answers a BSUID recipient with user_id', async () => {
    const body = await (await send({ messaging_product: 'whatsapp', recipient: 'US.77', type: 'text', text: { body: 'x' } })).json();
    expect(body.contacts).toEqual([{ input: 'US.77', user_id: 'US.77' }]);
    const [s] = await waitFor(() => (hook.statuses().length > 0 ? hook.statuses() : undefined));
    expect(s.recipient_user_id).toBe('US.77');
    expect(s.recipient_id).toBeUndefined();
  });

  it('rejects a wrong or missing bearer with code 190', async () => {
    for (const token of ['wrong', '']) {
      const res = await graph(`/${PNID}/messages`, { method: 'POST', body: JSON.stringify(text()) }, token);
      expect(res.status).toBe(401);
      const { error } = await res.json();
      expect(error).toMatchObject({ code: 190, type: 'OAuthException' });
      expect(error.fbtrace_id).toBeTruthy();
    }
    expect(sim.sent).toHaveLength(0);
  });

  it('validates bodies with Meta error codes', async () => {
    const cases: Array<[object, number]> = [
      [text({ text: { body: '' } }), 131008],
      [text({ text: { body: 'x'.repeat(4097) } }), 100],
      [text({ messaging_product: 'sms' }), 100],
      [text({ to: undefined }), 131008],
      [text({ type: 'hologram' }), 131009],
      [{ messaging_product: 'whatsapp', to: '1', type: 'image', image: {} }, 131008],
      [{ messaging_product: 'whatsapp', to: '1', type: 'location', location: { latitude: 'north', longitude: '2' } }, 131008],
      [{ messaging_product: 'whatsapp', to: '1', type: 'template', template: { name: 'order_update', language: { code: 'en_US' } } }, 132000],
      [interactive({ type: 'cta_url', action: { name: 'cta_url', parameters: { display_text: 'Go' } } }), 131008],
      [interactive({ type: 'cta_url', action: { name: 'cta_url', parameters: { display_text: 'x'.repeat(21), url: 'https://x.example' } } }), 100],
      [interactive({ type: 'cta_url', action: { name: 'cta_url', parameters: { display_text: 'Go', url: 'javascript:alert(1)' } } }), 100],
      [interactive({ type: 'location_request_message', action: { name: 'cta_url' } }), 131008],
      [interactive({ type: 'location_request_message', body: { text: 'x'.repeat(1025) }, action: { name: 'send_location' } }), 100],
      [{ messaging_product: 'whatsapp', to: '1', type: 'contacts', contacts: [{ phones: [{ phone: '1' }] }] }, 131008],
      [{ messaging_product: 'whatsapp', to: '1', type: 'contacts', contacts: [{ name: { formatted_name: 'Ada' }, phones: [{ phone: '1', type: 'CELL' }] }] }, 100],
      [interactive({ type: 'product', action: { catalog_id: 'c1' } }), 131008],
      [interactive({ type: 'product', header: { type: 'text', text: 'h' }, action: { catalog_id: 'c1', product_retailer_id: 'p1' } }), 100],
      [interactive({ type: 'product_list', action: { catalog_id: 'c1', sections: [{ title: 'S', product_items: [{ product_retailer_id: 'p1' }] }] } }), 131008],
      [interactive({ type: 'product_list', header: { type: 'text', text: 'h' }, action: { catalog_id: 'c1', sections: [{ product_items: [{ product_retailer_id: 'p1' }] }] } }), 131008],
      [interactive({ type: 'product_list', header: { type: 'text', text: 'h' }, action: { catalog_id: 'c1', sections: [{ title: 'x'.repeat(25), product_items: [{ product_retailer_id: 'p1' }] }] } }), 100],
      [interactive({ type: 'product_list', header: { type: 'text', text: 'h' }, action: { catalog_id: 'c1', sections: [{ title: 'A', product_items: products(16) }, { title: 'B', product_items: products(15) }] } }), 131009],
      [interactive({ type: 'catalog_message', action: { name: 'catalog' } }), 131008],
      [interactive({ type: 'catalog_message', footer: { text: 'x'.repeat(61) }, action: { name: 'catalog_message' } }), 100],
      [{ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.X', typing_indicator: { type: 'audio' } }, 100],
    ];
    for (const [body, code] of cases) {
      const res = await send(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      const { error } = await res.json();
      expect(error.code).toBe(code);
      expect(error.message).toBe(`(#${code}) ${error.message.replace(/^\(#\d+\) /, '')}`);
      expect(error.error_data).toMatchObject({ messaging_product: 'whatsapp', details: expect.any(String) });
    }
    const pending = await send({ messaging_product: 'whatsapp', to: '1', type: 'template', template: { name: 'spring_sale', language: { code: 'en_US' } } });
    expect((await pending.json()).error.code).toBe(132001);
    expect(sim.sent).toHaveLength(0);
  });

  it('accepts and answers a call-to-action URL, a location request and contact cards', async () => {
    const bodies = [
      interactive({ type: 'cta_url', header: { type: 'text', text: 'Order' }, action: { name: 'cta_url', parameters: { display_text: 'Track', url: 'https://x.example/42' } } }),
      interactive({ type: 'location_request_message', action: { name: 'send_location' } }),
      { messaging_product: 'whatsapp', to: '1', type: 'contacts', contacts: [{ name: { formatted_name: 'Ada Lovelace' }, phones: [{ phone: '+44 20', type: 'WORK' }] }] },
    ];
    for (const body of bodies) {
      const res = await send(body);
      expect(res.status).toBe(200);
      expect((await res.json()).messages[0].id).toMatch(/^wamid\./);
    }
    expect(sim.sent.map((s) => (s.body as { type: string }).type)).toEqual(['interactive', 'interactive', 'contacts']);
  });

  it('accepts and answers a product, a product list of 30 and the catalog button', async () => {
    const bodies = [
      interactive({ type: 'product', action: { catalog_id: 'c1', product_retailer_id: 'p1' } }),
      interactive({ type: 'product_list', header: { type: 'text', text: 'Teas' }, action: { catalog_id: 'c1', sections: [{ title: 'A', product_items: products(15) }, { title: 'B', product_items: products(15) }] } }),
      interactive({ type: 'catalog_message', action: { name: 'catalog_message', parameters: { thumbnail_product_retailer_id: 'p1' } } }),
      interactive({ type: 'catalog_message', action: { name: 'catalog_message' } }),
    ];
    for (const body of bodies) {
      const res = await send(body);
      expect(res.status).toBe(200);
      expect((await res.json()).messages[0].id).toMatch(/^wamid\./);
    }
    expect(sim.sent.map((s) => (s.body as { interactive: { type: string } }).interactive.type)).toEqual(['product', 'product_list', 'catalog_message', 'catalog_message']);
  });

  it('takes coordinates as the strings Meta describes, or as the numbers its examples send', async () => {
    for (const location of [{ latitude: '52.52', longitude: '-13.405' }, { latitude: 52.52, longitude: -13.405 }]) {
      expect((await send({ messaging_product: 'whatsapp', to: '1555', type: 'location', location })).status).toBe(200);
    }
    expect(sim.sent.map((s) => s.type)).toEqual(['location', 'location']);
  });

  it('sends an approved template with the right parameters', async () => {
    const params = [{ type: 'text', text: 'Ada' }, { type: 'text', text: '#1' }];
    const template = { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: params }] };
    const res = await send({ messaging_product: 'whatsapp', to: '1555', type: 'template', template });
    expect(res.status).toBe(200);
    const wamid = (await res.json()).messages[0].id;
    // A late status of an earlier test's send may arrive after the reset: wait for this one's.
    const s = await waitFor(() => hook.statuses().find((x) => x.id === wamid));
    expect(s.pricing).toEqual({ pricing_model: 'PMP', type: 'regular', category: 'utility' });
  });

  it('takes templates with media headers and button parameters, and refuses them without as Meta does', async () => {
    const tpl = (name: string, components: object[]) => ({ messaging_product: 'whatsapp', to: '1555', type: 'template', template: { name, language: { code: 'en_US' }, components } });
    const body = { type: 'body', parameters: [{ type: 'text', text: 'Ada' }] };
    const image = { type: 'header', parameters: [{ type: 'image', image: { link: 'https://example.com/parcel.jpg' } }] };
    const url = { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'A1B2' }] };
    const coupon = { type: 'button', sub_type: 'copy_code', index: '0', parameters: [{ type: 'coupon_code', coupon_code: 'SPRING20' }] };
    const accepted = [
      tpl('order_shipped_photo', [image, body, url, { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'STOP' }] }]),
      tpl('order_shipped_photo', [{ type: 'header', parameters: [{ type: 'image', image: { id: '4490709327384033' } }] }, body, url]),
      tpl('invoice_ready', [{ type: 'header', parameters: [{ type: 'document', document: { link: 'https://example.com/i.pdf', filename: 'INV-1.pdf' } }] }, body]),
      tpl('spring_coupon', [coupon]),
    ];
    for (const b of accepted) expect((await send(b)).status, JSON.stringify(b)).toBe(200);
    const refused: Array<[object, number, RegExp]> = [
      [tpl('order_shipped_photo', [body, url]), 132012, /header: Format mismatch, expected IMAGE, received UNKNOWN/],
      [tpl('order_shipped_photo', [{ type: 'header', parameters: [{ type: 'video', video: { link: 'https://example.com/v.mp4' } }] }, body, url]), 132012, /expected IMAGE, received VIDEO/],
      [tpl('order_shipped_photo', [{ type: 'header', parameters: [{ type: 'image', image: {} }] }, body, url]), 131008, /'id' or 'link'/],
      [tpl('order_shipped_photo', [image, body]), 132000, /URL button at index 0: number of localizable_params \(0\)/],
      [tpl('order_shipped_photo', [image, body, { ...url, sub_type: 'quick_reply' }]), 132012, /expected url, received quick_reply/],
      [tpl('order_shipped_photo', [image, body, url, { ...url, index: '5' }]), 132000, /button at index 5/],
      [tpl('invoice_ready', [body]), 132012, /expected DOCUMENT/],
      [tpl('spring_coupon', []), 132000, /COPY_CODE button at index 0/],
      [tpl('spring_coupon', [{ ...coupon, parameters: [{ type: 'coupon_code', coupon_code: 'X'.repeat(16) }] }]), 131009, /at most 15/],
      [tpl('spring_coupon', [coupon, { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'x' }] }]), 132000, /button at index 1: number of localizable_params \(1\) does not match the expected number of params \(0\)/],
      [tpl('hello_world', [image]), 132000, /^header/],
    ];
    for (const [b, code, details] of refused) {
      const res = await send(b);
      const { error } = await res.json();
      expect([res.status, error.code], JSON.stringify(b)).toEqual([400, code]);
      expect(error.error_data.details).toMatch(details);
    }
    expect(sim.sent).toHaveLength(accepted.length);
  });

  it('plays scripted failures, with Retry-After, then succeeds', async () => {
    sim.failNext({ code: 131056, count: 2, retryAfterSeconds: 6 });
    for (let i = 0; i < 2; i++) {
      const res = await send(text());
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('6');
      const { error } = await res.json();
      expect(error).toMatchObject({ code: 131056, type: 'OAuthException', error_data: { messaging_product: 'whatsapp' } });
      expect(error.message).toMatch(/^\(#131056\) /);
    }
    expect((await send(text())).status).toBe(200);
    await fetch(`${sim.url}/_simulator/failures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"code":131000}' });
    expect((await send(text())).status).toBe(500);
    expect(sim.sent).toHaveLength(1);
  });

  it('takes a send and then answers ambiguously: a gateway 502, a 200 without an id, or nothing', async () => {
    sim.acceptThenFailNext({ mode: 'bad-gateway' });
    const bad = await send(text());
    expect(bad.status).toBe(502);
    expect(await bad.text()).toMatch(/Bad Gateway/);
    await fetch(`${sim.url}/_simulator/ambiguous`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"mode":"no-id"}' });
    const noId = await send(text());
    expect(noId.status).toBe(200);
    expect(await noId.json()).not.toHaveProperty('messages');
    sim.acceptThenFailNext({ mode: 'hang' });
    await expect(fetch(`${sim.url}/v25.0/${PNID}/messages`, {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(text()), signal: AbortSignal.timeout(300),
    })).rejects.toThrow();
    expect(sim.sent).toHaveLength(3); // each was taken
    expect(sim.requests.map((r) => r.status)).toEqual([502, 200, 0]);
    expect((await send(text())).status).toBe(200);
    expect(sim.sent).toHaveLength(4);
  });

  it('marks messages read', async () => {
    const res = await send({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.X', typing_indicator: { type: 'text' } });
    expect(await res.json()).toEqual({ success: true });
    expect(sim.requests[0].body).toMatchObject({ status: 'read', message_id: 'wamid.X' });
    expect(sim.sent).toHaveLength(0);
  });

  it('delays answers by the configured latency', async () => {
    sim.setLatency(120);
    const t0 = Date.now();
    await send({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.X' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
  });
});

describe('media and templates', () => {
  it('uploads, describes and downloads binary media; the URL expires', async () => {
    const bytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\r\n--x\r\n\r\n')]);
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', 'image/png');
    form.append('file', new Blob([bytes], { type: 'image/png' }), 'pic.png');
    const up = await fetch(`${sim.url}/v25.0/${PNID}/media`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
    expect(up.status).toBe(200);
    const { id } = await up.json();
    const meta = await (await graph(`/${id}`)).json();
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(meta).toMatchObject({ messaging_product: 'whatsapp', id, mime_type: 'image/png', sha256: sha, file_size: bytes.length });
    expect(meta.url).toMatch(new RegExp(`^${sim.url}/media-download/`));
    expect((await fetch(meta.url)).status).toBe(401);
    const dl = await fetch(meta.url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(dl.headers.get('content-type')).toBe('image/png');
    const got = Buffer.from(await dl.arrayBuffer());
    expect(createHash('sha256').update(got).digest('hex')).toBe(sha);

    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 5 * 60_000 + 1);
      const expired = await fetch(meta.url, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(expired.status).toBe(404);
      expect((await expired.json()).error.code).toBe(100);
    } finally {
      vi.useRealTimers();
    }
    expect((await graph('/999999')).status).toBe(400);
  });

  it('pages templates by following paging.next', async () => {
    let url: string | undefined = `${sim.url}/v25.0/${WABA}/message_templates?limit=1`;
    const names: string[] = [];
    while (url) {
      const res: Response = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
      const page: { data: Array<{ name: string }>; paging: { cursors: object; next?: string } } = await res.json();
      expect(page.data).toHaveLength(1);
      expect(page.paging.cursors).toMatchObject({ before: expect.any(String), after: expect.any(String) });
      names.push(page.data[0].name);
      url = page.paging.next;
    }
    expect(names).toEqual(['hello_world', 'order_update', 'spring_sale', 'win_big', 'order_shipped_photo', 'invoice_ready', 'spring_coupon']);
    const all = await (await graph(`/${WABA}/message_templates?status=APPROVED`)).json();
    expect(all.data.map((t: { name: string }) => t.name)).toEqual(['hello_world', 'order_update', 'order_shipped_photo', 'invoice_ready', 'spring_coupon']);
    expect(all.paging.next).toBeUndefined();
  });

  it('answers unknown routes with a Meta 404', async () => {
    const res = await graph(`/${PNID}/nothing_here`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe(100);
  });
});
