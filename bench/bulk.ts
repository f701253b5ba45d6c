/**
 * Bulk dispatch: queues 10,000 recipients with one sendBulkMessage against the Meta simulator, the
 * throughput set to 1,000 messages/s, and measures the achieved rate of accepted sends at the
 * simulator (its own record of arrival times) as a fraction of the configured one. The simulator runs
 * in a second process (this file, forked), as Meta is another machine: answering 1,000 requests a
 * second takes it about half as much CPU as the dispatcher's own work, and in one event loop the two
 * together need more than the second has.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { startSimulator } from '../simulator/src/simulator.js';
import { createApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { APP_SECRET, AUTH_TOKEN, PHONE_NUMBER_ID } from './payload.js';

/** Parent → simulator process: answer once `count` sends were accepted, or at `deadline` (epoch ms). */
type ToSimulator = { type: 'wait'; count: number; deadline: number };
type FromSimulator = { type: 'url'; url: string } | { type: 'sent'; at: number[]; refused: number };

export interface BulkResult {
  recipients: number;
  configuredRate: number;
  enqueueMs: number;
  achievedRate: number;
  maxInAnySecond: number;
  refused: number;
}

export async function measureBulkDispatch(databaseUrl: string, dataDir: string, recipients = 10_000, rate = 1000): Promise<BulkResult> {
  const sim = await startSimulatorProcess(rate);
  const app = await createApp(loadConfig({
    PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, DATA_DIR: dataDir, LOG_LEVEL: 'silent', AUTH_TOKENS: AUTH_TOKEN, SESSION_SECRET: 'bench-session-secret-of-at-least-32-chars',
    WHATSAPP_API_TOKEN: 'bench-graph-token', WHATSAPP_APP_SECRET: APP_SECRET, WHATSAPP_WEBHOOK_VERIFY_TOKEN: 'bench-verify',
    WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID, WHATSAPP_BUSINESS_ACCOUNT_ID: 'waba-bench', WHATSAPP_API_BASE_URL: sim.url,
    WHATSAPP_MAX_MESSAGES_PER_SECOND: String(rate),
  })).catch(async (err: unknown) => {
    await sim.close();
    throw err;
  });
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
    const { at, refused } = await sim.waitFor(recipients, Date.now() + Math.max(60_000, (recipients / rate) * 4000));
    at.sort((a, b) => a - b);
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
      refused,
    };
  } finally {
    await db.end();
    await app.close();
    await sim.close();
  }
}

/** Forks this file as the simulator's process; resolves once it listens. */
async function startSimulatorProcess(rate: number) {
  const child = fork(fileURLToPath(import.meta.url), ['simulator', String(rate)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T extends FromSimulator['type']>(type: T) =>
    new Promise<Extract<FromSimulator, { type: T }>>((resolve, reject) => {
      const exited = (code: number | null) => reject(new Error(`simulator process exited with ${code}`));
      child.once('exit', exited);
      child.once('message', (m: FromSimulator) => {
        child.off('exit', exited);
        if (m.type === type) resolve(m as Extract<FromSimulator, { type: T }>);
        else reject(new Error(`simulator process answered ${m.type}, not ${type}`));
      });
    });
  const { url } = await next('url').catch(async (err: unknown) => {
    await stop(child);
    throw err;
  });
  return {
    url,
    waitFor(count: number, deadline: number) {
      const answer = next('sent');
      child.send({ type: 'wait', count, deadline } satisfies ToSimulator);
      return answer;
    },
    close: () => stop(child),
  };
}

/** Disconnects the simulator's process (it closes and exits), killing it if it has not within 5 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  if (child.connected) child.disconnect();
  const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(killer);
}

/** The simulator's process: status webhooks off (they would compete for the same two cores; this measures dispatch alone). */
async function simulatorProcess(rate: number): Promise<void> {
  const sim = await startSimulator({
    appSecret: APP_SECRET, accessToken: 'bench-graph-token', phoneNumberId: PHONE_NUMBER_ID, wabaId: 'waba-bench',
    statusDelaysMs: { sent: 3_600_000, delivered: 3_600_000, read: 3_600_000 }, maxMessagesPerSecond: rate, log: () => undefined,
  });
  process.once('disconnect', () => void sim.close().finally(() => process.exit()));
  process.on('message', async (m: ToSimulator) => {
    while (sim.sent.length < m.count && Date.now() < m.deadline) await new Promise((r) => setTimeout(r, 100));
    process.send!({ type: 'sent', at: sim.sent.map((s) => s.at), refused: sim.requests.filter((r) => r.status === 429).length } satisfies FromSimulator);
  });
  process.send!({ type: 'url', url: sim.url } satisfies FromSimulator);
}

if (process.argv[2] === 'simulator' && process.send) void simulatorProcess(Number(process.argv[3]));
