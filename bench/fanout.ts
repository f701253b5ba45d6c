/**
 * Subscription fan-out: `CONNECTIONS` graphql-ws clients (in a second process, bench/fanout-clients.ts)
 * subscribed to `messageAdded`; each round POSTs one signed webhook and times until every client has
 * its frame; `FANOUT_ROUNDS` rounds a side, for a p99 that is not the slowest round. Also the server's memory per connection (this process hosts the app): heap and RSS
 * before and after connecting, each after a settle delay and a forced GC.
 * Baselines, node:http + `ws` servers in this process broadcasting a frame of the same size to the
 * same number of plain websocket clients:
 * - bare: on a POST, at once, with no database;
 * - stored: on a signed webhook POST, after doing the inbox's work for it by the plainest means in one
 *   transaction (the raw body, the contact and the message stored on the app's schema: the processing
 *   baseline's `processGroup`, bench/baseline.processing.ts), then the frame with the stored text. The
 *   app does the same work before its frame (store, answer, process, NOTIFY, read the row).
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import pg from 'pg';
import { WebSocketServer } from 'ws';
import { validSignature } from './baseline.js';
import { processGroup } from './baseline.processing.js';
import type { FromClients, ToClients } from './fanout-clients.js';
import { APP_SECRET, AUTH_TOKEN, textWebhook, WEBHOOK_PATH } from './payload.js';

export const FANOUT_CONNECTIONS = 1_000;
/** Enough rounds that the p99 is not simply the slowest one (it is the 2nd slowest of 200). */
export const FANOUT_ROUNDS = 200;
/** Fewer timed rounds than this and the nearest-rank p99 is the maximum: reported as n/a. */
export const MIN_ROUNDS_FOR_P99 = 100;
const ROUND_TIMEOUT_MS = 30_000;
const QUERY = 'subscription { messageAdded { id waMessageId direction type text status timestamp createdAt contact { id name } } }';

