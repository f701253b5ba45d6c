/**
 * `npm run bench`: webhook ingest throughput and latency of the app against a bare node:http + pg
 * baseline (same HMAC check, same insert, same table shape, separate database on the same embedded
 * PostgreSQL), load from a second process (autocannon); then how fast the inbox processor drains
 * the backlog the app run left, and POST → `messageAdded` frame latency over graphql-ws.
 * Everything runs on loopback; every process and database started here is stopped in `finally`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createApp, type App } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../server/src/db/embedded.js';
import { startBaseline, type Baseline } from './baseline.js';
import { measureFrameLatency } from './latency.js';
import type { LoadArgs, LoadResult } from './load.js';
import { APP_SECRET, AUTH_TOKEN, PHONE_NUMBER_ID } from './payload.js';
import { percentile, table, type Row } from './report.js';
import { abortLoads, runLoad } from './spawn-load.js';

const CONNECTIONS = 20;
const DURATION_S = 10;
const WARMUP_S = 2;
const PREGENERATE = 20_000;
const DRAIN_CAP_MS = 120_000;
const LATENCY_POSTS = 200;

const progress = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function counts(db: pg.Pool): Promise<{ total: number; backlog: number; failed: number }> {
  const { rows } = await db.query(`select count(*)::int as total,
      (count(*) filter (where status in ('PENDING', 'PROCESSING')))::int as backlog,
      (count(*) filter (where status = 'FAILED'))::int as failed from webhook_event`);
  return rows[0];
}

/** Polls until nothing is PENDING/PROCESSING or `capMs` passed; the clock starts at the call. */
async function drain(db: pg.Pool, capMs: number): Promise<{ backlogAtStart: number; remaining: number; seconds: number }> {
  const t0 = performance.now();
  const backlogAtStart = (await counts(db)).backlog;
  let remaining = backlogAtStart;
  while (remaining > 0 && performance.now() - t0 < capMs) {
    await sleep(100);
    remaining = (await counts(db)).backlog;
  }
  return { backlogAtStart, remaining, seconds: (performance.now() - t0) / 1000 };
}

function ingestRows(app: LoadResult, base: LoadResult): Row[] {
  const inv = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : undefined);
  return [
    { metric: 'ingest requests/s', app: app.requestsPerSec, baseline: base.requestsPerSec, digits: 0 },
    { metric: 'ingest latency p50 (ms)', app: app.p50Ms, baseline: base.p50Ms, ratio: inv(app.p50Ms, base.p50Ms), digits: 1 },
    { metric: 'ingest latency p99 (ms)', app: app.p99Ms, baseline: base.p99Ms, ratio: inv(app.p99Ms, base.p99Ms), digits: 1 },
    { metric: 'ingest 2xx responses', app: app.ok2xx, baseline: base.ok2xx, digits: 0 },
    { metric: 'ingest non-2xx / errors / timeouts', app: `${app.non2xx} / ${app.errors} / ${app.timeouts}`, baseline: `${base.non2xx} / ${base.errors} / ${base.timeouts}`, ratio: '' },
  ];
}

