/**
 * Webhook ingest and sustained processing: three bare node:http + pg baselines (bench/baseline.ts) and
 * the app each take a `DURATION_S` burst from autocannon in a second process (bench/load.ts). The
 * group-commit baseline, which stores like the app (many requests in one insert) and does nothing
 * else, is the one the app's webhook path is divided by: it runs before and after the app and its
 * figures are the mean of the two. The naive baseline (a commit per request) runs once, between them,
 * for comparison; so does the processing baseline, the group commit whose transaction also turns each
 * event into its contact and message on the app's schema (what the app's processor does; its 200
 * means processed). The app's fully processed rate (burst start to drained) and its acknowledged rate
 * are set against that one, like with like, once its check passed: a message stored for every 2xx,
 * nothing left unprocessed, the contacts' unread counts adding up to the messages. For the app, the
 * backlog (PENDING + PROCESSING) left at the end of the burst, what the inbox fully processed during
 * it (events PROCESSED, their messages stored, both in one transaction) and how fast it drains the
 * rest, each against the rate the burst was acknowledged at (the rate processing has to keep up with:
 * a target column, not a baseline).
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { App } from '../server/src/app.js';
import { startBaseline, type Baseline, type BaselineMode } from './baseline.js';
import type { LoadArgs, LoadResult } from './load.js';
import { APP_SECRET } from './payload.js';
import type { Row } from './report.js';
import { runLoad } from './spawn-load.js';

export const CONNECTIONS = 20;
export const DURATION_S = 30;
export const WARMUP_S = 2;
/** Bodies signed before each burst; more are signed during the run when they run out (reported). */
export const PREGENERATE = 90_000;
const DRAIN_CAP_MS = 180_000;
const WARMUP_DRAIN_CAP_MS = 15_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const n = (v: number) => v.toLocaleString('en-US');

interface Counts { processed: number; backlog: number; failed: number; messages: number }
type Load = LoadResult & { cpuMs: number };

export interface IngestResult {
  rows: Row[];
  /** Bodies signed during the runs because the pre-generated ones ran out. */
  generated: number;
}

async function counts(db: pg.Pool, tag: string): Promise<Counts> {
  const [ev, msg] = await Promise.all([
    db.query(`select (count(*) filter (where status = 'PROCESSED'))::int as processed,
      (count(*) filter (where status in ('PENDING', 'PROCESSING')))::int as backlog,
      (count(*) filter (where status = 'FAILED'))::int as failed from webhook_event`),
    db.query(`select count(*)::int as n from message where wa_message_id like $1`, [`wamid.BENCH${tag}%`]),
  ]);
  return { ...ev.rows[0], messages: msg.rows[0].n };
}

/** Backlog only, through the partial index, cheap enough to poll. */
async function backlog(db: pg.Pool): Promise<number> {
  const { rows } = await db.query(`select count(*)::int as n from webhook_event where status in ('PENDING', 'PROCESSING')`);
  return rows[0].n;
}

/** Polls every `pollMs` until nothing is PENDING/PROCESSING or `capMs` passed; the clock starts at the call. */
export async function drain(db: pg.Pool, capMs: number, pollMs = 100): Promise<{ remaining: number; seconds: number }> {
  const t0 = performance.now();
  let remaining = await backlog(db);
  while (remaining > 0 && performance.now() - t0 < capMs) {
    await sleep(pollMs);
    remaining = await backlog(db);
  }
  return { remaining, seconds: (performance.now() - t0) / 1000 };
}

/** The mean of two runs of the same load (counts summed, rates and latencies averaged). */
function meanLoad(a: Load, b: Load): Load {
  const mean = (x: number, y: number) => (x + y) / 2;
  return {
    ...a,
    requestsPerSec: mean(a.requestsPerSec, b.requestsPerSec),
    p50Ms: mean(a.p50Ms, b.p50Ms),
    p99Ms: mean(a.p99Ms, b.p99Ms),
    cpuMs: mean(a.cpuMs, b.cpuMs),
    ok2xx: Math.round(mean(a.ok2xx, b.ok2xx)),
    non2xx: a.non2xx + b.non2xx,
    errors: a.errors + b.errors,
    timeouts: a.timeouts + b.timeouts,
  };
}

