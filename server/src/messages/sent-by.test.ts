import { EntityManager } from '@mikro-orm/core';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { drained, openContacts, startTestEnv, subscribe, waitFor, type TestEnv } from '../../test/harness.js';
import { envelope, textMessage, value, wamid } from '../../test/payloads.js';

let t: TestEnv;
let contact: string;
let agentToken: string;
let agentId: string;
let adminToken: string;
let keyToken: string;
let keyId: string;

const SENDER = `sentBy { kind name agent { id name } apiKey { id name } bulkSend { id name } }`;
/** What any caller may ask: the key's record (apiKey) is for admins. */
const SENDER_PUBLIC = `sentBy { kind name agent { id name } bulkSend { id name } }`;
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { id ${SENDER_PUBLIC} } }`;
const PAGE = `query($contactId: ID) { messages(contactId: $contactId, first: 20) { edges { node { id text direction ${SENDER} } } } }`;

async function session(externalId: string, name: string, role: string) {
  const r = await t.gql(`mutation($input: CreateAgentSessionInput!) { createAgentSession(input: $input) { token agent { id } } }`, { input: { externalId, name, role } });
  return r.body.data.createAgentSession as { token: string; agent: { id: string } };
}

beforeAll(async () => {
  t = await startTestEnv();
  [contact] = await openContacts(t.db, 1, '1888');
  ({ token: agentToken, agent: { id: agentId } } = await session('ada', 'Ada', 'AGENT'));
  ({ token: adminToken } = await session('grace', 'Grace', 'ADMIN'));
  const key = await t.gql(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id } } }`, { input: { name: 'CRM sync', scopes: ['READ', 'SEND', 'BULK'] } });
  ({ key: keyToken, apiKey: { id: keyId } } = key.body.data.createApiKey);
});
afterAll(() => t?.close());

const send = async (text: string, token: string) => {
  const r = await t.gql(SEND, { input: { contactId: contact, text } }, token);
  expect(r.body.errors).toBeUndefined();
  return r.body.data.sendMessage as { id: string; sentBy: any };
};
const page = async (contactId: string) => {
  const r = await t.gql(PAGE, { contactId });
  expect(r.body.errors).toBeUndefined();
  return r.body.data!.messages.edges.map((e: any) => e.node) as Array<{ id: string; text: string; direction: string; sentBy: any }>;
};

