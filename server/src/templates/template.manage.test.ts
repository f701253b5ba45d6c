import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestEnv, waitFor, type TestEnv } from '../../test/harness.js';

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv();
  await waitFor(() => t.app.services.templates.lastSyncedAt, 15_000, 'the start-up template sync');
});
afterAll(() => t?.close());
beforeEach(() => t.sim.reset());

const FIELDS = 'id name language status category parameterFormat components';
const CREATE = `mutation($input: CreateTemplateInput!) { createTemplate(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateTemplateInput!) { updateTemplate(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = `mutation($id: ID!, $all: Boolean) { deleteTemplate(id: $id, allLanguages: $all) { name language status } }`;

const shipping = (name: string, language = 'en_US') => ({
  name, language, category: 'UTILITY',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['#1042'] } },
    { type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped.', example: { body_text: [['Ada', '#1042']] } },
    { type: 'FOOTER', text: 'Reply STOP to opt out' },
    { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Track it' }, { type: 'URL', text: 'Open', url: 'https://shop.example/o/{{1}}', example: ['https://shop.example/o/1042'] }] },
  ],
});
const templateCalls = () => t.sim.requests.filter((r) => r.method !== 'GET' && !r.path.includes('/messages'));
const stored = async (name: string, language = 'en_US') =>
  (await t.db.query(`select status, category, wa_id, components from template where name = $1 and language = $2`, [name, language])).rows[0];
/** Approves or rejects a template as Meta's reviewers would: the simulator's control route posts the status webhook. */
const review = (name: string, status: string, reason?: string) =>
  fetch(`${t.sim.url}/_simulator/template-status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, language: 'en_US', status, reason }) });

let refusals = 0;

