import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AmbiguousSpec } from '../../../simulator/src/simulator.js';
import { openContacts, startTestEnv, waitFor, type TestEnv } from '../../test/harness.js';
import { envelope, status } from '../../test/payloads.js';

let t: TestEnv;
beforeAll(async () => {
  // A short client timeout for the hanging answer, and a short reconcile time to get past it.
  t = await startTestEnv({ env: { SEND_WAIT_MS: '0', WHATSAPP_API_TIMEOUT_MS: '1500', OUTBOUND_RECONCILE_SECONDS: '2' } });
});
afterAll(() => t?.close());
beforeEach(() => t.sim.reset());

const SEND = `mutation($c: ID!, $text: String!) { sendMessage(input: { contactId: $c, text: $text }) { id } }`;
const FIELDS = `id status resendableAt waMessageId sendAttempts error { title }`;
const RESEND = `mutation($id: ID!) { resendMessage(id: $id) { ${FIELDS} } }`;
const DISMISS = `mutation($id: ID!) { dismissMessage(id: $id) { ${FIELDS} } }`;
const BULK_FIELDS = `id status total queued sent read failed unknown`;

const send = async (c: string, text: string): Promise<string> => (await t.gql(SEND, { c, text })).body.data.sendMessage.id;
/** The message as the widget reads it. */
const message = async (contactId: string, id: string) => {
  const res = await t.gql(`query($c: ID!) { messages(contactId: $c, first: 20) { edges { node { ${FIELDS} } } } }`, { c: contactId });
  return res.body.data.messages.edges.map((e: any) => e.node).find((m: any) => m.id === id);
};
const statusIs = (c: string, id: string, status: string) =>
  waitFor(async () => {
    const m = await message(c, id);
    return m?.status === status ? m : null;
  }, 15_000, status);
const acceptedFor = (id: string) => t.sim.sent.filter((s) => (s.body as any).biz_opaque_callback_data === `inbox:${id}`).length;
const codes = (res: { body: any }) => (res.body.errors ?? []).map((e: any) => e.extensions?.code);

/**
 * Waits until the message is offered for a resend, then until a message sent later to someone else
 * went all the way through: the dispatcher was at work past the reconcile time, when a resend by
 * itself would have happened.
 */
async function pastReconcile(resendableAt: string, witnessPrefix: string): Promise<void> {
  const wait = new Date(resendableAt).getTime() - Date.now() + 500;
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const [w] = await openContacts(t.db, 1, witnessPrefix);
  const id = await send(w!, 'witness');
  await statusIs(w!, id, 'READ');
}

