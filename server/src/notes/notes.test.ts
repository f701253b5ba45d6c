import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drained, openContacts, startTestEnv, subscribe, waitFor, type TestEnv } from '../../test/harness.js';
import { envelope } from '../../test/payloads.js';
import { mentionedAgents } from './note.mentions.js';

let t: TestEnv;
let contact: string;
let other: string;
let ada: { token: string; agent: { id: string } };
let bea: { token: string; agent: { id: string } };
let viewer: { token: string; agent: { id: string } };

const NOTE = `id contactId text authorName authorAgentId mentionedAgentIds mentions { id name } createdAt`;
const ADD = `mutation($c: ID!, $text: String!) { addNote(contactId: $c, text: $text) { ${NOTE} } }`;
const LIVE = `subscription($c: ID) { noteAdded(contactId: $c) { ${NOTE} contact { id } } }`;
const settle = () => new Promise((r) => setTimeout(r, 300)); // the subscription reaches the server

async function session(externalId: string, name: string, role: string) {
  const r = await t.gql(`mutation($input: CreateAgentSessionInput!) { createAgentSession(input: $input) { token agent { id } } }`, { input: { externalId, name, role } });
  return r.body.data.createAgentSession as { token: string; agent: { id: string } };
}

const add = async (text: string, token: string, c = contact) => {
  const r = await t.gql(ADD, { c, text }, token);
  expect(r.body.errors).toBeUndefined();
  return r.body.data.addNote;
};

beforeAll(async () => {
  t = await startTestEnv();
  [contact, other] = await openContacts(t.db, 2, '1777');
  ada = await session('ada', 'Ada', 'AGENT');
  bea = await session('bea', 'Bea Lovelace', 'AGENT');
  viewer = await session('vic', 'Vic', 'VIEWER');
});
afterAll(() => t?.close());

