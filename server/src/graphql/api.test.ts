import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drained, startTestEnv, TEST_TOKEN, waitFor, type TestEnv } from '../../test/harness.js';
import { envelope, textMessage } from '../../test/payloads.js';

let t: TestEnv;
const base = Math.floor(Date.now() / 1000) - 3600;
let ada: string; // contact ids
let bob: string;

beforeAll(async () => {
  t = await startTestEnv();
  // Ada writes 5 messages, Bob 1 (later); one of Ada's has a literal "50%".
  for (let i = 0; i < 5; i++) await t.postWebhook(envelope(textMessage({ from: '15550000001', name: 'Ada Lovelace', text: i === 2 ? 'discount 50% off' : `ada ${i}`, ts: base + i }).body));
  await t.postWebhook(envelope(textMessage({ from: '15550000002', userId: 'US.42', name: 'Bob', text: 'bob here', ts: base + 10 }).body));
  await drained(t.db);
  const { rows } = await t.db.query(`select id, wa_id from contact order by wa_id`);
  ada = rows[0].id;
  bob = rows[1].id;
});
afterAll(() => t?.close());

describe('authentication', () => {
  it('refuses a request without a token with 401 UNAUTHENTICATED', async () => {
    const res = await t.gql('{ stats { totalMessages } }', {}, null);
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(res.body.data).toBeUndefined();
  });
  it('refuses a wrong token and accepts every configured one', async () => {
    expect((await t.gql('{ stats { totalMessages } }', {}, 'nope')).status).toBe(401);
    expect((await t.gql('{ stats { totalMessages } }', {}, 'second-token')).body.data.stats.totalMessages).toBe(6);
  });
});