export async function main(): Promise<void> {
  const started = performance.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-bench-'));
  const tag = Date.now().toString(36);
  let database: EmbeddedDatabase | undefined;
  let app: App | undefined;
  let baseline: Baseline | undefined;
  let appDb: pg.Pool | undefined;
  process.on('exit', abortLoads);
  try {
    progress('starting embedded PostgreSQL');
    database = await startEmbeddedPostgres({ dir: path.join(tmp, 'pg'), persistent: false, database: 'bench_app' });
    const admin = new pg.Client({ connectionString: database.adminUrl });
    await admin.connect();
    await admin.query('create database bench_baseline').finally(() => admin.end());
    const baselineUrl = database.url.replace(/\/bench_app$/, '/bench_baseline');

    progress('starting the app and the baseline');
    app = await createApp(loadConfig({
      PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, DATA_DIR: tmp, LOG_LEVEL: 'silent',
      AUTH_TOKENS: AUTH_TOKEN, WHATSAPP_API_TOKEN: 'bench-graph-token', WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_WEBHOOK_VERIFY_TOKEN: 'bench-verify', WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      WHATSAPP_BUSINESS_ACCOUNT_ID: 'waba-bench', WHATSAPP_API_BASE_URL: 'http://127.0.0.1:9', // ingest never calls Meta
    }));
    baseline = await startBaseline({ databaseUrl: baselineUrl, appSecret: APP_SECRET });
    appDb = new pg.Pool({ connectionString: database.url, max: 2 });

    const load = (url: string, run: string, durationSeconds: number): Promise<LoadResult> => {
      const args: LoadArgs = { url, connections: CONNECTIONS, durationSeconds, pregenerate: PREGENERATE, tag: `${tag}${run}` };
      progress(`load ${run}: ${durationSeconds} s, ${CONNECTIONS} connections -> ${url}`);
      return runLoad(args);
    };

    await load(baseline.url, 'bw', WARMUP_S);
    const base = await load(baseline.url, 'b', DURATION_S);
    await baseline.close();
    baseline = undefined;

    await load(app.url, 'aw', WARMUP_S);
    const warm = await drain(appDb, 60_000);
    if (warm.remaining > 0) progress(`warm-up backlog not drained (${warm.remaining} left); measuring anyway`);
    const before = await counts(appDb);
    const ingest = await load(app.url, 'a', DURATION_S);
    progress('waiting for the inbox to drain the backlog');
    const drained = await drain(appDb, DRAIN_CAP_MS);
    const after = await counts(appDb);
    const storedDuringLoad = after.total - before.total;
    const processedDuringLoad = storedDuringLoad - drained.backlogAtStart;
    const processedInDrain = drained.backlogAtStart - drained.remaining;

    progress(`POST -> messageAdded latency, ${LATENCY_POSTS} sequential posts`);
    const latency = await measureFrameLatency(app.url, { count: LATENCY_POSTS, tag });

    const rows: Row[] = [
      ...ingestRows(ingest, base),
      { metric: 'processed during load (events/s)', app: processedDuringLoad / ingest.durationSeconds, digits: 0 },
      { metric: 'backlog at end of load (events)', app: drained.backlogAtStart, digits: 0 },
      { metric: 'drain time (s)', app: drained.seconds, digits: 1, ratio: drained.remaining > 0 ? `cap hit, ${drained.remaining} left` : undefined },
      { metric: 'processed after load (events/s)', app: drained.seconds > 0 ? processedInDrain / drained.seconds : NaN, digits: 0 },
      { metric: 'failed webhook events', app: after.failed, digits: 0 },
      { metric: 'POST -> messageAdded p50 (ms)', app: percentile(latency.samples, 50), digits: 1 },
      { metric: 'POST -> messageAdded p99 (ms)', app: percentile(latency.samples, 99), digits: 1, ratio: latency.missed ? `${latency.missed} missed` : undefined },
    ];
    const gen = ingest.generatedDuringRun + base.generatedDuringRun;
    console.log(`\nWebhook ingest: ${CONNECTIONS} connections, ${DURATION_S} s each after ${WARMUP_S} s warm-up; load from a second process; ${os.cpus().length} CPUs, Node ${process.version}\n`);
    console.log(table(rows));
    console.log(`\n${gen ? `${gen} bodies were signed during the runs (pre-generated ${PREGENERATE} ran out). ` : ''}Total ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  } finally {
    abortLoads();
    await baseline?.close().catch(() => undefined);
    await appDb?.end().catch(() => undefined);
    await app?.close().catch((err) => progress(`app close failed: ${(err as Error).message}`));
    if (database) {
      const pid = database.pid;
      await database.stop().catch((err) => progress(`PostgreSQL stop failed: ${(err as Error).message}`));
      for (let i = 0; pid && i < 100 && alive(pid); i++) await sleep(50);
      if (pid && alive(pid)) {
        progress(`PostgreSQL ${pid} still running; killing it`);
        process.kill(pid, 'SIGKILL');
      }
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
