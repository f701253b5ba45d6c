import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestEnv, subscribe, TEST_TOKEN, waitFor, type TestEnv } from '../harness.js';
import { envelope, textMessage } from '../payloads.js';

// AUTH_TOKENS with expiries: one long past, one a few seconds after the server starts, one far off
// (past setTimeout's 24.8-day range, so the expiry timer has to re-arm), and one without expiry.
const EXPIRED = 'expired-token';
const SHORT = 'short-lived-token';
const LONG = 'long-lived-token';
let t: TestEnv;
let shortExpiresAt: number;
const sockets: WebSocket[] = [];
beforeAll(async () => {
  shortExpiresAt = Date.now() + 15_000; // the server starts in a few seconds; the test connects well before this
  const far = new Date(Date.now() + 400 * 86_400_000).toISOString();
  t = await startTestEnv({
    env: { AUTH_TOKENS: `${TEST_TOKEN}, ${EXPIRED}@2020-01-01T00:00:00Z, ${SHORT}@${new Date(shortExpiresAt).toISOString()}, ${LONG}@${far}` },
  });
});
afterAll(async () => {
  for (const s of sockets) s.terminate();
  await t?.close();
});

const QUERY = '{ stats { totalMessages } }';

/** connection_init with `token`; resolves with the ack or the close. */
async function connect(token: string) {
  const ws = new WebSocket(`${t.app.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
  sockets.push(ws);
  const messages: any[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(String(d))));
  const closed = new Promise<{ code: number; reason: string; at: number }>((r) => ws.on('close', (code, reason) => r({ code, reason: String(reason), at: Date.now() })));
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  const first = await Promise.race([waitFor(() => messages.find((m) => m.type === 'connection_ack'), 5000, 'ack'), closed]);
  return { ws, messages, closed, acked: 'type' in first };
}

describe('missing and wrong tokens', () => {
  it.each([
    ['missing', null],
    ['wrong', 'nope'],
    ['a prefix of a valid one', TEST_TOKEN.slice(0, -1)],
    ['a valid one with a suffix', `${TEST_TOKEN}x`],
    ['the expiry written into the token', `${EXPIRED}@2020-01-01T00:00:00Z`],
  ])('%s: 401 UNAUTHENTICATED saying a valid token is required', async (_name, token) => {
    const res = await t.gql(QUERY, {}, token);
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/valid bearer token is required/), extensions: { code: 'UNAUTHENTICATED' } });
  });
});

describe('an expired token', () => {
  it('over HTTP: 401 UNAUTHENTICATED saying when it expired', async () => {
    const res = await t.gql(QUERY, {}, EXPIRED);
    expect(res.status).toBe(401);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.[0]).toMatchObject({ message: 'the bearer token expired at 2020-01-01T00:00:00.000Z', extensions: { code: 'UNAUTHENTICATED' } });
  });
  it('for media downloads too', async () => {
    expect((await fetch(`${t.app.url}/api/media/1?token=${EXPIRED}`)).status).toBe(401);
    expect((await fetch(`${t.app.url}/api/media/1`, { headers: { authorization: `Bearer ${EXPIRED}` } })).status).toBe(401);
  });
  it('over the websocket: connection_init is refused with 4403', async () => {
    const c = await connect(EXPIRED);
    expect(c.acked).toBe(false);
    expect(await c.closed).toMatchObject({ code: 4403, reason: 'Forbidden' });
  });
  it('tokens not yet expired work, including one whose expiry is beyond a single timer', async () => {
    for (const token of [SHORT, LONG, TEST_TOKEN]) expect((await t.gql(QUERY, {}, token)).status).toBe(200);
    const c = await connect(LONG);
    expect(c.acked).toBe(true);
    c.ws.close();
  });
});

describe('a token that expires while in use', () => {
  it('closes its open websocket with 4403 at the expiry, refuses it over HTTP from then on, and leaves other clients alone', async () => {
    expect(Date.now()).toBeLessThan(shortExpiresAt - 1000); // the server started in time for this test to mean something
    const short = await connect(SHORT);
    expect(short.acked).toBe(true);
    short.ws.send(JSON.stringify({ id: 'live', type: 'subscribe', payload: { query: 'subscription { messageAdded { text } }' } }));
    const other = subscribe(t.ws(LONG), 'subscription { messageAdded { text } }');
    // Events until both subscriptions have delivered one (each registers in its own time).
    for (let i = 0; i < 10 && !(short.messages.some((m) => m.type === 'next') && other.events.length); i++) {
      await t.postWebhook(envelope(textMessage({ text: `before expiry ${i}` }).body));
      await waitFor(() => short.messages.some((m) => m.type === 'next') && other.events.length > 0, 1000, 'events').catch(() => undefined);
    }
    expect(short.messages.some((m) => m.type === 'next')).toBe(true);
    expect((await t.gql(QUERY, {}, SHORT)).status).toBe(200);

    const closed = await short.closed;
    expect(closed.code).toBe(4403);
    expect(closed.reason).toMatch(/expired/);
    expect(closed.at).toBeGreaterThanOrEqual(shortExpiresAt); // not a moment before

    const after = await t.gql(QUERY, {}, SHORT);
    expect(after.status).toBe(401);
    expect(after.body.errors?.[0].message).toMatch(/expired at/);
    expect((await connect(SHORT)).acked).toBe(false);

    await t.postWebhook(envelope(textMessage({ text: 'after expiry' }).body));
    await waitFor(() => other.events.some((e) => e.messageAdded.text === 'after expiry'), 5000, 'the other client still served');
  });
});
