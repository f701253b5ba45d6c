/**
 * Every kind of request body the inbox sends to `POST /{Phone-Number-ID}/messages`, checked against
 * the request schema of Meta's OpenAPI description of the Cloud API (server/test/meta-openapi/).
 * The bodies are made the real way: GraphQL `sendMessage` / `markContactRead` → compose → outbound
 * dispatcher → WhatsAppClient → the simulator, whose recording of each request is what is checked,
 * so this sees what goes over HTTP rather than what a builder returns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTemplates } from '../../../simulator/src/simulator.js';
import { loadDescription, schemaFor, shapeOf, violations, type Schema } from '../../test/openapi.js';
import { startTestEnv, waitFor, type TestEnv } from '../../test/harness.js';

const doc = loadDescription(new URL('../../test/meta-openapi/business-messaging-api_v23.0.yaml', import.meta.url).pathname);
const send = doc.paths['/{Version}/{Phone-Number-ID}/messages'].post.requestBody.content['application/json'];
const DOCS = 'https://developers.facebook.com/documentation/business-messaging/whatsapp';

/**
 * Where the description falls short of Meta's own documentation (see /work/shared/whatsapp-cloud-api.md
 * §6, §7): the one list of what this test forgives, each with why. `amend` corrects the schema a body
 * is checked against; everything else must match the description as published.
 */
const GAPS: Array<{ gap: string; why: string; doc: string; amend(schema: Schema, body: Record<string, unknown>): Schema }> = [
  {
    gap: '`biz_opaque_callback_data` is missing from BaseMessageProperties, which `additionalProperties: false` closes',
    why: 'Meta documents it on every send (≤ 512 characters) and echoes it in status webhooks; we send it on every message to correlate statuses',
    doc: `${DOCS}/webhooks/reference/messages/status/`,
    amend: (s) => ({ ...s, properties: { ...s.properties, biz_opaque_callback_data: { type: 'string', maxLength: 512 } } }),
  },
  {
    gap: '`recipient` (a business-scoped user id) is missing, and `to` is required',
    why: 'since May 2026 a send may name a BSUID in `recipient` instead of a phone number in `to`; v23.0 predates it',
    doc: `${DOCS}/business-scoped-user-ids/`,
    amend: (s, body) =>
      body.to !== undefined || !s.properties ? s : { ...s, required: s.required.map((r: string) => (r === 'to' ? 'recipient' : r)), properties: { ...s.properties, recipient: { type: 'string' } } },
  },
  {
    gap: 'the read receipt has no schema: Message is a oneOf on `type`, which a receipt has not',
    why: 'the operation models it only by its example "Send typing indicator and read receipt", whose fields and types a receipt must then have; `typing_indicator` is optional',
    doc: `${DOCS}/typing-indicators/`,
    amend: (s, body) => {
      if (body.status !== 'read') return s;
      const shape = shapeOf(send.examples['Send typing indicator and read receipt'].value);
      return { ...shape, required: shape.required.filter((k: string) => k !== 'typing_indicator') };
    },
  },
  {
    gap: 'the interactive types `cta_url` and `location_request_message` are missing from InteractiveObject.type and ActionObject',
    why: "Meta documents both (a URL button: action { name: cta_url, parameters { display_text ≤ 20, url } }; a location request: action { name: send_location }); v23.0's description lists only the other types",
    doc: `${DOCS}/messages/interactive-cta-url-messages/ and ${DOCS}/messages/location-request-messages/`,
    amend: (s, body) => {
      const i = body.interactive as Record<string, unknown> | undefined;
      if (body.type !== 'interactive' || (i?.type !== 'cta_url' && i?.type !== 'location_request_message')) return s;
      const action = i.type === 'cta_url'
        ? { type: 'object', additionalProperties: false, required: ['name', 'parameters'], properties: { name: { enum: ['cta_url'] }, parameters: { type: 'object', additionalProperties: false, required: ['display_text', 'url'], properties: { display_text: { type: 'string', maxLength: 20 }, url: { type: 'string', pattern: '^https?://' } } } } }
        : { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { enum: ['send_location'] } } };
      const it = s.properties.interactive;
      // The description's own header, body and footer limits stay; only the type and the action are Meta's documented ones.
      return { ...s, properties: { ...s.properties, interactive: { ...it, required: [...it.required, 'body'], properties: { ...it.properties, type: { enum: [i.type] }, action } } } };
    },
  },
  {
    gap: "catalog_message's action requires `parameters.thumbnail_product_retailer_id`",
    why: "Meta documents the thumbnail as optional (the catalog's first product's image is shown without it), so a catalog message without one sends `action: { name: 'catalog_message' }`",
    doc: `${DOCS}/messages/catalog-messages/`,
    amend: (s, body) => {
      const i = body.interactive as { type?: string; action?: Record<string, unknown> } | undefined;
      if (body.type !== 'interactive' || i?.type !== 'catalog_message' || i.action?.parameters !== undefined) return s;
      const it = s.properties.interactive;
      const action = { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { enum: ['catalog_message'] } } };
      return { ...s, properties: { ...s.properties, interactive: { ...it, properties: { ...it.properties, action } } } };
    },
  },
  {
    gap: "a template button's `index` must match `^[2-6, 11-14]$`, a character class that refuses 0, 7, 8 and 9",
    why: "the same description calls it the 'Position index of the button (0-9)' and its own TemplateObject example sends index '0'; Meta numbers a template's buttons from 0",
    doc: `${DOCS}/messages/template-messages/`,
    amend: (s, body) => amendButtons(s, body, (b) => ({ ...b, properties: { ...b.properties, index: { type: 'string', pattern: '^[0-9]$' } } })),
  },
  {
    gap: 'the copy code button is missing: `sub_type` lacks `copy_code` and ButtonParameterObject lacks `coupon_code`',
    why: 'Meta documents coupon code templates: a button { sub_type: copy_code, parameters: [{ type: coupon_code, coupon_code }] }, the code at most 15 characters',
    doc: `${DOCS}/templates/marketing-templates/coupon-templates/`,
    amend: (s, body) => amendButtons(s, body, (b, c) => (c.sub_type !== 'copy_code' ? b : {
      ...b,
      properties: {
        ...b.properties,
        sub_type: { enum: ['copy_code'] },
        parameters: { type: 'array', minItems: 1, maxItems: 1, items: { type: 'object', additionalProperties: false, required: ['type', 'coupon_code'], properties: { type: { enum: ['coupon_code'] }, coupon_code: { type: 'string', maxLength: 15 } } } },
      },
    })),
  },
];

