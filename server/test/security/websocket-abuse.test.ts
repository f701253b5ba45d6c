import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestEnv, subscribe, TEST_TOKEN, waitFor, type TestEnv } from '../harness.js';
import { envelope, textMessage } from '../payloads.js';

const MAX_SUBSCRIPTIONS = 100;
let t: TestEnv;
const sockets: WebSocket[] = [];
beforeAll(async () => {
  // 200 idle connections from this one address below: above the per-address cap's default.
  t = await startTestEnv({ env: { GRAPHQL_WS_MAX_SUBSCRIPTIONS: String(MAX_SUBSCRIPTIONS), WS_MAX_CONNECTIONS_PER_IP: '1000' } });
});
afterAll(async () => {
  for (const s of sockets) s.terminate();
  await t?.close();
});

interface Raw {
  ws: WebSocket;
  messages: any[];
  closed: Promise<{ code: number; reason: string }>;
  send(msg: object | string): void;
}

/** A bare graphql-transport-ws connection: nothing sent until the test says so. */
async function raw(): Promise<Raw> {
  const ws = new WebSocket(`${t.app.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
  sockets.push(ws);
  const messages: any[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, messages, closed, send: (msg) => ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg)) };
}

async function acked(token = TEST_TOKEN): Promise<Raw> {
  const c = await raw();
  c.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
  await waitFor(() => c.messages.some((m) => m.type === 'connection_ack'), 5000, 'connection_ack');
  return c;
}

const wsClients = async () => Number(/^inbox_websocket_clients (\d+)/m.exec(await (await fetch(`${t.app.url}/metrics`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })).text())![1]);
const ADDED = { query: 'subscription { messageAdded { id text } }' };

describe('a flood of subscribe messages on one connection', () => {
  it(`10,000 subscribes at once: ${MAX_SUBSCRIPTIONS} run, every other gets an error message, memory stays bounded, other clients are unaffected`, async () => {
    const bystander = subscribe(t.ws(), ADDED.query);
    await new Promise((r) => setTimeout(r, 200));
    const flooder = await acked();
    const heapBefore = process.memoryUsage().heapUsed;

    for (let i = 0; i < 10_000; i++) flooder.send({ id: `s${i}`, type: 'subscribe', payload: ADDED });
    const refused = () => flooder.messages.filter((m) => m.type === 'error');
    await waitFor(() => refused().length >= 10_000 - MAX_SUBSCRIPTIONS, 60_000, 'the refusals');
    const heapAfter = process.memoryUsage().heapUsed;
    if (process.env.PRINT_MEASUREMENTS) console.info(`heap growth over the flood: ${((heapAfter - heapBefore) / 1048576).toFixed(1)} MB`);

    const errs = refused();
    expect(errs).toHaveLength(10_000 - MAX_SUBSCRIPTIONS);
    expect(new Set(errs.map((m) => m.id)).size).toBe(errs.length);
    expect(errs.map((m) => m.id)).not.toContain(`s${MAX_SUBSCRIPTIONS - 1}`); // the first ones run
    expect(errs[0].payload[0]).toMatchObject({ message: expect.stringMatching(/at most 100 operations/), extensions: { code: 'BAD_REQUEST', limit: 100 } });
    expect(flooder.ws.readyState).toBe(WebSocket.OPEN);
    // A leak of 9,900 subscriptions would hold their iterators, listeners and contexts; 10,000 refusals hold nothing.
    expect(heapAfter - heapBefore).toBeLessThan(64 * 1024 * 1024);

    // Exactly the first 100 are live: one event reaches each of them once, and the bystander too.
    const m = textMessage({ text: 'during the flood' });
    expect((await t.postWebhook(envelope(m.body))).status).toBe(200);
    const nexts = () => flooder.messages.filter((x) => x.type === 'next');
    await waitFor(() => nexts().length >= MAX_SUBSCRIPTIONS, 10_000, 'the event on every live subscription');
    await waitFor(() => bystander.events.some((e) => e.messageAdded.text === 'during the flood'), 10_000, 'the bystander');
    const t2 = textMessage({ text: 'marker' });
    await t.postWebhook(envelope(t2.body));
    await waitFor(() => bystander.events.some((e) => e.messageAdded.text === 'marker'), 10_000, 'the marker');
    await waitFor(() => nexts().length >= 2 * MAX_SUBSCRIPTIONS, 10_000, 'the marker on the flooder');
    expect(nexts()).toHaveLength(2 * MAX_SUBSCRIPTIONS);
    expect(new Set(nexts().map((x) => x.id))).toEqual(new Set(Array.from({ length: MAX_SUBSCRIPTIONS }, (_, i) => `s${i}`)));
    expect((await t.gql('{ stats { totalMessages } }')).body.data.stats.totalMessages).toBeGreaterThanOrEqual(2);

    // Completing one frees a slot for a new one.
    flooder.send({ id: 's0', type: 'complete' });
    flooder.send({ id: 'again', type: 'subscribe', payload: { query: '{ stats { totalMessages } }' } });
    await waitFor(() => flooder.messages.some((x) => x.id === 'again' && x.type === 'complete'), 5000, 'the freed slot to run a query');
    expect(flooder.messages.find((x) => x.id === 'again').type).toBe('next');
    flooder.ws.close();
    await flooder.closed;
  });
});

describe('protocol violations graphql-ws closes on', () => {
  it('a connection that never sends connection_init is closed 4408 after the init timeout (many at once)', async () => {
    const base = await wsClients();
    const idle = await Promise.all(Array.from({ length: 200 }, () => raw()));
    expect(await wsClients()).toBe(base + 200);
    const closes = await Promise.all(idle.map((c) => c.closed));
    for (const c of closes) expect(c).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
    await waitFor(async () => (await wsClients()) === base, 5000, 'the gauge to drop back');
  });
  it('a subscribe before connection_ack is closed 4401', async () => {
    const c = await raw();
    c.send({ id: '1', type: 'subscribe', payload: ADDED });
    expect(await c.closed).toEqual({ code: 4401, reason: 'Unauthorized' });
  });
  it.each([
    ['a wrong token', { authorization: 'Bearer wrong' }],
    ['no token', {}],
    ['a token of another scheme', { authorization: `Basic ${TEST_TOKEN}` }],
  ])('connection_init with %s is closed 4403', async (_name, payload) => {
    const c = await raw();
    c.send({ type: 'connection_init', payload });
    expect(await c.closed).toEqual({ code: 4403, reason: 'Forbidden' });
    expect(c.messages).toEqual([]);
  });
  it('a second connection_init is closed 4429', async () => {
    const c = await acked();
    c.send({ type: 'connection_init', payload: { authorization: `Bearer ${TEST_TOKEN}` } });
    expect((await c.closed).code).toBe(4429);
  });
  it('a duplicate subscribe id is closed 4409', async () => {
    const c = await acked();
    c.send({ id: 'dup', type: 'subscribe', payload: ADDED });
    c.send({ id: 'dup', type: 'subscribe', payload: ADDED });
    expect(await c.closed).toEqual({ code: 4409, reason: 'Subscriber for dup already exists' });
  });
  it.each([
    ['not JSON', 'this is not json'],
    ['a connection_init payload that is no object', { type: 'connection_init', payload: `Bearer ${TEST_TOKEN}` }],
    ['an unknown type', { type: 'launch_missiles' }],
    ['a subscribe without payload', { id: '1', type: 'subscribe' }],
    ['a subscribe with a query that is no string', { id: '1', type: 'subscribe', payload: { query: 42 } }],
  ])('%s is closed 4400', async (_name, msg) => {
    const c = await acked();
    c.send(msg);
    expect((await c.closed).code).toBe(4400);
  });
  it('a frame over 256 KB is closed 1009 (message too big)', async () => {
    const c = await acked();
    c.send({ id: '1', type: 'subscribe', payload: { query: `{ stats { totalMessages } } #${'x'.repeat(300 * 1024)}` } });
    expect((await c.closed).code).toBe(1009);
  });
  it('after all of it the server serves websocket clients', async () => {
    const sub = subscribe(t.ws(), '{ stats { totalMessages } }');
    await waitFor(() => sub.events.length > 0, 5000, 'a query over a fresh websocket');
    expect((await fetch(`${t.app.url}/api/whatsapp/health`)).status).toBe(200);
  });
});
