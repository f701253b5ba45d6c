/**
 * Processing capacity: how fast the inbox turns a stored backlog into messages, contacts and
 * statuses, with nothing else running. A backlog is stored straight into `webhook_event` while the
 * app's processor is stopped, then a processor with the app's settings drains it; the clock runs from
 * its start until nothing is due. Two traffic shapes:
 * - inbound: customers' text messages only (what the ingest burst sends);
 * - mixed: what a busy number receives, one customer message to three statuses (sent, delivered,
 *   read) of the business's own messages, each status its own webhook as Meta sends them.
 * The figure is compared with the 3,000 events/s the inbox must keep up with.
 */
import pg from 'pg';
import type { EmbeddedDatabase } from '../server/src/db/embedded.js';
import { InboxProcessor } from '../server/src/ingest/inbox.processor.js';
import { createDatabase, startBenchApp } from './app.js';
import { drain } from './ingest.js';
import { messagesWebhook, textWebhook } from './payload.js';
import type { Row } from './report.js';

export const PROCESSING_TARGET = 3_000;
const INBOUND_EVENTS = 30_000;
const MIXED_EVENTS = 40_000;

function statusWebhook(wamid: string, status: string, ts: number): Buffer {
  return Buffer.from(messagesWebhook({
    statuses: [{ id: wamid, status, timestamp: String(ts), recipient_id: '15550000000', pricing: { billable: true, pricing_model: 'PMP', category: 'utility' } }],
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
    await db.query('vacuum analyze webhook_event');
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
    Array.from({ length: INBOUND_EVENTS }, (_, i) => Buffer.from(textWebhook(`P${tag}`, i).body)),
  );
  progress(`processing: a stored backlog of ${MIXED_EVENTS} events, 1 customer message : 3 statuses`);
  const mixed = await drainStored(await createDatabase(database, 'bench_processing_mix'), dataDir, async (db) => {
    const rounds = MIXED_EVENTS / 4;
    // The business's messages the statuses are about, already sent.
    await db.query(`insert into contact (wa_id) values ('15550000000')`);
    await db.query(
      `insert into message (wa_message_id, contact_id, direction, type, text, status, source)
       select 'wamid.OUT' || $1 || i, (select id from contact), 'OUTBOUND', 'TEXT', 'order shipped', 'PENDING', 'API'
       from generate_series(0, $2 - 1) i`,
      [tag, rounds],
    );
    const ts = Math.floor(Date.now() / 1000);
    const out: Buffer[] = [];
    for (let i = 0; i < rounds; i++) {
      out.push(Buffer.from(textWebhook(`M${tag}`, i).body));
      out.push(statusWebhook(`wamid.OUT${tag}${i}`, 'sent', ts));
      if (i >= 1) out.push(statusWebhook(`wamid.OUT${tag}${i - 1}`, 'delivered', ts + 1));
      if (i >= 2) out.push(statusWebhook(`wamid.OUT${tag}${i - 2}`, 'read', ts + 2));
    }
    out.push(statusWebhook(`wamid.OUT${tag}${rounds - 1}`, 'delivered', ts + 1));
    out.push(statusWebhook(`wamid.OUT${tag}${rounds - 2}`, 'read', ts + 2), statusWebhook(`wamid.OUT${tag}${rounds - 1}`, 'read', ts + 2));
    return out;
  });
  const rate = (d: Drain) => d.events / d.seconds;
  const check = (d: Drain, expectMessages: number, expectStatuses: number) =>
    d.failed || d.messages !== expectMessages || d.statusesApplied !== expectStatuses
      ? `WRONG: ${d.failed} failed, ${d.messages} messages, ${d.statusesApplied} statuses`
      : undefined;
  return [
    { metric: `processing: ${INBOUND_EVENTS.toLocaleString('en-US')} stored customer messages (events/s) vs target`, app: rate(inbound), baseline: PROCESSING_TARGET, digits: 0, ratio: check(inbound, INBOUND_EVENTS, 0) },
    { metric: `processing: ${MIXED_EVENTS.toLocaleString('en-US')} stored, 1 message : 3 statuses (events/s) vs target`, app: rate(mixed), baseline: PROCESSING_TARGET, digits: 0, ratio: check(mixed, MIXED_EVENTS / 4, (MIXED_EVENTS / 4) * 3) },
  ];
}
