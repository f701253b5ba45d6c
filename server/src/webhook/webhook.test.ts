import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drained, emptyInbox, startTestEnv, VERIFY_TOKEN, type TestEnv } from '../../test/harness.js';

const SAMPLES = path.resolve(import.meta.dirname, '../../test/webhook-samples');
const sample = (name: string) => fs.readFileSync(path.join(SAMPLES, name));

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv();
});
afterAll(() => t?.close());

const count = async (sql: string, params: unknown[] = []) => (await t.db.query(sql, params)).rows[0].n as number;

describe('GET handshake', () => {
  it('echoes the challenge exactly when the verify token matches', async () => {
    const res = await fetch(`${t.app.url}/api/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('1158201444');
  });
  it('refuses a wrong token or mode with 403', async () => {
    for (const q of [`hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`, `hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`, ``]) {
      const res = await fetch(`${t.app.url}/api/whatsapp/webhook?${q}`);
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain('1');
    }
  });
});

describe('POST signature', () => {
  const body = sample('text.json');
  it('accepts a correctly signed body', async () => {
    const res = await t.postWebhook(body);
    expect(res.status).toBe(200);
    await drained(t.db);
  });
  it.each([
    ['missing', null],
    ['wrong', 'sha256=' + '0'.repeat(64)],
    ['malformed', 'sha1=abc'],
  ])('refuses a %s signature with 401 and stores nothing', async (_name, signature) => {
    const before = await count(`select count(*)::int as n from webhook_event`);
    const res = await t.postWebhook(body, { signature });
    expect(res.status).toBe(401);
    expect(await count(`select count(*)::int as n from webhook_event`)).toBe(before);
  });
  it('refuses a tampered body (signature of the original) with 401', async () => {
    const { signBody } = await import('./webhook.signature.js');
    const signature = signBody(body, 'test-app-secret');
    const tampered = Buffer.from(body.toString('utf8').replace('Body Text', 'Body Texx'));
    const res = await t.postWebhook(tampered, { signature });
    expect(res.status).toBe(401);
  });
});

describe('every sample from Meta', () => {
  // Several samples share one wamid, so each is posted (exact bytes) into an emptied inbox.
  const expected: Record<string, (rows: any[]) => void> = {
    'text.json': ([m]) => expect(m).toMatchObject({ type: 'TEXT', text: 'Body Text', status: 'RECEIVED' }),
    'image.json': ([m]) => expect(m.payload.image).toMatchObject({ id: expect.any(String), mime_type: 'image/jpeg', sha256: expect.any(String) }),
    'image-with-url.json': ([m]) => expect(m.payload.image.url).toMatch(/^https:/),
    'video.json': ([m]) => expect(m).toMatchObject({ type: 'VIDEO', text: 'caption', forwarded: true }),
    'audio.json': ([m]) => expect(m.type).toBe('AUDIO'),
    'audio-voice.json': ([m]) => expect(m.payload.audio.voice).toBe(true),
    'document.json': ([m]) => expect(m.payload.document.filename).toBeTruthy(),
    'sticker.json': ([m]) => expect(m.type).toBe('STICKER'),
    'sticker-animated.json': ([m]) => expect(m.payload.sticker.animated).toBe(true),
    'location.json': ([m]) => expect(m.payload.location.latitude).toEqual(expect.any(Number)),
    'location-named.json': ([m]) => expect(m.text).toBeTruthy(),
    'contacts.json': ([m]) => expect(m.payload.contacts.length).toBeGreaterThan(0),
    'interactive-button-reply.json': ([m]) => expect(m).toMatchObject({ type: 'INTERACTIVE', text: expect.any(String) }),
    'interactive-list-reply.json': ([m]) => expect(m.payload.interactive.list_reply.id).toBeTruthy(),
    'interactive-nfm-reply-flow.json': ([m]) => expect(m.payload.interactive.nfm_reply.response_json).toBeTruthy(),
    'interactive-with-errors.json': ([m]) => expect(m).toMatchObject({ type: 'INTERACTIVE', error_code: 131000, error_details: 'Unsupported webhook payload' }),
    'button-template-quick-reply.json': ([m]) => expect(m).toMatchObject({ type: 'BUTTON', text: expect.any(String) }),
    'button-template-quick-reply-no-context.json': ([m]) => expect(m.payload.button.payload).toBeTruthy(),
    'reaction.json': ([m]) => expect(m).toMatchObject({ type: 'REACTION', payload: { reaction: { emoji: expect.any(String) } } }),
    'reaction-removed-empty-emoji.json': ([m]) => expect(m.type).toBe('REACTION'),
    'reaction-removed-no-emoji.json': ([m]) => expect(m.type).toBe('REACTION'),
    'order.json': ([m]) => expect(m.payload.order.product_items.length).toBeGreaterThan(0),
    'text-ctwa-referral.json': ([m]) => expect(m.referral.source_type).toBeTruthy(),
    'text-forwarded.json': ([m]) => expect(m.forwarded).toBe(true),
    'text-frequently-forwarded.json': ([m]) => expect(m.frequently_forwarded).toBe(true),
    'text-reply-context.json': ([m]) => expect(m.context_wa_message_id).toBeTruthy(),
    'unsupported.json': ([m]) => expect(m).toMatchObject({ type: 'UNSUPPORTED', error_code: 131051 }),
    'unsupported-poll.json': ([m]) => expect(m).toMatchObject({ type: 'UNSUPPORTED', raw: { unsupported: { type: 'pool' } } }),
    'system-user-changed-number.json': ([m]) => expect(m.type).toBe('SYSTEM'),
    'system-customer-identity-changed.json': ([m]) => expect(m.payload.identity.hash).toBeTruthy(),
    'smb-message-echoes-text.json': ([m]) => expect(m).toMatchObject({ direction: 'OUTBOUND', source: 'BUSINESS_APP', status: 'SENT', text: 'Test message' }),
    // An edit or revoke whose original is not stored is kept as its own message, never dropped.
    'edit.json': ([m]) => expect(m).toMatchObject({ type: 'IMAGE', wa_type: 'edit', text: 'Updated image caption' }),
    'revoke.json': ([m]) => expect(m.deleted_at).toBeTruthy(),
    // Statuses for unknown messages are kept for later; no message is made up.
    'status-sent.json': (rows) => expect(rows).toEqual([]),
    'status-delivered.json': (rows) => expect(rows).toEqual([]),
    'status-read.json': (rows) => expect(rows).toEqual([]),
    'status-played.json': (rows) => expect(rows).toEqual([]),
    'status-failed.json': (rows) => expect(rows).toEqual([]),
    'status-sent-biz-opaque-callback-data.json': (rows) => expect(rows).toEqual([]),
    'non-message-template-status-approved.json': (rows) => expect(rows).toEqual([]),
  };

  it('has an expectation for every sample file', () => {
    expect(fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.json')).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.keys(expected))('%s is stored, acknowledged and processed with its data kept', async (file) => {
    await emptyInbox(t.db);
    const res = await t.postWebhook(sample(file));
    expect(res.status).toBe(200);
    await drained(t.db);
    const ev = (await t.db.query(`select status, last_error, body from webhook_event`)).rows;
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ status: 'PROCESSED', last_error: null });
    expect(ev[0].body.equals(sample(file))).toBe(true);
    const { rows } = await t.db.query(`select * from message order by id`);
    expected[file]!(rows);
    for (const m of rows) expect(m.raw).toBeTruthy();
    const statuses = JSON.parse(sample(file).toString()).entry[0].changes[0].value.statuses ?? [];
    expect(await count(`select count(*)::int as n from message_status_event where status <> 'edit' and status <> 'revoke'`)).toBe(statuses.length);
  });

  it('keeps non-message fields as account events', async () => {
    await t.db.query(`truncate webhook_event, account_event cascade`);
    await t.postWebhook(sample('non-message-template-status-approved.json'));
    await drained(t.db);
    const { rows } = await t.db.query(`select field, payload from account_event`);
    expect(rows).toEqual([{ field: 'message_template_status_update', payload: expect.objectContaining({ event: 'APPROVED' }) }]);
  });

  it('creates the contact from the contacts array with phone, BSUID and profile name', async () => {
    await emptyInbox(t.db);
    await t.postWebhook(sample('text.json'));
    await drained(t.db);
    const { rows } = await t.db.query(`select wa_id, user_id, parent_user_id, profile_name, unread_count, last_message_id from contact`);
    expect(rows).toEqual([{ wa_id: '972987654321', user_id: 'US.13491208655302741918', parent_user_id: 'US.ENT.11815799212886844830', profile_name: 'Test Name', unread_count: 1, last_message_id: expect.any(String) }]);
  });
});
