import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from './src/simulator.js';
import { startReceiver, waitFor } from './test-receiver.js';

const SECRET = 'app-secret';
const TOKEN = 'test-token';
const WABA = '102290129340398';

let sim: RunningSimulator;
let hook: Awaited<ReturnType<typeof startReceiver>>;

const graph = (path: string, init: RequestInit = {}) =>
  fetch(`${sim.url}/v25.0${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...init.headers } });
const create = (body: object) => graph(`/${WABA}/message_templates`, { method: 'POST', body: JSON.stringify(body) });
const listed = async (name: string) => (await (await graph(`/${WABA}/message_templates?name=${name}`)).json()).data as Array<Record<string, any>>;
const template = (name: string, language = 'en_US') => ({
  name, language, category: 'UTILITY', parameter_format: 'NAMED',
  components: [{ type: 'BODY', text: 'Hi {{first_name}}, it shipped.', example: { body_text_named_params: [{ param_name: 'first_name', example: 'Ada' }] } }],
});

beforeAll(async () => {
  hook = await startReceiver(SECRET);
  sim = await startSimulator({ appSecret: SECRET, accessToken: TOKEN, phoneNumberId: '1', wabaId: WABA, webhookUrl: hook.url, log: () => {} });
});
afterAll(async () => {
  await sim?.close();
  await hook?.close();
});
beforeEach(() => {
  hook.received.length = 0;
});

describe('template management', () => {
  it('creates a template PENDING, lists it with its format, and approves it by the control route with a webhook', async () => {
    const res = await create(template('managed_parcel'));
    expect(res.status).toBe(200);
    const created = await res.json();
    expect(created).toEqual({ id: expect.stringMatching(/^\d+$/), status: 'PENDING', category: 'UTILITY' });
    expect(await listed('managed_parcel')).toEqual([expect.objectContaining({ id: created.id, status: 'PENDING', parameter_format: 'NAMED' })]);
    const approve = await fetch(`${sim.url}/_simulator/template-status`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'managed_parcel', language: 'en_US', status: 'APPROVED' }),
    });
    expect(approve.status).toBe(200);
    await waitFor(() => hook.received.length === 1);
    const change = hook.received[0]!.body.entry[0].changes[0];
    expect(hook.received[0]!.signatureValid).toBe(true);
    expect(change).toMatchObject({ field: 'message_template_status_update', value: { event: 'APPROVED', message_template_id: Number(created.id), message_template_name: 'managed_parcel' } });
    expect((await listed('managed_parcel'))[0]!.status).toBe('APPROVED');
  });

  it("answers Meta's errors for a duplicate language, a bad name and invalid components", async () => {
    await create(template('twice'));
    const dup = await create(template('twice'));
    expect(dup.status).toBe(400);
    expect((await dup.json()).error).toMatchObject({ code: 100, error_subcode: 2388024, error_user_title: 'Content in this language already exists' });
    expect((await create(template('twice', 'de'))).status).toBe(200);
    const cases: Array<[object, number]> = [
      [{ name: 'Bad Name' }, 2388023],
      [{ category: 'PROMO' }, 2388042],
      [{ components: [{ type: 'FOOTER', text: 'x' }] }, 2388043],
      [{ components: [{ type: 'BODY', text: 'x'.repeat(1025) }] }, 2388040],
      [{ components: [{ type: 'BODY', text: 'a' }, { type: 'BODY', text: 'b' }] }, 2388040],
    ];
    for (const [change, subcode] of cases) {
      const res = await create({ ...template('refused'), ...change });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: 100, error_subcode: subcode });
    }
    expect(await listed('refused')).toEqual([]);
  });

  it('edits a reviewed template (back to PENDING), refuses to edit one in review', async () => {
    const { id } = await (await create(template('editable'))).json();
    expect((await graph(`/${id}`, { method: 'POST', body: JSON.stringify({ category: 'MARKETING' }) })).status).toBe(400);
    await sim.setTemplateStatus('editable', 'en_US', 'REJECTED');
    const components = [{ type: 'BODY', text: 'New text' }];
    const res = await graph(`/${id}`, { method: 'POST', body: JSON.stringify({ category: 'MARKETING', components }) });
    expect(await res.json()).toEqual({ success: true, id, status: 'PENDING', category: 'MARKETING' });
    expect((await listed('editable'))[0]).toMatchObject({ status: 'PENDING', category: 'MARKETING', components });
  });

  it('deletes every language of a name, or only the one named by hsm_id', async () => {
    const en = await (await create(template('gone'))).json();
    await create(template('gone', 'de'));
    await create(template('gone', 'fr'));
    const one = await graph(`/${WABA}/message_templates?name=gone&hsm_id=${en.id}`, { method: 'DELETE' });
    expect(await one.json()).toEqual({ success: true });
    expect((await listed('gone')).map((t) => t.language).sort()).toEqual(['de', 'fr']);
    expect((await graph(`/${WABA}/message_templates?name=gone`, { method: 'DELETE' })).status).toBe(200);
    expect(await listed('gone')).toEqual([]);
    const again = await graph(`/${WABA}/message_templates?name=gone`, { method: 'DELETE' });
    expect(again.status).toBe(400);
    expect((await graph(`/${WABA}/message_templates`, { method: 'DELETE' })).status).toBe(400);
  });
});