/** The schema with each of a template send's button components' schemas passed through `amend`. */
function amendButtons(s: Schema, body: Record<string, unknown>, amend: (button: Schema, component: Record<string, unknown>) => Schema): Schema {
  const components = (body.template as { components?: Array<Record<string, unknown>> } | undefined)?.components;
  const template = s.properties?.template;
  const items = template?.properties?.components?.prefixItems as Schema[] | undefined;
  if (body.type !== 'template' || !components || !items) return s;
  const prefixItems = items.map((item, i) => (components[i]?.type === 'button' ? amend(item, components[i]!) : item));
  const list = { ...template.properties.components, prefixItems };
  return { ...s, properties: { ...s.properties, template: { ...template, properties: { ...template.properties, components: list } } } };
}

/** What is wrong with a body by the description, after the known gaps; empty when it passes. */
const check = (body: Record<string, unknown>) => violations(GAPS.reduce((s, g) => g.amend(s, body), schemaFor(doc, send.schema, body)), body);

let t: TestEnv;
let contact: string;
let inbound: string;
beforeAll(async () => {
  t = await startTestEnv({
    sim: {
      templates: [
        ...defaultTemplates(),
        { id: '9000000000000001', name: 'visit', language: 'de_DE', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'HEADER', format: 'TEXT', text: 'Hallo {{1}}' }, { type: 'BODY', text: 'Termin am {{1}}' }] },
        { id: '9000000000000002', name: 'named_order', language: 'en_US', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'HEADER', format: 'TEXT', text: 'For {{first_name}}' }, { type: 'BODY', text: 'Order {{order}} ships today' }] },
      ],
    },
  });
  await waitFor(() => t.app.services.templates.lastSyncedAt, 15_000, 'the start-up template sync');
  // A customer writes first: that opens the window and gives a message to quote, react to and mark read.
  ({ contact, message: inbound } = await customerWrites({ from: '15557100001' }));
});
afterAll(() => t?.close());

