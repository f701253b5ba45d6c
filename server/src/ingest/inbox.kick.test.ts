import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestEnv, waitFor, type TestEnv } from '../../test/harness.js';
import { envelope, textMessage } from '../../test/payloads.js';
import { InboxProcessor } from './inbox.processor.js';

let t: TestEnv;
/** Runs only when kicked here: its poll is an hour away. */
let inbox: InboxProcessor;
beforeAll(async () => {
  t = await startTestEnv();
  const { orm, log, metrics, config } = t.app.services;
  await t.app.services.inbox.stop(); // the app's own processor would also take these events on its poll
  inbox = new InboxProcessor(orm, log, metrics, { ...config.webhook, pollMs: 3_600_000 });
  inbox.start(); // finds nothing
  await inbox.idle();
});
afterAll(async () => {
  await inbox?.stop();
  await t?.close();
});

const texts = async () => (await t.db.query(`select text from message order by id`)).rows.map((r) => r.text);
const body = (text: string) => Buffer.from(JSON.stringify(envelope(textMessage({ text }).body)));

it('processes each stored event on its kick, including one stored while a run is in flight, without the poll', async () => {
  /** Stores an event as the webhook route does, and kicks. */
  const store = async (text: string) => {
    await t.db.query(`insert into webhook_event (body, headers) values ($1, '{}')`, [body(text)]);
    inbox.kick();
  };
  await store('alone'); // a run that claims one event, then stops
  await waitFor(async () => (await texts()).length === 1, 10_000, 'the lone event');
  await store('second');
  await store('third'); // stored while the second's run is in flight: its kick asks for one more run
  await waitFor(async () => (await texts()).length === 3, 10_000, 'both events');
  expect(await texts()).toEqual(['alone', 'second', 'third']);
});

it('takes over an event another process left PROCESSING once its lock has expired, not before', async () => {
  const insert = `insert into webhook_event (body, headers, status, locked_until) values ($1, '{}', 'PROCESSING', now() + $2::interval) returning id`;
  const { rows: [held] } = await t.db.query(insert, [body('still held'), '1 hour']);
  const { rows: [left] } = await t.db.query(insert, [body('left behind'), '-1 second']);
  inbox.kick();
  await inbox.idle();
  const status = async (id: string) => (await t.db.query(`select status from webhook_event where id = $1`, [id])).rows[0].status;
  expect([await status(left.id), await status(held.id)]).toEqual(['PROCESSED', 'PROCESSING']);
  expect(await texts()).toContain('left behind');
  expect(await texts()).not.toContain('still held');
});
