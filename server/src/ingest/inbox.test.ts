import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { drained, emptyInbox, startTestEnv, waitFor, type TestEnv } from '../../test/harness.js';
import { envelope, status, textMessage, value, wamid } from '../../test/payloads.js';

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv();
});
afterAll(() => t?.close());
beforeEach(async () => {
  await emptyInbox(t.db);
});

const rows = async (sql: string, params: unknown[] = []) => (await t.db.query(sql, params)).rows;
const post = async (body: unknown) => {
  const res = await t.postWebhook(body);
  expect(res.status).toBe(200);
};
/** An outbound message as if sent earlier by the inbox, with its wamid. */
async function outbound(waId = '15551230000') {
  const id = wamid();
  const [c] = await rows(`insert into contact (wa_id) values ($1) on conflict (wa_id) do update set wa_id = excluded.wa_id returning id`, [waId]);
  const [m] = await rows(
    `insert into message (wa_message_id, contact_id, direction, type, text, status, source) values ($1, $2, 'OUTBOUND', 'TEXT', 'hi', 'PENDING', 'API') returning id`,
    [id, c.id],
  );
  return { wamid: id, id: m.id as string, contactId: c.id as string };
}

describe('batches', () => {
  it('applies every entry, change, message and status of one POST', async () => {
    const out = await outbound();
    const a = textMessage({ from: '15550000001', text: 'one' });
    const b = textMessage({ from: '15550000002', text: 'two' });
    const c = textMessage({ from: '15550000002', text: 'three' });
    const twoMessages = value({
      contacts: [...(a.body as any).contacts],
      messages: [...(a.body as any).messages, ...(c.body as any).messages],
    });
    const body = envelope(twoMessages, b.body, status({ id: out.wamid, status: 'delivered' }));
    body.entry[0]!.changes.push({ field: 'account_alerts', value: { alert_type: 'X' } } as any);
    await post(body);
    await drained(t.db);
    expect((await rows(`select text from message where direction = 'INBOUND' order by text`)).map((r) => r.text)).toEqual(['one', 'three', 'two']);
    expect((await rows(`select status from message where id = $1`, [out.id]))[0].status).toBe('DELIVERED');
    expect(await rows(`select field from account_event`)).toEqual([{ field: 'account_alerts' }]);
    expect((await rows(`select unread_count from contact where wa_id = '15550000002'`))[0].unread_count).toBe(2);
  });
});

describe('duplicates', () => {
  it('a message delivered twice is stored once and counted unread once', async () => {
    const m = textMessage({ text: 'only once' });
    await post(envelope(m.body));
    await post(envelope(m.body));
    await drained(t.db);
    expect(await rows(`select text from message`)).toEqual([{ text: 'only once' }]);
    expect((await rows(`select unread_count from contact`))[0].unread_count).toBe(1);
    expect((await rows(`select count(*)::int as n from webhook_event where status = 'PROCESSED'`))[0].n).toBe(2);
  });
});

