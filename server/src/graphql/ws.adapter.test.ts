import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, parse, subscribe } from 'graphql';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { waitFor } from '../../test/harness.js';
import { createMetrics } from '../metrics.js';
import { limitBufferedBytes } from './backpressure.js';
import { serveGraphqlWs } from './ws.adapter.js';

const KEEPALIVE_MS = 200;
const server = http.createServer();
const wss = new WebSocketServer({ server });
let url: string;
let served: { dispose(): Promise<void> };
const failures: unknown[] = [];

beforeAll(async () => {
  const schema = buildSchema('type Query { hello: String }');
  const bound = limitBufferedBytes({ maxBytes: 1 << 20, metrics: createMetrics({ messageCounts: async () => [], webhookBacklog: async () => [] }), log: pino({ level: 'silent' }) });
  served = serveGraphqlWs(wss, {
    connect: async () => ({}),
    prepare: (payload) => ({ schema, document: parse(payload.query), rootValue: { hello: () => 'hi' } }),
    subscribe: async (args) => subscribe(args),
    format: (result) => result,
    refused: (errors) => failures.push(...errors),
    closed: () => undefined,
    send: (socket, frame, remote) => bound.send(socket, frame, remote),
  }, { keepAliveMs: KEEPALIVE_MS, initTimeoutMs: 5000, failed: (err) => failures.push(err) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await served.dispose();
  await new Promise((r) => server.close(r));
});

/** A graphql-transport-ws client, acknowledged; `autoPong: false` makes one that never answers pings. */
async function client(opts: { autoPong: boolean }) {
  const ws = new WebSocket(url, 'graphql-transport-ws', { autoPong: opts.autoPong });
  const messages: { type: string; id?: string; payload?: unknown }[] = [];
  let closed: number | undefined;
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  ws.on('close', (code) => (closed = code));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ type: 'connection_init' }));
  await waitFor(() => messages.some((m) => m.type === 'connection_ack'), 5000, 'the ack');
  return { ws, messages, closed: () => closed };
}

describe('graphql-ws on the ws adapter', () => {
  it('terminates a client that stops answering pings; one that answers stays and is served', async () => {
    const deaf = await client({ autoPong: false });
    const live = await client({ autoPong: true });
    // Terminated without a close frame: the client sees 1006.
    expect(await waitFor(() => deaf.closed(), 5000, 'the deaf client terminated')).toBe(1006);
    await new Promise((r) => setTimeout(r, 3 * KEEPALIVE_MS)); // several more sweeps
    expect(live.closed()).toBeUndefined();
    live.ws.send(JSON.stringify({ id: 'q', type: 'subscribe', payload: { query: '{ hello }' } }));
    await waitFor(() => live.messages.some((m) => m.type === 'complete'), 5000, 'the answer');
    expect(live.messages.find((m) => m.type === 'next')).toEqual({ id: 'q', type: 'next', payload: { data: { hello: 'hi' } } });
    live.ws.close();
    expect(failures).toEqual([]);
  });
});