describe('internal notes', () => {
  it("reach another agent's websocket at once, name their author and mentions, and never reach WhatsApp", async () => {
    const beaLive = subscribe(t.ws(bea.token), LIVE, { c: contact });
    const everything = subscribe(t.ws(bea.token), LIVE);
    await settle();
    const note = await add('Customer is a VIP, @Bea Lovelace please call back', ada.token);
    expect(note).toMatchObject({ contactId: contact, authorName: 'Ada', authorAgentId: ada.agent.id, mentionedAgentIds: [bea.agent.id], mentions: [{ id: bea.agent.id, name: 'Bea Lovelace' }] });

    const frame = await waitFor(() => beaLive.events.find((e) => e.noteAdded.id === note.id), 5000, 'the note over the websocket');
    expect(frame.noteAdded).toMatchObject({ text: 'Customer is a VIP, @Bea Lovelace please call back', authorName: 'Ada', mentionedAgentIds: [bea.agent.id], contact: { id: contact } });
    // The mention reaches Bea's widget without it watching that conversation.
    await waitFor(() => everything.events.some((e) => e.noteAdded.id === note.id && e.noteAdded.mentionedAgentIds.includes(bea.agent.id)), 5000, 'the mention');
    expect(beaLive.errors).toEqual([]);

    // A message sent after the note reaches the simulator; the note never did, nor became a message.
    const sent = await t.gql(`mutation($c: ID!) { sendMessage(input: { contactId: $c, text: "after the note" }) { id } }`, { c: contact }, ada.token);
    expect(sent.body.errors).toBeUndefined();
    await waitFor(() => t.sim.sent.some((s) => JSON.stringify(s.body).includes('after the note')), 5000, 'the message at the simulator');
    expect(t.sim.sent.filter((s) => JSON.stringify(s.body).includes('VIP'))).toEqual([]);
    expect((await t.db.query(`select 1 from message where text like '%VIP%'`)).rowCount).toBe(0);
    beaLive.dispose();
    everything.dispose();
  });

  it("noteAdded(contactId) carries only that conversation's notes", async () => {
    const mine = subscribe(t.ws(bea.token), LIVE, { c: other });
    await settle();
    await add('about the first customer', ada.token, contact);
    const n = await add('about the second customer', ada.token, other);
    await waitFor(() => mine.events.some((e) => e.noteAdded.id === n.id), 5000, 'the note on the other contact');
    await add('one more on the first', ada.token, contact);
    await add('and the last on the second', ada.token, other);
    await waitFor(() => mine.events.length >= 2, 5000, 'the last note');
    expect(mine.events.map((e) => e.noteAdded.text)).toEqual(['about the second customer', 'and the last on the second']);
    mine.dispose();
  });

  it('lists a conversation newest first in pages', async () => {
    const [c] = await openContacts(t.db, 1, '1778');
    for (const text of ['one', 'two', 'three']) await add(text, ada.token, c);
    const PAGE = `query($c: ID!, $after: String) { notes(contactId: $c, first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { text } } } }`;
    const first = (await t.gql(PAGE, { c }, viewer.token)).body.data.notes;
    expect(first.edges.map((e: any) => e.node.text)).toEqual(['three', 'two']);
    expect(first).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    const second = (await t.gql(PAGE, { c, after: first.pageInfo.endCursor }, viewer.token)).body.data.notes;
    expect(second.edges.map((e: any) => e.node.text)).toEqual(['one']);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it('an API key with SEND may add one, recorded as the key; a viewer may not', async () => {
    const key = (await t.gql(`mutation { createApiKey(input: { name: "CRM", scopes: [READ, SEND] }) { key apiKey { id } } }`)).body.data.createApiKey;
    const note = await add('synced from the CRM', key.key);
    expect(note).toMatchObject({ authorName: 'CRM', authorAgentId: null });
    expect((await t.db.query(`select author_api_key_id::text as k from note where id = $1`, [note.id])).rows[0].k).toBe(key.apiKey.id);
    const refused = await t.gql(ADD, { c: contact, text: 'from a viewer' }, viewer.token);
    expect(refused.body.errors![0].extensions.code).toBe('FORBIDDEN');
  });

  it('refuses empty or overlong text (BAD_USER_INPUT) and unknown contacts (NOT_FOUND), storing nothing', async () => {
    const before = (await t.db.query(`select count(*)::int as n from note`)).rows[0].n;
    const code = async (c: string, text: string) => (await t.gql(ADD, { c, text }, ada.token)).body.errors?.[0]?.extensions?.code;
    expect(await code(contact, '   ')).toBe('BAD_USER_INPUT');
    expect(await code(contact, 'x'.repeat(4097))).toBe('BAD_USER_INPUT');
    expect(await code('999999999', 'hello')).toBe('NOT_FOUND');
    expect(await code('nope', 'hello')).toBe('NOT_FOUND');
    expect((await t.gql(`query { notes(contactId: "999999999") { totalCount } }`, undefined, ada.token)).body.errors![0].extensions.code).toBe('NOT_FOUND');
    expect((await t.db.query(`select count(*)::int as n from note`)).rows[0].n).toBe(before);
  });

  it('move with their contact when Meta shows two contacts are one person (merge)', async () => {
    const phone = (await t.db.query(`insert into contact (wa_id, profile_name) values ('17770009999', 'By phone') returning id::text as id`)).rows[0].id;
    const bsuid = (await t.db.query(`insert into contact (user_id, profile_name) values ('US.notes.1', 'By BSUID') returning id::text as id`)).rows[0].id;
    await add('noted on the phone contact', ada.token, phone);
    await add('noted on the BSUID contact', ada.token, bsuid);
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await t.postWebhook(envelope({ messaging_product: 'whatsapp', metadata: { phone_number_id: 'pn' }, messages: [{ from: '17770009999', from_user_id: 'US.notes.1', id: 'wamid.notes-merge', timestamp: ts, type: 'text', text: { body: 'both ids' } }] }));
    expect(res.status).toBe(200);
    await drained(t.db);
    const { rows } = await t.db.query(`select id::text as id from contact where id in ($1, $2)`, [phone, bsuid]);
    expect(rows).toHaveLength(1);
    const kept = rows[0].id;
    const page = (await t.gql(`query($c: ID!) { notes(contactId: $c) { edges { node { text contactId } } } }`, { c: kept }, ada.token)).body.data.notes.edges.map((e: any) => e.node);
    expect(page.map((n: any) => n.text).sort()).toEqual(['noted on the BSUID contact', 'noted on the phone contact']);
    expect(new Set(page.map((n: any) => n.contactId))).toEqual(new Set([kept]));
  });

  it('go with their contact when it is deleted', async () => {
    const [c] = await openContacts(t.db, 1, '1779');
    await add('soon erased', ada.token, c);
    await t.db.query(`delete from contact where id = $1`, [c]);
    expect((await t.db.query(`select 1 from note where contact_id = $1`, [c])).rowCount).toBe(0);
  });
});

describe('mentionedAgents', () => {
  const agents = [{ id: '1', name: 'Ada' }, { id: '2', name: 'Ada Lovelace' }, { id: '3', name: 'Bo' }];
  it('matches whole names, spaces included, in any case; the longer of two names starting alike wins', () => {
    expect(mentionedAgents('@ada lovelace, see this', agents)).toEqual(['2']);
    expect(mentionedAgents('@Ada and @bo.', agents)).toEqual(['1', '3']);
    expect(mentionedAgents('@Bob is not Bo, nor is Bo without an at', agents)).toEqual([]);
    expect(mentionedAgents('@Bo @Bo', agents)).toEqual(['3']);
  });
});
