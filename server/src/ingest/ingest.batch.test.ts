import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../test/harness.js';
import { parseWebhookBody } from '../webhook/webhook.payload.js';
import { ingestEnvelope } from './ingest.js';
import { ingestBatch, type ParsedEvent } from './ingest.batch.js';

/**
 * The set-wise batch path must leave the database exactly as applying the same events one at a time
 * does. Each scenario runs both ways on the same (truncated) database and the two snapshots are compared.
 */

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv();
});
afterAll(() => t?.close());

const SAMPLES = path.join(import.meta.dirname, '../../test/webhook-samples');
const sample = (name: string) => JSON.parse(fs.readFileSync(path.join(SAMPLES, name), 'utf8'));

type Setup = string[]; // SQL run before the batch (existing contacts)

async function reset(setup: Setup) {
  await t.db.query(`truncate message, contact, message_status_event, account_event, webhook_event cascade`);
  for (const sql of setup) await t.db.query(sql);
}

/** Contacts and messages as a user sees them: no ids, no row times; references by wamid and phone/BSUID. */
async function snapshot() {
  const contacts = (
    await t.db.query(`select c.wa_id, c.user_id, c.parent_user_id, c.profile_name, c.username, c.unread_count, c.last_message_at,
        m.wa_message_id as last_message, c.last_inbound_at, c.conversation_closed
      from contact c left join message m on m.id = c.last_message_id order by c.wa_id nulls last, c.user_id nulls last`)
  ).rows;
  const messages = (
    await t.db.query(`select m.wa_message_id, c.wa_id as contact_wa_id, c.user_id as contact_user_id, m.direction, m.type, m.wa_type, m.text,
        m.status, m.source, m.business_phone_number_id, m.timestamp, m.payload, m.raw, m.context_wa_message_id, m.forwarded,
        m.frequently_forwarded, m.referral, m.error_code, m.error_title, m.error_message, m.error_details, m.sent_at, m.deleted_at,
        m.edited_at, m.edit_history, m.delivered_at, m.read_at, m.played_at, m.failed_at
      from message m join contact c on c.id = m.contact_id order by m.wa_message_id`)
  ).rows;
  const statuses = (
    await t.db.query(`select wa_message_id, status, timestamp, biz_opaque_callback_data, payload, applied from message_status_event order by wa_message_id, status`)
  ).rows;
  return { contacts, messages, statuses };
}

const parsed = (bodies: object[]): ParsedEvent[] => bodies.map((b, i) => ({ id: String(i + 1), envelope: parseWebhookBody(Buffer.from(JSON.stringify(b))) }));

async function oneAtATime(bodies: object[]) {
  await t.db.transaction(async (tx) => {
    for (const e of parsed(bodies)) await ingestEnvelope(tx, t.app.services.repos, e.envelope, e.id);
  });
}

/** What the processor does: the batch path, then the events it left, one at a time. Returns how many the batch path took. */
async function batched(bodies: object[]): Promise<number> {
  return t.db.transaction(async (tx) => {
    const events = parsed(bodies);
    const done = await ingestBatch(tx, t.app.services.repos, events);
    for (const e of events) if (!done.has(e.id)) await ingestEnvelope(tx, t.app.services.repos, e.envelope, e.id);
    return done.size;
  });
}

async function compare(bodies: object[], setup: Setup = []): Promise<number> {
  await reset(setup);
  await oneAtATime(bodies);
  const expected = await snapshot();
  await reset(setup);
  const taken = await batched(bodies);
  expect(await snapshot()).toEqual(expected);
  return taken;
}

const change = (contacts: object[], messages: object[]) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: 'waba-1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: 'pn-1' }, contacts, messages } }] }],
});
const text = (id: string, from: string | null, ts: number, body: string, extra: object = {}) => ({
  ...(from ? { from } : {}), id, timestamp: String(ts), type: 'text', text: { body }, ...extra,
});