async function customerWrites(from: { from?: string; userId?: string }): Promise<{ contact: string; message: string }> {
  const { waMessageId } = await t.sim.injectInbound({ ...from, text: 'hello' });
  const row = await waitFor(async () => (await t.db.query(`select id, contact_id from message where wa_message_id = $1`, [waMessageId])).rows[0], 5000, 'the inbound message');
  return { contact: String(row.contact_id), message: String(row.id) };
}

const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }`;

/** Makes the inbox send, and returns the body of the request the simulator received for it. */
async function sent(act: () => Promise<{ body: { errors?: unknown[] } }>): Promise<Record<string, unknown>> {
  const before = t.sim.requests.length;
  const res = await act();
  expect(res.body.errors).toBeUndefined();
  const req = await waitFor(() => t.sim.requests.slice(before).find((r) => r.method === 'POST' && r.path.endsWith('/messages')), 5000, 'the request to Meta');
  return req.body as Record<string, unknown>;
}
const sendInput = (input: Record<string, unknown>) => sent(() => t.gql(SEND, { input: { contactId: contact, ...input } }));

const KINDS: Array<[string, () => Record<string, unknown>]> = [
  ['text', () => ({ text: 'hello there' })],
  ['text with a link preview', () => ({ text: 'see https://example.com', previewUrl: true })],
  ['a reply (context)', () => ({ text: 'quoting you', replyToMessageId: inbound })],
  ['a reaction', () => ({ reaction: { messageId: inbound, emoji: '👍' } })],
  ['a reaction removed', () => ({ reaction: { messageId: inbound, emoji: '' } })],
  ...(['IMAGE', 'VIDEO', 'AUDIO', 'DOCUMENT', 'STICKER'] as const).flatMap((kind): Array<[string, () => Record<string, unknown>]> => {
    const caption = kind === 'AUDIO' || kind === 'STICKER' ? {} : { caption: `a ${kind.toLowerCase()}` };
    const filename = kind === 'DOCUMENT' ? { filename: 'invoice.pdf' } : {};
    return [
      [`${kind} by id`, () => ({ media: { kind, id: '1234567890', ...caption, ...filename } })],
      [`${kind} by link`, () => ({ media: { kind, link: `https://example.com/file.${kind.toLowerCase()}`, ...caption, ...filename } })],
    ];
  }),
  ['a location', () => ({ location: { latitude: 52.52, longitude: -13.405, name: 'Office', address: 'Berlin' } })],
  ['a location with coordinates only', () => ({ location: { latitude: 0.0000001, longitude: 180 } })],
  ['a template without parameters', () => ({ template: { name: 'hello_world', language: 'en_US' } })],
  ['a template with body parameters', () => ({ template: { name: 'order_update', language: 'en_US', parameters: ['Ada', '#42'] } })],
  ['a template with header and body parameters', () => ({ template: { name: 'visit', language: 'de_DE', headerParameters: ['Ada'], parameters: ['Montag'] } })],
  ['a template with named parameters', () => ({ template: { name: 'named_order', language: 'en_US', namedParameters: [{ name: 'first_name', value: 'Ada' }, { name: 'order', value: '#42' }] } })],
  ['a template with an image header, a URL suffix and a quick reply payload', () => ({ template: { name: 'order_shipped_photo', language: 'en_US', parameters: ['Ada'], header: { kind: 'IMAGE', link: 'https://example.com/parcel.jpg' }, buttons: [{ index: 0, text: 'A1B2C3' }, { index: 1, payload: 'STOP_UPDATES' }] } })],
  ['a template with an image header by media id', () => ({ template: { name: 'order_shipped_photo', language: 'en_US', parameters: ['Ada'], header: { kind: 'IMAGE', id: '4490709327384033' }, buttons: [{ index: 0, text: 'A1B2C3' }] } })],
  ['a template with a document header and its filename', () => ({ template: { name: 'invoice_ready', language: 'en_US', parameters: ['INV-1042'], header: { kind: 'DOCUMENT', link: 'https://example.com/inv.pdf', filename: 'INV-1042.pdf' } } })],
  ['a template with a copy code button', () => ({ template: { name: 'spring_coupon', language: 'en_US', buttons: [{ index: 0, couponCode: 'SPRING20' }] } })],
  ['a template with its text header variable as header.text', () => ({ template: { name: 'visit', language: 'de_DE', header: { kind: 'TEXT', text: 'Ada' }, parameters: ['Montag'] } })],
  ['reply buttons with header and footer', () => ({ interactive: { body: 'Pick one', header: 'Choose', footer: 'thanks', buttons: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] } })],
  ['a call-to-action URL button', () => ({ ctaUrl: { body: 'Your order ships today', displayText: 'Track order', url: 'https://example.com/track/42', header: 'Order #42', footer: 'Thanks!' } })],
  ['contact cards', () => ({ contacts: [{ formattedName: 'Ada Lovelace', firstName: 'Ada', lastName: 'Lovelace', phones: [{ phone: '+44 20 7946 0000', type: 'WORK', waId: '442079460000' }], emails: [{ email: 'ada@example.com', type: 'HOME' }], urls: [{ url: 'https://example.com/ada', type: 'WORK' }], org: { company: 'Analytical Engines', department: 'Research', title: 'Programmer' } }, { formattedName: 'Charles Babbage' }] })],
  ['a location request', () => ({ locationRequest: { body: 'Where should we deliver?' } })],
  ['one product', () => ({ product: { catalogId: '367025965434465', productRetailerId: 'tea-42', body: 'The tea you asked about', footer: 'In stock' } })],
  ['one product without body', () => ({ product: { catalogId: '367025965434465', productRetailerId: 'tea-42' } })],
  ['a product list', () => ({ productList: { header: 'Our teas', body: 'Pick one', footer: 'Free delivery', catalogId: '146265584024623', sections: [{ title: 'Green', productRetailerIds: ['g1', 'g2'] }, { title: 'Black', productRetailerIds: ['b1'] }] } })],
  ['the catalog button with a thumbnail', () => ({ catalog: { body: 'Browse our teas', thumbnailProductRetailerId: 'tea-42', footer: 'Best deals' } })],
  ['the catalog button without a thumbnail', () => ({ catalog: { body: 'Browse our teas' } })],
  ['a Flow by id, navigating with data', () => ({ flow: { flowId: '1234567890', cta: 'Book!', body: 'Book a table', header: 'Dinner', footer: 'See you', mode: 'DRAFT', screen: 'BOOKING', data: { guests: 2 }, token: 'booking-42' } })],
  ['a Flow by name with defaults', () => ({ flow: { flowName: 'Book a table', cta: 'Reserve', body: 'Dinner tonight?' } })],
  ['a data_exchange Flow', () => ({ flow: { flowId: '1234567890', cta: 'Start', body: 'Tell us more', action: 'DATA_EXCHANGE', mode: 'PUBLISHED' } })],
  ['a list', () => ({ interactive: { body: 'Menu', listButton: 'Open', sections: [{ title: 'Food', rows: [{ id: 'p', title: 'Pizza', description: 'hot' }, { id: 's', title: 'Salad' }] }, { title: 'Drinks', rows: [{ id: 'w', title: 'Water' }] }] } })],
];

