import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drained, openContacts, startTestEnv, subscribe, waitFor, type TestEnv } from '../../test/harness.js';
import { envelope, textMessage, value, wamid } from '../../test/payloads.js';

let t: TestEnv;
let ada: { token: string; id: string };
let bob: { token: string; id: string };
let grace: { token: string; id: string };
let vic: { token: string; id: string };
let contacts: string[];

const ASSIGN = `mutation($id: ID!, $agentId: ID) { assignContact(id: $id, agentId: $agentId) { id assignee { id name } assignedAt } }`;
const LIST = `query($a: String) { contacts(assignee: $a, first: 50) { totalCount edges { node { id assignee { name } } } } }`;

async function session(externalId: string, role: string) {
  const r = await t.gql(`mutation($input: CreateAgentSessionInput!) { createAgentSession(input: $input) { token agent { id } } }`, { input: { externalId, name: externalId, role } });
  const s = r.body.data.createAgentSession;
  return { token: s.token as string, id: s.agent.id as string };
}
const assign = (token: string, id: string, agentId: string | null) => t.gql(ASSIGN, { id, agentId }, token);
const codeOf = (r: { body: { errors?: any[] } }) => r.body.errors?.[0]?.extensions?.code;
const listed = async (token: string, a?: string) => {
  const r = await t.gql(LIST, { a }, token);
  expect(r.body.errors).toBeUndefined();
  return r.body.data.contacts as { totalCount: number; edges: Array<{ node: { id: string; assignee: { name: string } | null } }> };
};

beforeAll(async () => {
  t = await startTestEnv();
  contacts = await openContacts(t.db, 6, '1777');
  [ada, bob, grace, vic] = await Promise.all([session('Ada', 'AGENT'), session('Bob', 'AGENT'), session('Grace', 'ADMIN'), session('Vic', 'VIEWER')]);
});
afterAll(() => t?.close());

describe('assignContact', () => {
  it('an agent takes an unassigned conversation, and gives it up', async () => {
    const taken = await assign(ada.token, contacts[0]!, ada.id);
    expect(taken.body.data.assignContact).toMatchObject({ assignee: { id: ada.id, name: 'Ada' } });
    expect(taken.body.data.assignContact.assignedAt).toBeTruthy();
    const given = await assign(ada.token, contacts[0]!, null);
    expect(given.body.data.assignContact).toMatchObject({ assignee: null, assignedAt: null });
  });

  it("an agent can neither take another agent's conversation nor give one to someone else", async () => {
    await assign(bob.token, contacts[1]!, bob.id);
    const take = await assign(ada.token, contacts[1]!, ada.id);
    expect(codeOf(take)).toBe('FORBIDDEN');
    expect(take.body.errors![0].message).toMatch(/assigned to another agent/);
    expect(codeOf(await assign(ada.token, contacts[1]!, null))).toBe('FORBIDDEN');
    const give = await assign(ada.token, contacts[2]!, bob.id);
    expect(codeOf(give)).toBe('FORBIDDEN');
    expect(give.body.errors![0].message).toMatch(/only to themselves/);
    expect((await t.gql(`query($id: ID) { contact(id: $id) { assignee { name } } }`, { id: contacts[1] })).body.data.contact.assignee).toEqual({ name: 'Bob' });
  });

  it('an admin reassigns anyone to anyone, but only to an active agent who exists', async () => {
    const moved = await assign(grace.token, contacts[1]!, ada.id);
    expect(moved.body.data.assignContact.assignee).toEqual({ id: ada.id, name: 'Ada' });
    expect(codeOf(await assign(grace.token, contacts[1]!, '999999'))).toBe('NOT_FOUND');
    expect(codeOf(await assign(grace.token, contacts[1]!, vic.id))).toBe('BAD_USER_INPUT');
    const leaver = await session('Lee', 'AGENT');
    await t.gql(`mutation($id: ID!) { deactivateAgent(id: $id) { id } }`, { id: leaver.id });
    expect(codeOf(await assign(grace.token, contacts[1]!, leaver.id))).toBe('BAD_USER_INPUT');
    expect(codeOf(await assign(grace.token, '999999', ada.id))).toBe('NOT_FOUND');
    expect((await assign(grace.token, contacts[1]!, null)).body.data.assignContact.assignee).toBeNull();
  });

  it('a viewer and a key without SEND are refused; a key with SEND but not ADMIN too', async () => {
    expect(codeOf(await assign(vic.token, contacts[3]!, vic.id))).toBe('FORBIDDEN');
    const key = (await t.gql(`mutation { createApiKey(input: { name: "bot", scopes: [READ, SEND] }) { key } }`)).body.data.createApiKey.key;
    expect(codeOf(await assign(key, contacts[3]!, ada.id))).toBe('FORBIDDEN');
    expect((await t.gql(`query($id: ID) { contact(id: $id) { assignee { id } } }`, { id: contacts[3] })).body.data.contact.assignee).toBeNull();
  });

  it('two agents taking one conversation at once: one gets it, the other is refused', async () => {
    const [a, b] = await Promise.all([assign(ada.token, contacts[4]!, ada.id), assign(bob.token, contacts[4]!, bob.id)]);
    const winners = [a, b].filter((r) => !r.body.errors);
    expect(winners).toHaveLength(1);
    expect(codeOf([a, b].find((r) => r.body.errors)!)).toBe('FORBIDDEN');
    const owner = winners[0]!.body.data.assignContact.assignee.name;
    expect((await t.gql(`query($id: ID) { contact(id: $id) { assignee { name } } }`, { id: contacts[4] })).body.data.contact.assignee.name).toBe(owner);
    await assign(grace.token, contacts[4]!, null);
  });
});

