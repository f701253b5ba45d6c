import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterEach, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../simulator/src/simulator.js';
import { APP_SECRET, createTestDatabase, PHONE_NUMBER_ID, subscribe, TEST_TOKEN, waitFor } from '../harness.js';
import { envelope, textMessage } from '../payloads.js';
import { spawnServer, type ServerProcess } from '../process.js';
import { signBody } from '../../src/webhook/webhook.signature.js';

let server: ServerProcess | undefined;
let sim: RunningSimulator | undefined;
afterEach(async () => {
  await server?.kill();
  await sim?.close();
});

// A selection that is legal (within depth, cost and alias limits) but slow to resolve for every event.
const nested = 'contact { id lastMessage { id raw contact { id lastMessage { id raw contact { id lastMessage { id text } } } } } }';
const COSTLY = `subscription { messageAdded { id text ${Array.from({ length: 15 }, (_, i) => `a${i}: ${nested}`).join(' ')} } }`;

it('a costly subscription and a cheap one under a burst of 3,000 events: each gets every event, once; the server stays up', { timeout: 180_000 }, async () => {
  sim = await startSimulator({ appSecret: APP_SECRET, accessToken: 'graph-token', phoneNumberId: PHONE_NUMBER_ID, wabaId: 'waba-1', log: () => undefined });
  server = await spawnServer(await createTestDatabase(), sim.url);
  const ws = () => createClient({ url: `${server!.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${TEST_TOKEN}` }, retryAttempts: 0 });
  const slow = subscribe(ws(), COSTLY);
  const cheap = subscribe(ws(), `subscription { messageAdded { id } }`);
  await new Promise((r) => setTimeout(r, 500));
  const N = 3000;
  let next = 0;
  const post = async () => {
    while (next < N) {
      const i = next++;
      const raw = JSON.stringify(envelope(textMessage({ from: `1555${String(i % 5).padStart(7, '0')}`, text: `${i} ${'y'.repeat(2000)}` }).body));
      const res = await fetch(`${server!.url}/api/whatsapp/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, APP_SECRET) }, body: raw });
      expect(res.status).toBe(200);
    }
  };
  await Promise.all(Array.from({ length: 30 }, post));
  // The server used to die of a RepeaterOverflowError here: the events of a committed batch arrive at
  // once, and each subscription read its rows one event after another. Now they are read together.
  await waitFor(() => cheap.events.length >= N || cheap.errors.length > 0 || server!.child.exitCode !== null, 120_000, 'every event at the cheap subscriber');
  await waitFor(() => slow.events.length >= N || slow.errors.length > 0, 60_000, 'the costly subscriber to get every event or be let go');
  expect(server.child.exitCode).toBeNull();
  expect(cheap.errors).toEqual([]);
  expect(new Set(cheap.events.map((e) => e.messageAdded.id)).size).toBe(N);
  // The costly one gets every event too, unless it falls behind on a busy machine: then it is let go
  // cleanly, either ended with SUBSCRIBER_TOO_SLOW or, when its unread frames pass
  // GRAPHQL_WS_MAX_BUFFERED_BYTES (each is ~100 kB here), disconnected; never silently short.
  if (slow.errors.length === 0) expect(new Set(slow.events.map((e) => e.messageAdded.id)).size).toBe(N);
  else expect(JSON.stringify(slow.errors[0]).includes('SUBSCRIBER_TOO_SLOW') || (slow.errors[0] as { code?: number }).code === 1006).toBe(true);
  expect((await fetch(`${server.url}/api/whatsapp/health`)).status).toBe(200);
});