describe("every request body the inbox sends matches Meta's OpenAPI description", () => {
  it.each(KINDS)('%s', async (_kind, input) => {
    expect(check(await sendInput(input()))).toEqual([]);
  });

  it('a send to a business-scoped user id (recipient, no phone number)', async () => {
    const bsuid = await customerWrites({ from: undefined, userId: 'US.13491208655302741918' });
    const body = await sent(() => t.gql(SEND, { input: { contactId: bsuid.contact, text: 'hi' } }));
    expect(body).toMatchObject({ recipient: 'US.13491208655302741918' });
    expect(check(body)).toEqual([]);
  });

  it('a read receipt', async () => {
    const body = await sent(() => t.gql(`mutation($id: ID!) { markContactRead(id: $id) { id } }`, { id: contact }));
    expect(body).toMatchObject({ status: 'read' });
    expect(check(body)).toEqual([]);
  });

  it("a read receipt from an agent's session carries the typing indicator", async () => {
    const made = await t.gql(`mutation($input: CreateAgentSessionInput!) { createAgentSession(input: $input) { token } }`, { input: { externalId: 'openapi-agent', name: 'Agent', role: 'AGENT' } });
    const token = made.body.data.createAgentSession.token as string;
    const wamid = (await t.db.query(`select wa_message_id from message where id = $1`, [inbound])).rows[0].wa_message_id;
    const body = await sent(() => t.gql(`mutation($id: ID!) { markContactRead(id: $id) { id } }`, { id: contact }, token));
    expect(body).toEqual({ messaging_product: 'whatsapp', status: 'read', message_id: wamid, typing_indicator: { type: 'text' } });
    expect(check(body)).toEqual([]);
    // An API key is no one about to type: its receipt stays bare.
    const keyed = await sent(() => t.gql(`mutation($id: ID!) { markContactRead(id: $id) { id } }`, { id: contact }));
    expect(keyed).toEqual({ messaging_product: 'whatsapp', status: 'read', message_id: wamid });
  });

  it('catches what the description refuses, so a pass means something', () => {
    const body = { messaging_product: 'whatsapp', recipient_type: 'individual', to: '1555', type: 'location', location: { latitude: 1.5, longitude: 2 }, colour: 'red' };
    expect(check(body)).toEqual(['/ must NOT have additional properties: colour', '/location/latitude must be string', '/location/longitude must be string']);
    expect(check({ ...body, type: 'hologram' })[0]).toMatch(/^\/type must be equal to one of the allowed values/);
    // The amended interactive types still hold their documented limits and shapes.
    const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: '1555', type: 'interactive' };
    const cta = { type: 'cta_url', body: { text: 'b' }, action: { name: 'cta_url', parameters: { display_text: 'x'.repeat(21), url: 'ftp://x' } } };
    expect(check({ ...base, interactive: cta })).toEqual(['/interactive/action/parameters/display_text must NOT have more than 20 characters', '/interactive/action/parameters/url must match pattern "^https?://"']);
    expect(check({ ...base, interactive: { type: 'location_request_message', body: { text: 'b' }, action: { name: 'cta_url' } } })).toEqual(['/interactive/action/name must be equal to one of the allowed values ["send_location"]']);
    expect(check({ ...base, interactive: { type: 'catalog_message', body: { text: 'b' }, action: { name: 'catalog' } } })[0]).toMatch(/^\/interactive\/action/);
    expect(check({ ...base, interactive: { type: 'product_list', header: { type: 'text', text: 'h' }, body: { text: 'b' }, action: { catalog_id: '1', sections: [{ title: 'x'.repeat(25), product_items: [{ product_retailer_id: 'p' }] }] } } })).toEqual(expect.arrayContaining([expect.stringMatching(/title must NOT have more than 24 characters/)]));
    const flow = { type: 'flow', body: { text: 'b' }, action: { name: 'flow', parameters: { flow_message_version: '3', flow_id: '1', flow_name: 'n', flow_cta: 'x'.repeat(31) } } };
    expect(check({ ...base, interactive: flow })).toEqual(expect.arrayContaining([expect.stringMatching(/flow_cta must NOT have more than 30 characters/), expect.stringMatching(/must match exactly one schema in oneOf/)]));
    expect(check({ ...base, type: 'contacts', contacts: [{ name: { formatted_name: 'Ada' }, phones: [{ phone: '1', type: 'CELL' }] }] })).toEqual(['/contacts/0/phones/0/type must be equal to one of the allowed values ["HOME","WORK"]']);
    // Template buttons: amended index and copy code, the description's own rules kept.
    const template = (components: object[]) => ({ ...base, type: 'template', template: { name: 't', language: { code: 'en_US', policy: 'deterministic' }, components } });
    const copy = (code: string, index = '0') => ({ type: 'button', sub_type: 'copy_code', index, parameters: [{ type: 'coupon_code', coupon_code: code }] });
    expect(check(template([copy('SPRING20')]))).toEqual([]);
    expect(check(template([copy('X'.repeat(16), '10')]))).toEqual(['/template/components/0/parameters/0/coupon_code must NOT have more than 15 characters', '/template/components/0/index must match pattern "^[0-9]$"']);
    expect(check(template([{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'payload' }] }]))).toEqual(["/template/components/0/parameters/0 must have required property 'payload'"]);
    expect(check(template([{ type: 'header', parameters: [{ type: 'image', image: {} }] }]))[0]).toMatch(/^\/template\/components\/0\/parameters\/0\/image must have required property/);
  });
});