describe('contacts(assignee:) and contactCounts', () => {
  it('ME, NONE and an agent id list the matching conversations; counts follow', async () => {
    await assign(ada.token, contacts[0]!, ada.id);
    await assign(ada.token, contacts[2]!, ada.id);
    await assign(bob.token, contacts[5]!, bob.id);
    await t.db.query(`update contact set conversation_closed = true where id = $1`, [contacts[2]]);
    const mine = await listed(ada.token, 'ME');
    expect(mine.edges.map((e) => e.node.id).sort()).toEqual([contacts[0], contacts[2]].sort());
    expect(mine.totalCount).toBe(2);
    expect((await listed(ada.token, bob.id)).edges.map((e) => e.node)).toEqual([{ id: contacts[5], assignee: { name: 'Bob' } }]);
    const none = await listed(ada.token, 'NONE');
    expect(none.edges.every((e) => e.node.assignee === null)).toBe(true);
    expect(none.edges.map((e) => e.node.id).sort()).toEqual([contacts[1], contacts[3], contacts[4]].sort());
    expect((await listed(ada.token)).totalCount).toBe(6);
    const searched = await t.gql(`{ contacts(search: "Customer", assignee: "ME") { totalCount edges { node { id } } } }`, undefined, ada.token);
    expect(searched.body.data.contacts.edges.map((e: any) => e.node.id).sort()).toEqual([contacts[0], contacts[2]].sort());
    // Open conversations only: the closed one of Ada's is not counted.
    expect((await t.gql(`{ contactCounts { mine unassigned all } }`, undefined, ada.token)).body.data.contactCounts).toEqual({ mine: 1, unassigned: 3, all: 5 });
    expect((await t.gql(`{ contactCounts { mine } }`, undefined, bob.token)).body.data.contactCounts.mine).toBe(1);
  });

  it('a value that is not ME, NONE or an id is BAD_USER_INPUT, and so is ME for a key', async () => {
    expect(codeOf(await t.gql(LIST, { a: 'someone' }, ada.token))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.gql(LIST, { a: 'ME' }))).toBe('BAD_USER_INPUT');
  });

  it("a tab's page is read from its index in list order, with no sort", async () => {
    const ORDER = `order by is_pinned desc, coalesce(last_message_at, '-infinity'::timestamptz) desc, id desc limit 61`;
    // A handful of rows: the planner would rather sort a sequential scan; without one, the index must serve the order.
    const plan = (where: string, params: unknown[]) =>
      t.db.transaction(async (tx) => {
        await tx.rows('set local enable_seqscan = off');
        return JSON.stringify(await tx.rows(`explain (format json) select * from contact where ${where} ${ORDER}`, params));
      });
    const mine = await plan('assignee_id = $1', [ada.id]);
    expect(mine).toContain('contact_assignee_order_idx');
    expect(mine).not.toContain('"Sort"');
    const none = await plan('assignee_id is null', []);
    expect(none).toContain('contact_unassigned_order_idx');
    expect(none).not.toContain('"Sort"');
  });
});

