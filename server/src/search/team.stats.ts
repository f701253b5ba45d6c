import type { Sql } from '../db/db.js';

/** Quiet time after which a customer's message starts a new conversation. */
export const CONVERSATION_GAP_HOURS = 24;

/** One agent's figures over a period (`agentId` null: the whole team's). */
export interface TeamRow {
  agentId: string | null;
  conversationsAssigned: number;
  conversationsClosed: number;
  messagesSent: number;
  firstResponses: number;
  firstResponseMedianSeconds: number | null;
  firstResponseP90Seconds: number | null;
}

/**
 * Conversations assigned and closed, from their history: each agent's (the assignee, the closer) and
 * everyone's, closes by API keys included in the latter.
 */
const EVENTS_SQL = `
  select case when grouping(agent_id) = 1 then 'all' else agent_id::text end as key,
    count(*) filter (where kind = 'ASSIGNED')::int as assigned, count(*) filter (where kind = 'CLOSED')::int as closed
  from conversation_event where at >= $1 and at < $2
  group by grouping sets ((agent_id), ())`;

/** Messages agents sent through their sessions (not bulk sends, keys or the phone), failed ones left out. */
const SENT_SQL = `
  select case when grouping(sent_by_agent_id) = 1 then 'all' else sent_by_agent_id::text end as key, count(*)::int as sent
  from message where timestamp >= $1 and timestamp < $2 and direction = 'OUTBOUND' and sent_by_agent_id is not null and status <> 'FAILED'
  group by grouping sets ((sent_by_agent_id), ())`;

/**
 * First response times. A conversation starts at a customer's message (not a reaction or a system notice) when the
 * contact had no message in the 24 hours before it, or the conversation was closed since the message
 * before. Its first response is the next message an agent sent through a session (not failed; bulk
 * sends, keys and the phone are no human reply), attributed to that agent. A customer who wrote again
 * while still waiting is one conversation: a reply answers the earliest start before it. Starts in
 * [from, to) count; the window's lag reaches 24 h back, so a message with nothing before it there is a
 * start either way. The messages are read by time (message_time_idx), each reply by contact and time
 * (message_contact_time_idx). Percentiles are rounded to a tenth of a second.
 */
const FIRST_RESPONSE_SQL = `
  with m as (
    select id, contact_id, direction, type, timestamp,
      lag(timestamp) over (partition by contact_id order by timestamp, id) as prev_at
    from message where timestamp >= $1::timestamptz - make_interval(hours => $3) and timestamp < $2
  ), starts as (
    select m.id, m.contact_id, m.timestamp as at from m
    where m.direction = 'INBOUND' and m.type not in ('SYSTEM', 'REACTION') and m.timestamp >= $1
      and (m.prev_at is null or m.prev_at <= m.timestamp - make_interval(hours => $3)
        or exists (select 1 from conversation_event e where e.contact_id = m.contact_id and e.kind = 'CLOSED' and e.at > m.prev_at and e.at <= m.timestamp))
  ), answered as (
    select distinct on (r.id) r.agent_id, extract(epoch from r.timestamp - s.at)::float8 as secs
    from starts s cross join lateral (
      select id, timestamp, sent_by_agent_id as agent_id from message r
      where r.contact_id = s.contact_id and (r.timestamp, r.id) > (s.at, s.id)
        and r.direction = 'OUTBOUND' and r.sent_by_agent_id is not null and r.status <> 'FAILED'
      order by r.timestamp, r.id limit 1
    ) r
    order by r.id, s.at, s.id
  )
  select case when grouping(agent_id) = 1 then 'all' else agent_id::text end as key, count(*)::int as n,
    round(percentile_cont(0.5) within group (order by secs)::numeric, 1)::float8 as p50,
    round(percentile_cont(0.9) within group (order by secs)::numeric, 1)::float8 as p90
  from answered group by grouping sets ((agent_id), ())`;

/** Each agent's figures over [from, to), keyed by agent id, and the team's under `all`. */
export async function readTeamStats(db: Sql, from: Date, to: Date): Promise<Map<string, TeamRow>> {
  // SQL: three reads across message and conversation_event with plans of their own (search/).
  const [events, sent, responses] = await Promise.all([
    db.query(EVENTS_SQL, [from, to]),
    db.query(SENT_SQL, [from, to]),
    db.query(FIRST_RESPONSE_SQL, [from, to, CONVERSATION_GAP_HOURS]),
  ]);
  const out = new Map<string, TeamRow>();
  const row = (key: string): TeamRow => {
    let r = out.get(key);
    if (!r) {
      out.set(key, (r = { agentId: key === 'all' ? null : key, conversationsAssigned: 0, conversationsClosed: 0, messagesSent: 0, firstResponses: 0, firstResponseMedianSeconds: null, firstResponseP90Seconds: null }));
    }
    return r;
  };
  row('all');
  // Events and messages of deleted agents (agent null) count in the team's row only.
  const keyed = (rows: any[]) => rows.filter((r) => r.key != null);
  for (const e of keyed(events.rows)) Object.assign(row(e.key), { conversationsAssigned: e.assigned, conversationsClosed: e.closed });
  for (const s of keyed(sent.rows)) row(s.key).messagesSent = s.sent;
  for (const f of keyed(responses.rows)) Object.assign(row(f.key), { firstResponses: f.n, firstResponseMedianSeconds: f.p50, firstResponseP90Seconds: f.p90 });
  return out;
}

/**
 * Open conversations (not closed, not blocked) whose last message is the customer's, the longest
 * waiting first: by the customer's latest message.
 */
export async function readWaitingLongest(db: Sql, first: number): Promise<Array<Record<string, any>>> {
  // SQL: a read across contact and message (the last message's direction) in an order no list has.
  const { rows } = await db.query(
    `select c.* from contact c join message m on m.id = c.last_message_id
     where not c.conversation_closed and not c.is_blocked and m.direction = 'INBOUND' and c.last_inbound_at is not null
     order by c.last_inbound_at, c.id limit $1`,
    [first],
  );
  return rows;
}
