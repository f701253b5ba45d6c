import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drained, startTestEnv, type TestEnv } from '../../test/harness.js';
import { envelope, textMessage } from '../../test/payloads.js';

let t: TestEnv;
const agents: Record<string, { token: string; id: string }> = {};

const FIGURES = 'conversationsAssigned conversationsClosed messagesSent firstResponses firstResponseMedianSeconds firstResponseP90Seconds';
const TEAM = `query($from: DateTimeISO, $to: DateTimeISO) { stats { team(from: $from, to: $to) { from to agents { agent { name } ${FIGURES} } overall { ${FIGURES} } } } }`;

async function session(name: string, role: string) {
  const r = await t.gql(`mutation($input: CreateAgentSessionInput!) { createAgentSession(input: $input) { token agent { id } } }`, { input: { externalId: name, name, role } });
  agents[name] = { token: r.body.data.createAgentSession.token, id: r.body.data.createAgentSession.agent.id };
}
async function team(from?: string, to?: string, token?: string) {
  const r = await t.gql(TEAM, { from, to }, token);
  expect(r.body.errors).toBeUndefined();
  const s = r.body.data.stats.team;
  return { ...s, of: (name: string) => s.agents.find((a: any) => a.agent.name === name) };
}
const contact = async (waId: string) => String((await t.db.query(`insert into contact (wa_id) values ($1) returning id`, [waId])).rows[0].id);
/** A message at a chosen time: `IN`, or `OUT` by an agent (or nobody: a bulk send, a key, the phone). */
async function msg(contactId: string, at: string, who: 'IN' | string | null, status?: string, type = 'TEXT') {
  const inbound = who === 'IN';
  await t.db.query(
    `insert into message (contact_id, direction, type, status, timestamp, created_at, sent_by_agent_id) values ($1, $2, $6, $3, $4, $4, $5)`,
    [contactId, inbound ? 'INBOUND' : 'OUTBOUND', status ?? (inbound ? 'RECEIVED' : 'READ'), at, inbound || who === null ? null : agents[who]!.id, type],
  );
}
const event = (contactId: string, kind: string, who: string | null, at: string) =>
  t.db.query(`insert into conversation_event (contact_id, agent_id, kind, at) values ($1, $2, $3, $4)`, [contactId, who && agents[who]!.id, kind, at]);

beforeAll(async () => {
  t = await startTestEnv();
  await session('Ada', 'AGENT');
  await session('Bob', 'ADMIN');
  await session('Vi', 'VIEWER');
});
afterAll(() => t?.close());