describe('createTemplate', () => {
  it('submits the template to Meta, stores it PENDING, and the review webhook makes it APPROVED', async () => {
    const res = await t.gql(CREATE, { input: shipping('parcel_dispatched') });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.createTemplate).toMatchObject({ name: 'parcel_dispatched', language: 'en_US', status: 'PENDING', category: 'UTILITY', parameterFormat: 'POSITIONAL' });
    const [call] = templateCalls();
    expect(call).toMatchObject({ method: 'POST', path: '/v25.0/waba-1/message_templates', status: 200 });
    expect(call!.body).toMatchObject({ name: 'parcel_dispatched', language: 'en_US', category: 'UTILITY', parameter_format: 'POSITIONAL', components: shipping('x').components });
    const atMeta = t.sim.templates.find((x) => x.name === 'parcel_dispatched')!;
    expect((await stored('parcel_dispatched')).wa_id).toBe(atMeta.id);
    const listed = await t.gql(`{ templates(name: "parcel_dispatched") { status } }`);
    expect(listed.body.data.templates).toEqual([{ status: 'PENDING' }]);

    expect((await review('parcel_dispatched', 'APPROVED')).status).toBe(200);
    await waitFor(async () => (await stored('parcel_dispatched')).status === 'APPROVED', 10_000, 'APPROVED by the webhook');
    await review('parcel_dispatched', 'REJECTED', 'INVALID_FORMAT');
    await waitFor(async () => (await stored('parcel_dispatched')).status === 'REJECTED', 10_000, 'REJECTED by the webhook');
  });

  it.each([
    ['name', { name: 'Order Shipped' }],
    ['category', { category: 'PROMO' }],
    ['language', { language: 'english' }],
    ['parameterFormat', { parameterFormat: 'ORDERED' }],
    ['components', { components: [{ type: 'FOOTER', text: 'no body' }] }],
    ['components[0].text', { components: [{ type: 'BODY', text: 'x'.repeat(1025) }] }],
    ['components[0].text', { components: [{ type: 'BODY', text: 'Hi {{1}}, order {{3}} is ready.', example: { body_text: [['a', 'b']] } }] }],
    ['components[0].text', { components: [{ type: 'BODY', text: '{{1}}, your order is ready.', example: { body_text: [['Ada']] } }] }],
    ['components[0].example.body_text', { components: [{ type: 'BODY', text: 'Hi {{1}}, your order is ready.' }] }],
    ['components[0].text', { parameterFormat: 'NAMED', components: [{ type: 'BODY', text: 'Hi {{First}}, ready.' }] }],
    ['components[0].example.body_text_named_params', { parameterFormat: 'NAMED', components: [{ type: 'BODY', text: 'Hi {{first_name}}, ready.', example: { body_text_named_params: [{ param_name: 'other', example: 'x' }] } }] }],
    ['components[1].type', { components: [{ type: 'BODY', text: 'a' }, { type: 'BODY', text: 'b' }] }],
    ['components[0].text', { components: [{ type: 'HEADER', format: 'TEXT', text: 'h'.repeat(61) }, { type: 'BODY', text: 'b' }] }],
    ['components[0].text', { components: [{ type: 'HEADER', format: 'TEXT', text: '{{1}} and {{2}}', example: { header_text: ['a', 'b'] } }, { type: 'BODY', text: 'b' }] }],
    ['components[0].example.header_handle', { components: [{ type: 'HEADER', format: 'IMAGE' }, { type: 'BODY', text: 'b' }] }],
    ['components[1].text', { components: [{ type: 'BODY', text: 'b' }, { type: 'FOOTER', text: 'Hi {{1}}' }] }],
    ['components[1].buttons', { components: [{ type: 'BODY', text: 'b' }, { type: 'BUTTONS', buttons: Array.from({ length: 11 }, (_, i) => ({ type: 'QUICK_REPLY', text: `b${i}` })) }] }],
    ['components[1].buttons[0].text', { components: [{ type: 'BODY', text: 'b' }, { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'q'.repeat(26) }] }] }],
    ['components[1].buttons[0].url', { components: [{ type: 'BODY', text: 'b' }, { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Open', url: 'https://x.example/{{1}}/page', example: ['https://x.example/1/page'] }] }] }],
    ['components[1].buttons[0].phone_number', { components: [{ type: 'BODY', text: 'b' }, { type: 'BUTTONS', buttons: [{ type: 'PHONE_NUMBER', text: 'Call' }] }] }],
  ])('refuses a bad %s with BAD_USER_INPUT naming it, and Meta hears nothing', async (field, change) => {
    const name = `refused_${++refusals}`; // each case its own, so one wrongly taken leaves the others' checks alone
    const res = await t.gql(CREATE, { input: { ...shipping(name), ...change } });
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(res.body.errors?.[0].message).toContain(field);
    expect(templateCalls()).toEqual([]);
    expect(await stored(name)).toBeUndefined();
  });

  it("Meta's refusal of a name that exists in that language comes back as a clear error; the other language is created", async () => {
    const res = await t.gql(CREATE, { input: shipping('hello_world') });
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'WHATSAPP_ERROR', whatsappCode: 100 });
    expect(res.body.errors?.[0].message).toContain('Content in this language already exists');
    expect(templateCalls()).toHaveLength(1);
    const german = await t.gql(CREATE, { input: shipping('hello_world', 'de') });
    expect(german.body.data.createTemplate).toMatchObject({ name: 'hello_world', language: 'de', status: 'PENDING' });
  });

  it('a NAMED template carries its format and named examples to Meta', async () => {
    const input = {
      name: 'named_one', language: 'pt_BR', category: 'MARKETING', parameterFormat: 'NAMED',
      components: [{ type: 'BODY', text: 'Oi {{first_name}}, seu pedido chegou.', example: { body_text_named_params: [{ param_name: 'first_name', example: 'Ana' }] } }],
    };
    const res = await t.gql(CREATE, { input });
    expect(res.body.data.createTemplate).toMatchObject({ status: 'PENDING', parameterFormat: 'NAMED', category: 'MARKETING' });
    expect(templateCalls()[0]!.body).toMatchObject({ parameter_format: 'NAMED' });
  });
});

