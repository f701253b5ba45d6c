import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestEnv, waitFor, type TestEnv } from '../../test/harness.js';
import { envelope, textMessage } from '../../test/payloads.js';
import { InboxProcessor } from './inbox.processor.js';

let t: TestEnv;
/** Runs only when kicked here: its poll is an hour away. */
let inbox: InboxProcessor;
beforeAll(async () => {
  t = await startTestEnv();
  const { pool, repos, log, metrics, config } = t.app.services;
  await t.app.services.inbox.stop(); // the app's own processor would also take these events on its poll
  inbox = new InboxProcessor(pool, repos, log, metrics, { ...config.webhook, pollMs: 3_600_000 });
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

it('a claim counts the attempt at once; a claim whose lease ran out is not applied after the event was claimed again', async () => {
  const { pool, repos } = t.app.services;
  const { rows: [ev] } = await t.db.query(`insert into webhook_event (body, headers) values ($1, '{}') returning id`, [body('claimed twice')]);
  const [first] = await repos.webhookEvents.claim(10, 8, 0.01);
  expect(first).toMatchObject({ id: ev.id, attempts: 1, alone: false, gaveUp: false });
  // Committed before any batch transaction: a process dying now leaves the attempt counted.
  expect((await t.db.query(`select status, attempts from webhook_event where id = $1`, [ev.id])).rows[0]).toEqual({ status: 'PROCESSING', attempts: 1 });
  await new Promise((r) => setTimeout(r, 50));
  // The lease ran out before the first claimer locked it: another claim takes it, alone, as attempt 2.
  const [second] = await repos.webhookEvents.claim(10, 8, 60);
  expect(second).toMatchObject({ id: ev.id, attempts: 2, alone: true });
  expect(await pool.transaction((tx) => repos.webhookEvents.lockClaimed(tx, [first!]))).toEqual([]);
  expect(await pool.transaction((tx) => repos.webhookEvents.lockClaimed(tx, [second!]))).toEqual([String(ev.id)]);
  await t.db.query(`update webhook_event set status = 'PROCESSED' where id = $1`, [ev.id]);
});

it('events left PROCESSING by a dead claim are claimed one at a time, and FAILED once out of attempts', async () => {
  const { repos } = t.app.services;
  const insert = `insert into webhook_event (body, headers, status, attempts, locked_until) values ($1, '{}', 'PROCESSING', $2, now() - interval '1 second') returning id`;
  const { rows: [spent] } = await t.db.query(insert, [body('poison'), 3]);
  const { rows: [a] } = await t.db.query(insert, [body('neighbour a'), 1]);
  const { rows: [b] } = await t.db.query(insert, [body('neighbour b'), 1]);
  const claimed = await repos.webhookEvents.claim(250, 3, 60);
  expect(claimed.map(({ id, attempts, alone, gaveUp }) => ({ id, attempts, alone, gaveUp }))).toEqual([
    { id: spent.id, attempts: 3, alone: true, gaveUp: true },
    { id: a.id, attempts: 2, alone: true, gaveUp: false },
  ]);
  const row = async (id: string) => (await t.db.query(`select status, attempts, last_error from webhook_event where id = $1`, [id])).rows[0];
  expect(await row(spent.id)).toEqual({ status: 'FAILED', attempts: 3, last_error: 'the process stopped while applying this event 3 times' });
  expect(await row(b.id)).toMatchObject({ status: 'PROCESSING', attempts: 1 }); // not pushed by its neighbour's claim
  await t.db.query(`update webhook_event set status = 'PROCESSED' where id = any($1::bigint[])`, [[a.id, b.id]]);
});