describe('Message.sentBy', () => {
  it("an agent's send names the agent, in the mutation's answer and on the conversation's page", async () => {
    const m = await send('from Ada', agentToken);
    expect(m.sentBy).toEqual({ kind: 'AGENT', name: 'Ada', agent: { id: agentId, name: 'Ada' }, bulkSend: null });
    expect((await page(contact)).find((n) => n.id === m.id)?.sentBy).toMatchObject({ kind: 'AGENT', name: 'Ada', agent: { id: agentId } });
  });

  it('a live frame of a new message names its sender', async () => {
    const live = subscribe(t.ws(agentToken), `subscription($c: ID) { messageAdded(contactId: $c) { text sentBy { kind name } } }`, { c: contact });
    await new Promise((r) => setTimeout(r, 300)); // the subscription is in place
    await send('live from Ada', agentToken);
    const frame = await waitFor(() => live.events.find((e) => e.messageAdded.text === 'live from Ada'), 5000, 'the frame');
    expect(frame.messageAdded.sentBy).toEqual({ kind: 'AGENT', name: 'Ada' });
    expect(live.errors).toEqual([]);
    live.dispose();
  });

  it("an API key's send names the key; a bootstrap key's is SYSTEM", async () => {
    const m = await send('from the CRM', keyToken);
    expect(m.sentBy).toEqual({ kind: 'API_KEY', name: 'CRM sync', agent: null, bulkSend: null });
    expect((await page(contact)).find((n) => n.id === m.id)!.sentBy.apiKey).toEqual({ id: keyId, name: 'CRM sync' });
    // The key's record is an admin's: an agent sees the name, and FORBIDDEN for the record.
    const asAgent = await t.gql(`query($id: ID) { messages(contactId: $id, first: 5) { edges { node { sentBy { name apiKey { id } } } } } }`, { id: contact }, agentToken);
    expect(asAgent.body.errors![0].extensions.code).toBe('FORBIDDEN');
    expect(asAgent.body.data!.messages.edges.map((e: any) => e.node.sentBy?.name)).toContain('CRM sync');
    const boot = await send('from the bootstrap key', undefined as unknown as string);
    expect(boot.sentBy).toMatchObject({ kind: 'SYSTEM', agent: null, bulkSend: null });
  });

  it("a bulk send's messages are BULK, named with the bulk send and its launcher", async () => {
    const [a, b] = await openContacts(t.db, 2, '1889');
    const r = await t.gql(
      `mutation($input: SendBulkMessageInput!) { sendBulkMessage(input: $input) { id } }`,
      { input: { name: 'Spring sale', text: '20% off', recipients: [{ contactId: a }, { contactId: b }] } },
      adminToken,
    );
    expect(r.body.errors).toBeUndefined();
    const bulkId = r.body.data.sendBulkMessage.id;
    for (const c of [a!, b!]) {
      const [m] = await page(c);
      expect(m!.sentBy).toMatchObject({ kind: 'BULK', name: 'Spring sale by Grace', bulkSend: { id: bulkId, name: 'Spring sale' }, agent: { name: 'Grace' } });
    }
    const byKey = await t.gql(`mutation($input: SendBulkMessageInput!) { sendBulkMessage(input: $input) { id } }`, { input: { text: 'news', recipients: [{ contactId: a }] } }, keyToken);
    const [latest] = await page(a!);
    expect(latest!.sentBy).toMatchObject({ kind: 'BULK', name: `Bulk send #${byKey.body.data.sendBulkMessage.id} by CRM sync`, apiKey: { id: keyId } });
  });

  it('an echo from the phone app is PHONE; a customer message has no sender', async () => {
    const from = '15557770001';
    const inbound = textMessage({ from, text: 'hi there' });
    await t.postWebhook(envelope(inbound.body));
    const echo = wamid();
    await t.postWebhook(envelope({ field: 'smb_message_echoes', value: value({ message_echoes: [{ from: '15550001111', to: from, id: echo, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'answered on the phone' } }] } as any) }));
    await drained(t.db);
    const { rows } = await t.db.query(`select id::text from contact where wa_id = $1`, [from]);
    const nodes = await waitFor(async () => {
      const n = await page(rows[0].id);
      return n.length === 2 ? n : undefined;
    });
    expect(nodes.find((n) => n.text === 'answered on the phone')?.sentBy).toEqual({ kind: 'PHONE', name: 'Phone', agent: null, apiKey: null, bulkSend: null });
    expect(nodes.find((n) => n.text === 'hi there')).toMatchObject({ direction: 'INBOUND', sentBy: null });
  });

  it('a page of many senders reads each table once, not once per message', async () => {
    for (let i = 0; i < 3; i++) await send(`more ${i}`, agentToken);
    await send('more from the CRM', keyToken);
    const find = vi.spyOn(EntityManager.prototype, 'find');
    try {
      const nodes = await page(contact);
      expect(nodes.filter((n) => n.sentBy?.kind === 'AGENT').length).toBeGreaterThanOrEqual(4);
      expect(nodes.filter((n) => n.sentBy?.kind === 'API_KEY').length).toBeGreaterThanOrEqual(2);
      const reads = (cls: string) => find.mock.calls.filter(([entity]) => (typeof entity === 'string' ? entity : (entity as any).name) === cls).length;
      expect([reads('Agent'), reads('ApiKey')]).toEqual([1, 1]);
    } finally {
      find.mockRestore();
    }
  });
  it("the widget's conversation page, senders included, stays within the query cost limit", async () => {
    // The widget's own document (generated from its fragments), so a heavier bubble shows up here.
    const widget = '../../../web/src/gql/graphql.js';
    const { MessagesDocument } = await import(/* @vite-ignore */ widget);
    const r = await t.gql(print(MessagesDocument), { contactId: contact, first: 40 }, agentToken); // the widget's MESSAGES_PAGE
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.messages.edges.map((e: any) => e.node.sentBy?.name)).toContain('Ada');
  });
});