describe('statuses', () => {
  it('never go backwards: a late delivered or sent does not downgrade read', async () => {
    const out = await outbound();
    const t0 = Math.floor(Date.now() / 1000);
    await post(envelope(status({ id: out.wamid, status: 'read', ts: t0 + 3 })));
    await post(envelope(status({ id: out.wamid, status: 'delivered', ts: t0 + 2 })));
    await post(envelope(status({ id: out.wamid, status: 'sent', ts: t0 + 1 })));
    await drained(t.db);
    const [m] = await rows(`select status, sent_at, delivered_at, read_at from message where id = $1`, [out.id]);
    expect(m.status).toBe('READ');
    expect(m.sent_at.getTime()).toBe((t0 + 1) * 1000);
    expect(m.delivered_at.getTime()).toBe((t0 + 2) * 1000);
    expect(m.read_at.getTime()).toBe((t0 + 3) * 1000);
  });
  it('failed keeps Meta error code, title and details', async () => {
    const out = await outbound();
    await post(envelope(status({ id: out.wamid, status: 'sent' })));
    await post(envelope(status({ id: out.wamid, status: 'failed', errors: [{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable', error_data: { details: 'not on WhatsApp' } }] })));
    await drained(t.db);
    expect((await rows(`select status, error_code, error_title, error_details, failed_at is not null as failed from message where id = $1`, [out.id]))[0]).toEqual({
      status: 'FAILED', error_code: 131026, error_title: 'Message undeliverable', error_details: 'not on WhatsApp', failed: true,
    });
  });
  it('a status for a message not stored yet is kept and applied when the message appears', async () => {
    const id = wamid();
    await post(envelope(status({ id, status: 'delivered' })));
    await drained(t.db);
    expect(await rows(`select applied from message_status_event where wa_message_id = $1`, [id])).toEqual([{ applied: false }]);
    // The message appears later (an echo of a message sent from the phone app).
    await post(envelope({ field: 'smb_message_echoes', value: value({ message_echoes: [{ from: '15550001111', to: '15551230000', id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'from phone' } }] } as any) }));
    await drained(t.db);
    expect((await rows(`select status, text from message where wa_message_id = $1`, [id]))[0]).toEqual({ status: 'DELIVERED', text: 'from phone' });
    expect(await rows(`select applied from message_status_event where wa_message_id = $1`, [id])).toEqual([{ applied: true }]);
  });
  it('biz_opaque_callback_data finds an outbound message whose send response was lost', async () => {
    const [c] = await rows(`insert into contact (wa_id) values ('15551230000') returning id`);
    const [m] = await rows(`insert into message (contact_id, direction, type, text, status, source) values ($1, 'OUTBOUND', 'TEXT', 'x', 'PENDING', 'API') returning id`, [c.id]);
    const id = wamid();
    await post(envelope(status({ id, status: 'sent', opaque: `inbox:${m.id}` })));
    await drained(t.db);
    expect((await rows(`select wa_message_id, status from message where id = $1`, [m.id]))[0]).toEqual({ wa_message_id: id, status: 'SENT' });
  });
});

describe('edits, revokes and identity changes', () => {
  it('an edit changes the original text and keeps the old one; a revoke marks it deleted', async () => {
    const m = textMessage({ text: 'helo' });
    await post(envelope(m.body));
    const edit = { from: '15551230000', id: wamid(), timestamp: String(Math.floor(Date.now() / 1000)), type: 'edit', edit: { original_message_id: m.id, message: { type: 'text', text: { body: 'hello' } } } };
    await post(envelope(value({ messages: [edit] })));
    await post(envelope(value({ messages: [edit] }))); // delivered twice
    await drained(t.db);
    expect((await rows(`select text, edit_history, edited_at is not null as edited from message`))).toEqual([{ text: 'hello', edit_history: ['helo'], edited: true }]);
    await post(envelope(value({ messages: [{ from: '15551230000', id: wamid(), timestamp: String(Math.floor(Date.now() / 1000)), type: 'revoke', revoke: { original_message_id: m.id } }] })));
    await drained(t.db);
    expect((await rows(`select count(*)::int as n, bool_and(deleted_at is not null) as deleted from message`))[0]).toEqual({ n: 1, deleted: true });
  });
  it('edits apply in Meta\'s timestamp order: a late older edit does not overwrite a newer one', async () => {
    const t0 = Math.floor(Date.now() / 1000);
    const edit = (originalId: string, text: string, ts: number) =>
      envelope(value({ messages: [{ from: '15551230000', id: wamid(), timestamp: String(ts), type: 'edit', edit: { original_message_id: originalId, message: { type: 'text', text: { body: text } } } }] }));
    const text = async (id: string) => (await rows(`select text, edit_history from message where wa_message_id = $1`, [id]))[0];
    // Delivered newest first: the newest text stays, the older one joins the history.
    const a = textMessage({ text: 'v0' });
    await post(envelope(a.body));
    await drained(t.db);
    await post(edit(a.id, 'v2', t0 + 2));
    await drained(t.db);
    await post(edit(a.id, 'v1', t0 + 1));
    await drained(t.db);
    expect(await text(a.id)).toEqual({ text: 'v2', edit_history: ['v0', 'v1'] });
    // In order: the last wins.
    const b = textMessage({ text: 'w0' });
    await post(envelope(b.body));
    await drained(t.db);
    await post(edit(b.id, 'w1', t0 + 1));
    await drained(t.db);
    await post(edit(b.id, 'w2', t0 + 2));
    await drained(t.db);
    expect(await text(b.id)).toEqual({ text: 'w2', edit_history: ['w0', 'w1'] });
    // A revoke after the edits still marks the message deleted.
    await post(envelope(value({ messages: [{ from: '15551230000', id: wamid(), timestamp: String(t0 + 3), type: 'revoke', revoke: { original_message_id: a.id } }] })));
    await drained(t.db);
    expect((await rows(`select text, deleted_at is not null as deleted from message where wa_message_id = $1`, [a.id]))[0]).toEqual({ text: 'v2', deleted: true });
  });
  it('phone and BSUID arriving separately for one person end on one contact', async () => {
    await post(envelope(textMessage({ from: '15557770000', text: 'by phone' }).body));
    await drained(t.db);
    const onlyBsuid = value({
      contacts: [{ profile: { name: 'Zoe' }, user_id: 'US.777' }],
      messages: [{ from_user_id: 'US.777', id: wamid(), timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'by username' } }],
    });
    await post(envelope(onlyBsuid));
    await drained(t.db);
    expect((await rows(`select count(*)::int as n from contact`))[0].n).toBe(2);
    // Meta then sends both identifiers together: the two contacts become one with both messages.
    await post(envelope(textMessage({ from: '15557770000', userId: 'US.777', text: 'both' }).body));
    await drained(t.db);
    const contacts = await rows(`select id, wa_id, user_id, unread_count from contact`);
    expect(contacts).toEqual([{ id: expect.any(String), wa_id: '15557770000', user_id: 'US.777', unread_count: 3 }]);
    expect((await rows(`select count(*)::int as n from message where contact_id = $1`, [contacts[0].id]))[0].n).toBe(3);
  });
  it('a changed number moves the contact to the new number', async () => {
    await post(envelope(textMessage({ from: '15551110000' }).body));
    await post(envelope(value({ messages: [{ from: '15551110000', id: wamid(), timestamp: String(Math.floor(Date.now() / 1000)), type: 'system', system: { body: 'changed', wa_id: '15552220000', type: 'user_changed_number' } }] })));
    await drained(t.db);
    expect(await rows(`select wa_id from contact`)).toEqual([{ wa_id: '15552220000' }]);
  });
});

describe('unknown input', () => {
  it('an unknown message type with unknown fields is kept as UNSUPPORTED with its raw JSON', async () => {
    const id = wamid();
    const weird = { from: '15551230000', id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'poll_vote', poll_vote: { option: 2 }, brand_new_field: { x: 1 } };
    await post(envelope(value({ messages: [weird] })));
    await drained(t.db);
    const [m] = await rows(`select type, wa_type, raw, payload from message`);
    expect(m).toMatchObject({ type: 'UNSUPPORTED', wa_type: 'poll_vote', raw: weird, payload: { poll_vote: { option: 2 } } });
  });
  it('a message and a status whose timestamps lie past any date are kept, at the time they came', async () => {
    const out = await outbound();
    const m = textMessage({ from: '15550000009', text: 'from the far future' });
    (m.body as any).messages[0].timestamp = '1e300';
    const before = Date.now();
    await post(envelope(m.body, status({ id: out.wamid, status: 'delivered', ts: 9e15 })));
    await drained(t.db);
    const [msg] = await rows(`select text, timestamp from message where wa_message_id = $1`, [m.id]);
    expect(msg?.text).toBe('from the far future');
    expect(msg.timestamp.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(msg.timestamp.getTime()).toBeLessThan(Date.now() + 1000);
    const [sent] = await rows(`select status, delivered_at from message where id = $1`, [out.id]);
    expect(sent.status).toBe('DELIVERED');
    expect(sent.delivered_at.getTime()).toBeLessThan(Date.now() + 1000);
    expect((await rows(`select status from webhook_event`)).map((r) => r.status)).toEqual(['PROCESSED']);
  });
  it('malformed JSON with a valid signature is stored, acknowledged with 200 and failed at once', async () => {
    const res = await t.postWebhook('{"object": "whatsapp_business_account", "entry": [');
    expect(res.status).toBe(200);
    await drained(t.db);
    await new Promise((r) => setTimeout(r, 300)); // a retry would have happened by now
    const [ev] = await rows(`select status, attempts, last_error, convert_from(body, 'UTF8') as body from webhook_event`);
    expect(ev).toMatchObject({ status: 'FAILED', attempts: 1, last_error: expect.stringMatching(/not JSON/) });
    expect(ev.body).toContain('"entry": [');
  });
  it('a body over the size limit gets 413 and stores nothing', async () => {
    const res = await t.postWebhook(JSON.stringify({ pad: 'x'.repeat(3.2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect((await rows(`select count(*)::int as n from webhook_event`))[0].n).toBe(0);
  });
});

describe('retries and replay', () => {
  it('retries with backoff, keeps the failure with its error, and replayWebhookEvent processes it once fixed', async () => {
    // A database rule that rejects this customer's messages plays a persistent processing failure.
    await t.db.query(`create or replace function reject_msg() returns trigger language plpgsql as $$ begin raise exception 'storage says no'; end $$`);
    await t.db.query(`create trigger reject_msg before insert on message for each row when (new.text = 'doomed') execute function reject_msg()`);
    try {
      await post(envelope(textMessage({ text: 'doomed' }).body));
      const ev = await waitFor(async () => (await rows(`select id, status, attempts, last_error from webhook_event where status = 'FAILED'`))[0], 10_000, 'FAILED');
      expect(ev).toMatchObject({ attempts: 3, last_error: expect.stringContaining('storage says no') });
      expect((await rows(`select count(*)::int as n from message`))[0].n).toBe(0);
      expect((await rows(`select count(*)::int as n from contact`))[0].n).toBe(0); // nothing half-written
      const listed = await t.gql(`{ webhookEvents(status: FAILED) { id lastError attempts } }`);
      expect(listed.body.data.webhookEvents).toEqual([{ id: ev.id, lastError: expect.stringContaining('storage says no'), attempts: 3 }]);
      await t.db.query(`drop trigger reject_msg on message`);
      const replay = await t.gql(`mutation($id: ID!) { replayWebhookEvent(id: $id) { id status } }`, { id: ev.id });
      expect(replay.body.data.replayWebhookEvent.status).toBe('PENDING');
      await drained(t.db);
      expect(await rows(`select text from message`)).toEqual([{ text: 'doomed' }]);
      expect((await rows(`select status from webhook_event`))[0].status).toBe('PROCESSED');
    } finally {
      await t.db.query(`drop trigger if exists reject_msg on message`);
    }
  });
  it('an event that can never succeed (a null message, a value PostgreSQL refuses) fails at the first attempt', async () => {
    await post(envelope(value({ messages: [null as unknown as object] })));
    const bad = textMessage({ text: 'x' });
    (bad.body.messages![0] as any).errors = [{ code: 'not a number' }]; // error_code is an int column
    await post(envelope(bad.body));
    const failed = await waitFor(async () => {
      const r = await rows(`select attempts, last_error from webhook_event where status = 'FAILED' order by id`);
      return r.length === 2 ? r : undefined;
    }, 10_000, 'both FAILED');
    expect(failed).toEqual([
      { attempts: 1, last_error: expect.stringMatching(/null/) },
      { attempts: 1, last_error: expect.stringMatching(/invalid input syntax for type integer/) },
    ]);
  });
  it('replaying an unknown event is NOT_FOUND', async () => {
    const res = await t.gql(`mutation { replayWebhookEvent(id: "999999") { id } }`);
    expect(res.body.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });
});
