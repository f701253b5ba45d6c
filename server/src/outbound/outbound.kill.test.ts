import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, openContacts, startTestEnv, waitFor, type TestEnv } from '../../test/harness.js';
import { gqlAt, spawnServer, type ServerProcess } from '../../test/process.js';

const N = 80;
// A short API timeout: a message the dead process left SENDING counts as abandoned (UNKNOWN) 5 s after it.
const env = { WHATSAPP_MAX_MESSAGES_PER_SECOND: '10', OUTBOUND_RECONCILE_SECONDS: '20', WHATSAPP_API_TIMEOUT_MS: '3000', SEND_WAIT_MS: '0' };
const RESEND = `mutation($id: ID!) { resendMessage(id: $id) { id } }`;
const SEND = `mutation($c: ID!, $text: String!) { sendMessage(input: { contactId: $c, text: $text }) { id } }`;
const OFFERED = `query($c: ID!) { messages(contactId: $c, first: 5) { edges { node { resendableAt } } } }`;

let t: TestEnv; // provides the simulator and a database; its own app stays out of the way (dispatching is leader-only)
beforeAll(async () => {
  t = await startTestEnv({ databaseUrl: await createTestDatabase(), sim: { statusDelaysMs: { sent: 30, delivered: 60, read: 90 } } });
  // Only the spawned processes may dispatch: stop this test's own dispatcher.
  await t.app.services.outbound.stop();
});
afterAll(() => t?.close());


describe('a dispatcher killed mid-campaign', () => {
  it('resumes after restart: every recipient gets the message exactly once, those in doubt once a person resends them', { timeout: 180_000 }, async () => {
    const contacts = await openContacts(t.db, N, '1880');
    let first: ServerProcess | undefined = await spawnServer(t.databaseUrl, t.sim.url, env);
    let second: ServerProcess | undefined;
    try {
      t.sim.setWebhookUrl(`${first.url}/api/whatsapp/webhook`);
      t.sim.setLatency(250); // sends are on the wire when the process dies: Meta takes them, we never hear the answer
      await waitFor(() => /this process dispatches/.test(first!.output()), 10_000, 'leadership');
      const results = await Promise.all(
        contacts.map((c) => gqlAt(first!.url, `mutation($c: ID!) { sendMessage(input: { contactId: $c, text: "campaign" }) { id } }`, { c })),
      );
      expect(results.filter((r) => r.errors)).toEqual([]);
      await waitFor(() => t.sim.sent.length >= N / 4, 20_000, 'a quarter sent');
      first.child.kill('SIGKILL');
      await first.exited;
      const sentAtKill = t.sim.sent.length;
      expect(sentAtKill).toBeLessThan(N);

      second = await spawnServer(t.databaseUrl, t.sim.url, env);
      t.sim.setWebhookUrl(`${second.url}/api/whatsapp/webhook`); // Meta retries undelivered status webhooks here
      // Sends on the wire at the kill were taken by Meta: their status webhooks (biz_opaque_callback_data) find them.
      // A message claimed but never heard of at Meta is UNKNOWN, and waits for a person.
      const unknown = await waitFor(async () => {
        const { rows } = await t.db.query(
          `select count(*) filter (where wa_message_id is not null)::int as accepted, coalesce(array_agg(id::text) filter (where status = 'UNKNOWN'), '{}') as unknown
           from message where direction = 'OUTBOUND'`,
        );
        return rows[0].accepted + rows[0].unknown.length === N ? (rows[0].unknown as string[]) : null;
      }, 120_000, 'every message accepted by Meta or UNKNOWN');
      expect(t.sim.sent.length).toBe(N - unknown.length);
      for (const id of unknown) await waitFor(async () => !(await gqlAt(second!.url, RESEND, { id })).errors, 30_000, 'the resend allowed');
      await waitFor(async () => {
        const { rows } = await t.db.query(`select count(*)::int as n from message where direction = 'OUTBOUND' and wa_message_id is not null`);
        return rows[0].n === N;
      }, 60_000, 'every message accepted by Meta');
      const perRecipient = new Map<string, number>();
      for (const s of t.sim.sent) perRecipient.set(s.to, (perRecipient.get(s.to) ?? 0) + 1);
      expect(perRecipient.size).toBe(N);
      expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
      expect(t.sim.sent.length).toBe(N);
      const { rows } = await t.db.query(`select count(*)::int as n from message where direction = 'OUTBOUND' and status = 'FAILED'`);
      expect(rows[0].n).toBe(0);
    } finally {
      await first?.kill();
      await second?.kill();
    }
  });
});

describe('a dispatcher killed mid-call', () => {
  it('leaves the message UNKNOWN after restart, never sent again by itself; a resend sends it once more', { timeout: 120_000 }, async () => {
    t.sim.reset();
    const [c, witness] = await openContacts(t.db, 2, '1883');
    const quick = { ...env, OUTBOUND_RECONCILE_SECONDS: '10' };
    let first: ServerProcess | undefined = await spawnServer(t.databaseUrl, t.sim.url, quick);
    let second: ServerProcess | undefined;
    const row = async (id: string) => (await t.db.query(`select status, send_attempts, wa_message_id from message where id = $1`, [id])).rows[0];
    const sends = (id: string) => t.sim.sent.filter((s) => (s.body as any).biz_opaque_callback_data === `inbox:${id}`).length;
    try {
      await waitFor(() => /this process dispatches/.test(first!.output()), 10_000, 'leadership');
      t.sim.acceptThenFailNext({ mode: 'hang' }); // Meta takes it and we never hear so
      const id: string = (await gqlAt(first.url, SEND, { c, text: 'on the wire' })).data.sendMessage.id;
      await waitFor(() => t.sim.sent.length === 1, 10_000, 'Meta to take it');
      first.child.kill('SIGKILL');
      await first.exited;

      second = await spawnServer(t.databaseUrl, t.sim.url, quick);
      t.sim.setWebhookUrl(`${second.url}/api/whatsapp/webhook`);
      await waitFor(async () => (await row(id)).status === 'UNKNOWN', 30_000, 'UNKNOWN once the dead call is over');
      // Past the reconcile time, a later message through the new dispatcher goes out; the unknown one does not.
      const offered = async () => (await gqlAt(second!.url, OFFERED, { c })).data.messages.edges.some((e: any) => e.node.resendableAt && new Date(e.node.resendableAt) <= new Date());
      await waitFor(offered, 30_000, 'the reconcile time');
      const w: string = (await gqlAt(second.url, SEND, { c: witness, text: 'witness' })).data.sendMessage.id;
      await waitFor(async () => (await row(w)).status === 'READ', 20_000, 'the witness READ');
      expect(await row(id)).toEqual({ status: 'UNKNOWN', send_attempts: 1, wa_message_id: null });
      expect(sends(id)).toBe(1);

      expect((await gqlAt(second.url, RESEND, { id })).errors).toBeUndefined();
      await waitFor(async () => (await row(id)).status === 'READ', 20_000, 'READ after the resend');
      expect(sends(id)).toBe(2);
    } finally {
      await first?.kill();
      await second?.kill();
    }
  });
});