describe('updateTemplate and deleteTemplate', () => {
  it('an edit goes to Meta and back to review; a refused edit posts nothing', async () => {
    const created = (await t.gql(CREATE, { input: shipping('to_edit') })).body.data.createTemplate;
    await review('to_edit', 'APPROVED');
    await waitFor(async () => (await stored('to_edit')).status === 'APPROVED');
    t.sim.reset();
    const bad = await t.gql(UPDATE, { id: created.id, input: { components: [{ type: 'BODY', text: 'Hi {{2}}', example: { body_text: [['x']] } }] } });
    expect(bad.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'components[0].text' });
    expect(templateCalls()).toEqual([]);
    const components = [{ type: 'BODY', text: 'Your order {{1}} is on its way.', example: { body_text: [['#1042']] } }];
    const res = await t.gql(UPDATE, { id: created.id, input: { category: 'marketing', components } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.updateTemplate).toMatchObject({ status: 'PENDING', category: 'MARKETING', components });
    const atMeta = t.sim.templates.find((x) => x.name === 'to_edit')!;
    expect(templateCalls()).toEqual([expect.objectContaining({ method: 'POST', path: `/v25.0/${atMeta.id}`, body: { category: 'MARKETING', components } })]);
    expect(atMeta).toMatchObject({ status: 'PENDING', category: 'MARKETING', components });
    // Meta keeps a template in review from being edited; its words come back.
    const again = await t.gql(UPDATE, { id: created.id, input: { category: 'UTILITY' } });
    expect(again.body.errors?.[0]).toMatchObject({ extensions: { code: 'WHATSAPP_ERROR' }, message: expect.stringContaining('cannot be edited') });
    expect((await t.gql(UPDATE, { id: '987654321', input: { category: 'UTILITY' } })).body.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });

  it('deletes one language by its id, or every language of the name', async () => {
    const en = (await t.gql(CREATE, { input: shipping('to_delete') })).body.data.createTemplate;
    const de = (await t.gql(CREATE, { input: shipping('to_delete', 'de') })).body.data.createTemplate;
    await t.gql(CREATE, { input: shipping('to_delete', 'fr') });
    t.sim.reset();
    const one = await t.gql(DELETE, { id: de.id });
    expect(one.body.data.deleteTemplate).toEqual([{ name: 'to_delete', language: 'de', status: 'DELETED' }]);
    const atMeta = () => t.sim.templates.filter((x) => x.name === 'to_delete').map((x) => x.language).sort();
    expect(atMeta()).toEqual(['en_US', 'fr']);
    expect(templateCalls()[0]!.path).toMatch(/^\/v25\.0\/waba-1\/message_templates\?name=to_delete&hsm_id=\d+$/);
    const all = await t.gql(DELETE, { id: en.id, all: true });
    expect(all.body.data.deleteTemplate.map((x: { language: string }) => x.language)).toEqual(['en_US', 'fr']);
    expect(atMeta()).toEqual([]);
    expect(templateCalls()[1]!.path).toBe('/v25.0/waba-1/message_templates?name=to_delete');
    expect((await t.gql(`{ templates(name: "to_delete") { name } }`)).body.data.templates).toEqual([]);
    const twice = await t.gql(DELETE, { id: en.id });
    expect(twice.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('an agent or a viewer is refused (FORBIDDEN) and Meta hears nothing', async () => {
    for (const role of ['AGENT', 'VIEWER']) {
      const session = await t.gql(`mutation($id: String!, $r: Role) { createAgentSession(input: { externalId: $id, role: $r }) { token } }`, { id: `tpl-${role}`, r: role });
      const token = session.body.data.createAgentSession.token;
      const res = await t.gql(CREATE, { input: shipping('not_allowed') }, token);
      expect(res.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
      expect((await t.gql(DELETE, { id: '1' }, token)).body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    }
    expect(templateCalls()).toEqual([]);
    expect(await stored('not_allowed')).toBeUndefined();
  });
});