describe('messages', () => {
  const q = `query($contactId: ID, $first: Int, $after: String, $search: String) {
    messages(contactId: $contactId, first: $first, after: $after, search: $search) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { text direction status timestamp contact { name waId } } } } }`;
  it('pages through a conversation newest first with Relay cursors', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const res: any = await t.gql(q, { contactId: ada, first: 2, after });
      const conn = res.body.data.messages;
      expect(conn.totalCount).toBe(5);
      seen.push(...conn.edges.map((e: any) => e.node.text));
      expect(conn.pageInfo.hasNextPage).toBe(page < 2);
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toEqual(['ada 4', 'ada 3', 'discount 50% off', 'ada 1', 'ada 0']);
  });
  it('uses Meta timestamps and resolves the contact', async () => {
    const res = await t.gql(q, { contactId: bob, first: 1 });
    const node = res.body.data.messages.edges[0].node;
    expect(node).toMatchObject({ text: 'bob here', direction: 'INBOUND', status: 'RECEIVED', contact: { name: 'Bob', waId: '15550000002' } });
    expect(new Date(node.timestamp).getTime()).toBe((base + 10) * 1000);
  });
  it('searches words in any order and case, the last one as typed so far (from three characters), and nothing else', async () => {
    const texts = async (search: string) => (await t.gql(q, { search })).body.data.messages.edges.map((e: any) => e.node.text);
    expect(await texts('50%')).toEqual(['discount 50% off']);
    expect(await texts('OFF Discount')).toEqual(['discount 50% off']);
    expect(await texts('discount 50')).toEqual(['discount 50% off']);
    expect(await texts('discount o')).toEqual([]); // a last word under three characters is a whole word
    expect(await texts('disc')).toEqual(['discount 50% off']);
    expect(await texts('count')).toEqual([]); // inside a word, not at its start
    expect(await texts('disc off')).toEqual([]); // only the last word may be unfinished
    expect(await texts('%')).toEqual([]); // no word
    expect((await t.gql(q, { search: "'; drop table message; --" })).body.data.messages.totalCount).toBe(0);
    expect((await t.gql(q, { search: 'ADA 3' })).body.data.messages.totalCount).toBe(1);
  });
  it('rejects oversized pages and forged cursors with BAD_USER_INPUT', async () => {
    expect((await t.gql(q, { first: 101 })).body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await t.gql(q, { first: 0 })).body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await t.gql(q, { after: 'garbage' })).body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('contacts', () => {
  const q = `query($search: String, $pinned: Boolean, $blocked: Boolean, $tag: String, $first: Int, $after: String) {
    contacts(search: $search, pinned: $pinned, blocked: $blocked, tag: $tag, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id name waId userId unreadCount isPinned isBlocked tags windowExpiresAt lastMessage { text } } } } }`;
  const names = async (vars: Record<string, unknown> = {}) => (await t.gql(q, vars)).body.data.contacts.edges.map((e: any) => e.node.name);

  it('lists by last message time, with unread counts, last message and the open window', async () => {
    const res = await t.gql(q, {});
    const [first, second] = res.body.data.contacts.edges.map((e: any) => e.node);
    expect(first).toMatchObject({ name: 'Bob', unreadCount: 1, lastMessage: { text: 'bob here' }, userId: 'US.42' });
    expect(second).toMatchObject({ name: 'Ada Lovelace', unreadCount: 5, lastMessage: { text: 'ada 4' } });
    expect(new Date(first.windowExpiresAt).getTime()).toBe((base + 10) * 1000 + 24 * 3600 * 1000);
  });
  it('searches by name, number and message text', async () => {
    expect(await names({ search: 'lovelace' })).toEqual(['Ada Lovelace']);
    expect(await names({ search: '0000002' })).toEqual(['Bob']);
    expect(await names({ search: 'discount' })).toEqual(['Ada Lovelace']);
    expect(await names({ search: 'nobody' })).toEqual([]);
  });
  it('updateContact renames, tags, pins and blocks; pinned come first; filters apply', async () => {
    const res = await t.gql(`mutation($id: ID!) { updateContact(id: $id, input: { displayName: "Countess", tags: ["vip", "vip", " math "], isPinned: true }) { name displayName tags isPinned } }`, { id: ada });
    expect(res.body.data.updateContact).toEqual({ name: 'Countess', displayName: 'Countess', tags: ['vip', 'math'], isPinned: true });
    expect(await names()).toEqual(['Countess', 'Bob']);
    expect(await names({ pinned: true })).toEqual(['Countess']);
    expect(await names({ tag: 'vip' })).toEqual(['Countess']);
    await t.gql(`mutation($id: ID!) { updateContact(id: $id, input: { isBlocked: true }) { id } }`, { id: bob });
    expect(await names({ blocked: true })).toEqual(['Bob']);
    expect(await names({ blocked: false })).toEqual(['Countess']);
    // pages keep the order across the cursor
    const p1 = await t.gql(q, { first: 1 });
    const p2 = await t.gql(q, { first: 1, after: p1.body.data.contacts.pageInfo.endCursor });
    expect([p1, p2].map((p) => p.body.data.contacts.edges[0].node.name)).toEqual(['Countess', 'Bob']);
    await t.gql(`mutation($id: ID!) { updateContact(id: $id, input: { isBlocked: false }) { id } }`, { id: bob });
  });
  it('finds one contact by id, phone or BSUID; unknown ids are NOT_FOUND for mutations', async () => {
    const one = `query($id: ID, $waId: String, $userId: String) { contact(id: $id, waId: $waId, userId: $userId) { id } }`;
    expect((await t.gql(one, { waId: '+1 555 000 0002' })).body.data.contact.id).toBe(bob);
    expect((await t.gql(one, { userId: 'US.42' })).body.data.contact.id).toBe(bob);
    expect((await t.gql(one, { id: ada })).body.data.contact.id).toBe(ada);
    expect((await t.gql(one, { id: '424242' })).body.data.contact).toBeNull();
    expect((await t.gql(one, {})).body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    const upd = await t.gql(`mutation { updateContact(id: "424242", input: { isPinned: true }) { id } }`);
    expect(upd.body.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });
  it("markContactRead zeroes the unread count and sends Meta the latest message's read receipt", async () => {
    t.sim.reset();
    const res = await t.gql(`mutation($id: ID!) { markContactRead(id: $id) { unreadCount } }`, { id: ada });
    expect(res.body.data.markContactRead.unreadCount).toBe(0);
    const { rows } = await t.db.query(`select wa_message_id from message where contact_id = $1 order by timestamp desc limit 1`, [ada]);
    const reads = t.sim.requests.filter((r) => (r.body as any)?.status === 'read');
    expect(reads.map((r) => (r.body as any).message_id)).toEqual([rows[0].wa_message_id]);
  });
});

describe('stats and health', () => {
  it('counts messages by direction and status, unread, per day and rates', async () => {
    const res = await t.gql(`{ stats { totalMessages inbound outbound contacts unreadTotal byStatus { direction status count } perDay { date inbound outbound } deliveryRate readRate failuresByCode { code count } } }`);
    const s = res.body.data.stats;
    expect(s).toMatchObject({ inbound: s.totalMessages - s.outbound, contacts: 2 });
    expect(s.byStatus).toContainEqual({ direction: 'INBOUND', status: 'RECEIVED', count: s.inbound });
    expect(s.perDay).toHaveLength(30);
    expect(s.perDay.reduce((n: number, d: any) => n + d.inbound, 0)).toBe(s.inbound);
    expect(s.perDay.at(-1).date).toBe(new Date().toISOString().slice(0, 10));
  });
  it('reports health over GraphQL and HTTP', async () => {
    const res = await t.gql(`{ health { status database whatsapp version uptimeSeconds } }`);
    expect(res.body.data.health).toMatchObject({ status: 'ok', database: 'up', whatsapp: 'configured' });
    const http = await fetch(`${t.app.url}/api/whatsapp/health`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    expect(http.status).toBe(200);
    expect(await http.json()).toMatchObject({ status: 'ok', database: 'up', whatsapp: 'configured', version: expect.any(String), uptimeSeconds: expect.any(Number) });
  });
  it('exposes Prometheus metrics', async () => {
    const text = await (await fetch(`${t.app.url}/metrics`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })).text();
    expect(text).toMatch(/^inbox_webhook_events_received_total \d+/m);
    expect(text).toMatch(/^inbox_messages\{direction="INBOUND",status="RECEIVED"\} \d+/m);
    expect(text).toMatch(/^inbox_websocket_clients /m);
  });
});

describe('limits', () => {
  it('rejects a query deeper than the limit', async () => {
    let sel = 'id';
    for (let i = 0; i < 8; i++) sel = `lastMessage { contact { ${sel} } }`;
    const res = await t.gql(`{ contacts(first: 1) { edges { node { ${sel} } } } }`);
    expect(res.body.errors?.[0].message).toMatch(/depth|cost/i);
    expect(res.body.data).toBeUndefined();
  });
  it('rejects a query over the depth limit even when it is cheap', async () => {
    const res = await t.gql(`{ a: contacts(first: 1) { edges { node { lastMessage { contact { lastMessage { contact { lastMessage { contact { lastMessage { contact { id } } } } } } } } } } } }`);
    expect(res.body.errors?.[0].message).toMatch(/depth/i);
  });
  it('rejects alias bombs', async () => {
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: stats { totalMessages }`).join(' ');
    const res = await t.gql(`{ ${aliases} }`);
    expect(res.body.errors?.[0].message).toMatch(/alias/i);
  });
  it('rejects batched HTTP requests', async () => {
    const res = await fetch(`${t.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
      body: JSON.stringify([{ query: '{ stats { totalMessages } }' }, { query: '{ stats { totalMessages } }' }]),
    });
    expect(res.status).toBe(400);
  });
});

describe('sendMessage', () => {
  const send = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { id status waMessageId text direction source contextWaMessageId } }`;
  it('stores PENDING, sends through the Graph API, then walks sent → delivered → read from webhooks', async () => {
    t.sim.reset();
    const res = await t.gql(send, { input: { contactId: bob, text: 'Hi Bob!' } });
    const m = res.body.data.sendMessage;
    expect(m).toMatchObject({ text: 'Hi Bob!', direction: 'OUTBOUND', source: 'API', waMessageId: expect.stringMatching(/^wamid\./) });
    expect(t.sim.sent).toHaveLength(1);
    expect(t.sim.requests.find((r) => r.method === 'POST')!.path).toMatch(/\/1122334455667\/messages$/); // the number Bob wrote to
    expect(t.sim.sent[0]!.body).toMatchObject({ to: '15550000002', type: 'text', text: { body: 'Hi Bob!' }, biz_opaque_callback_data: `inbox:${m.id}` });
    const read = await waitFor(async () => {
      const r = await t.gql(`query($c: ID) { messages(contactId: $c, first: 1) { edges { node { id status sentAt deliveredAt readAt } } } }`, { c: bob });
      const n = r.body.data.messages.edges[0].node;
      // Meta's three status webhooks may arrive in any order: wait for all of them, not only READ.
      return n.status === 'READ' && n.sentAt && n.deliveredAt ? n : null;
    }, 15_000, 'READ');
    expect(read).toMatchObject({ id: m.id, sentAt: expect.any(String), deliveredAt: expect.any(String), readAt: expect.any(String) });
  });
  it('answers through the business number the customer wrote to', async () => {
    const m = textMessage({ from: '15550000077', text: 'to the second number' });
    (m.body as any).metadata.phone_number_id = '999000111';
    await t.postWebhook(envelope(m.body));
    await drained(t.db);
    const { rows } = await t.db.query(`select id from contact where wa_id = '15550000077'`);
    t.sim.reset();
    await t.gql(send, { input: { contactId: rows[0].id, text: 'answer' } });
    expect(t.sim.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([expect.stringMatching(/\/999000111\/messages$/)]);
  });
  it('quotes a message when replying', async () => {
    const { rows } = await t.db.query(`select id, wa_message_id from message where contact_id = $1 and direction = 'INBOUND' limit 1`, [bob]);
    const res = await t.gql(send, { input: { contactId: bob, text: 'replying', replyToMessageId: rows[0].id } });
    expect(res.body.data.sendMessage.contextWaMessageId).toBe(rows[0].wa_message_id);
    expect(t.sim.sent.at(-1)!.body).toMatchObject({ context: { message_id: rows[0].wa_message_id } });
  });
  it('a repeated clientMessageId returns the first message without sending again', async () => {
    t.sim.reset();
    const a = await t.gql(send, { input: { contactId: bob, text: 'once', clientMessageId: 'client-1' } });
    const b = await t.gql(send, { input: { contactId: bob, text: 'once', clientMessageId: 'client-1' } });
    expect(b.body.data.sendMessage.id).toBe(a.body.data.sendMessage.id);
    expect(t.sim.sent).toHaveLength(1);
  });
  it("Meta's refusal marks the message FAILED with its error and raises WHATSAPP_ERROR", async () => {
    t.sim.reset();
    t.sim.failNext({ code: 131026, title: 'Message undeliverable', details: 'Receiver is incapable of receiving this message' });
    const res = await t.gql(send, { input: { contactId: bob, text: 'will fail' } });
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'WHATSAPP_ERROR', whatsappCode: 131026 });
    const id = res.body.errors?.[0].extensions.messageId;
    const m = await t.gql(`{ messages(first: 1) { edges { node { id status failedAt error { code title message details } } } } }`);
    expect(m.body.data.messages.edges[0].node).toMatchObject({
      id, status: 'FAILED', failedAt: expect.any(String),
      error: { code: 131026, title: expect.stringContaining('undeliverable'), details: 'Receiver is incapable of receiving this message' },
    });
  });
  it('refuses free-form text outside the 24-hour window, to blocked contacts and over 4096 characters, before calling Meta', async () => {
    t.sim.reset();
    await t.postWebhook(envelope(textMessage({ from: '15550000003', name: 'Old', text: 'long ago', ts: base - 2 * 86400 }).body));
    await drained(t.db);
    const old = (await t.db.query(`select id from contact where wa_id = '15550000003'`)).rows[0].id;
    expect((await t.gql(send, { input: { contactId: old, text: 'hello?' } })).body.errors?.[0].extensions.code).toBe('OUTSIDE_SERVICE_WINDOW');
    expect((await t.gql(send, { input: { to: '+1 555 000 0009', text: 'cold' } })).body.errors?.[0].extensions.code).toBe('OUTSIDE_SERVICE_WINDOW');
    await t.gql(`mutation($id: ID!) { updateContact(id: $id, input: { isBlocked: true }) { id } }`, { id: bob });
    expect((await t.gql(send, { input: { contactId: bob, text: 'hi' } })).body.errors?.[0].extensions.code).toBe('CONTACT_BLOCKED');
    await t.gql(`mutation($id: ID!) { updateContact(id: $id, input: { isBlocked: false }) { id } }`, { id: bob });
    expect((await t.gql(send, { input: { contactId: bob, text: 'x'.repeat(4097) } })).body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await t.gql(send, { input: { contactId: bob, text: '   ' } })).body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await t.gql(send, { input: { to: 'not a number', text: 'x' } })).body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await t.gql(send, { input: { contactId: '999999', text: 'x' } })).body.errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect(t.sim.sent).toHaveLength(0);
  });
});

describe('search counts', () => {
  const count = `query($search: String) {
    messages(search: $search, first: 5) { totalCount totalCountIsExact edges { node { text } } }
    contacts(search: $search) { totalCount totalCountIsExact }
    all: messages(first: 1) { totalCount totalCountIsExact } }`;
  beforeAll(async () => {
    // 101 invoices from Carol: one more than a search counts.
    for (let i = 0; i < 101; i += 10) {
      await Promise.all(Array.from({ length: Math.min(10, 101 - i) }, (_, j) =>
        t.postWebhook(envelope(textMessage({ from: '15550000003', name: 'Carol', text: `invoice ${i + j}`, ts: base + 100 + i + j }).body))));
    }
    await drained(t.db);
  });
  it('counts a search up to 100 matches, then says 100 and not exact; lists count exactly', async () => {
    const { data } = (await t.gql(count, { search: 'invoice' })).body;
    expect(data.messages).toMatchObject({ totalCount: 100, totalCountIsExact: false });
    expect(data.messages.edges.map((e: any) => e.node.text)).toEqual(['invoice 100', 'invoice 99', 'invoice 98', 'invoice 97', 'invoice 96']);
    expect(data.contacts).toEqual({ totalCount: 1, totalCountIsExact: true });
    const { rows } = await t.db.query(`select count(*)::int as n from message`);
    expect(rows[0].n).toBeGreaterThan(101);
    expect(data.all).toEqual({ totalCount: rows[0].n, totalCountIsExact: true });
  });
  it('counts exactly below the limit', async () => {
    // Every word of "invoice 1" whole ("1" is too short to be the start of 10–19 and 100).
    const { data } = (await t.gql(count, { search: 'invoice 1' })).body;
    expect(data.messages).toMatchObject({ totalCount: 1, totalCountIsExact: true });
    expect(data.contacts).toMatchObject({ totalCount: 1, totalCountIsExact: true });
  });
});
