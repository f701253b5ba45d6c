import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestEnv, waitFor, type TestEnv } from '../../test/harness.js';
import { envelope, textMessage } from '../../test/payloads.js';
import { InboxProcessor } from './inbox.processor.js';

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv();
});
afterAll(() => t?.close());

it('processes each stored event on its kick, including one stored while a run is in flight, without the poll', async () => {
  const { pool, log, metrics, config } = t.app.services;
  await t.app.services.inbox.stop(); // the app's own processor would also take these events on its poll
  const inbox = new InboxProcessor(pool, log, metrics, { ...config.webhook, pollMs: 3_600_000 });
  const texts = async () => (await t.db.query(`select text from message order by id`)).rows.map((r) => r.text);
  /** Stores an event as the webhook route does, and kicks. */
  const store = async (text: string) => {
    await t.db.query(`insert into webhook_event (body, headers) values ($1, '{}')`, [Buffer.from(JSON.stringify(envelope(textMessage({ text }).body)))]);
    inbox.kick();
  };
  try {
    inbox.start(); // finds nothing; the next poll is an hour away
    await inbox.idle();
    await store('alone'); // a run that claims one event, then stops
    await waitFor(async () => (await texts()).length === 1, 10_000, 'the lone event');
    await store('second');
    await store('third'); // stored while the second's run is in flight: its kick asks for one more run
    await waitFor(async () => (await texts()).length === 3, 10_000, 'both events');
    expect(await texts()).toEqual(['alone', 'second', 'third']);
  } finally {
    await inbox.stop();
  }
});
