/**
 * Processing capacity: how fast the inbox turns a stored backlog into messages, contacts and
 * statuses, with nothing else running. A backlog is stored straight into `webhook_event` while the
 * app's processor is stopped, then a processor with the app's settings drains it; the clock runs from
 * its start until nothing is due; the backlog is neither vacuumed nor analyzed first, as a backlog
 * that piled up during a burst would not be. Two traffic shapes, both from `CONTACTS` customers:
 * - inbound: customers' text messages only;
 * - mixed: what a busy number receives, one customer message to three statuses (sent, delivered,
 *   read) of the business's own messages to those customers, each status its own webhook as Meta
 *   sends them.
 * The figure is shown next to the 3,000 events/s the inbox must keep up with (a target, no ratio).
 */
import pg from 'pg';
import type { EmbeddedDatabase } from '../server/src/db/embedded.js';
import { InboxProcessor } from '../server/src/ingest/inbox.processor.js';
import { createDatabase, startBenchApp } from './app.js';
import { drain } from './ingest.js';
import { messagesWebhook } from './payload.js';
import type { Row } from './report.js';

export const PROCESSING_TARGET = 3_000;
const INBOUND_EVENTS = 30_000;
const MIXED_EVENTS = 40_000;
/** Customers the backlogs are spread over; a status goes to the customer its message was sent to. */
const CONTACTS = 1_000;
const waId = (i: number) => String(17770000000 + (i % CONTACTS));

/** The `i`th customer text of run `tag`, from customer `i % CONTACTS`. */
function customerText(tag: string, i: number): Buffer {
  return Buffer.from(messagesWebhook({
    contacts: [{ profile: { name: `Customer ${i % CONTACTS}` }, wa_id: waId(i) }],
    messages: [{ from: waId(i), id: `wamid.PROC${tag}${i.toString(36)}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: `processing ${tag} ${i}` } }],
  }));
}

function statusWebhook(wamid: string, recipient: string, status: string, ts: number): Buffer {
  return Buffer.from(messagesWebhook({
    statuses: [{ id: wamid, status, timestamp: String(ts), recipient_id: recipient, pricing: { billable: true, pricing_model: 'PMP', category: 'utility' } }],
  }));
}

export interface Drain { events: number; seconds: number; failed: number; messages: number; statusesApplied: number }

/**
 * Stores the backlog `bodies` makes while the app's processor is stopped, then times a processor with
 * the app's settings (`env` added to the bench's) until nothing is due.
 */
export async function drainStored(databaseUrl: string, dataDir: string, bodies: (db: pg.Pool) => Promise<Buffer[]>, env: Record<string, string> = {}): Promise<Drain> {
  const app = await startBenchApp(databaseUrl, dataDir, env);
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  let processor: InboxProcessor | undefined;
  try {
    await app.services.inbox.stop();
    const all = await bodies(db);
    for (let i = 0; i < all.length; i += 2_000) {
      await db.query(`insert into webhook_event (body, headers) select b, '{}'::jsonb from unnest($1::bytea[]) b`, [all.slice(i, i + 2_000)]);
    }
    const { config, pool, repos, log, metrics } = app.services;
    processor = new InboxProcessor(pool, repos, log, metrics, config.webhook, app.services.inbox.hooks);
    processor.start();
    const { seconds } = await drain(db, Number.POSITIVE_INFINITY, 50);
    const { rows: [r] } = await db.query(`select (select count(*) from webhook_event where status = 'FAILED')::int as failed,
        (select count(*) from message where direction = 'INBOUND')::int as messages,
        (select count(*) from message_status_event where applied)::int as statuses`);
    return { events: all.length, seconds, failed: r.failed, messages: r.messages, statusesApplied: r.statuses };
  } finally {
    await processor?.stop();
    await db.end();
    await app.close();
  }
}

export async function measureProcessing(opts: { database: EmbeddedDatabase; dataDir: string; tag: string; progress: (m: string) => void }): Promise<Row[]> {
  const { database, dataDir, tag, progress } = opts;
  progress(`processing: a stored backlog of ${INBOUND_EVENTS} customer messages`);
  const inbound = await drainStored(await createDatabase(database, 'bench_processing_in'), dataDir, async () =>
    Array.from({ length: INBOUND_EVENTS }, (_, i) => customerText(`P${tag}`, i)),
  );
  progress(`processing: a stored backlog of ${MIXED_EVENTS} events, 1 customer message : 3 statuses, ${CONTACTS} contacts`);
  const mixed = await drainStored(await createDatabase(database, 'bench_processing_mix'), dataDir, async (db) => {
    const rounds = MIXED_EVENTS / 4;
    // The customers, and the business's messages the statuses are about, already sent: message i to customer i % CONTACTS.
    await db.query(
      `insert into contact (wa_id, profile_name) select (17770000000 + k)::text, 'Customer ' || k from generate_series(0, $1 - 1) k`,
      [CONTACTS],
    );
    await db.query(
      `insert into message (wa_message_id, contact_id, direction, type, text, status, source)
       select 'wamid.OUT' || $1 || i, c.id, 'OUTBOUND', 'TEXT', 'order shipped', 'PENDING', 'API'
       from generate_series(0, $2 - 1) i join contact c on c.wa_id = (17770000000 + i % $3)::text`,
      [tag, rounds, CONTACTS],
    );
    const ts = Math.floor(Date.now() / 1000);
    const status = (i: number, s: string, at: number) => statusWebhook(`wamid.OUT${tag}${i}`, waId(i), s, at);
    const out: Buffer[] = [];
    for (let i = 0; i < rounds; i++) {
      out.push(customerText(`M${tag}`, i));
      out.push(status(i, 'sent', ts));
      if (i >= 1) out.push(status(i - 1, 'delivered', ts + 1));
      if (i >= 2) out.push(status(i - 2, 'read', ts + 2));
    }
    out.push(status(rounds - 1, 'delivered', ts + 1));
    out.push(status(rounds - 2, 'read', ts + 2), status(rounds - 1, 'read', ts + 2));
    return out;
  });
  const rate = (d: Drain) => d.events / d.seconds;
  const n = (v: number) => v.toLocaleString('en-US');
  const below = (r: number) => (r < PROCESSING_TARGET ? 'MISSED' : undefined);
  const check = (d: Drain, expectMessages: number, expectStatuses: number) =>
    d.failed || d.messages !== expectMessages || d.statusesApplied !== expectStatuses
      ? `WRONG: ${d.failed} failed, ${d.messages} messages, ${d.statusesApplied} statuses`
      : undefined;
  return [
    { metric: `processing: ${n(INBOUND_EVENTS)} stored customer messages, ${n(CONTACTS)} contacts (events/s)`, app: rate(inbound), target: PROCESSING_TARGET, digits: 0, ratio: check(inbound, INBOUND_EVENTS, 0) ?? below(rate(inbound)) },
    { metric: `processing: ${n(MIXED_EVENTS)} stored, 1 message : 3 statuses, ${n(CONTACTS)} contacts (events/s)`, app: rate(mixed), target: PROCESSING_TARGET, digits: 0, ratio: check(mixed, MIXED_EVENTS / 4, (MIXED_EVENTS / 4) * 3) ?? below(rate(mixed)) },
  ];
}
