import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../simulator/src/simulator.js';
import { APP_SECRET, openContacts, PHONE_NUMBER_ID, startTestEnv, waitFor, type TestEnv } from '../harness.js';
import { freePort } from '../../src/db/embedded.js';

const SEND = `mutation($c: ID!, $text: String!) { sendMessage(input: { contactId: $c, text: $text }) { id } }`;
const CLIENT_TIMEOUT_MS = 3000; // WHATSAPP_API_TIMEOUT_MS below

let t: TestEnv | undefined;
let late: RunningSimulator | undefined;
afterEach(async () => {
  await t?.close();
  await late?.close();
  t = late = undefined;
});

const sendsTo = (sim: RunningSimulator) => sim.requests.filter((r) => r.method === 'POST' && /\/messages$/.test(r.path) && (r.body as any)?.type);
const opaqueOf = (body: unknown) => String((body as any).biz_opaque_callback_data);
const errorSends = async (env: TestEnv) => {
  const text = await env.app.services.metrics.registry.getSingleMetricAsString('inbox_send_latency_seconds');
  return Number(/inbox_send_latency_seconds_count\{outcome="error"\} (\d+)/.exec(text)?.[1] ?? 0);
};

describe('Meta answers later than our client waits', () => {
  it('a timed-out send is left UNKNOWN and settled by its status webhook, never sent again', { timeout: 90_000 }, async () => {
    t = await startTestEnv({ env: { SEND_WAIT_MS: '0', OUTBOUND_RECONCILE_SECONDS: '60', WHATSAPP_API_TIMEOUT_MS: String(CLIENT_TIMEOUT_MS) } });
    const [c] = await openContacts(t.db, 1, '1990');
    t.sim.setLatency(CLIENT_TIMEOUT_MS + 5000); // Meta takes it, but only after we stopped waiting
    const sent = await t.gql(SEND, { c, text: 'slow meta' });
    const id: string = sent.body.data.sendMessage.id;

    await waitFor(async () => (await errorSends(t!)) === 1, CLIENT_TIMEOUT_MS + 4000, 'the client to give up');
    expect(t.sim.sent).toHaveLength(0);
    const inDoubt = await waitFor(async () => {
      const r = (await t!.db.query(`select status, send_state, send_attempts, wa_message_id from message where id = $1`, [id])).rows[0];
      return r.status !== 'PENDING' ? r : null;
    }, 5000, 'the outcome recorded');
    expect(inDoubt).toEqual({ status: 'UNKNOWN', send_state: 'UNKNOWN', send_attempts: 1, wa_message_id: null });

    await waitFor(() => t!.sim.sent.length === 1, 10_000, 'Meta to accept the slow request');
    t.sim.setLatency(0);
    const settled = await waitFor(async () => {
      const r = (await t!.db.query(`select status, send_state, send_attempts, wa_message_id from message where id = $1`, [id])).rows[0];
      return r.status === 'READ' ? r : null;
    }, 10_000, 'READ through status webhooks');
    expect(settled).toEqual({ status: 'READ', send_state: 'ACCEPTED', send_attempts: 1, wa_message_id: t.sim.sent[0]!.waMessageId });
    await new Promise((r) => setTimeout(r, 2000));
    expect(sendsTo(t.sim)).toHaveLength(1);
    expect(t.sim.sent).toHaveLength(1);
  });
});