describe('live and availability', () => {
  it('contactUpdated carries the new assignee once the assignment is committed', async () => {
    const live = subscribe(t.ws(bob.token), `subscription { contactUpdated { id assignee { id name } } }`);
    await new Promise((r) => setTimeout(r, 300)); // the subscription is in place
    await assign(grace.token, contacts[3]!, bob.id);
    const frame = await waitFor(() => live.events.find((e) => e.contactUpdated.id === contacts[3] && e.contactUpdated.assignee), 5000, 'the frame');
    expect(frame.contactUpdated.assignee).toEqual({ id: bob.id, name: 'Bob' });
    await assign(bob.token, contacts[3]!, null);
    await waitFor(() => live.events.find((e) => e.contactUpdated.id === contacts[3] && e.contactUpdated.assignee === null), 5000, 'the unassigned frame');
    expect(live.errors).toEqual([]);
    live.dispose();
  });

  it('setAvailability sets the caller\'s own availability; a key has none to set', async () => {
    const away = await t.gql(`mutation { setAvailability(available: false) { id available } }`, undefined, ada.token);
    expect(away.body.data.setAvailability).toEqual({ id: ada.id, available: false });
    expect((await t.gql(`{ me { agent { available } } }`, undefined, ada.token)).body.data.me.agent.available).toBe(false);
    expect((await t.gql(`mutation { setAvailability(available: true) { available } }`, undefined, ada.token)).body.data.setAvailability.available).toBe(true);
    expect(codeOf(await t.gql(`mutation { setAvailability(available: false) { id } }`))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.gql(`mutation { setAvailability(available: false) { id } }`, undefined, vic.token))).toBe('FORBIDDEN');
  });
});

describe('merges', () => {
  it("a customer's two contacts merged into one keep the assignee of the one that had one", async () => {
    await t.postWebhook(envelope(textMessage({ from: '15554440001' }).body));
    await t.postWebhook(envelope(textMessage({ from: '15554440002' }).body));
    await drained(t.db);
    // AUTO_ASSIGN is off here: new conversations wait for someone to take them.
    const { rows } = await t.db.query(`select id::text as id, assignee_id from contact where wa_id in ('15554440001', '15554440002') order by wa_id desc`);
    expect(rows.map((r) => r.assignee_id)).toEqual([null, null]);
    await assign(bob.token, rows[0].id, bob.id);
    // The first contact's customer moves to the second's number: the first absorbs the second.
    const system = { from: '15554440001', id: wamid(), timestamp: String(Math.floor(Date.now() / 1000)), type: 'system', system: { body: 'changed', wa_id: '15554440002', type: 'user_changed_number' } };
    await t.postWebhook(envelope(value({ messages: [system] })));
    await drained(t.db);
    const merged = await t.db.query(`select c.wa_id, a.external_id from contact c left join agent a on a.id = c.assignee_id where c.wa_id like '1555444000%'`);
    expect(merged.rows).toEqual([{ wa_id: '15554440002', external_id: 'Bob' }]);
  });
});
