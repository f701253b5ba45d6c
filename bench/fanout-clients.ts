/**
 * The subscribers of the fan-out benchmark, run as their own process (bench/fanout.ts forks it) so
 * that a thousand websocket clients do not share a CPU/event loop with the server under test.
 * Speaks the graphql-transport-ws protocol directly over `ws` (init, ack, a subscribe per query,
 * ids 1, 2, ...), or, for the baseline, just listens. Driven over the IPC channel:
 *   parent → { type: 'connect', url, count, token?, queries? } child → { type: 'connected', bytes? }
 *   parent → { type: 'arm', marker }                            child → { type: 'armed' }
 *   child → { type: 'all', firstAt, lastAt, bytes } once every client has a frame containing `marker`
 *   parent → { type: 'close' }                                  child exits
 * Times are epoch milliseconds (`performance.timeOrigin + performance.now()`), comparable across
 * the two processes on one machine.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

export type ToClients =
  | { type: 'connect'; url: string; count: number; token?: string; queries?: { query: string; variables?: Record<string, unknown> }[] }
  | { type: 'arm'; marker: string }
  | { type: 'close' };
export type FromClients =
  | { type: 'connected'; ms: number }
  | { type: 'armed' }
  | { type: 'all'; firstAt: number; lastAt: number; bytes: number; sample: string }
  | { type: 'error'; message: string };

const BATCH = 50;
const now = () => performance.timeOrigin + performance.now();
const send = (m: FromClients) => process.send!(m);

const sockets: WebSocket[] = [];
let marker: Buffer | undefined;
let got = new Set<number>();
let firstAt = 0;
let total = 0;

function onFrame(i: number, data: Buffer): void {
  if (!marker || got.has(i) || !data.includes(marker)) return;
  const at = now();
  if (got.size === 0) firstAt = at;
  got.add(i);
  if (got.size === total) {
    marker = undefined;
    send({ type: 'all', firstAt, lastAt: at, bytes: data.length, sample: data.toString('utf8') });
  }
}

/** Opens one client; resolves once it is subscribed (graphql) or open (raw). */
function open(i: number, url: string, token?: string, queries?: { query: string; variables?: Record<string, unknown> }[]): Promise<void> {
  const query = queries?.length ? queries : undefined;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, query ? 'graphql-transport-ws' : undefined, { perMessageDeflate: false });
    sockets.push(ws);
    ws.once('error', reject);
    ws.once('open', () => {
      if (!query) return resolve();
      ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    });
    ws.on('message', (raw: Buffer) => {
      if (query && raw.length < 64) {
        const m = JSON.parse(raw.toString('utf8')) as { type: string };
        if (m.type === 'connection_ack') {
          query.forEach((payload, k) => ws.send(JSON.stringify({ id: String(k + 1), type: 'subscribe', payload })));
          return resolve();
        }
        if (m.type === 'ping') return ws.send('{"type":"pong"}');
      }
      if (query && raw.includes('"type":"error"')) send({ type: 'error', message: `client ${i}: ${raw.toString('utf8').slice(0, 300)}` });
      onFrame(i, raw);
    });
    ws.once('close', (code) => {
      if (marker) send({ type: 'error', message: `client ${i} closed (${code}) during a round` });
    });
  });
}

process.on('message', (m: ToClients) => {
  if (m.type === 'connect') {
    const t0 = now();
    total = m.count;
    (async () => {
      for (let i = 0; i < m.count; i += BATCH) {
        await Promise.all(Array.from({ length: Math.min(BATCH, m.count - i) }, (_, k) => open(i + k, m.url, m.token, m.queries)));
      }
    })().then(
      () => send({ type: 'connected', ms: now() - t0 }),
      (err: Error) => send({ type: 'error', message: `connect failed: ${err.message}` }),
    );
  } else if (m.type === 'arm') {
    got = new Set();
    marker = Buffer.from(m.marker);
    send({ type: 'armed' });
  } else if (m.type === 'close') {
    for (const ws of sockets) ws.terminate();
    process.disconnect();
  }
});
process.on('disconnect', () => process.exit(0));
