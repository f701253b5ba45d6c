import { randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import type { Logger } from 'pino';
import { inject } from 'vitest';
import WebSocket from 'ws';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../simulator/src/simulator.js';
import { createApp, type App } from '../src/app.js';
import { Db, type Sql } from '../src/db/db.js';
import { loadConfig } from '../src/config.js';
import { signBody } from '../src/webhook/webhook.signature.js';

export const TEST_TOKEN = 'test-token-1';
export const SESSION_SECRET = 'test-session-secret-of-at-least-32-characters';
export const APP_SECRET = 'test-app-secret';
export const VERIFY_TOKEN = 'test-verify-token';
export const PHONE_NUMBER_ID = '1122334455667';

/** A fresh, empty database on the test server; returns its URL. */
export async function createTestDatabase(): Promise<string> {
  const adminUrl = inject('adminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface TestEnv {
  app: App;
  sim: RunningSimulator;
  /** A pool of its own beside the app's, for tests to read and set up the database. */
  db: Db;
  databaseUrl: string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<{ status: number; body: { data?: T; errors?: any[] } }>;
  postWebhook(body: unknown, opts?: { signature?: string | null; contentType?: string }): Promise<Response>;
  /** A graphql-ws client; `reconnect` retries like the widget does (after a 1012 resync, say). */
  ws(token?: string, opts?: { reconnect?: boolean }): Client;
  close(): Promise<void>;
}

/** Starts the simulator and the app on a fresh database (or `databaseUrl`), wired to each other. */
export async function startTestEnv(opts: { databaseUrl?: string; env?: Record<string, string>; sim?: Partial<SimulatorOptions>; log?: Logger } = {}): Promise<TestEnv> {
  const databaseUrl = opts.databaseUrl ?? (await createTestDatabase());
  const sim = await startSimulator({
    appSecret: APP_SECRET,
    accessToken: 'graph-token',
    phoneNumberId: PHONE_NUMBER_ID,
    wabaId: 'waba-1',
    statusDelaysMs: { sent: 10, delivered: 20, read: 30 },
    log: () => undefined,
    ...opts.sim,
  });
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    AUTH_TOKENS: `${TEST_TOKEN},second-token`,
    WHATSAPP_API_TOKEN: 'graph-token',
    SESSION_SECRET: SESSION_SECRET,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_WEBHOOK_VERIFY_TOKEN: VERIFY_TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    WHATSAPP_BUSINESS_ACCOUNT_ID: 'waba-1',
    WHATSAPP_API_BASE_URL: sim.url,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    WEBHOOK_RETRY_BASE_MS: '50',
    WEBHOOK_MAX_ATTEMPTS: '3',
    OUTBOUND_PAIR_INTERVAL_MS: '0',
    OUTBOUND_RECONCILE_SECONDS: '2',
    ...opts.env,
  });
  const app = await createApp(config, { log: opts.log });
  sim.setWebhookUrl(`${app.url}/api/whatsapp/webhook`);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  const db = Db.over(pool);
  const clients: Client[] = [];
  const env: TestEnv = {
    app,
    sim,
    db,
    databaseUrl,
    async gql(query, variables, token = TEST_TOKEN) {
      const res = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: await res.json() };
    },
    postWebhook(body, o = {}) {
      const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      const signature = o.signature === undefined ? signBody(raw, APP_SECRET) : o.signature;
      return fetch(`${app.url}/api/whatsapp/webhook`, {
        method: 'POST',
        headers: { 'content-type': o.contentType ?? 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) },
        body: typeof raw === 'string' ? raw : new Uint8Array(raw),
      });
    },
    ws(token = TEST_TOKEN, o = {}) {
      const client = createClient({
        url: `${app.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        ...(o.reconnect
          ? { retryAttempts: 20, shouldRetry: () => true, retryWait: () => new Promise<void>((r) => setTimeout(r, 200)) }
          : { retryAttempts: 0 }),
        lazy: false,
        onNonLazyError: () => undefined,
      });
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.dispose()));
      await env.db.close().catch(() => undefined);
      await app.close();
      await sim.close();
    },
  };
  return env;
}

/** Contacts whose 24-hour window is open (as if each had just written), for send tests. */
export async function openContacts(db: Sql, n: number, prefix = '1555') : Promise<string[]> {
  const { rows } = await db.query(
    `insert into contact (wa_id, profile_name, last_inbound_at)
     select $2 || lpad(i::text, 7, '0'), 'Customer ' || i, now() from generate_series(1, $1) i
     on conflict (wa_id) do update set last_inbound_at = now() returning id`,
    [n, prefix],
  );
  return rows.map((r) => String(r.id));
}

/** The largest number of items whose times fall within any window of `windowMs`. */
export function maxInWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i]! - t[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** Polls `fn` until it returns a truthy value (or throws after `timeoutMs`). */
export async function waitFor<T>(fn: () => Promise<T> | T, timeoutMs = 10_000, what = 'condition'): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/** Collects what a subscription delivers. */
export function subscribe(client: Client, query: string, variables?: Record<string, unknown>) {
  const events: any[] = [];
  const errors: unknown[] = [];
  const dispose = client.subscribe({ query, variables }, {
    next: (v) => (v.errors ? errors.push(v.errors) : events.push(v.data)),
    error: (e) => errors.push(e),
    complete: () => undefined,
  });
  return { events, errors, dispose };
}

/**
 * Empties the inbox's tables once every stored event is processed. A truncate while an event is
 * being processed deadlocks with it (the truncate locks message then contact; processing, contact
 * then message), and PostgreSQL aborts one of the two.
 */
export async function emptyInbox(db: Sql): Promise<void> {
  await drained(db);
  await db.query(`truncate message, contact, message_status_event, account_event, webhook_event cascade`);
}

/** Waits until every stored webhook event is processed (or failed). */
export async function drained(db: Sql): Promise<void> {
  await waitFor(async () => {
    const { rows } = await db.query(`select count(*)::int as n from webhook_event where status in ('PENDING', 'PROCESSING')`);
    return rows[0].n === 0;
  }, 15_000, 'the inbox to drain');
}