/** Runs one load; also returns this (server) process's CPU time per 2xx response. */
async function load(url: string, tag: string, durationSeconds: number, progress: (m: string) => void): Promise<Load> {
  const pregenerate = durationSeconds === WARMUP_S ? 5_000 : PREGENERATE;
  const args: LoadArgs = { url, connections: CONNECTIONS, durationSeconds, pregenerate, tag };
  progress(`load ${tag}: ${durationSeconds} s, ${CONNECTIONS} connections -> ${url}`);
  const cpu0 = process.cpuUsage();
  const result = await runLoad(args);
  const cpu = process.cpuUsage(cpu0);
  return { ...result, cpuMs: (cpu.user + cpu.system) / 1000 / Math.max(1, result.ok2xx) };
}

/** A baseline started on `databaseUrl`, warmed up, under one burst, stopped. */
async function baselineBurst(mode: BaselineMode, databaseUrl: string, tag: string, progress: (m: string) => void): Promise<Load> {
  const baseline: Baseline = await startBaseline({ databaseUrl, appSecret: APP_SECRET, mode });
  try {
    // Not `${tag}w`: a burst wamid `${tag}` + `w…` (base 36) would repeat a warm-up one, which a baseline that processes counts once.
    await load(baseline.url, `${tag}-w`, WARMUP_S, progress);
    return await load(baseline.url, tag, DURATION_S, progress);
  } finally {
    await baseline.close();
  }
}

/**
 * What the processing baseline's burst `tag` left in its database: its messages, events not PROCESSED,
 * and whether the contacts' unread counts add up to the messages (all runs'); `wrong` says what is off.
 */
async function processingCheck(databaseUrl: string, tag: string, load: Load): Promise<{ stored: number; wrong?: string }> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    // Its text tells the burst's messages from the warm-up's (`${tag}-w`), whose wamids share the prefix.
    const { rows: [r] } = await db.query(`select (select count(*) from message where text like $1)::int as stored,
        (select count(*) from webhook_event where status <> 'PROCESSED')::int as unprocessed,
        (select count(*) from message)::int = (select coalesce(sum(unread_count), 0) from contact)::int as unread`, [`bench ${tag} %`]);
    // Requests still in flight when the load stopped (one per connection, or timed out) may be stored unanswered.
    const ok = r.stored >= load.ok2xx && r.stored <= load.ok2xx + CONNECTIONS + load.timeouts + load.errors && r.unprocessed === 0 && r.unread;
    return { stored: r.stored, wrong: ok ? undefined : `WRONG: ${r.unprocessed} unprocessed${r.unread ? '' : ', unread counts off'}${r.stored < load.ok2xx ? ', messages missing' : ''}` };
  } finally {
    await db.end();
  }
}

/**
 * The group-commit baseline, the naive one, the processing one, the app's burst and drain, the webhook
 * path alone (`webhookOnlyApp`), the group-commit baseline again; each baseline on a database of its
 * own (`groupedDatabaseUrl`, `naiveDatabaseUrl`; `processingDatabaseUrl` migrated by the app).
 */
