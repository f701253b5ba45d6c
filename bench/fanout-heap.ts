/**
 * Where a subscribed widget's server memory goes: `npx tsx bench/fanout-heap.ts [--connections=1000]
 * [--widget] [--presence] [--baseline] [--keep]
 * [--profile=ROUNDS]`. Starts the app (as the bench does), warms it with as many subscribers
 * as it measures and one event, takes a heap snapshot, connects the subscribers (bench/fanout-clients.ts, another
 * process), delivers one event to all, takes a second snapshot, and prints the growth per connection
 * by kind of object and by what holds it (bench/heap-summary.ts). Default: the fan-out bench's one
 * `messageAdded`; `--widget`: the widget's always-on subscriptions (messageAdded, messageStatusChanged,
 * contactUpdated, noteAdded); `--presence` adds `presenceChanged` on one conversation; `--baseline`:
 * the bench's bare `ws` broadcast server (in the same process, beside the idle app) instead;
 * `--profile=N`: then N more deliveries under the CPU profiler, self time by function;
 * `--allocations=N`: N more deliveries under the sampling heap profiler, bytes allocated by function.
 */
import fs from 'node:fs';
import inspector from 'node:inspector';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { print } from 'graphql';
import { WebSocketServer } from 'ws';
import { startEmbeddedPostgres } from '../server/src/db/embedded.js';
import { ContactUpdatedDocument, MessageAddedDocument, MessageStatusChangedDocument, NoteAddedDocument, PresenceChangedDocument } from '../web/src/gql/graphql.js';
import { startBenchApp } from './app.js';
import { post, settledMemory, startClients } from './fanout.js';
import { diffTallies, summarizeHeap, type Tally } from './heap-summary.js';
import { AUTH_TOKEN, textWebhook, WEBHOOK_PATH } from './payload.js';

const arg = (name: string) => process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
const connections = Number(arg('connections')?.split('=')[1] ?? 1000);
const BENCH_QUERY = 'subscription { messageAdded { id waMessageId direction type text status timestamp createdAt contact { id name } } }';
const queries: { query: string; variables?: Record<string, unknown> }[] = arg('widget')
  ? [MessageAddedDocument, MessageStatusChangedDocument, ContactUpdatedDocument, NoteAddedDocument].map((d) => ({ query: print(d) }))
  : [{ query: BENCH_QUERY }];
if (arg('presence')) queries.push({ query: print(PresenceChangedDocument), variables: { contactId: '1' } });

const log = (m: string) => process.stderr.write(`fanout-heap: ${m}\n`);
const kb = (bytes: number) => (bytes / 1024).toFixed(2);

