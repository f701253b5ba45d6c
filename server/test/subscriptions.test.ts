import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drained, startTestEnv, subscribe, waitFor, type TestEnv } from './harness.js';
import { envelope, textMessage } from './payloads.js';

let a: TestEnv;
let b: TestEnv; // a second server process on the same database
beforeAll(async () => {
  a = await startTestEnv();
  b = await startTestEnv({ databaseUrl: a.databaseUrl });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

const ADDED = `subscription($c: ID) { messageAdded(contactId: $c) { id text direction contact { id waId name } } }`;
const settle = () => new Promise((r) => setTimeout(r, 500)); // the subscription reaches the server

describe('subscriptions over graphql-ws', () => {
  it('delivers an inbound message injected through the simulator, once, even when Meta delivers it twice', async () => {
    const sub = subscribe(a.ws(), ADDED);
    await settle();
    const m = textMessage({ from: '15559990001', name: 'Live', text: 'live one' });
    await a.postWebhook(envelope(m.body));
    await a.postWebhook(envelope(m.body));
    await waitFor(() => sub.events.length >= 1, 5000, 'messageAdded');
    await drained(a.db);
    await settle();
    expect(sub.events).toEqual([{ messageAdded: { id: expect.any(String), text: 'live one', direction: 'INBOUND', contact: { id: expect.any(String), waId: '15559990001', name: 'Live' } } }]);
    sub.dispose();
  });

  it('filters messageAdded by contact', async () => {
    await a.sim.injectInbound({ from: '15559990002', name: 'Filtered', text: 'first' });
    await drained(a.db);
    const { rows } = await a.db.query(`select id from contact where wa_id = '15559990002'`);
    const mine = subscribe(a.ws(), ADDED, { c: rows[0].id });
    await settle();
    await a.sim.injectInbound({ from: '15559990003', text: 'someone else' });
    await a.sim.injectInbound({ from: '15559990002', text: 'for me' });
    await waitFor(() => mine.events.length >= 1, 5000, 'filtered event');
    await drained(a.db);
    await settle();
    expect(mine.events.map((e) => e.messageAdded.text)).toEqual(['for me']);
    mine.dispose();
  });

  it('reports status changes (with rising revisions) and contact updates of a sent message', async () => {
    await a.sim.injectInbound({ from: '15559990004', name: 'Replyee', text: 'hi' });
    await drained(a.db);
    const { rows } = await a.db.query(`select id from contact where wa_id = '15559990004'`);
    const client = a.ws();
    const statuses = subscribe(client, `subscription($c: ID) { messageStatusChanged(contactId: $c) { id status revision } }`, { c: rows[0].id });
    const contacts = subscribe(client, `subscription { contactUpdated { id unreadCount lastMessage { text } } }`);
    await settle();
    const sent = await a.gql(`mutation($c: ID!) { sendMessage(input: { contactId: $c, text: "ticks" }) { id status revision } }`, { c: rows[0].id });
    const id = sent.body.data.sendMessage.id;
    await waitFor(() => statuses.events.some((e) => e.messageStatusChanged.status === 'READ'), 5000, 'READ');
    const frames = statuses.events.map((e) => e.messageStatusChanged).filter((s) => s.id === id);
    const seen = frames.map((s) => s.status);
    expect(seen.at(-1)).toBe('READ');
    // A client keeps the copy with the highest revision: the frames' never go down (two frames read
    // after the same change carry the same), READ's is above the answer's.
    const revisions = frames.map((s) => s.revision);
    expect(revisions).toEqual([...revisions].sort((x, y) => x - y));
    const answer = sent.body.data.sendMessage;
    if (answer.status === 'READ') expect(revisions.at(-1)).toBe(answer.revision);
    else expect(revisions.at(-1)).toBeGreaterThan(answer.revision);
    expect(seen).toEqual([...seen].sort((x, y) => ['PENDING', 'SENT', 'DELIVERED', 'READ'].indexOf(x) - ['PENDING', 'SENT', 'DELIVERED', 'READ'].indexOf(y)));
    await a.gql(`mutation($c: ID!) { markContactRead(id: $c) { id } }`, { c: rows[0].id });
    await waitFor(() => contacts.events.some((e) => e.contactUpdated.id === rows[0].id && e.contactUpdated.unreadCount === 0), 5000, 'contactUpdated');
    expect(contacts.events.some((e) => e.contactUpdated.lastMessage?.text === 'ticks')).toBe(true);
    statuses.dispose();
    contacts.dispose();
  });

  it('a contact merged away within one webhook is not announced as an error; the merged contact is', async () => {
    await a.db.query(`insert into contact (wa_id, profile_name) values ('15559990006', 'Phone contact')`);
    const contacts = subscribe(a.ws(), `subscription { contactUpdated { id waId userId } }`);
    await settle();
    const ts = String(Math.floor(Date.now() / 1000));
    const change = (messages: object[]) => ({ messaging_product: 'whatsapp', metadata: { phone_number_id: 'pn' }, messages });
    // First the BSUID alone (a new contact), then phone and BSUID together (merged into the phone's),
    // and an edit, which takes the whole webhook one event at a time.
    await a.postWebhook(envelope(
      change([{ from_user_id: 'US.merge.6', id: 'wamid.merge6a', timestamp: ts, type: 'text', text: { body: 'by BSUID' } }]),
      change([{ from: '15559990006', from_user_id: 'US.merge.6', id: 'wamid.merge6b', timestamp: ts, type: 'text', text: { body: 'by both' } }]),
      change([{ from: '15559990006', id: 'wamid.merge6c', timestamp: ts, type: 'edit', edit: { original_message_id: 'wamid.merge6b', message: { type: 'text', text: { body: 'by both, edited' } } } }]),
    ));
    await drained(a.db);
    await waitFor(() => contacts.events.some((e) => e.contactUpdated.userId === 'US.merge.6'), 5000, 'merged contact');
    await settle();
    expect(contacts.errors).toEqual([]);
    expect(new Set(contacts.events.map((e) => e.contactUpdated.waId))).toEqual(new Set(['15559990006']));
    contacts.dispose();
  });

  it('two server processes on one database each deliver every event to their own clients', async () => {
    const onA = subscribe(a.ws(), ADDED);
    const onB = subscribe(b.ws(), ADDED);
    await settle();
    await a.sim.injectInbound({ from: '15559990005', text: 'fan-out 1' }); // stored through server A
    await b.sim.injectInbound({ from: '15559990005', text: 'fan-out 2' }); // stored through server B
    await waitFor(() => onA.events.length >= 2 && onB.events.length >= 2, 5000, 'both servers');
    await drained(a.db);
    await settle();
    const texts = (s: typeof onA) => s.events.map((e) => e.messageAdded.text).sort();
    expect(texts(onA)).toEqual(['fan-out 1', 'fan-out 2']);
    expect(texts(onB)).toEqual(['fan-out 1', 'fan-out 2']);
    onA.dispose();
    onB.dispose();
  });

  it('closes a websocket whose connection_init carries a wrong or no token', async () => {
    for (const token of ['wrong', '']) {
      const sub = subscribe(a.ws(token), ADDED);
      await waitFor(() => sub.errors.length > 0, 5000, 'rejection');
      expect(String((sub.errors[0] as any)?.code ?? sub.errors[0])).toMatch(/4403|Forbidden/);
    }
  });
});