describe('Meta refusing connections, hanging up, failing with 5xx, throttling and slow, under load', () => {
  it('every message is accepted exactly once and ends READ; each error class is treated as it should be', { timeout: 150_000 }, async () => {
    const port = await freePort(); // nothing listens there yet: connection refused
    t = await startTestEnv({
      env: { WHATSAPP_API_BASE_URL: `http://127.0.0.1:${port}`, SEND_WAIT_MS: '0', OUTBOUND_MAX_ATTEMPTS: '20', WHATSAPP_MAX_MESSAGES_PER_SECOND: '40' },
    });
    const contacts = await openContacts(t.db, 30, '1991');
    const ids: string[] = [];
    for (const round of [1, 2]) {
      const results = await Promise.all(contacts.map((c) => t!.gql(SEND, { c, text: `round ${round}` })));
      ids.push(...results.map((r) => r.body.data.sendMessage.id as string));
    }
    await waitFor(async () => {
      const { rows } = await t!.db.query(`select count(*)::int as n from message where id = any($1::bigint[]) and send_attempts >= 1 and send_state = 'QUEUED'`, [ids]);
      return rows[0].n === ids.length;
    }, 15_000, 'every first attempt refused and queued again');

    late = await startSimulator({ appSecret: APP_SECRET, accessToken: 'graph-token', phoneNumberId: PHONE_NUMBER_ID, wabaId: 'waba-1', port, log: () => undefined });
    late.setWebhookUrl(`${t.app.url}/api/whatsapp/webhook`);
    late.dropNext(2); // unknown outcome, not accepted: UNKNOWN until a person resends them
    late.failNext({ code: 131000, httpStatus: 500, count: 6 });
    late.failNext({ code: 130429, retryAfterSeconds: 1, count: 3 });
    late.setLatency(300); // slow, within the client's timeout

    const unknown = await waitFor(async () => {
      const { rows } = await t!.db.query(
        `select count(*) filter (where status = 'READ')::int as read, array_agg(id::text) filter (where status = 'UNKNOWN') as unknown
         from message where id = any($1::bigint[])`,
        [ids],
      );
      return rows[0].read === ids.length - 2 && rows[0].unknown?.length === 2 ? (rows[0].unknown as string[]) : null;
    }, 120_000, 'every message READ but the two dropped, UNKNOWN');
    expect(late.sent).toHaveLength(ids.length - 2);
    // A person resends them once OUTBOUND_RECONCILE_SECONDS (2 s here) passed without a status.
    for (const id of unknown) {
      await waitFor(async () => !(await t!.gql(`mutation($id: ID!) { resendMessage(id: $id) { id } }`, { id })).body.errors, 10_000, 'resend accepted');
    }
    await waitFor(async () => {
      const { rows } = await t!.db.query(`select count(*)::int as n from message where id = any($1::bigint[]) and status = 'READ'`, [ids]);
      return rows[0].n === ids.length;
    }, 60_000, 'every message READ');

    // Exactly one accepted send per message, and Meta's wamid is the one stored.
    const accepted = new Map<string, string[]>();
    for (const s of late.sent) accepted.set(opaqueOf(s.body), [...(accepted.get(opaqueOf(s.body)) ?? []), s.waMessageId]);
    expect([...accepted.keys()].sort()).toEqual(ids.map((id) => `inbox:${id}`).sort());
    expect([...accepted.values()].every((w) => w.length === 1)).toBe(true);
    const { rows } = await t.db.query(`select id, wa_message_id, send_attempts, error_code from message where id = any($1::bigint[])`, [ids]);
    for (const r of rows) expect(r.wa_message_id).toBe(accepted.get(`inbox:${r.id}`)![0]);
    expect(rows.every((r) => r.send_attempts >= 2 && r.error_code === null)).toBe(true);
    // Every scripted fault was met and got its treatment.
    const answered = sendsTo(late).map((r) => r.status);
    expect(answered.filter((s) => s === 0)).toHaveLength(2);
    expect(answered.filter((s) => s === 500)).toHaveLength(6);
    expect(answered.filter((s) => s === 429)).toHaveLength(3);
    expect(answered.filter((s) => s === 200)).toHaveLength(ids.length);
    // Each recipient got both rounds (not necessarily in order: a retried message can be overtaken by the next one).
    const byRecipient = new Map<string, string[]>();
    for (const s of late.sent) byRecipient.set(s.to, [...(byRecipient.get(s.to) ?? []), (s.body as any).text.body]);
    expect(byRecipient.size).toBe(contacts.length);
    expect([...byRecipient.values()].every((texts) => [...texts].sort().join() === 'round 1,round 2')).toBe(true);
    await new Promise((r) => setTimeout(r, 2500)); // past the reconcile period: still nothing sent twice
    expect(late.sent).toHaveLength(ids.length);
  });
});