async function main(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-heap-'));
  fs.chmodSync(tmp, 0o711);
  const database = await startEmbeddedPostgres({ dir: path.join(tmp, 'pg'), persistent: false, database: 'bench_app' });
  const app = await startBenchApp(database.url, tmp);
  const bare = arg('baseline') ? await bareBroadcast() : undefined;
  const wsUrl = bare?.url ?? `${app.url.replace(/^http/, 'ws')}/graphql`;
  const subscribe = bare ? undefined : queries;
  let seq = 0;
  /** Delivers one event to `count` clients that are subscribed. */
  const deliver = async (clients: ReturnType<typeof startClients>) => {
    const marker = `heap-${Date.now().toString(36)}-${seq++}#`;
    await clients.ask({ type: 'arm', marker }, 'armed', 5000);
    const all = clients.ask(undefined, 'all', 30_000);
    if (bare) bare.broadcast(marker);
    else {
      const { body, signature } = textWebhook('heap', seq, marker);
      await post(`${app.url}${WEBHOOK_PATH}`, body, { 'x-hub-signature-256': signature });
    }
    await all;
  };
  const snapshot = async (name: string) => {
    const mem = await settledMemory();
    const file = path.join(tmp, `${name}.heapsnapshot`);
    v8.writeHeapSnapshot(file);
    log(`${name}: heapUsed ${(mem.heapUsed / 1048576).toFixed(1)} MB, rss ${(mem.rss / 1048576).toFixed(1)} MB`);
    return { file, mem };
  };
  try {
    // Warmed with as many clients as measured: code compiled on the first thousand is not per connection.
    const warm = startClients();
    await warm.ask({ type: 'connect', url: wsUrl, count: connections, token: AUTH_TOKEN, queries: subscribe }, 'connected', 120_000);
    await deliver(warm);
    await warm.close();
    const before = await snapshot('before');
    const many = startClients();
    await many.ask({ type: 'connect', url: wsUrl, count: connections, token: AUTH_TOKEN, queries: subscribe }, 'connected', 120_000);
    await deliver(many);
    const after = await snapshot('after');
    const rounds = Number(arg('profile')?.split('=')[1] ?? 0);
    if (rounds) await profile(rounds, () => deliver(many));
    const allocRounds = Number(arg('allocations')?.split('=')[1] ?? 0);
    if (allocRounds) await allocations(allocRounds, () => deliver(many));
    await many.close();
    log(`heapUsed per connection ${kb((after.mem.heapUsed - before.mem.heapUsed) / connections)} kB, rss ${kb((after.mem.rss - before.mem.rss) / connections)} kB`);
    const a = summarizeHeap(before.file);
    const b = summarizeHeap(after.file);
    const table = (title: string, x: Map<string, Tally>, y: Map<string, Tally>) => {
      console.log(`\n${title} (per connection: objects, bytes)`);
      for (const r of diffTallies(x, y, 40)) console.log(`${(r.count / connections).toFixed(2).padStart(8)} ${kb(r.bytes / connections).padStart(8)} kB  ${r.key}`);
    };
    console.log(`${connections} connections, ${bare ? 'bare ws' : `${queries.length} subscription(s) each`}; snapshot self sizes grew ${kb((b.totalBytes - a.totalBytes) / connections)} kB per connection`);
    table('by kind', a.byKind, b.byKind);
    table('by holder > kind', a.byHolder, b.byHolder);
    if (arg('keep')) log(`snapshots kept in ${tmp}`);
  } finally {
    await bare?.close();
    await app.close();
    await database.stop();
    if (!arg('keep')) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

type CallFrame = { functionName: string; url: string; lineNumber: number };

/** A function as the profiles print it: its name, and its file under node_modules, server/ or bench/, and line. */
const frameName = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(server|bench)\//, '$1/')}:${f.lineNumber + 1}`;

/** This process's inspector: `post` a method and await its answer; `session.disconnect()` when done. */
function inspectorSession() {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<any>((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  return { session, post };
}

/** Prints the 30 largest of `self`, per delivery, `scale` and `unit` making its numbers readable. */
function printTop(self: Map<string, number>, rounds: number, scale: number, unit: string, digits: number): void {
  for (const [key, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${(v / scale / rounds).toFixed(digits).padStart(8)} ${unit}  ${key}`);
}

/** CPU time of `rounds` deliveries by function (self time, this process: the app and the POSTs), the top 30 printed. */
async function profile(rounds: number, round: () => Promise<void>): Promise<void> {
  const { session, post } = inspectorSession();
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) await round();
  const wall = performance.now() - t0;
  const { profile: p } = (await post('Profiler.stop')) as { profile: { nodes: { id: number; hitCount: number; callFrame: CallFrame }[]; samples: number[]; timeDeltas: number[] } };
  session.disconnect();
  const byNode = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const key = frameName(byNode.get(id)!.callFrame);
    const us = p.timeDeltas[i] ?? 0;
    total += us;
    self.set(key, (self.get(key) ?? 0) + us);
  });
  console.log(`\nCPU profile of ${rounds} deliveries: ${(wall / rounds).toFixed(1)} ms each (wall), sampled ${(total / 1000 / rounds).toFixed(1)} ms each; self time per delivery`);
  printTop(self, rounds, 1000, 'ms', 2);
}

/** Bytes allocated during `rounds` deliveries by allocating function (sampled every 4 kB, freed objects included), the top 30 printed. */
async function allocations(rounds: number, round: () => Promise<void>): Promise<void> {
  const { session, post } = inspectorSession();
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  for (let r = 0; r < rounds; r++) await round();
  type Node = { callFrame: CallFrame; selfSize: number; children: Node[] };
  const { profile: p } = (await post('HeapProfiler.stopSampling')) as { profile: { head: Node } };
  session.disconnect();
  const self = new Map<string, number>();
  let total = 0;
  const visit = (n: Node, caller: string) => {
    const name = frameName(n.callFrame);
    const key = `${name} < ${caller}`;
    total += n.selfSize;
    if (n.selfSize) self.set(key, (self.get(key) ?? 0) + n.selfSize);
    for (const c of n.children) visit(c, name);
  };
  visit(p.head, '');
  console.log(`\nallocations of ${rounds} deliveries: ${(total / 1024 / rounds).toFixed(1)} kB each (sampled); by allocating function < its caller`);
  printTop(self, rounds, 1024, 'kB', 1);
}

/** The bench's baseline: a bare `ws` server that broadcasts a frame to every client. */
async function bareBroadcast() {
  const server = http.createServer();
  const wss = new WebSocketServer({ server, path: '/ws' });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`,
    broadcast: (marker: string) => {
      const frame = Buffer.from(`{"id":"1","type":"next","payload":{"data":{"messageAdded":{"text":"${marker}"}}}}`);
      for (const ws of wss.clients) ws.send(frame);
    },
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
