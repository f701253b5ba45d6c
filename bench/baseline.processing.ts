/**
 * The processing baseline's work for one group of webhook requests (bench/baseline.ts, mode
 * `processing`): what the app's receiver and its inbox processor together do to a customer's text
 * (server/src/webhook/webhook.store.ts, server/src/ingest/ingest.batch.ts), by the plainest means, in
 * one transaction on the app's own schema (its indexes, the message search vector's GIN index, the
 * counters' and word-index triggers):
 * 1. the raw bodies into `webhook_event`, already PROCESSED (one attempt, `processed_at` now);
 * 2. the customers not stored yet into `contact` (`on conflict (wa_id) do nothing`);
 * 3. the group's contacts locked in id order, as the app's batch locks them;
 * 4. the messages into `message`, INBOUND TEXT RECEIVED with the columns the app fills for one
 *    (`on conflict (wa_message_id) do nothing`: redeliveries add nothing, as in the app);
 * 5. each contact's profile name, last message, last message time, unread count and customer window
 *    moved forward by the messages just stored; a closed conversation reopens and is recorded
 *    (`conversation_event` REOPENED), as `ContactRepository.advanceConversations` does.
 * No ORM, no queue, no NOTIFY. Bodies that are anything but customers' text messages are stored
 * PENDING (unprocessed) for the bench to count and report, never dropped.
 */
import type pg from 'pg';

/** A request's raw body and the headers kept with it. */
export interface Received {
  body: Buffer;
  headers: Record<string, string>;
}

/** A customer's text message as the app stores it. */
export interface CustomerText {
  waId: string;
  profileName: string | null;
  wamid: string;
  text: string | null;
  timestamp: Date;
  phoneNumberId: string | null;
  /** The message object of the webhook (the app's `raw`). */
  raw: Record<string, unknown>;
}

type Json = Record<string, any>;
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const clean = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
/** Meta's timestamps are seconds; the app takes now for a missing one (metaTime). */
const metaTime = (ts: unknown): Date => (Number(ts) > 0 ? new Date(Number(ts) * 1000) : new Date());
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * The customer texts of a webhook body; null when it carries anything else (not JSON, another field,
 * statuses, echoes, errors, another message type, no message at all), which this baseline leaves PENDING.
 */