describe('a send whose outcome is unknown', () => {
  it.each<[AmbiguousSpec['mode'], string, string]>([
    ['bad-gateway', 'a 502 after Meta took it', '1931'],
    ['hang', 'no answer before our client gave up', '1933'],
    ['no-id', 'a 200 without a message id', '1935'],
  ])('%s (%s): UNKNOWN, never sent again by itself; Resend sends exactly once more', { timeout: 60_000 }, async (mode, _what, prefix) => {
    const [c] = await openContacts(t.db, 1, prefix);
    t.sim.acceptThenFailNext({ mode });
    const id = await send(c!, `ambiguous ${mode}`);

    const unknown = await statusIs(c!, id, 'UNKNOWN');
    expect(unknown).toMatchObject({ waMessageId: null, sendAttempts: 1 });
    expect(unknown.resendableAt).not.toBeNull();
    expect(acceptedFor(id)).toBe(1);

    await pastReconcile(unknown.resendableAt, String(Number(prefix) + 1));
    expect(await message(c!, id)).toMatchObject({ status: 'UNKNOWN', sendAttempts: 1 });
    expect(acceptedFor(id)).toBe(1);

    const resent = await t.gql(RESEND, { id });
    expect(resent.body.errors).toBeUndefined();
    expect(resent.body.data.resendMessage).toMatchObject({ id, status: 'PENDING', resendableAt: null });
    const read = await statusIs(c!, id, 'READ');
    expect(read.sendAttempts).toBe(2);
    expect(acceptedFor(id)).toBe(2);
    // The second send's wamid is the one kept.
    expect(read.waMessageId).toBe(t.sim.sent.filter((s) => (s.body as any).biz_opaque_callback_data === `inbox:${id}`)[1]!.waMessageId);
  });

  it('Dismiss settles it as not confirmed, without a send; Resend is refused before the reconcile time; a late status still applies', async () => {
    const [c] = await openContacts(t.db, 1, '1937');
    t.sim.acceptThenFailNext({ mode: 'bad-gateway' });
    const id = await send(c!, 'dismiss me');
    const unknown = await statusIs(c!, id, 'UNKNOWN');
    if (Date.now() < new Date(unknown.resendableAt).getTime() - 200) {
      const early = await t.gql(RESEND, { id });
      expect(codes(early)).toEqual(['BAD_USER_INPUT']);
      expect(early.body.errors?.[0]?.extensions?.resendableAt).toBe(unknown.resendableAt);
    }
    const dismissed = await t.gql(DISMISS, { id });
    expect(dismissed.body.data.dismissMessage).toMatchObject({ status: 'FAILED', resendableAt: null, error: { title: 'Not confirmed by WhatsApp' } });
    expect(codes(await t.gql(DISMISS, { id }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.gql(RESEND, { id }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.gql(RESEND, { id: '999999999' }))).toEqual(['NOT_FOUND']);
    await pastReconcile(unknown.resendableAt, '1938');
    expect(await message(c!, id)).toMatchObject({ status: 'FAILED', sendAttempts: 1 });
    expect(acceptedFor(id)).toBe(1);

    // Meta's webhook comes after all (our endpoint was down): the truth replaces the dismissal.
    const wamid = t.sim.sent.find((s) => (s.body as any).biz_opaque_callback_data === `inbox:${id}`)!.waMessageId;
    expect((await t.postWebhook(envelope(status({ id: wamid, status: 'delivered', opaque: `inbox:${id}` })))).status).toBe(200);
    expect(await statusIs(c!, id, 'DELIVERED')).toMatchObject({ waMessageId: wamid, error: null, sendAttempts: 1 });
  });

  it('a status webhook settles it: Meta took it after all (found by biz_opaque_callback_data), and it is not sent again', async () => {
    const [c] = await openContacts(t.db, 1, '1939');
    t.sim.acceptThenFailNext({ mode: 'bad-gateway', statuses: true });
    const id = await send(c!, 'took it after all');
    const read = await statusIs(c!, id, 'READ');
    expect(read).toMatchObject({ sendAttempts: 1, resendableAt: null, waMessageId: t.sim.sent[0]!.waMessageId });
    expect(acceptedFor(id)).toBe(1);
    expect(t.sim.requests.filter((r) => r.method === 'POST' && /\/messages$/.test(r.path)).map((r) => r.status)).toEqual([502]);
  });

  it('130429 (Meta did not send it) is still retried by itself and delivered once', async () => {
    const [c] = await openContacts(t.db, 1, '1940');
    t.sim.failNext({ code: 130429, retryAfterSeconds: 1 });
    const id = await send(c!, 'throttled');
    expect(await statusIs(c!, id, 'READ')).toMatchObject({ sendAttempts: 2 });
    expect(acceptedFor(id)).toBe(1);
    expect(t.sim.requests.filter((r) => r.method === 'POST' && /\/messages$/.test(r.path)).map((r) => r.status)).toEqual([429, 200]);
  });
});

describe('a bulk send with unknown outcomes', () => {
  it('counts them apart, and resendBulkUnknown sends those once more and nothing else', { timeout: 60_000 }, async () => {
    const contacts = await openContacts(t.db, 4, '1941');
    t.sim.acceptThenFailNext({ mode: 'bad-gateway', count: 2 });
    const res = await t.gql(`mutation($input: SendBulkMessageInput!) { sendBulkMessage(input: $input) { ${BULK_FIELDS} } }`, {
      input: { name: 'unsure', text: 'Hello all', recipients: contacts.map((contactId) => ({ contactId })) },
    });
    const bulkId: string = res.body.data.sendBulkMessage.id;
    const progress = async () => (await t.gql(`query($id: ID!) { bulkSend(id: $id) { ${BULK_FIELDS} } }`, { id: bulkId })).body.data.bulkSend;
    const counted = await waitFor(async () => {
      const p = await progress();
      return p.unknown === 2 && p.read === 2 ? p : null;
    }, 15_000, 'two read, two unknown');
    expect(counted).toMatchObject({ total: 4, queued: 0, sent: 2, failed: 0, unknown: 2 });
    expect(t.sim.sent).toHaveLength(4);

    const { rows } = await t.db.query(`select id::text as id, contact_id::text as contact_id from message where bulk_send_id = $1 and status = 'UNKNOWN'`, [bulkId]);
    const first = await message(rows[0].contact_id, rows[0].id);
    await pastReconcile(first.resendableAt, '1942');
    expect(await progress()).toMatchObject({ unknown: 2, read: 2 });
    expect(t.sim.sent).toHaveLength(5); // the four, and the witness

    const resent = await t.gql(`mutation($id: ID!) { resendBulkUnknown(id: $id) { ${BULK_FIELDS} } }`, { id: bulkId });
    expect(resent.body.errors).toBeUndefined();
    expect(resent.body.data.resendBulkUnknown).toMatchObject({ unknown: 0, queued: 2 });
    await waitFor(async () => (await progress()).read === 4, 15_000, 'all four read');
    expect(await progress()).toMatchObject({ status: 'COMPLETED', unknown: 0, sent: 4, read: 4 });
    const { rows: all } = await t.db.query(`select id::text as id from message where bulk_send_id = $1`, [bulkId]);
    const unknownIds = new Set(rows.map((r) => r.id));
    expect(all.map((m) => [unknownIds.has(m.id), acceptedFor(m.id)]).sort()).toEqual([[false, 1], [false, 1], [true, 2], [true, 2]]);
    expect(codes(await t.gql(`mutation { resendBulkUnknown(id: "999999999") { id } }`))).toEqual(['NOT_FOUND']);
  });
});