describe('stats.team over a chosen week (2026-01-05 to 2026-01-12)', () => {
  const FROM = '2026-01-05T00:00:00.000Z';
  const TO = '2026-01-12T00:00:00.000Z';
  const d = (day: number, hm: string) => `2026-01-${String(day).padStart(2, '0')}T${hm}:00Z`;

  beforeAll(async () => {
    const [c1, c2, c3, c4, c5, c6, c7, c8] = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((i) => contact(`1930000000${i}`)));
    // c1: the customer writes twice before Ada answers: one conversation, 10 min from the first message.
    for (const [at, who] of [[d(6, '10:00'), 'IN'], [d(6, '10:02'), 'IN'], [d(6, '10:10'), 'Ada'], [d(6, '10:11'), 'Ada']] as const) await msg(c1!, at, who);
    // c2: a bulk or key message is no human reply; Bob answers after 30 min.
    for (const [at, who] of [[d(6, '12:00'), 'IN'], [d(6, '12:01'), null], [d(6, '12:30'), 'Bob']] as const) await msg(c2!, at, who);
    // c3: Ada 1 min; 48 h quiet, a new conversation, Bob 2 min; closed, then a new one within the day, Ada 5 min;
    // a customer message an hour later without a close is the same conversation.
    for (const [at, who] of [[d(7, '09:00'), 'IN'], [d(7, '09:01'), 'Ada'], [d(9, '09:00'), 'IN'], [d(9, '09:02'), 'Bob']] as const) await msg(c3!, at, who);
    await event(c3!, 'CLOSED', 'Ada', d(9, '09:30'));
    for (const [at, who] of [[d(9, '10:00'), 'IN'], [d(9, '10:05'), 'Ada'], [d(9, '11:00'), 'IN'], [d(9, '11:01'), 'Ada']] as const) await msg(c3!, at, who);
    // c4: started before the week: Ada's reply counts as sent, not as a first response of the week.
    await msg(c4!, d(4, '23:00'), 'IN');
    await msg(c4!, d(5, '00:10'), 'Ada');
    // c5: Ada's failed reply neither answers nor counts as sent; her next one answers after 20 min.
    await msg(c5!, d(10, '08:00'), 'IN');
    await msg(c5!, d(10, '08:01'), 'Ada', 'FAILED');
    await msg(c5!, d(10, '08:20'), 'Ada');
    // c8: a customer's reaction after a quiet day asks for nothing: Ada's message is sent, not a first response.
    await msg(c8!, d(8, '15:00'), 'IN', undefined, 'REACTION');
    await msg(c8!, d(8, '15:01'), 'Ada');
    // c6 is never answered; c7 starts after the week.
    await msg(c6!, d(11, '08:00'), 'IN');
    await msg(c7!, d(12, '00:30'), 'IN');
    await msg(c7!, d(12, '00:31'), 'Bob');
    // Assignments and closes: in the week, before it and at its (exclusive) end.
    await event(c1!, 'ASSIGNED', 'Ada', d(6, '09:00'));
    await event(c2!, 'ASSIGNED', 'Ada', d(6, '11:00'));
    await event(c2!, 'ASSIGNED', 'Bob', d(6, '11:30'));
    await event(c1!, 'UNASSIGNED', 'Ada', d(8, '11:30'));
    await event(c2!, 'CLOSED', null, d(8, '12:00'));
    await event(c4!, 'ASSIGNED', 'Ada', d(4, '12:00'));
    await event(c7!, 'CLOSED', 'Bob', TO);
  });

  it('counts each agent\'s assignments, closes, messages and first responses of the week', async () => {
    const s = await team(FROM, TO, agents.Vi!.token);
    expect(s.from).toBe(FROM);
    expect(s.to).toBe(TO);
    // Active agents and admins are listed, viewers are not.
    expect(s.agents.map((a: any) => a.agent.name)).toEqual(['Ada', 'Bob']);
    // Ada: 1, 5, 10 and 20 minutes.
    expect(s.of('Ada')).toMatchObject({ conversationsAssigned: 2, conversationsClosed: 1, messagesSent: 8, firstResponses: 4, firstResponseMedianSeconds: 450, firstResponseP90Seconds: 1020 });
    // Bob: 2 and 30 minutes.
    expect(s.of('Bob')).toMatchObject({ conversationsAssigned: 1, conversationsClosed: 0, messagesSent: 2, firstResponses: 2, firstResponseMedianSeconds: 960, firstResponseP90Seconds: 1632 });
    // Everyone: a close by a key counts here; 1, 2, 5, 10, 20 and 30 minutes.
    expect(s.overall).toEqual({ conversationsAssigned: 3, conversationsClosed: 2, messagesSent: 10, firstResponses: 6, firstResponseMedianSeconds: 450, firstResponseP90Seconds: 1500 });
  });

  it('a day outside the week sees only its own figures; a reply after a period still answers a conversation started in it', async () => {
    const s = await team(d(4, '00:00'), d(5, '00:00'));
    expect(s.of('Ada')).toMatchObject({ conversationsAssigned: 1, messagesSent: 0, firstResponses: 1, firstResponseMedianSeconds: 4200 });
    expect(s.of('Bob')).toMatchObject({ conversationsAssigned: 0, conversationsClosed: 0 });
  });

  it('refuses an empty or reversed period and one past 366 days', async () => {
    for (const [from, to] of [[TO, TO], [TO, FROM], ['2025-01-01T00:00:00Z', '2026-01-03T00:00:00Z']]) {
      const r = await t.gql(TEAM, { from, to });
      expect(r.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('stats.team live', () => {
  it('an agent\'s reply through a session is the first response; a bulk send and an API key before it are not', async () => {
    const from = '19310000001';
    await t.postWebhook(envelope(textMessage({ from }).body));
    await drained(t.db);
    const id = String((await t.db.query(`select id from contact where wa_id = $1`, [from])).rows[0].id);
    const key = (await t.gql(`mutation { createApiKey(input: { name: "crm", scopes: [READ, SEND] }) { key } }`)).body.data.createApiKey.key;
    const send = async (token: string) => expect((await t.gql(`mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }`, { input: { contactId: id, text: 'hi' } }, token)).body.errors).toBeUndefined();
    await send(key);
    const bulk = await t.gql(`mutation($input: SendBulkMessageInput!) { sendBulkMessage(input: $input) { id } }`, { input: { text: 'sale', recipients: [{ contactId: id }] } }, agents.Bob!.token);
    expect(bulk.body.errors).toBeUndefined();
    await send(agents.Ada!.token);
    await send(agents.Ada!.token);
    const s = await team(undefined, undefined, agents.Ada!.token);
    expect(new Date(s.to).getTime() - new Date(s.from).getTime()).toBe(7 * 24 * 3600 * 1000);
    expect(s.of('Ada')).toMatchObject({ messagesSent: 2, firstResponses: 1 });
    expect(s.of('Ada').firstResponseMedianSeconds).toBeGreaterThanOrEqual(0);
    expect(s.of('Bob')).toMatchObject({ messagesSent: 0, firstResponses: 0, firstResponseMedianSeconds: null });
    expect(s.overall).toMatchObject({ messagesSent: 2, firstResponses: 1 });
  });
});

describe('stats.team.waitingLongest', () => {
  it('lists open conversations whose last message is the customer\'s, the longest waiting first', async () => {
    const make = async (waId: string, hoursAgo: number, direction: string, flags = '') => {
      const id = await contact(waId);
      const m = await t.db.query(
        `insert into message (contact_id, direction, type, status, timestamp) values ($1, $2, 'TEXT', 'READ', now() - make_interval(hours => $3)) returning id, timestamp`,
        [id, direction, hoursAgo],
      );
      await t.db.query(
        `update contact set last_message_id = $2, last_message_at = $3::timestamptz, last_inbound_at = $3::timestamptz - make_interval(hours => $4::int) ${flags} where id = $1`,
        [id, m.rows[0].id, m.rows[0].timestamp, direction === 'INBOUND' ? 0 : 1],
      );
      return id;
    };
    const recent = await make('19320000001', 3, 'INBOUND');
    const oldest = await make('19320000002', 5, 'INBOUND');
    const closed = await make('19320000003', 6, 'INBOUND', ', conversation_closed = true');
    const answered = await make('19320000004', 7, 'OUTBOUND');
    const blocked = await make('19320000005', 8, 'INBOUND', ', is_blocked = true');
    const r = await t.gql(`query { stats { team { waitingLongest(first: 50) { id lastInboundAt } } } }`, {}, agents.Ada!.token);
    expect(r.body.errors).toBeUndefined();
    const ids = r.body.data.stats.team.waitingLongest.map((c: any) => c.id);
    expect(ids.filter((id: string) => [recent, oldest, closed, answered, blocked].includes(id))).toEqual([oldest, recent]);
    expect(Date.now() - new Date(r.body.data.stats.team.waitingLongest[ids.indexOf(oldest)].lastInboundAt).getTime()).toBeGreaterThan(5 * 3600 * 1000 - 60_000);
    const bad = await t.gql(`query { stats { team { waitingLongest(first: 0) { id } } } }`);
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
