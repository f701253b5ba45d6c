import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drained, startTestEnv, type TestEnv } from '../../test/harness.js';
import { envelope, textMessage } from '../../test/payloads.js';
import { pruneWebhookEvents } from './webhook.retention.js';

let t: TestEnv;
// The app's own pruner keeps bodies far longer than the test's calls do, so it never runs first.
beforeAll(async () => {
  t = await startTestEnv({ env: { WEBHOOK_RETENTION_DAYS: '3650' } });
});
afterAll(() => t?.close());

const repo = () => t.app.services.repos.webhookEvents;

/** Stores and processes a text message webhook; answers its event id. */
async function processed(): Promise<string> {
  const res = await t.postWebhook(envelope(textMessage({ text: 'retention' }).body));
  expect(res.status).toBe(200);
  await drained(t.db);
  return String((await t.db.query(`select max(id) as id from webhook_event`)).rows[0].id);
}

/** A body that is no webhook: FAILED at once. */
async function failed(): Promise<string> {
  expect((await t.postWebhook('not json')).status).toBe(200);
  await drained(t.db);
  return String((await t.db.query(`select max(id) as id from webhook_event where status = 'FAILED'`)).rows[0].id);
}

const age = (ids: string[], days: number) =>
  t.db.query(`update webhook_event set received_at = now() - make_interval(days => $2), processed_at = coalesce(processed_at, now()) - make_interval(days => $2) where id = any($1::bigint[])`, [ids, days]);
const statuses = async () => Object.fromEntries((await t.db.query(`select id::text, status from webhook_event`)).rows.map((r) => [r.id, r.status]));
const dismiss = (id: string) => t.gql(`mutation($id: ID!) { dismissWebhookEvent(id: $id) { id status processedAt } }`, { id });

describe('webhook retention', () => {
  it('deletes processed and dismissed bodies past the retention, in batches; keeps FAILED ones and recent ones', async () => {
    const old = [await processed(), await processed(), await processed()];
    const recent = await processed();
    const oldFailed = await failed();
    const oldDismissed = await failed();
    expect((await dismiss(oldDismissed)).body.data.dismissWebhookEvent.status).toBe('DISMISSED');
    await age([...old, oldFailed, oldDismissed], 31);

    expect(await pruneWebhookEvents(repo(), 30, 2)).toBe(4);
    const left = await statuses();
    for (const id of [...old, oldDismissed]) expect(left[id]).toBeUndefined();
    expect(left[recent]).toBe('PROCESSED');
    expect(left[oldFailed]).toBe('FAILED');
    // The messages themselves stay: only the raw bodies go.
    const { rows } = await t.db.query(`select count(*)::int as n from message where text = 'retention'`);
    expect(rows[0].n).toBe(4);
    expect(await pruneWebhookEvents(repo(), 30, 2)).toBe(0);
  });

  it('prunes in one process at a time: another holding the lock makes a run pass', async () => {
    const id = await processed();
    await age([id], 40);
    let during: number | undefined;
    await t.db.transaction(async (tx) => {
      await tx.query(`select pg_advisory_xact_lock(hashtext('inbox-webhook-retention'))`);
      during = await pruneWebhookEvents(repo(), 30);
    });
    expect(during).toBe(0);
    expect((await statuses())[id]).toBe('PROCESSED');
    expect(await pruneWebhookEvents(repo(), 30)).toBe(1);
  });

  it('dismisses FAILED events only; a dismissed event no longer counts as failed', async () => {
    const id = await failed();
    const health = async () => (await t.gql(`{ health { failedWebhookEvents } }`)).body.data.health.failedWebhookEvents as number;
    const before = await health();
    const res = await dismiss(id);
    expect(res.body.data.dismissWebhookEvent).toMatchObject({ id, status: 'DISMISSED' });
    expect(res.body.data.dismissWebhookEvent.processedAt).not.toBeNull();
    expect(await health()).toBe(before - 1);
    expect((await dismiss(id)).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await dismiss(await processed())).body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await dismiss('999999999')).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // A dismissed event can still be replayed.
    const replay = await t.gql(`mutation($id: ID!) { replayWebhookEvent(id: $id) { status } }`, { id });
    expect(replay.body.data.replayWebhookEvent.status).toBe('PENDING');
  });
});