export async function measureIngest(opts: { app: App; appDatabaseUrl: string; groupedDatabaseUrl: string; naiveDatabaseUrl: string; processingDatabaseUrl: string; tag: string; progress: (m: string) => void; webhookOnlyApp?: App }): Promise<IngestResult> {
  const { tag, progress } = opts;
  const db = new pg.Pool({ connectionString: opts.appDatabaseUrl, max: 2 });
  db.on('error', () => undefined); // an idle connection lost at shutdown is not a result
  try {
    progress('ingest: group-commit baseline');
    const baseBefore = await baselineBurst('grouped', opts.groupedDatabaseUrl, `${tag}b`, progress);
    progress('ingest: naive baseline (a commit per request)');
    const naive = await baselineBurst('naive', opts.naiveDatabaseUrl, `${tag}n`, progress);
    progress('ingest: processing baseline (group commit that also stores contacts and messages)');
    const processing = await baselineBurst('processing', opts.processingDatabaseUrl, `${tag}p`, progress);
    const processed = await processingCheck(opts.processingDatabaseUrl, `${tag}p`, processing);
    if (processed.wrong) progress(`processing baseline: ${processed.wrong}, ${processed.stored} messages for ${processing.ok2xx} 2xx`);

    await load(opts.app.url, `${tag}w`, WARMUP_S, progress);
    const warm = await drain(db, WARMUP_DRAIN_CAP_MS);
    if (warm.remaining > 0) progress(`${warm.remaining} warm-up events still queued; they count in the backlog below`);
    const before = await counts(db, `${tag}a`);
    const ingest = await load(opts.app.url, `${tag}a`, DURATION_S, progress);
    const atEnd = await counts(db, `${tag}a`);
    progress('waiting for the inbox to drain the backlog');
    const drained = await drain(db, DRAIN_CAP_MS);
    const after = await counts(db, `${tag}a`);
    // The baseline again after the app: the machine's other work drifts over minutes, and the mean of
    // a run before and one after the app's is fairer to both than either alone.
    // The app's burst also processes what it acknowledges, on the same cores; this one, by an app whose
    // processor is stopped, is the webhook path alone: the work the store-only baselines do.
    let webhookOnly: Load | undefined;
    if (opts.webhookOnlyApp) {
      progress('ingest: the webhook path alone (an app with its processor stopped)');
      await load(opts.webhookOnlyApp.url, `${tag}ow`, WARMUP_S, progress);
      webhookOnly = await load(opts.webhookOnlyApp.url, `${tag}o`, DURATION_S, progress);
    }
    progress('ingest: group-commit baseline again');
    const baseAfter = await baselineBurst('grouped', opts.groupedDatabaseUrl, `${tag}c`, progress);
    const base = meanLoad(baseBefore, baseAfter);
    const d = ingest.durationSeconds;
    const acked = ingest.ok2xx / d;
    const processedInBurst = atEnd.processed - before.processed;
    const processedInDrain = after.processed - atEnd.processed;
    const ratioTo = (x: number, y: number) => `${(x / y).toFixed(2)}x`;
    const fullyProcessed = (after.processed - before.processed) / (d + drained.seconds);
    const vsProcessing = (x: number) => (processed.wrong ? 'WRONG' : ratioTo(x, processing.requestsPerSec));
    const rows: Row[] = [
      { metric: `ingest requests/s (${d} s burst; baseline: group commit, mean of a run before and after)`, app: ingest.requestsPerSec, baseline: base.requestsPerSec, digits: 0 },
      { metric: 'group-commit baseline requests/s before / after the app', app: '', baseline: `${Math.round(baseBefore.requestsPerSec)} / ${Math.round(baseAfter.requestsPerSec)}`, ratio: '' },
      { metric: 'ingest latency p50 (ms)', app: ingest.p50Ms, baseline: base.p50Ms, digits: 0 },
      { metric: 'ingest latency p99 (ms)', app: ingest.p99Ms, baseline: base.p99Ms, digits: 0 },
      { metric: 'server process CPU per request (ms)', app: ingest.cpuMs, baseline: base.cpuMs, digits: 2 },
      { metric: 'ingest 2xx responses', app: ingest.ok2xx, baseline: base.ok2xx, digits: 0 },
      { metric: 'ingest non-2xx / errors / timeouts', app: `${ingest.non2xx} / ${ingest.errors} / ${ingest.timeouts}`, baseline: `${base.non2xx} / ${base.errors} / ${base.timeouts}`, ratio: '' },
      { metric: 'fully processed (events/s): app burst start to drained vs processing baseline (its 2xx = processed)', app: fullyProcessed, baseline: processing.requestsPerSec, digits: 0, ratio: vsProcessing(fullyProcessed) },
      { metric: 'ingest requests/s (acknowledged) vs processing baseline', app: ingest.requestsPerSec, baseline: processing.requestsPerSec, digits: 0, ratio: vsProcessing(ingest.requestsPerSec) },
      { metric: 'ingest latency p50 / p99 (ms) vs processing baseline', app: `${Math.round(ingest.p50Ms)} / ${Math.round(ingest.p99Ms)}`, baseline: `${Math.round(processing.p50Ms)} / ${Math.round(processing.p99Ms)}`, ratio: `${ratioTo(ingest.p50Ms, processing.p50Ms)} / ${ratioTo(ingest.p99Ms, processing.p99Ms)}` },
      { metric: 'processing baseline: messages stored / 2xx; non-2xx / errors / timeouts', app: '', baseline: `${n(processed.stored)} / ${n(processing.ok2xx)}; ${processing.non2xx} / ${processing.errors} / ${processing.timeouts}`, ratio: processed.wrong ?? 'ok' },
      ...(webhookOnly
        ? [
            { metric: 'ingest requests/s, webhook path alone (processor stopped) vs group commit', app: webhookOnly.requestsPerSec, baseline: base.requestsPerSec, digits: 0 },
            { metric: 'ingest latency p50 / p99 (ms), webhook path alone vs group commit', app: `${Math.round(webhookOnly.p50Ms)} / ${Math.round(webhookOnly.p99Ms)}`, baseline: `${Math.round(base.p50Ms)} / ${Math.round(base.p99Ms)}`, ratio: `${ratioTo(webhookOnly.p50Ms, base.p50Ms)} / ${ratioTo(webhookOnly.p99Ms, base.p99Ms)}` },
          ]
        : []),
      { metric: 'ingest requests/s vs naive baseline (a commit per request)', app: ingest.requestsPerSec, baseline: naive.requestsPerSec, digits: 0 },
      { metric: 'ingest latency p50 / p99 (ms) vs naive baseline', app: `${Math.round(ingest.p50Ms)} / ${Math.round(ingest.p99Ms)}`, baseline: `${Math.round(naive.p50Ms)} / ${Math.round(naive.p99Ms)}`, ratio: `${ratioTo(ingest.p50Ms, naive.p50Ms)} / ${ratioTo(ingest.p99Ms, naive.p99Ms)}` },
      { metric: 'server process CPU per request (ms) vs naive baseline', app: ingest.cpuMs, baseline: naive.cpuMs, digits: 2 },
      { metric: 'naive baseline non-2xx / errors / timeouts', app: '', baseline: `${naive.non2xx} / ${naive.errors} / ${naive.timeouts}`, ratio: '' },
      { metric: 'burst: processed during it (events/s), target: acknowledged/s', app: processedInBurst / d, target: acked, digits: 0 },
      { metric: 'burst: messages stored during it (/s), target: acknowledged/s', app: (atEnd.messages - before.messages) / d, target: acked, digits: 0 },
      { metric: `backlog after the ${d} s burst (events)`, app: atEnd.backlog, target: 0, digits: 0, ratio: `of ${n(ingest.ok2xx)} acknowledged` },
      { metric: 'drain time after the burst (s)', app: drained.seconds, digits: 1, ratio: drained.remaining > 0 ? `cap hit, ${drained.remaining} left` : undefined },
      atEnd.backlog > 0
        ? { metric: 'drain rate after the burst (events/s), target: acknowledged/s', app: processedInDrain / drained.seconds, target: acked, digits: 0 }
        : { metric: 'drain rate after the burst (events/s), target: acknowledged/s', app: 'no backlog', target: acked, digits: 0, ratio: '' },
      { metric: 'fully processed, burst start to drained (events/s), target: acknowledged/s', app: fullyProcessed, target: acked, digits: 0 },
      { metric: 'failed webhook events', app: after.failed, target: 0, digits: 0 },
    ];
    return { rows, generated: ingest.generatedDuringRun + baseBefore.generatedDuringRun + naive.generatedDuringRun + processing.generatedDuringRun + baseAfter.generatedDuringRun + (webhookOnly?.generatedDuringRun ?? 0) };
  } finally {
    await db.end().catch(() => undefined);
  }
}
