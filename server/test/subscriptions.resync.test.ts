import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { drained, startTestEnv, subscribe, TEST_TOKEN, waitFor, type TestEnv } from './harness.js';
import { envelope, textMessage } from './payloads.js';

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv();
});
afterAll(() => t?.close());

/** The backend of this server's LISTEN connection, if it is connected. */
const listener = async (): Promise<number | undefined> =>
  (await t.db.query(`select pid from pg_stat_activity where datname = current_database() and query ilike 'listen %'`)).rows[0]?.pid;

describe('when the server loses its event listener', () => {
  it('closes websockets with 1012 once the listener is back, and the reconnected client sees what it missed', async () => {
    const closes: number[] = [];
    let connects = 0;
    const client = createClient({
      url: `${t.app.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${TEST_TOKEN}` },
      lazy: false,
      retryAttempts: 5,
      retryWait: () => new Promise((r) => setTimeout(r, 100)),
      shouldRetry: () => true,
      onNonLazyError: () => undefined,
      on: { connected: () => void connects++, closed: (e) => void closes.push((e as { code: number }).code) },
    });
    try {
      const sub = subscribe(client, `subscription { messageAdded { text } }`);
      await waitFor(() => (connects === 1 ? listener() : undefined), 5000, 'connected');
      // The listener drops; a message is processed before it is back, so its event is never received.
      await t.db.query(`select pg_terminate_backend($1)`, [await listener()]);
      const m = textMessage({ from: '15559997001', text: 'while the listener was away' });
      await t.postWebhook(envelope(m.body));
      await drained(t.db);
      await waitFor(() => closes.includes(1012), 10_000, 'close 1012');
      await waitFor(() => connects >= 2, 10_000, 'reconnected');
      // What a reconnecting client does: refetch. The message is there.
      const { body } = await t.gql(`{ messages(first: 5) { edges { node { text } } } }`);
      expect(body.data.messages.edges.map((e: any) => e.node.text)).toContain('while the listener was away');
      // And live events flow again on the new connection.
      const next = textMessage({ from: '15559997001', text: 'after the resync' });
      await waitFor(async () => {
        await t.postWebhook(envelope(textMessage({ from: '15559997001', text: 'probe' }).body));
        return sub.events.some((e) => e.messageAdded.text === 'probe');
      }, 10_000, 'live again');
      await t.postWebhook(envelope(next.body));
      await waitFor(() => sub.events.some((e) => e.messageAdded.text === 'after the resync'), 5000, 'live event');
    } finally {
      await client.dispose();
    }
  });
});
