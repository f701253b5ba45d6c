import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from './src/simulator.js';
import { startReceiver } from './test-receiver.js';

const SECRET = 'app-secret';
const TOKEN = 'test-token';
const PNID = '106540352242922';

let sim: RunningSimulator;
let hook: Awaited<ReturnType<typeof startReceiver>>;

const send = (body: object) =>
  fetch(`${sim.url}/v25.0/${PNID}/messages`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const control = (path: string, body: object) =>
  fetch(`${sim.url}/_simulator${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const params = { flow_message_version: '3', flow_id: '1234567890', flow_cta: 'Book!', flow_action: 'navigate', flow_action_payload: { screen: 'BOOKING', data: { guests: 2 } } };
const flow = (p: object = params, extra: object = {}, to = '+1 650-555-1234') => ({
  messaging_product: 'whatsapp', to, type: 'interactive',
  interactive: { type: 'flow', body: { text: 'Book a table' }, action: { name: 'flow', parameters: p }, ...extra },
});
/** The messages of the last webhook the receiver got. */
const lastMessage = () => hook.received.at(-1)!.body.entry[0].changes[0].value.messages[0];

beforeAll(async () => {
  hook = await startReceiver(SECRET);
  sim = await startSimulator({ appSecret: SECRET, accessToken: TOKEN, phoneNumberId: PNID, wabaId: '102290129340398', webhookUrl: hook.url, autoRead: false, statusDelaysMs: { sent: 10_000, delivered: 10_000, read: 10_000 }, log: () => {} });
});
afterAll(async () => {
  await sim?.close();
  await hook?.close();
});
beforeEach(() => {
  sim.reset();
  hook.received.length = 0;
});

describe('Flow messages', () => {
  it('accepts and answers a Flow by id, by name, in draft mode and with data_exchange', async () => {
    const bodies = [
      flow(),
      flow({ flow_message_version: '3', flow_name: 'Book a table', flow_cta: 'x'.repeat(30), mode: 'draft', flow_token: 'tok-1' }, { header: { type: 'text', text: 'Dinner' }, footer: { text: 'See you' } }),
      flow({ flow_message_version: '3', flow_id: '1', flow_cta: 'Start', flow_action: 'data_exchange' }),
    ];
    for (const body of bodies) {
      const res = await send(body);
      expect(res.status).toBe(200);
      expect((await res.json()).messages[0].id).toMatch(/^wamid\./);
    }
    expect(sim.sent).toHaveLength(3);
  });

  it.each([
    ['no body', flow(params, { body: undefined }), 131008],
    ['another action name', flow(params, { action: { name: 'cta_url', parameters: params } }), 131008],
    ['no version', flow({ ...params, flow_message_version: undefined }), 131008],
    ['version 2', flow({ ...params, flow_message_version: '2' }), 100],
    ['both id and name', flow({ ...params, flow_name: 'Book' }), 100],
    ['neither id nor name', flow({ ...params, flow_id: undefined }), 100],
    ['no button label', flow({ ...params, flow_cta: '' }), 131008],
    ['a button label over 30 characters', flow({ ...params, flow_cta: 'x'.repeat(31) }), 100],
    ['an unknown mode', flow({ ...params, mode: 'live' }), 100],
    ['an unknown flow action', flow({ ...params, flow_action: 'open' }), 100],
    ['a payload with data_exchange', flow({ ...params, flow_action: 'data_exchange' }), 100],
    ['empty data', flow({ ...params, flow_action_payload: { screen: 'BOOKING', data: {} } }), 100],
    ['a footer over 60 characters', flow(params, { footer: { text: 'x'.repeat(61) } }), 100],
  ])('refuses %s like Meta', async (_what, body, code) => {
    const res = await send(body);
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe(code);
    expect(sim.sent).toHaveLength(0);
  });
});

describe("a Flow's answer is played back as Meta delivers it", () => {
  it('POST /_simulator/flows/complete posts a signed nfm_reply quoting the Flow message, with its token', async () => {
    await send(flow({ ...params, flow_token: 'booking-42' }));
    const wamid = sim.sent[0]!.waMessageId;
    await send({ messaging_product: 'whatsapp', to: '1555', type: 'text', text: { body: 'something else after it' } });
    const res = await control('/flows/complete', { to: '+1 650-555-1234', name: 'Ada', response: { date: '2026-12-24', guests: 4 } });
    expect(res.status).toBe(200);
    const { waMessageId, webhookStatus } = await res.json();
    expect(webhookStatus).toBe(200);
    const w = hook.received.at(-1)!;
    expect(w.signatureValid).toBe(true);
    expect(w.body.entry[0].changes[0].value.contacts[0]).toMatchObject({ profile: { name: 'Ada' }, wa_id: '16505551234' });
    const m = lastMessage();
    expect(m).toMatchObject({
      id: waMessageId, from: '16505551234', type: 'interactive', context: { id: wamid },
      interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json: expect.any(String) } },
    });
    expect(JSON.parse(m.interactive.nfm_reply.response_json)).toEqual({ date: '2026-12-24', guests: 4, flow_token: 'booking-42' });
  });

  it('answers the Flow named by its wamid; a Flow sent without a token answers with Meta\'s default', async () => {
    await send(flow(params, {}, '15550000001'));
    await send(flow(params, {}, '15550000002'));
    const first = sim.sent[0]!.waMessageId;
    await sim.completeFlow({ wamid: first, response: { ok: true } });
    const m = lastMessage();
    expect(m).toMatchObject({ from: '15550000001', context: { id: first } });
    expect(JSON.parse(m.interactive.nfm_reply.response_json)).toEqual({ ok: true, flow_token: 'unused' });
  });

  it('a Flow sent to a business-scoped user id is answered by that user', async () => {
    await send({ ...flow(), to: undefined, recipient: 'US.77' });
    await sim.completeFlow({ response: { a: 1 } });
    expect(lastMessage()).toMatchObject({ from_user_id: 'US.77', context: { id: sim.sent[0]!.waMessageId } });
    expect(lastMessage().from).toBeUndefined();
  });

  it('refuses an answer to no Flow, or without answers, and posts nothing', async () => {
    expect((await control('/flows/complete', { response: { a: 1 } })).status).toBe(404);
    await send(flow());
    expect((await control('/flows/complete', { to: '15559999999', response: { a: 1 } })).status).toBe(404);
    expect((await control('/flows/complete', { wamid: 'wamid.nope', response: { a: 1 } })).status).toBe(404);
    const bad = await control('/flows/complete', {});
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/response/);
    expect(hook.received).toHaveLength(0);
  });
});
