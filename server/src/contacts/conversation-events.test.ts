import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drained, startTestEnv, type TestEnv } from '../../test/harness.js';
import { envelope, textMessage, value } from '../../test/payloads.js';

let t: TestEnv;
const agents: Record<string, { token: string; id: string }> = {};

const FIGURES = 'conversationsAssigned conversationsClosed';
const TEAM = `query($from: DateTimeISO, $to: DateTimeISO) { stats { team(from: $from, to: $to) { agents { agent { name } ${FIGURES} } overall { ${FIGURES} } } } }`;
const CLOSE = `mutation($id: ID!, $closed: Boolean!) { updateContact(id: $id, input: { conversationClosed: $closed }) { conversationClosed } }`;
const ASSIGN = `mutation($id: ID!, $agentId: ID) { assignContact(id: $id, agentId: $agentId) { id } }`;

async function session(name: string, role: string) {
  const r = await t.gql(`mutation($input: CreateAgentSessionInput!) { createAgentSession(input: $input) { token agent { id } } }`, { input: { externalId: name, name, role } });
  agents[name] = { token: r.body.data.createAgentSession.token, id: r.body.data.createAgentSession.agent.id };
}
async function ok(query: string, variables: Record<string, unknown>, who?: string) {
  const r = await t.gql(query, variables, who ? agents[who]!.token : undefined);
  expect(r.body.errors).toBeUndefined();
  return r.body.data;
}
/** The contact's history as kind and agent name, oldest first. */
async function history(contactId: string): Promise<string[]> {
  const { rows } = await t.db.query(
    `select e.kind, a.name from conversation_event e left join agent a on a.id = e.agent_id where e.contact_id = $1 order by e.id`,
    [contactId],
  );
  return rows.map((r) => (r.name ? `${r.kind} ${r.name}` : r.kind));
}
/** A customer writes; the batch path takes a plain message, the per-event path one with value-level errors. */
async function writes(from: string, path: 'batch' | 'per-event' = 'batch') {
  const m = textMessage({ from }).body;
  const res = await t.postWebhook(envelope(path === 'batch' ? m : value({ ...m, errors: [{ code: 131000, title: 'Something went wrong' }] })));
  expect(res.status).toBe(200);
  await drained(t.db);
}
const contactOf = async (waId: string) => String((await t.db.query(`select id from contact where wa_id = $1`, [waId])).rows[0].id);

beforeAll(async () => {
  t = await startTestEnv({ env: { AUTO_ASSIGN: 'round_robin' } });
  await session('Ada', 'AGENT');
  await session('Bob', 'ADMIN');
  await ok(`mutation { setAvailability(available: false) { available } }`, {}, 'Bob');
});
afterAll(() => t?.close());

describe("a conversation's history", () => {
  it('records the round robin, closes, reopenings by the customer and by hand, and (un)assignments', async () => {
    await writes('19400000001');
    const id = await contactOf('19400000001');
    await ok(CLOSE, { id, closed: true }, 'Ada');
    // Closing a closed conversation changes nothing, and records nothing.
    await ok(CLOSE, { id, closed: true }, 'Ada');
    await writes('19400000001');
    await ok(ASSIGN, { id, agentId: agents.Bob!.id }, 'Bob');
    await ok(ASSIGN, { id, agentId: null }, 'Bob');
    await ok(CLOSE, { id, closed: true }, 'Bob');
    await ok(CLOSE, { id, closed: false }, 'Ada');
    await ok(CLOSE, { id, closed: true });
    await writes('19400000001', 'per-event');
    expect(await history(id)).toEqual([
      'ASSIGNED Ada', 'CLOSED Ada', 'REOPENED', 'ASSIGNED Bob', 'UNASSIGNED Bob', 'CLOSED Bob', 'REOPENED Ada', 'CLOSED',
      // The customer reopens it and, unassigned, the round robin gives it to Ada again.
      'REOPENED', 'ASSIGNED Ada',
    ]);
  });

  it('is what stats.team counts, per agent and in all, in its period only', async () => {
    const s = (await ok(TEAM, {}, 'Ada')).stats.team;
    expect(s.agents).toEqual([
      { agent: { name: 'Ada' }, conversationsAssigned: 2, conversationsClosed: 1 },
      { agent: { name: 'Bob' }, conversationsAssigned: 1, conversationsClosed: 1 },
    ]);
    // A close by a key counts in all only.
    expect(s.overall).toEqual({ conversationsAssigned: 3, conversationsClosed: 3 });
    const before = (await ok(TEAM, { from: '2026-01-01T00:00:00Z', to: '2026-01-08T00:00:00Z' })).stats.team;
    expect(before.overall).toEqual({ conversationsAssigned: 0, conversationsClosed: 0 });
  });

  it('follows a contact merged into another, and goes with a contact deleted', async () => {
    // The older contact is the one kept: the BSUID's, which has no history yet.
    const keep = String((await t.db.query(`insert into contact (user_id) values ('US.keep-1') returning id`)).rows[0].id);
    await writes('19400000002');
    const gone = await contactOf('19400000002');
    expect(await history(gone)).toEqual(['ASSIGNED Ada']);
    // A message naming both the phone number and the BSUID makes them one contact.
    await t.postWebhook(envelope(textMessage({ from: '19400000002', userId: 'US.keep-1' }).body));
    await drained(t.db);
    const left = (await t.db.query(`select id::text from contact where wa_id = '19400000002' or user_id = 'US.keep-1'`)).rows.map((r) => r.id);
    expect(left).toEqual([keep]);
    expect(await history(keep)).toEqual(['ASSIGNED Ada']);
    await t.db.query(`delete from contact where id = $1`, [keep]);
    expect(await history(keep)).toEqual([]);
    expect(await history(gone)).toEqual([]);
  });
});