describe('batch path equals one at a time', () => {
  it('every sample of Meta in one batch', async () => {
    const names = fs.readdirSync(SAMPLES).filter((n) => n.endsWith('.json'));
    const taken = await compare(names.map(sample));
    expect(taken).toBeGreaterThan(0); // the samples share customers, so most wait for the per-event path
  });

  it('several messages of one customer, out of order, with equal times and a duplicate in the same batch', async () => {
    const c = [{ wa_id: '15550000001', profile: { name: 'Ann' } }];
    const taken = await compare([
      change(c, [text('wamid.a1', '15550000001', 1000, 'first')]),
      change(c, [text('wamid.a3', '15550000001', 3000, 'third'), text('wamid.a2', '15550000001', 2000, 'second')]),
      change(c, [text('wamid.a4', '15550000001', 3000, 'also third')]),
      change(c, [text('wamid.a1', '15550000001', 1000, 'first again')]),
      change(c, [{ from: '15550000001', id: 'wamid.a5', timestamp: '2500', type: 'reaction', reaction: { message_id: 'wamid.x', emoji: '👍' } }]),
      change(c, [{ from: '15550000001', id: 'wamid.a6', timestamp: '2600', type: 'request_welcome' }]),
    ]);
    expect(taken).toBe(6);
  });

  it('a stored contact gets a new name, a BSUID arrives for a known phone, a BSUID-only customer writes', async () => {
    const taken = await compare(
      [
        change([{ wa_id: '15550000002', profile: { name: 'New name' } }], [text('wamid.b1', '15550000002', 100, 'hi')]),
        change([{ wa_id: '15550000003', user_id: 'US.3', profile: { name: 'Cy', username: '@cy' } }], [text('wamid.b2', '15550000003', 100, 'hey')]),
        change([{ user_id: 'US.4', profile: { name: 'Di' } }], [{ from_user_id: 'US.4', id: 'wamid.b3', timestamp: '50', type: 'text', text: { body: 'yo' } }]),
        change([{ wa_id: '15550000003', profile: { name: 'Cy 2' } }], [text('wamid.b4', '15550000003', 90, 'older')]),
      ],
      [
        `insert into contact (wa_id, profile_name, unread_count, last_message_at, conversation_closed) values ('15550000002', 'Old name', 4, to_timestamp(500), true)`,
        `insert into contact (wa_id) values ('15550000003')`,
      ],
    );
    expect(taken).toBe(4);
  });

  it('identifiers that merge two stored contacts or re-key one are left to the per-event path', async () => {
    const taken = await compare(
      [
        change([{ wa_id: '15550000005', user_id: 'US.5' }], [text('wamid.c1', '15550000005', 10, 'merge me')]),
        change([{ wa_id: '15550000006', user_id: 'US.6b' }], [text('wamid.c2', '15550000006', 10, 'new BSUID')]),
        change([{ wa_id: '15550000007' }], [text('wamid.c3', '15550000007', 10, 'plain')]),
      ],
      [
        `insert into contact (wa_id) values ('15550000005')`,
        `insert into contact (user_id, profile_name) values ('US.5', 'By BSUID')`,
        `insert into contact (wa_id, user_id) values ('15550000006', 'US.6a')`,
      ],
    );
    expect(taken).toBe(1);
  });

  it('random batches over a few customers with phones and BSUIDs', async () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T,>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const phones = ['15551000001', '15551000002', '15551000003', null];
    const bsuids = ['US.r1', 'US.r2', null];
    const types = ['text', 'text', 'image', 'reaction', 'location', 'unsupported'];
    let n = 0;
    let tookSome = 0;
    for (let round = 0; round < 12; round++) {
      const bodies: object[] = [];
      for (let i = 0; i < 15; i++) {
        let wa = pick(phones);
        const us = pick(bsuids);
        if (!wa && !us) wa = phones[0]!;
        const type = pick(types);
        const id = rand() < 0.15 && n > 0 ? `wamid.r${Math.floor(rand() * n)}` : `wamid.r${n++}`;
        const m: Record<string, unknown> = { ...(wa ? { from: wa } : {}), ...(us ? { from_user_id: us } : {}), id, timestamp: String(1000 + Math.floor(rand() * 50)), type };
        m[type] = type === 'text' ? { body: `t${n}` } : type === 'image' ? { id: `media-${n}`, mime_type: 'image/jpeg', sha256: 'x' } : { emoji: '👍', message_id: 'wamid.r0', latitude: 1, longitude: 2 };
        const contacts = rand() < 0.8 ? [{ ...(wa ? { wa_id: wa } : {}), ...(us ? { user_id: us } : {}), profile: { name: pick(['A', 'B', 'C']) } }] : [];
        bodies.push(change(contacts, [m]));
      }
      const setup = rand() < 0.5 ? [`insert into contact (wa_id, user_id) values ('15551000002', 'US.r2')`] : [];
      tookSome += await compare(bodies, setup);
    }
    expect(tookSome).toBeGreaterThan(0);
  });

  it('statuses: out of order, repeated, failed, played, for unknown messages and for sends not answered yet', async () => {
    const st = (id: string, status: string, ts: number, extra: object = {}) => ({ id, status, timestamp: String(ts), recipient_id: '15550000009', ...extra });
    const statuses = (...list: object[]) => ({
      object: 'whatsapp_business_account',
      entry: [{ id: 'waba-1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: 'pn-1' }, statuses: list } }] }],
    });
    const failure = { errors: [{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable', error_data: { details: 'x' } }] };
    const setup = [
      `insert into contact (id, wa_id) values (9, '15550000009')`,
      ...['o1', 'o2', 'o3', 'o4'].map((w, i) => `insert into message (id, wa_message_id, contact_id, direction, type, text, status, source, timestamp) values (${100 + i}, 'wamid.${w}', 9, 'OUTBOUND', 'TEXT', 'hi', 'PENDING', 'API', to_timestamp(1))`),
      `insert into message (id, contact_id, direction, type, text, status, source, send_state, timestamp) values (200, 9, 'OUTBOUND', 'TEXT', 'hi', 'PENDING', 'API', 'SENDING', to_timestamp(1))`,
    ];
    const taken = await compare(
      [
        statuses(st('wamid.o1', 'delivered', 20), st('wamid.o1', 'sent', 10)),
        statuses(st('wamid.o1', 'read', 30)),
        statuses(st('wamid.o1', 'delivered', 21)),
        statuses(st('wamid.o2', 'sent', 10), st('wamid.o2', 'failed', 12, failure)),
        statuses(st('wamid.o2', 'delivered', 13)),
        statuses(st('wamid.o2', 'failed', 14, { errors: [{ code: 131000, title: 'Something else' }] })),
        statuses(st('wamid.o3', 'played', 40)),
        statuses(st('wamid.o4', 'read', 50), st('wamid.o4', 'failed', 51, failure)),
        statuses(st('wamid.unknown', 'sent', 10)),
        statuses(st('wamid.new200', 'sent', 10, { biz_opaque_callback_data: 'inbox:200' })),
        statuses(st('wamid.new200', 'delivered', 11, { biz_opaque_callback_data: 'inbox:200' })),
        statuses(st('wamid.o3', 'sent', 5, { biz_opaque_callback_data: 'inbox:103' })),
      ],
      setup,
    );
    expect(taken).toBe(10);
  });
});