const here = path.dirname(fileURLToPath(import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now();
const running = new Set<ChildProcess>();
const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null && !!child.pid;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

export interface FanoutSide {
  /** ms from the POST until the last client had its frame, per round. */
  samples: number[];
  missed: number;
  connectMs: number;
  heapPerConnectionKb: number;
  rssPerConnectionKb: number;
  frameBytes: number;
}

/** Kills every subscriber process still running (by PID). */
export function abortFanout(): void {
  for (const child of running) if (alive(child)) process.kill(child.pid!, 'SIGKILL');
}

/** Memory after forced GCs, once RSS stops moving (V8 hands freed pages back lazily). */
export async function settledMemory(): Promise<NodeJS.MemoryUsage> {
  await sleep(1000);
  let last = process.memoryUsage();
  for (let i = 0; i < 8; i++) {
    gc();
    await sleep(500);
    const now = process.memoryUsage();
    const steady = Math.abs(now.rss - last.rss) < 256 * 1024;
    last = now;
    if (steady && i > 0) break;
  }
  return last;
}

/** The subscriber process and a request/answer helper over its IPC channel. */
export function startClients() {
  const child = fork(path.join(here, 'fanout-clients.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let waiter: { type: FromClients['type']; resolve: (m: FromClients) => void; reject: (e: Error) => void } | undefined;
  child.on('message', (m: FromClients) => {
    if (m.type === 'error') return waiter?.reject(new Error(m.message));
    if (waiter?.type === m.type) waiter.resolve(m);
  });
  child.once('exit', (code) => waiter?.reject(new Error(`fan-out clients exited with ${code}`)));
  const ask = <T extends FromClients['type']>(msg: ToClients | undefined, type: T, timeoutMs: number) =>
    new Promise<Extract<FromClients, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(() => done(() => reject(new Error(`timeout waiting for ${type}`))), timeoutMs);
      const done = (f: () => void) => {
        clearTimeout(timer);
        waiter = undefined;
        f();
      };
      waiter = { type, resolve: (m) => done(() => resolve(m as Extract<FromClients, { type: T }>)), reject: (e) => done(() => reject(e)) };
      if (msg) child.send(msg);
    });
  const close = async () => {
    if (!alive(child)) return;
    const exited = new Promise((r) => child.once('exit', r));
    if (child.connected) child.send({ type: 'close' } satisfies ToClients);
    const killer = setTimeout(() => alive(child) && process.kill(child.pid!, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  };
  return { ask, close };
}

/** Connects the clients, runs the rounds (`trigger` fires one event carrying `marker`), closes them. */
async function run(opts: { url: string; queries?: { query: string }[]; count: number; rounds: number; marker: (r: number) => string; trigger: (marker: string, r: number) => Promise<void> }): Promise<FanoutSide> {
  const clients = startClients();
  try {
    const before = await settledMemory();
    const { ms: connectMs } = await clients.ask({ type: 'connect', url: opts.url, count: opts.count, token: AUTH_TOKEN, queries: opts.queries }, 'connected', 120_000);
    /** One round: ms until the last client has the frame, undefined on timeout. */
    const round = async (r: number, timeoutMs: number) => {
      const marker = opts.marker(r);
      await clients.ask({ type: 'arm', marker }, 'armed', 5000);
      const all = clients.ask(undefined, 'all', timeoutMs);
      const t0 = now();
      await opts.trigger(marker, r);
      return all.then((m) => ({ ms: m.lastAt - t0, bytes: m.bytes, sample: m.sample }), () => undefined);
    };
    // graphql-ws does not acknowledge a subscribe: probe until every client receives a frame.
    let probe: Awaited<ReturnType<typeof round>>;
    for (let i = 0; i < 5 && !probe; i++) probe = await round(-1 - i, 10_000);
    if (!probe) throw new Error(`not all ${opts.count} clients received the probe frame`);
    const after = await settledMemory();
    const samples: number[] = [];
    let missed = 0;
    for (let r = 0; r < opts.rounds; r++) {
      const res = await round(r, ROUND_TIMEOUT_MS);
      if (res) samples.push(res.ms);
      else missed++;
      await sleep(100);
    }
    return {
      samples,
      missed,
      connectMs,
      heapPerConnectionKb: (after.heapUsed - before.heapUsed) / opts.count / 1024,
      rssPerConnectionKb: (after.rss - before.rss) / opts.count / 1024,
      frameBytes: probe.bytes,
    };
  } finally {
    await clients.close();
  }
}

export async function post(url: string, body: string, headers: Record<string, string>): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`POST ${url} answered ${res.status}`);
}

/** The app's fan-out to `count` subscribers: each round one webhook whose text is the marker. */
function appFanout(appUrl: string, tag: string, count: number, rounds: number): Promise<FanoutSide> {
  return run({
    url: `${appUrl.replace(/^http/, 'ws')}/graphql`,
    queries: [{ query: QUERY }],
    count,
    rounds,
    marker: (r) => `fanout-${tag}-a${String(count).padStart(5, '0')}-${String(r + 10).padStart(3, '0')}#`,
    trigger: async (marker, r) => {
      const { body, signature } = textWebhook(`F${tag}${count}`, r + 100, marker);
      await post(`${appUrl}${WEBHOOK_PATH}`, body, { 'x-hub-signature-256': signature });
    },
  });
}

/**
 * Each side once unmeasured with all its clients (the frame size is learnt there), so code compiled
 * and modules loaded on a first thousand connections are not counted as memory per connection; then
 * the bare baseline (its memory delta is not blurred by what the app's thousand connections leave behind),
 * the storing baseline (on `storedDatabaseUrl`, a migrated database of its own; skipped without one)
 * and the app.
 */
export async function measureFanout(appUrl: string, tag: string, progress: (m: string) => void, storedDatabaseUrl?: string): Promise<{ app: FanoutSide; baseline: FanoutSide; stored?: FanoutSide }> {
  progress(`fan-out warm-up: ${FANOUT_CONNECTIONS} subscribers of each side, unmeasured`);
  const { frameBytes } = await appFanout(appUrl, `${tag}w`, FANOUT_CONNECTIONS, 0);
  await baselineFanout(frameBytes, `${tag}w`, 0);
  const pool = storedDatabaseUrl ? new pg.Pool({ connectionString: storedDatabaseUrl, max: 4 }) : undefined;
  try {
    progress(`fan-out baseline: bare ws broadcast of ${frameBytes} bytes to ${FANOUT_CONNECTIONS} clients`);
    const baseline = await baselineFanout(frameBytes, tag, FANOUT_ROUNDS);
    let stored: FanoutSide | undefined;
    if (pool) {
      // Warmed after the bare side's memory was measured: what its pool and code leave would blur that.
      await baselineFanout(frameBytes, `${tag}w`, 0, pool);
      progress(`fan-out baseline: the webhook stored and processed in one transaction, then a ws broadcast to ${FANOUT_CONNECTIONS} clients`);
      stored = await baselineFanout(frameBytes, tag, FANOUT_ROUNDS, pool);
    }
    progress(`fan-out: ${FANOUT_CONNECTIONS} graphql-ws subscribers, ${FANOUT_ROUNDS} posts`);
    const app = await appFanout(appUrl, tag, FANOUT_CONNECTIONS, FANOUT_ROUNDS);
    return { app, baseline, stored };
  } finally {
    await pool?.end();
  }
}

/**
 * A baseline ws server broadcasting a `frameBytes`-byte frame on each POST: the body itself (bare), or
 * with `pool`, a signed webhook checked, stored and processed (processGroup), then a frame carrying its text.
 */
async function baselineFanout(frameBytes: number, tag: string, rounds: number, pool?: pg.Pool): Promise<FanoutSide> {
  const broadcast = (frame: Buffer | string) => {
    for (const ws of wss.clients) ws.send(frame);
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (!pool) {
        broadcast(body);
        res.writeHead(200, { 'content-length': 2 }).end('ok');
        return;
      }
      const signature = req.headers['x-hub-signature-256'];
      if (!validSignature(body, typeof signature === 'string' ? signature : undefined, APP_SECRET)) {
        res.writeHead(401, { 'content-length': 3 }).end('bad');
        return;
      }
      processGroup(pool, [{ body, headers: { 'content-type': 'application/json' } }]).then(
        () => {
          res.writeHead(200, { 'content-length': 2 }).end('ok');
          broadcast(frameOf(JSON.parse(body.toString()).entry[0].changes[0].value.messages[0].text.body, frameBytes));
        },
        (err: Error) => res.writeHead(503, { 'content-length': Buffer.byteLength(err.message) }).end(err.message),
      );
    });
  });
  const wss = new WebSocketServer({ server, path: '/ws' });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  try {
    return await run({
      url: `ws://127.0.0.1:${port}/ws`,
      count: FANOUT_CONNECTIONS,
      rounds,
      marker: (r) => `fanout-${tag}-${pool ? 's' : 'b'}-${r}#`,
      trigger: (marker, r) => {
        if (!pool) return post(`http://127.0.0.1:${port}/broadcast`, frameOf(marker, frameBytes), {});
        const { body, signature } = textWebhook(`FS${tag}`, r + 100, marker);
        return post(`http://127.0.0.1:${port}${WEBHOOK_PATH}`, body, { 'x-hub-signature-256': signature });
      },
    });
  } finally {
    for (const ws of wss.clients) ws.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

/** A graphql-ws `next` frame of `frameBytes` bytes carrying `text`. */
function frameOf(text: string, frameBytes: number): string {
  const head = `{"id":"1","type":"next","payload":{"data":{"messageAdded":{"text":${JSON.stringify(text)},"pad":"`;
  const tail = '"}}}}';
  return head + 'x'.repeat(Math.max(0, frameBytes - head.length - tail.length)) + tail;
}
