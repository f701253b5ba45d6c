import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_SECRET, drained, emptyInbox, startTestEnv, subscribe, TEST_TOKEN, waitFor, type TestEnv } from './harness.js';
import { Db } from '../src/db/db.js';
import { envelope, textMessage } from './payloads.js';
import { spawnServer } from './process.js';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { signBody } from '../src/webhook/webhook.signature.js';

const post = (url: string, body: unknown) => {
  const raw = JSON.stringify(body);
  return fetch(`${url}/api/whatsapp/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, APP_SECRET) },
    body: raw,
  });
};
const ADDED = `subscription { messageAdded { text } }`;

describe('separate server processes', () => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await startTestEnv();
  });
  afterAll(() => t?.close());

  it('a second OS process on the same database delivers events stored by the first to its clients', async () => {
    const other = await spawnServer(t.databaseUrl, t.sim.url);
    try {
      const client = createClient({ url: `${other.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${TEST_TOKEN}` }, retryAttempts: 0 });
      const remote = subscribe(client, ADDED);
      const local = subscribe(t.ws(), ADDED);
      await new Promise((r) => setTimeout(r, 400));
      await post(t.app.url, envelope(textMessage({ text: 'across processes' }).body));
      await waitFor(() => remote.events.length && local.events.length, 5000, 'both clients');
      expect(remote.events).toEqual([{ messageAdded: { text: 'across processes' } }]);
      expect(local.events).toEqual([{ messageAdded: { text: 'across processes' } }]);
      await client.dispose();
    } finally {
      await other.kill();
    }
  });

  it('SIGTERM under webhook load: stops accepting, finishes what it stored, exits 0; nothing is lost or doubled', async () => {
    await emptyInbox(t.db);
    const server = await spawnServer(t.databaseUrl, t.sim.url);
    let accepted = 0;
    let stop = false;
    const load = (async () => {
      for (let i = 0; !stop && i < 2000; i++) {
        try {
          const res = await post(server.url, envelope(textMessage({ from: `1555000${String(i % 50).padStart(4, '0')}`, text: `load ${i}` }).body));
          if (res.status === 200) accepted++;
        } catch {
          return; // the server stopped listening
        }
      }
    })();
    try {
      await waitFor(() => accepted >= 50, 10_000, 'some accepted webhooks');
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      stop = true;
      await load;
      expect(server.output()).toMatch(/shutting down/);
      // This test's own server (same database) processes whatever the stopped one had not.
      await drained(t.db);
      const { rows } = await t.db.query(`select count(*)::int as events, count(*) filter (where status = 'PROCESSED')::int as processed from webhook_event`);
      expect(rows[0].events).toBe(accepted);
      expect(rows[0].processed).toBe(accepted);
      const msgs = await t.db.query(`select count(*)::int as n, count(distinct text)::int as d from message`);
      expect(msgs.rows[0]).toEqual({ n: accepted, d: accepted });
    } finally {
      stop = true;
      await server.kill();
    }
  });
});

describe('database stopped and restarted', () => {
  it('answers 5xx while PostgreSQL is down, stores nothing half-way, and resumes storing, processing and subscriptions once it is back', async () => {
    const dir = path.join(os.tmpdir(), `inbox-restart-${process.pid}-${Date.now()}`);
    let db = await startEmbeddedPostgres({ dir, persistent: false });
    const port = db.port;
    let t: TestEnv | undefined;
    try {
      t = await startTestEnv({ databaseUrl: db.url });
      const sub = subscribe(t.ws(undefined, { reconnect: true }), ADDED); // the server makes clients resync (1012) once it hears events again
      await new Promise((r) => setTimeout(r, 300));
      expect((await t.postWebhook(envelope(textMessage({ text: 'before' }).body))).status).toBe(200);
      await waitFor(() => sub.events.length === 1, 5000, 'first event');

      const pool = t.db;
      t.db = Db.over(new (await import('pg')).default.Pool({ connectionString: db.url, max: 2 }));
      await pool.close();
      await stopKeepingData(db);
      const down = await t.postWebhook(envelope(textMessage({ text: 'while down' }).body));
      expect(down.status).toBe(503);
      const health = await fetch(`${t.app.url}/api/whatsapp/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: 'down' });
      const detailed = await fetch(`${t.app.url}/api/whatsapp/health`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
      expect(detailed.status).toBe(503);
      expect(await detailed.json()).toMatchObject({ database: 'down' });

      db = await startEmbeddedPostgres({ dir, persistent: false, port });
      // Keep posting until one reaches the subscriber: storing, processing and the listener all came back.
      const sent: string[] = [];
      await waitFor(async () => {
        const text = `after ${sent.length}`;
        if ((await t!.postWebhook(envelope(textMessage({ text }).body))).status === 200) sent.push(text);
        return sub.events.some((e) => e.messageAdded.text.startsWith('after'));
      }, 20_000, `an event after the restart (errors: ${JSON.stringify(sub.errors)})`);
      await drained(t.db);
      const { rows } = await t.db.query(`select text from message order by id`);
      expect(rows.map((r) => r.text)).toEqual(['before', ...sent]); // the 503 one was never stored; none doubled
    } finally {
      await t?.close();
      await db.stop();
    }
  });
});

/** Stops the server but keeps its data directory, to start it again. */
async function stopKeepingData(db: Awaited<ReturnType<typeof startEmbeddedPostgres>>) {
  if (!db.pid) throw new Error('no postmaster pid');
  process.kill(db.pid, 'SIGINT');
  await waitFor(() => {
    try {
      process.kill(db.pid!, 0);
      return false;
    } catch {
      return true;
    }
  }, 10_000, 'postgres to stop');
}
