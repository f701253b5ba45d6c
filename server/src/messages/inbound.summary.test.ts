/**
 * Inbound Flow answers (`nfm_reply`) and orders through the real webhook path: Meta's samples posted
 * signed, and a Flow sent by sendMessage then answered by the simulator. Their `text` is a readable
 * summary, which the contact list's preview and search read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, waitFor, type TestEnv } from '../../test/harness.js';

const SAMPLES = path.resolve(import.meta.dirname, '../../test/webhook-samples');
const MESSAGE = 'id type text direction replyTo { id } contact { id lastMessage { text } }';

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv();
});
afterAll(() => t?.close());

/** The stored message with this wamid, as GraphQL shows it. */
async function shown(wamid: string) {
  const id = await waitFor(async () => (await t.db.query(`select id from message where wa_message_id = $1`, [wamid])).rows[0]?.id, 5000, `message ${wamid}`);
  const r = await t.gql(`query($id: ID) { messages(contactId: $id, first: 50) { edges { node { ${MESSAGE} } } } }`, {
    id: String((await t.db.query(`select contact_id from message where id = $1`, [id])).rows[0].contact_id),
  });
  expect(r.body.errors).toBeUndefined();
  return r.body.data.messages.edges.map((e: any) => e.node).find((n: any) => n.id === String(id));
}
const search = async (words: string) =>
  (await t.gql(`query($s: String) { messages(search: $s) { edges { node { text } } } }`, { s: words })).body.data.messages.edges.map((e: any) => e.node.text);

describe("Meta's samples", () => {
  it('an order lists its items and total, in the message, the preview and search', async () => {
    expect((await t.postWebhook(fs.readFileSync(path.join(SAMPLES, 'order.json')))).status).toBe(200);
    const m = await shown('wamid.xyzxyz');
    const summary = '🛒 Order: 3 × HAMBURGER 30 ILS, 2 × FRENCH_FRIES 35 ILS, 2 × SODA 10 ILS — total 180 ILS';
    expect(m).toMatchObject({ type: 'ORDER', direction: 'INBOUND', text: summary });
    expect(m.contact.lastMessage.text).toBe(summary);
    expect(await search('hamburger')).toEqual([summary]);
  });

  it("a Flow's answer lists its answers by readable names, without the token", async () => {
    expect((await t.postWebhook(fs.readFileSync(path.join(SAMPLES, 'interactive-nfm-reply-flow.json')))).status).toBe(200);
    const m = await shown('wamid.wegrchytvwcggt==');
    expect(m.type).toBe('INTERACTIVE');
    expect(m.text).toBe('Flow answer: Comment text — Comment Text; Delivery rating — 4; Purchase rating — 2; Recommend radio — 0; Cs rating — 0');
    expect(m.text).not.toContain('AQAAAAACS5FpgQ');
  });
});

describe('a Flow sent from the inbox and answered by the customer', () => {
  it('arrives quoting the Flow message, with its answers as text', async () => {
    const phone = '15557300001';
    const { waMessageId: hello } = await t.sim.injectInbound({ from: phone, text: 'I want to book' });
    const { contact } = await shown(hello);
    const sent = await t.gql(`mutation($input: SendMessageInput!) { sendMessage(input: $input) { id waMessageId } }`, {
      input: { contactId: contact.id, flow: { flowName: 'Book a table', cta: 'Reserve', body: 'Book a table', screen: 'BOOKING', data: { max_guests: 8 }, token: 'booking-7' } },
    });
    expect(sent.body.errors).toBeUndefined();
    const flowMessage = sent.body.data.sendMessage;
    await waitFor(() => t.sim.sent.find((s) => s.to === phone), 5000, 'the Flow send');
    const res = await fetch(`${t.sim.url}/_simulator/flows/complete`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: phone, response: { screen_0_Date_0: '2026-12-24', numberOfGuests: 4, flow_token: 'ignored' } }),
    });
    expect(res.status).toBe(200);
    const { waMessageId, webhookStatus } = await res.json();
    expect(webhookStatus).toBe(200);
    const answer = await shown(waMessageId);
    expect(answer).toMatchObject({ type: 'INTERACTIVE', direction: 'INBOUND', text: 'Flow answer: Date — 2026-12-24; Number of guests — 4', replyTo: { id: flowMessage.id } });
    expect(answer.contact.lastMessage.text).toBe('Flow answer: Date — 2026-12-24; Number of guests — 4');
    // The business's token comes back with the answers, for its own matching.
    const raw = (await t.db.query(`select payload from message where wa_message_id = $1`, [waMessageId])).rows[0].payload;
    expect(JSON.parse(raw.interactive.nfm_reply.response_json).flow_token).toBe('booking-7');
  });
});