export function customerTexts(body: Buffer): CustomerText[] | null {
  let envelope: Json;
  try {
    envelope = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  const out: CustomerText[] = [];
  for (const entry of list(envelope?.entry)) {
    for (const change of list(entry?.changes)) {
      const value: Json = change?.value ?? {};
      if (change?.field !== 'messages' || list(value.statuses).length || list(value.message_echoes).length || list(value.errors).length) return null;
      const profiles = new Map(list(value.contacts).map((c) => [clean(c?.wa_id), clean(c?.profile?.name)]));
      for (const m of list(value.messages)) {
        const waId = clean(m?.from);
        const wamid = str(m?.id);
        if (m?.type !== 'text' || !wamid || !waId) return null;
        out.push({
          waId, profileName: profiles.get(waId) ?? null, wamid, text: str(m.text?.body),
          timestamp: metaTime(m.timestamp), phoneNumberId: value.metadata?.phone_number_id ?? null, raw: m,
        });
      }
    }
  }
  return out.length ? out : null;
}

/** Stores and processes one group in one transaction; throws (nothing committed) when any statement fails. */
export async function processGroup(pool: pg.Pool, group: readonly Received[]): Promise<void> {
  const parsed = group.map((r) => ({ ...r, texts: customerTexts(r.body) }));
  const texts = parsed.flatMap((p) => p.texts ?? []);
  const client = await pool.connect();
  try {
    await client.query('begin');
    await storeEvents(client, parsed.filter((p) => p.texts), true);
    await storeEvents(client, parsed.filter((p) => !p.texts), false);
    if (texts.length) await applyTexts(client, texts);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function storeEvents(client: pg.PoolClient, rows: readonly Received[], processed: boolean): Promise<void> {
  if (!rows.length) return;
  const values = rows.map((_, i) => `($${2 * i + 1}, $${2 * i + 2}${processed ? `, 'PROCESSED', now(), 1` : ''})`).join(', ');
  await client.query(
    `insert into webhook_event (body, headers${processed ? ', status, processed_at, attempts' : ''}) values ${values}`,
    rows.flatMap((r) => [r.body, r.headers]),
  );
}

async function applyTexts(client: pg.PoolClient, texts: readonly CustomerText[]): Promise<void> {
  // Sorted, so two groups in flight meet on the unique index in one order and cannot deadlock.
  const waIds = [...new Set(texts.map((t) => t.waId))].sort();
  const profile = new Map<string, string | null>();
  for (const t of texts) if (t.profileName || !profile.has(t.waId)) profile.set(t.waId, t.profileName ?? profile.get(t.waId) ?? null);
  await client.query(
    `insert into contact (wa_id, profile_name) select * from unnest($1::text[], $2::text[]) order by 1 on conflict (wa_id) do nothing`,
    [waIds, waIds.map((w) => profile.get(w))],
  );
  const locked = await client.query<{ id: string; wa_id: string }>(
    `select id::text, wa_id from contact where wa_id = any($1::text[]) order by id for update`,
    [waIds],
  );
  const contactOf = new Map(locked.rows.map((r) => [r.wa_id, r.id]));
  const inserted = await client.query<{ id: string; wa_message_id: string }>(
    `insert into message (wa_message_id, contact_id, direction, type, wa_type, text, status, source, business_phone_number_id, timestamp, payload, raw)
     select w, c, 'INBOUND', 'TEXT', 'text', t, 'RECEIVED', 'CUSTOMER', p, ts, case when r ? 'text' then jsonb_build_object('text', r -> 'text') end, r
     from unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[]) as x(w, c, t, p, ts, r)
     on conflict (wa_message_id) do nothing returning id::text, wa_message_id`,
    [texts.map((t) => t.wamid), texts.map((t) => contactOf.get(t.waId)), texts.map((t) => t.text), texts.map((t) => t.phoneNumberId),
      texts.map((t) => t.timestamp), texts.map((t) => JSON.stringify(t.raw))],
  );
  const idOf = new Map(inserted.rows.map((r) => [r.wa_message_id, r.id]));
  // Per contact: the latest new message (equal times: the later one, as the app), how many, the profile.
  const conv = new Map<string, { msgId: string | null; ts: Date | null; unread: number; profile: string | null }>();
  for (const w of waIds) conv.set(contactOf.get(w)!, { msgId: null, ts: null, unread: 0, profile: profile.get(w) ?? null });
  for (const t of texts) {
    const id = idOf.get(t.wamid);
    if (id === undefined) continue; // stored before: a redelivery
    idOf.delete(t.wamid); // a second copy in this group is one too
    const c = conv.get(contactOf.get(t.waId)!)!;
    c.unread++;
    if (!c.ts || t.timestamp.getTime() >= c.ts.getTime()) Object.assign(c, { msgId: id, ts: t.timestamp });
  }
  const ids = [...conv.keys()];
  const rows = [...conv.values()];
  // greatest() skips nulls: a contact with no new message keeps its conversation as it was.
  const updated = await client.query<{ id: string; reopened: boolean }>(
    `update contact c set profile_name = coalesce(x.profile, c.profile_name),
       last_message_id = case when x.ts >= coalesce(c.last_message_at, '-infinity') then x.msg_id else c.last_message_id end,
       last_message_at = greatest(c.last_message_at, x.ts), unread_count = c.unread_count + x.unread,
       last_inbound_at = greatest(c.last_inbound_at, x.ts), conversation_closed = c.conversation_closed and x.ts is null, updated_at = now()
     from unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::int[], $5::text[]) as x(id, msg_id, ts, unread, profile)
     join contact o on o.id = x.id
     where c.id = x.id returning c.id::text, o.conversation_closed and x.ts is not null as reopened`,
    [ids, rows.map((r) => r.msgId), rows.map((r) => r.ts), rows.map((r) => r.unread), rows.map((r) => r.profile)],
  );
  const reopened = updated.rows.filter((r) => r.reopened).map((r) => r.id);
  if (reopened.length) {
    await client.query(`insert into conversation_event (contact_id, kind) select unnest($1::bigint[]), 'REOPENED'`, [reopened]);
  }
}
