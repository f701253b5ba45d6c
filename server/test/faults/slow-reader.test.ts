import fs from 'node:fs';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../simulator/src/simulator.js';
import { APP_SECRET, createTestDatabase, PHONE_NUMBER_ID, subscribe, TEST_TOKEN, waitFor } from '../harness.js';
import { envelope, textMessage } from '../payloads.js';
import { spawnServer, type ServerProcess } from '../process.js';
import { signBody } from '../../src/webhook/webhook.signature.js';

// More events than a subscription's queue holds (1,024): before the byte limit, a client that stopped
// reading made that queue overflow, and the overflow crashed the whole server process.
const N = 1100;
// The first events are large, so the slow client's backlog passes the limit within seconds, well before the
// keep-alive ping (12 s, then 12 s for the pong) would drop it; the rest are small.
const BIG = 60;
const text = (i: number) => `${i} ${'x'.repeat(i < BIG ? 64 * 1024 : 512)}`;
// The slow client asks for the text eleven times over (raw holds it too): ~0.7 MB frames at first, ~50 MB in all.
const HEAVY = `subscription { messageAdded { id raw ${Array.from({ length: 10 }, (_, i) => `t${i}: text`).join(' ')} } }`;

let server: ServerProcess | undefined;
let sim: RunningSimulator | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await server?.kill();
  await sim?.close();
});

/** Resident memory of a process, in bytes (0 once it is gone). */
function rss(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

const metric = async (url: string, name: string) => {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
};

/** A raw graphql-ws client that subscribes, then stops reading its socket (the kernel buffers fill, then ours). */
async function stalledSubscriber(url: string) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
  sockets.push(ws);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const frames: string[] = [];
  ws.on('message', (d) => frames.push(String(d)));
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${TEST_TOKEN}` } }));
  await waitFor(() => frames.some((f) => JSON.parse(f).type === 'connection_ack'), 5000, 'connection_ack');
  ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: HEAVY } }));
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  return { ws, frames, closed, pause: () => (ws as any)._socket.pause(), resume: () => (ws as any)._socket.resume() };
}

async function postAll(url: string, n: number, concurrency = 20): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const raw = JSON.stringify(envelope(textMessage({ from: `1555${String(i % 100).padStart(7, '0')}`, text: text(i) }).body));
      const res = await fetch(`${url}/api/whatsapp/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, APP_SECRET) },
        body: raw,
      });
      expect(res.status).toBe(200);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

describe('a websocket client that stops reading', () => {
  it(`is dropped once it leaves GRAPHQL_WS_MAX_BUFFERED_BYTES unread; memory stays bounded, the server stays up, and a client that reads gets all ${N} events`, { timeout: 180_000 }, async () => {
    sim = await startSimulator({ appSecret: APP_SECRET, accessToken: 'graph-token', phoneNumberId: PHONE_NUMBER_ID, wabaId: 'waba-1', log: () => undefined });
    server = await spawnServer(await createTestDatabase(), sim.url);
    const pid = server.child.pid!;

    const good = createClient({ url: `${server.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${TEST_TOKEN}` }, retryAttempts: 0 });
    const received = subscribe(good, `subscription { messageAdded { id text } }`);
    const slow = await stalledSubscriber(server.url);
    await waitFor(async () => (await metric(server!.url, 'inbox_websocket_clients')) === 2, 5000, 'both clients connected');
    await new Promise((r) => setTimeout(r, 300)); // both subscriptions registered
    slow.pause();

    const baseline = rss(pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rss(pid))), 100);
    try {
      await postAll(server.url, N);
      await waitFor(() => received.events.length >= N || server!.child.exitCode !== null, 120_000, `all ${N} events at the reading client`);
    } finally {
      clearInterval(sampler);
    }
    expect(server.child.exitCode, server.output().slice(-2000)).toBeNull();
    expect(received.errors).toEqual([]);
    const texts = new Set(received.events.map((e) => Number.parseInt(e.messageAdded.text, 10)));
    expect(texts.size).toBe(N);

    // Dropped by the byte limit (not by the keep-alive ping, which would take 12 to 24 s more).
    expect(await metric(server.url, 'inbox_websocket_slow_clients_dropped_total')).toBe(1);
    expect(await metric(server.url, 'inbox_websocket_clients')).toBe(1);
    expect(server.output()).toMatch(/websocket client does not read; connection dropped/);
    // Reading again, the client finds its connection cut without a close frame, well short of the stream.
    slow.resume();
    expect(await slow.closed).toBe(1006);
    expect(slow.frames.length).toBeLessThan(N / 4);
    // What stays behind a non-reader is bounded by the limit plus kernel buffers, not by the stream (~50 MB).
    expect(peak - baseline).toBeLessThan(150 * 1024 * 1024);
    await good.dispose();
  });
});
