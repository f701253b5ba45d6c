/**
 * Bulk dispatch: queues 10,000 recipients with one sendBulkMessage against the Meta simulator, the
 * throughput set to 1,000 messages/s, and measures the achieved rate of accepted sends at the
 * simulator (its own record of arrival times) as a fraction of the configured one.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { startSimulator } from '../simulator/src/simulator.js';
import { createApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { APP_SECRET, AUTH_TOKEN, PHONE_NUMBER_ID } from './payload.js';

export interface BulkResult {
  recipients: number;
  configuredRate: number;
  enqueueMs: number;
  achievedRate: number;
  maxInAnySecond: number;
  refused: number;
}

export async function measureBulkDispatch(databaseUrl: string, dataDir: string, recipients = 10_000, rate = 1000): Promise<BulkResult> {
  // Status webhooks would compete for the same two cores; this measures dispatch alone.
  const sim = await startSimulator({
    appSecret: APP_SECRET, accessToken: 'bench-graph-token', phoneNumberId: PHONE_NUMBER_ID, wabaId: 'waba-bench',
    statusDelaysMs: { sent: 3_600_000, delivered: 3_600_000, read: 3_600_000 }, maxMessagesPerSecond: rate, log: () => undefined,
  });
  const app = await createApp(loadConfig({
    PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, DATA_DIR: dataDir, LOG_LEVEL: 'silent', AUTH_TOKENS: AUTH_TOKEN,
    WHATSAPP_API_TOKEN: 'bench-graph-token', WHATSAPP_APP_SECRET: APP_SECRET, WHATSAPP_WEBHOOK_VERIFY_TOKEN: 'bench-verify',
    WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID, WHATSAPP_BUSINESS_ACCOUNT_ID: 'waba-bench', WHATSAPP_API_BASE_URL: sim.url,
    WHATSAPP_MAX_MESSAGES_PER_SECOND: String(rate),
  }));
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    const { rows } = await db.query(
      `insert into contact (wa_id, last_inbound_at) select (19100000000 + i)::text, now() from generate_series(1, $1) i returning id`,
      [recipients],
    );
    const t0 = performance.now();
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${AUTH_TOKEN}` },
      body: JSON.stringify({
        query: `mutation($input: SendBulkMessageInput!) { sendBulkMessage(input: $input) { id total } }`,
        variables: { input: { text: 'Our spring collection is here', recipients: rows.map((r) => ({ contactId: String(r.id) })) } },
      }),
    });
    const body = (await res.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(`sendBulkMessage failed: ${JSON.stringify(body.errors)}`);
    const enqueueMs = performance.now() - t0;
    const deadline = Date.now() + Math.max(60_000, (recipients / rate) * 4000);
    while (sim.sent.length < recipients && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const at = sim.sent.map((s) => s.at).sort((a, b) => a - b);
    const spanS = (at.at(-1)! - at[0]!) / 1000;
    let maxInAnySecond = 0;
    for (let i = 0, j = 0; i < at.length; i++) {
      while (at[i]! - at[j]! >= 1000) j++;
      maxInAnySecond = Math.max(maxInAnySecond, i - j + 1);
    }
    return {
      recipients,
      configuredRate: rate,
      enqueueMs,
      achievedRate: spanS > 0 ? (at.length - 1) / spanS : NaN,
      maxInAnySecond,
      refused: sim.requests.filter((r) => r.status === 429).length,
    };
  } finally {
    await db.end();
    await app.close();
    await sim.close();
  }
}
